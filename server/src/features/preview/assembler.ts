// Assembling as the build does: XIncludes replaced by what they include (whole files, xpointer
// elements or their children, text), cycles and limits stopped with a reason, and profiling applied.

import { isDocbookElement, isXInclude, isXIncludeFallback, parseXPointer } from '../../core/docbookModel';
import { attr, XmlElement, XmlNode } from '../../core/xmlParser';
import { decodeAttr } from './html';
import { idMapOf, ParsedFile, resolveRef, Snapshot } from './snapshot';

const MAX_INCLUDE_DEPTH = 50;
const MAX_INCLUDES_PER_RENDER = 20_000;
/** Elements rendered per preview: far above the largest book (the training guides set is ~60k). */
export const MAX_ELEMENTS_PER_RENDER = 2_000_000;

export interface Ctx {
    pf: ParsedFile;
    xmlBase: readonly string[];
    /** Include chain, as file#xpointer keys, to stop cycles. */
    stack: readonly string[];
    entityDepth: number;
}

/** The context of a file's root element. */
export function rootCtx(pf: ParsedFile): Ctx {
    return { pf, xmlBase: [], stack: [pf.path + '#'], entityDepth: 0 };
}

type IncludeFailure = 'missing' | 'remote' | 'cycle' | 'invalid' | 'xpointer' | 'limit';

export type IncludeFailed = { kind: 'failed'; failure: IncludeFailure; message: string; fallback?: XmlElement };

type IncludeResult =
    | { kind: 'nodes'; nodes: XmlNode[]; ctx: Ctx }
    | { kind: 'text'; text: string; target: string }
    | IncludeFailed;

export interface ChildHandlers {
    node(n: XmlNode, ctx: Ctx): void;
    text?(text: string, target: string, inc: XmlElement, ctx: Ctx): void;
    failed?(r: IncludeFailed, inc: XmlElement, ctx: Ctx): void;
}

export class Assembler {
    private includeCount = 0;
    private readonly profile: [string, Set<string>][];

    constructor(private readonly snapshot: Snapshot, profile: Record<string, string> | undefined) {
        this.profile = Object.entries(profile ?? {})
            .map(([k, v]): [string, Set<string>] => [k, new Set(String(v).split(';').map((s) => s.trim()).filter(Boolean))])
            .filter(([, values]) => values.size > 0);
    }

    /** Whether a profiled build drops the element: it has a profiling attribute without any chosen value. */
    isProfiledOut(el: XmlElement): boolean {
        if (!this.profile.length || !el.attrs.length) return false;
        for (const [name, wanted] of this.profile) {
            const a = attr(el, name);
            if (!a) continue;
            if (!a.value.split(';').some((v) => wanted.has(v.trim()))) return true;
        }
        return false;
    }

    /** Visits an element's children with XIncludes replaced by what they include. */
    eachChild(el: XmlElement, ctx: Ctx, h: ChildHandlers): void {
        for (const c of el.children) {
            if (c.kind === 'element' && isXInclude(c)) this.eachIncluded(c, ctx, h);
            else if (c.kind === 'element' && isXIncludeFallback(c)) continue; // only its include shows it
            else h.node(c, ctx);
        }
    }

    eachIncluded(inc: XmlElement, ctx: Ctx, h: ChildHandlers): void {
        const r = this.include(inc, ctx);
        if (r.kind === 'nodes') {
            for (const n of r.nodes) {
                if (n.kind === 'element' && isXInclude(n)) this.eachIncluded(n, r.ctx, h);
                else h.node(n, r.ctx);
            }
        } else if (r.kind === 'text') {
            h.text?.(r.text, r.target, inc, ctx);
        } else if (h.failed) {
            h.failed(r, inc, ctx);
        } else if (r.fallback) {
            this.eachChild(r.fallback, ctx, h);
        }
    }

    private include(el: XmlElement, ctx: Ctx): IncludeResult {
        let fallback: XmlElement | undefined;
        for (const c of el.children) if (c.kind === 'element' && isXIncludeFallback(c)) { fallback = c; break; }
        const fail = (failure: IncludeFailure, message: string): IncludeResult => ({ kind: 'failed', failure, message, fallback });
        if (++this.includeCount > MAX_INCLUDES_PER_RENDER) return fail('limit', `Include not expanded: more than ${MAX_INCLUDES_PER_RENDER} includes in one preview`);
        const href = decodeAttr(attr(el, 'href')?.value ?? '', ctx.pf.entities).trim();
        const parseText = attr(el, 'parse')?.value.trim() === 'text';
        const xpointer = attr(el, 'xpointer')?.value;
        const resolved = resolveRef(this.snapshot.lookup, el, href, ctx.pf.path, ctx.xmlBase);
        if (resolved.kind === 'remote') return fail('remote', `Remote include not fetched: ${resolved.url}`);
        if (resolved.kind === 'invalid') return fail('invalid', `Include not expanded: ${resolved.reason}`);
        const target = resolved.path;
        const unreadable = this.snapshot.unreadable.get(target);
        if (unreadable) return fail('invalid', `Include not read (${unreadable}): ${target}`);
        if (parseText) {
            const text = this.snapshot.texts.get(target);
            return typeof text === 'string' ? { kind: 'text', text, target } : fail('missing', `Missing include: ${target}`);
        }
        const key = target + '#' + (xpointer ?? '');
        if (ctx.stack.includes(key) || (!xpointer && target === ctx.pf.path)) return fail('cycle', `Include cycle stopped: ${target}${xpointer ? ` (${xpointer})` : ''}`);
        if (ctx.stack.length > MAX_INCLUDE_DEPTH) return fail('limit', `Include not expanded: nested more than ${MAX_INCLUDE_DEPTH} deep: ${target}`);
        const pf = this.snapshot.files.get(target);
        if (!pf) return fail('missing', `Missing include: ${target}`);
        const next: Ctx = { pf, xmlBase: [], stack: [...ctx.stack, key], entityDepth: 0 };
        if (xpointer === undefined) {
            return pf.doc.root ? { kind: 'nodes', nodes: [pf.doc.root], ctx: next } : fail('missing', `Include is not XML: ${target}`);
        }
        const pointer = parseXPointer(xpointer);
        if (!pointer) return fail('xpointer', `Include not expanded: unsupported xpointer "${xpointer}" in ${target}`);
        const el2 = idMapOf(pf).get(pointer.id);
        if (!el2) return fail('xpointer', `Include not expanded: no element with xml:id "${pointer.id}" in ${target}`);
        if (pointer.mode === 'element') return { kind: 'nodes', nodes: [el2], ctx: next };
        // xpath(//*[@xml:id='x']/*[not(self::db:title)]): x's child elements except its title.
        const nodes = el2.children.filter((c) => c.kind === 'element' && !(c.local === 'title' && isDocbookElement(c)));
        return { kind: 'nodes', nodes, ctx: next };
    }
}
