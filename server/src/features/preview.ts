// Live preview: a DocBook file as an HTML fragment, assembled as the build assembles it (XIncludes
// expanded with their xpointers, entities resolved, profiled per distribution) and numbered in the
// context of the book that includes it.
//
// Security: the HTML is built only from strings this module writes and from document text passed
// through escapeHtml. No element name, attribute or URL of the document is copied into the output
// unchecked: links pass safeHref (http, https, mailto, relative files), images are local files this
// module resolved and the caller mapped through resourceUri.
//
// Speed: parses are cached per file and text (and index entry, which changes whenever the index
// re-reads a file), so a keystroke re-parses one file; all files a render needs are loaded first, so
// the render itself is one synchronous walk that writes into a string array.

import { promises as fs } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
    DOCBOOK_NS, isXInclude, normalizeSpace, parseXPointer, PROFILING_ATTRIBUTES, titleElementOf, titleOf, textOf, XINCLUDE_NAMESPACES,
} from '../core/docbookModel';
import { EntityTable, entityText, emptyEntityTable, PREDEFINED_ENTITIES } from '../core/entities';
import { computeLineStarts, positionAt } from '../core/lineMap';
import { attr, attrNS, parseXml, XML_NS, XmlDocument, XmlElement, XmlNode } from '../core/xmlParser';
import { IndexedFile, WorkspaceIndex } from '../index/workspaceIndex';
import { Resolved } from '../core/resolver';
import { randomBytes } from 'crypto';
import type { CancellationToken, FeatureContext } from './context';
import { PREVIEW_STYLE } from './previewStyle';

export interface PreviewOptions {
    /** Profiling values, e.g. { os: 'ubuntu' }: elements whose attribute lacks the value are dropped, as in a profiled build. */
    profile?: Record<string, string>;
    /** Book (path) that gives chapter numbers and xref texts; default: the first book that includes the file. Ignored when it does not include the file (the result's `book` says which was used). */
    book?: string;
    /** Maps a local image file to a URL the page may load; default: a file: URL. */
    resourceUri?: (absPath: string) => string;
}

export interface PreviewSourceMap {
    /** `data-file="N"` on a block names files[N]; `data-line` is the 0-based line in that file. */
    files: string[];
}

export interface PreviewResult {
    /** Body fragment, wrapped in `<div class="docbook-preview">`. */
    html: string;
    title: string;
    /** Books that include the file, the one used for context first. */
    books: string[];
    /** The book the numbers and xref texts come from; undefined when the file is rendered on its own. */
    book?: string;
    /** Values of the profiling attributes (os, audience, arch, condition, …) used in the book. */
    profileValues: Record<string, string[]>;
    sourceMap: PreviewSourceMap;
    /** Every URL the HTML loads (images), for the page's Content-Security-Policy. */
    resources: string[];
}

/** The profiling attributes the preview offers as pickers, reported even when unused. */
export const PICKER_PROFILING_ATTRIBUTES = ['os', 'audience', 'arch', 'condition'];

const MAX_INCLUDE_DEPTH = 50;
const MAX_INCLUDES_PER_RENDER = 20_000;
/** Elements rendered per preview: far above the largest book (the training guides set is ~60k). */
const MAX_ELEMENTS_PER_RENDER = 2_000_000;
const MAX_ENTITY_DEPTH = 16;
const MAX_ENTITY_CHARS = 1_000_000;
/** Element nesting rendered as structure; deeper content is still shown, as plain text. */
const MAX_RENDER_DEPTH = 300;
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp', '.bmp', '.ico', '.avif']);

// ---- parsed files and their cache ----------------------------------------------------------------

interface IncludeSite { target: string | undefined; parse: 'xml' | 'text' }

interface ParsedFile {
    path: string;
    text: string;
    doc: XmlDocument;
    lineStarts: Uint32Array;
    entities: EntityTable;
    /** Entity-value fragments: their offsets are not the file's, every block maps to the reference's line. */
    fixedLine?: number;
    ids?: Map<string, XmlElement>;
    /** Include targets and image files named anywhere in the file (for loading before the render). */
    sites?: { includes: IncludeSite[]; images: string[] };
}

interface CacheEntry { indexed: IndexedFile | undefined; parsed: ParsedFile; usedBy: number }

interface ParseCache { entries: Map<string, CacheEntry>; renders: number }

const parseCaches = new WeakMap<WorkspaceIndex, ParseCache>();

/** Files no render used for this many renders are dropped, so the cache holds about the books being previewed. */
const CACHE_KEEP_RENDERS = 4;

function cacheOf(index: WorkspaceIndex): ParseCache {
    let cache = parseCaches.get(index);
    if (!cache) {
        cache = { entries: new Map(), renders: 0 };
        parseCaches.set(index, cache);
    }
    return cache;
}

/**
 * Why a file on the real disk must not be read: a device or fifo (an include of /dev/zero would
 * never end), or a file over the index's size limit. Paths the disk does not know are left to the
 * workspace (tests run on in-memory trees).
 */
async function unreadableReason(file: string, maxSize: number): Promise<string | undefined> {
    try {
        const stat = await fs.stat(file);
        if (!stat.isFile()) return stat.isDirectory() ? 'a folder' : 'not a regular file';
        if (stat.size > maxSize) return `${(stat.size / 1048576).toFixed(1)} MB, over the ${(maxSize / 1048576).toFixed(0)} MB limit`;
    } catch {
        // not on the disk: the workspace decides
    }
    return undefined;
}

/** The files one render sees, loaded up front so that a render is one synchronous walk over fixed texts. */
class Snapshot {
    readonly files = new Map<string, ParsedFile | null>();
    readonly texts = new Map<string, string | null>();
    readonly images = new Map<string, boolean>();
    /** Files that exist but are not read (binary, too large, devices), with the reason. */
    readonly unreadable = new Map<string, string>();
    private readonly render: number;

    constructor(private readonly index: WorkspaceIndex, private readonly cache: ParseCache) {
        this.render = ++cache.renders;
    }

    private async readText(file: string): Promise<string | undefined> {
        const reason = await unreadableReason(file, this.index.currentSettings.maxFileSize);
        if (reason) {
            this.unreadable.set(file, reason);
            return undefined;
        }
        return this.index.readText(file);
    }

    async load(file: string): Promise<ParsedFile | undefined> {
        const known = this.files.get(file);
        if (known !== undefined) return known ?? undefined;
        const indexed = this.index.get(file);
        const cached = this.cache.entries.get(file);
        let parsed: ParsedFile | undefined;
        if (indexed?.readError) {
            this.unreadable.set(file, indexed.readError);
        } else if (cached && cached.indexed === indexed && indexed && (indexed.openText === undefined || indexed.openText === cached.parsed.text)) {
            parsed = cached.parsed;
            cached.usedBy = this.render;
        } else {
            const text = indexed?.openText ?? await (indexed ? this.index.readText(file) : this.readText(file));
            if (text !== undefined) {
                const entities = indexed?.entities ?? emptyEntityTable();
                if (cached && cached.parsed.text === text) {
                    parsed = cached.parsed.entities === entities ? cached.parsed : { ...cached.parsed, entities, ids: undefined, sites: undefined };
                } else {
                    const doc = parseXml(text);
                    parsed = { path: file, text, doc, lineStarts: computeLineStarts(text), entities };
                }
                this.cache.entries.set(file, { indexed, parsed, usedBy: this.render });
            } else {
                this.cache.entries.delete(file);
            }
        }
        this.files.set(file, parsed ?? null);
        return parsed;
    }

    /** Loads a file, everything it includes (transitively), the text includes and the existence of its images. */
    async loadTree(file: string, token?: CancellationToken): Promise<void> {
        const queue = [file];
        const pending: Promise<unknown>[] = [];
        while (queue.length && !token?.isCancellationRequested) {
            const batch = [...new Set(queue.splice(0))].filter((f) => !this.files.has(f));
            const loaded = await Promise.all(batch.map((f) => this.load(f)));
            for (const pf of loaded) {
                if (!pf) continue;
                const sites = sitesOf(pf, this.index);
                for (const inc of sites.includes) {
                    if (!inc.target) continue;
                    if (inc.parse === 'text') {
                        if (!this.texts.has(inc.target)) {
                            this.texts.set(inc.target, null);
                            const target = inc.target;
                            pending.push(this.readText(target).then((t) => { this.texts.set(target, t ?? null); }));
                        }
                    } else if (!this.files.has(inc.target)) {
                        queue.push(inc.target);
                    }
                }
                for (const img of sites.images) {
                    if (this.images.has(img)) continue;
                    this.images.set(img, this.index.exists(img));
                    if (!this.images.get(img)) pending.push(this.index.existsOnDisk(img).then((e) => { this.images.set(img, e); }));
                }
            }
        }
        await Promise.all(pending);
    }

    /** Drops cached parses that recent renders did not use. */
    evictStale(): void {
        for (const [file, entry] of this.cache.entries) {
            if (entry.usedBy <= this.render - CACHE_KEEP_RENDERS) this.cache.entries.delete(file);
        }
    }
}

/** Include targets and image files of a parsed file, found once per parse. */
function sitesOf(pf: ParsedFile, index: WorkspaceIndex): { includes: IncludeSite[]; images: string[] } {
    if (pf.sites) return pf.sites;
    const includes: IncludeSite[] = [];
    const images: string[] = [];
    const fragmentsSeen = new Set<string>();
    const visit = (el: XmlElement, bases: string[]): void => {
        const base = attrNS(el, XML_NS, 'base');
        const b = base ? [...bases, base.value] : bases;
        if (isXInclude(el)) {
            const href = decodeAttr(attr(el, 'href')?.value ?? '', pf.entities).trim();
            const resolved = resolveRef(index, el, href, pf.path, b);
            includes.push({ target: resolved.kind === 'file' ? resolved.path : undefined, parse: attr(el, 'parse')?.value.trim() === 'text' ? 'text' : 'xml' });
        } else if (el.local === 'imagedata' || el.local === 'graphic' || el.local === 'inlinegraphic') {
            const fileref = decodeAttr(attr(el, 'fileref')?.value ?? '', pf.entities).trim();
            if (fileref) {
                const r = resolveRef(index, el, fileref, pf.path, b);
                if (r.kind === 'file') images.push(r.path);
            }
        }
        for (const c of el.children) {
            if (c.kind === 'element') visit(c, b);
            else if (c.kind === 'entity' && !fragmentsSeen.has(c.name)) {
                // Entity values with markup (&CHECK; is an inlinemediaobject) name images too.
                fragmentsSeen.add(c.name);
                const frag = entityFragment(c.name, pf.entities, el.nsScope);
                if (frag) for (const fc of frag.root?.children ?? []) if (fc.kind === 'element') visit(fc, b);
            }
        }
    };
    if (pf.doc.root) visit(pf.doc.root, []);
    pf.sites = { includes, images };
    return pf.sites;
}

const resolvedRefs = new WeakMap<XmlElement, { settings: object; file: string; bases: readonly string[]; value: string; resolved: Resolved }>();

/** An href or fileref resolved once per element (URL parsing is a good part of a render's time), again when its file, bases or value differ. */
function resolveRef(index: WorkspaceIndex, el: XmlElement, value: string, file: string, bases: readonly string[]): Resolved {
    const known = resolvedRefs.get(el);
    // New settings (catalogs, URL mappings) resolve differently: they are part of the key.
    const settings = index.currentSettings;
    if (known && known.settings === settings && known.file === file && known.value === value && (known.bases === bases || (known.bases.length === 0 && bases.length === 0))) return known.resolved;
    const resolved: Resolved = value ? index.resolveHref(value, file, bases) : { kind: 'file', path: file };
    resolvedRefs.set(el, { settings, file, bases, value, resolved });
    return resolved;
}

function idMapOf(pf: ParsedFile): Map<string, XmlElement> {
    if (pf.ids) return pf.ids;
    const ids = new Map<string, XmlElement>();
    const stack: XmlElement[] = pf.doc.root ? [pf.doc.root] : [];
    while (stack.length) {
        const el = stack.pop()!;
        const id = idOf(el);
        if (id && !ids.has(id)) ids.set(id, el);
        for (let i = el.children.length - 1; i >= 0; i--) {
            const c = el.children[i];
            if (c.kind === 'element') stack.push(c);
        }
    }
    pf.ids = ids;
    return ids;
}

// ---- entity values that carry markup ---------------------------------------------------------

const fragmentCache = new WeakMap<EntityTable, Map<string, XmlDocument | null>>();

/** An entity value with markup or references, parsed as content in the namespaces in scope where it is used. */
function entityFragment(name: string, table: EntityTable, nsScope: Record<string, string>): XmlDocument | undefined {
    if (name.startsWith('#') || PREDEFINED_ENTITIES[name] !== undefined) return undefined;
    const decl = table.general.get(name);
    if (!decl || decl.value === undefined || (!decl.value.includes('<') && !decl.value.includes('&'))) return undefined;
    let perTable = fragmentCache.get(table);
    if (!perTable) {
        perTable = new Map();
        fragmentCache.set(table, perTable);
    }
    let decls = '';
    for (const prefix in nsScope) {
        if (prefix === 'xml') continue;
        const uri = nsScope[prefix];
        const q = uri.includes('"') ? "'" : '"';
        decls += ` ${prefix ? 'xmlns:' + prefix : 'xmlns'}=${q}${uri}${q}`;
    }
    const key = name + '\u0000' + decls;
    let doc = perTable.get(key);
    if (doc === undefined) {
        doc = parseXml(`<dbp-entity${decls}>${decl.value}</dbp-entity>`);
        perTable.set(key, doc);
    }
    return doc ?? undefined;
}

// ---- helpers ---------------------------------------------------------------------------------

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\u0000': '\ufffd' };

export function escapeHtml(s: string): string {
    return /[&<>"'\u0000]/.test(s) ? s.replace(/[&<>"'\u0000]/g, (c) => HTML_ESCAPES[c]) : s;
}

function decodeAttr(value: string, entities: EntityTable): string {
    if (!value.includes('&')) return value;
    return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*);/g, (all, n: string) => entityText(n, entities) ?? all);
}

function idOf(el: XmlElement): string | undefined {
    const a = attrNS(el, XML_NS, 'id') ?? (el.ns === '' ? attr(el, 'id') : undefined);
    const v = a?.value.trim();
    return v || undefined;
}

function isDocbook(el: XmlElement): boolean {
    return el.ns === DOCBOOK_NS || el.ns === '';
}

function isFallback(el: XmlElement): boolean {
    return el.local === 'fallback' && XINCLUDE_NAMESPACES.has(el.ns);
}

function positiveInt(value: string | undefined, max: number): number | undefined {
    if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
    const n = parseInt(value, 10);
    return n >= 1 && n <= max ? n : undefined;
}

function toRoman(n: number): string {
    const table: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
    let out = '';
    for (const [v, s] of table) while (n >= v) { out += s; n -= v; }
    return out;
}

function toLetters(n: number): string {
    let out = '';
    for (; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    return out;
}

/** A document URL the output may link to: http(s) and mailto as written, relative paths resolved to local files. */
export function safeHref(raw: string, fromFile: string, resourceUri: (p: string) => string): string | undefined {
    // Judge the URL a browser would see: it trims C0 controls and spaces and drops tabs and newlines ("java\tscript:").
    const v = raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
    if (!v || /[\u0000-\u001f\u007f]/.test(v)) return undefined;
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(v);
    if (scheme) {
        const s = scheme[1].toLowerCase();
        if (s !== 'http' && s !== 'https' && s !== 'mailto') return undefined;
        try {
            return new URL(v).href;
        } catch {
            return undefined;
        }
    }
    if (v.startsWith('#')) return v;
    if (v.startsWith('//') || v.includes('\\')) return undefined;
    const hash = v.indexOf('#');
    const query = v.search(/[?#]/);
    const rel = query >= 0 ? v.slice(0, query) : v;
    let decoded: string;
    try {
        decoded = decodeURIComponent(rel);
    } catch {
        return undefined;
    }
    const abs = path.resolve(path.dirname(fromFile), decoded);
    return resourceUri(abs) + (hash >= 0 ? v.slice(hash) : '');
}

function defaultResourceUri(absPath: string): string {
    return pathToFileURL(absPath).href;
}

// ---- assembling: includes and profiling ----------------------------------------------------

interface Ctx {
    pf: ParsedFile;
    xmlBase: readonly string[];
    /** Include chain, as file#xpointer keys, to stop cycles. */
    stack: readonly string[];
    entityDepth: number;
}

type IncludeFailure = 'missing' | 'remote' | 'cycle' | 'invalid' | 'xpointer' | 'limit';

type IncludeResult =
    | { kind: 'nodes'; nodes: XmlNode[]; ctx: Ctx }
    | { kind: 'text'; text: string; target: string }
    | { kind: 'failed'; failure: IncludeFailure; message: string; fallback?: XmlElement };

interface ChildHandlers {
    node(n: XmlNode, ctx: Ctx): void;
    text?(text: string, target: string, inc: XmlElement, ctx: Ctx): void;
    failed?(r: Extract<IncludeResult, { kind: 'failed' }>, inc: XmlElement, ctx: Ctx): void;
}

class Assembler {
    private includeCount = 0;
    private readonly profile: [string, Set<string>][];

    constructor(private readonly index: WorkspaceIndex, private readonly snapshot: Snapshot, profile: Record<string, string> | undefined) {
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
            else if (c.kind === 'element' && isFallback(c)) continue; // only its include shows it
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

    include(el: XmlElement, ctx: Ctx): IncludeResult {
        let fallback: XmlElement | undefined;
        for (const c of el.children) if (c.kind === 'element' && isFallback(c)) { fallback = c; break; }
        const fail = (failure: IncludeFailure, message: string): IncludeResult => ({ kind: 'failed', failure, message, fallback });
        if (++this.includeCount > MAX_INCLUDES_PER_RENDER) return fail('limit', `Include not expanded: more than ${MAX_INCLUDES_PER_RENDER} includes in one preview`);
        const href = decodeAttr(attr(el, 'href')?.value ?? '', ctx.pf.entities).trim();
        const parseText = attr(el, 'parse')?.value.trim() === 'text';
        const xpointer = attr(el, 'xpointer')?.value;
        const resolved = resolveRef(this.index, el, href, ctx.pf.path, ctx.xmlBase);
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
        const nodes = el2.children.filter((c) => c.kind === 'element' && !(c.local === 'title' && isDocbook(c)));
        return { kind: 'nodes', nodes, ctx: next };
    }
}

// ---- numbering in the book's context -----------------------------------------------------------

interface Target { el: XmlElement; pf: ParsedFile }

/** One place an element takes in the assembled book: a file included twice (in two guides of a set) is numbered twice. */
interface Occurrence { stack: readonly string[]; label: string }

interface Numbering {
    labels: Map<XmlElement, Occurrence[]>;
    targets: Map<string, Target>;
}

/**
 * The label of an element where it is being rendered: the occurrence whose include chain ends with
 * the render's chain below its root file, in that root file; the first occurrence otherwise (as
 * docbook-xsl resolves an xref to the first element with an id).
 */
function labelOf(numbering: Numbering, el: XmlElement, renderStack?: readonly string[]): string | undefined {
    const occurrences = numbering.labels.get(el);
    if (!occurrences) return undefined;
    if (occurrences.length === 1 || !renderStack) return occurrences[0].label;
    const rootFile = renderStack[0].slice(0, renderStack[0].indexOf('#') + 1);
    const rest = renderStack.length - 1;
    for (const o of occurrences) {
        const k = o.stack.length - rest;
        if (k < 1 || !o.stack[k - 1].startsWith(rootFile)) continue;
        let same = true;
        for (let i = 1; i <= rest && same; i++) same = o.stack[k - 1 + i] === renderStack[i];
        if (same) return o.label;
    }
    return occurrences[0].label;
}

const SECTION_ELEMENTS = new Set(['section', 'sect1', 'sect2', 'sect3', 'sect4', 'sect5']);
const UNNUMBERED_COMPONENTS = new Set(['preface', 'article', 'glossary', 'bibliography', 'index', 'colophon', 'dedication', 'acknowledgements', 'reference']);
const FORMAL_ELEMENTS = new Set(['figure', 'table', 'example', 'equation', 'procedure']);

interface BookCounters { chapters: number; appendices: number; parts: number }
interface ComponentScope { label: string; formal: Map<string, number>; book: BookCounters }
interface SectionScope { label: string; count: number }
/** Steps under one parent: the enclosing step's label and how many substeps are around them (docbook-xsl's `step` mode="number"). */
interface StepScope { label: string; depth: number; count: number }
/** Footnotes of the book, and of the table being walked (docbook-xsl letters a table's footnotes, from "a" in each table). */
interface FootnoteScope { body: number; table?: { count: number } }

/** docbook-xsl's procedure.step.numeration.formats: the n-th level of substeps is numbered by the n-th character, cycling. */
const STEP_NUMERATION = '1aiAI';

function formatNumber(n: number, format: string): string {
    switch (format) {
        case 'a': return toLetters(n).toLowerCase();
        case 'A': return toLetters(n);
        case 'i': return toRoman(n).toLowerCase();
        case 'I': return toRoman(n);
        default: return String(n);
    }
}

/** Labels as docbook-xsl gives them with the OpenStack build's parameters (section.autolabel=1, section.label.includes.component.label=1). */
function numberDocument(asm: Assembler, rootPf: ParsedFile): Numbering {
    const labels = new Map<XmlElement, Occurrence[]>();
    const targets = new Map<string, Target>();
    let visited = 0;
    const setLabel = (el: XmlElement, ctx: Ctx, label: string): void => {
        const list = labels.get(el);
        if (list) list.push({ stack: ctx.stack, label }); else labels.set(el, [{ stack: ctx.stack, label }]);
    };
    const footnotes: FootnoteScope = { body: 0 };
    const walk = (el: XmlElement, ctx: Ctx, comp: ComponentScope, sec: SectionScope, step: StepScope): void => {
        if (++visited > MAX_ELEMENTS_PER_RENDER || asm.isProfiledOut(el)) return;
        const id = idOf(el);
        if (id && !targets.has(id)) targets.set(id, { el, pf: ctx.pf });
        const c = isDocbook(el) ? el.local : '';
        let childComp = comp;
        let childSec = sec;
        let childStep = step;
        const savedTable = footnotes.table;
        if (c === 'step') {
            const n = formatNumber(++step.count, STEP_NUMERATION[step.depth % STEP_NUMERATION.length]);
            const label = step.label ? `${step.label}.${n}` : n;
            setLabel(el, ctx, label);
            childStep = { label, depth: step.depth, count: 0 };
        } else if (c === 'procedure') {
            childStep = { label: '', depth: 0, count: 0 };
        } else if (c === 'substeps') {
            childStep = { label: step.label, depth: step.depth + 1, count: 0 };
        } else if (c === 'stepalternatives') {
            childStep = { label: step.label, depth: step.depth, count: 0 };
        } else if (c === 'table' || c === 'informaltable') {
            footnotes.table = { count: 0 };
        } else if (c === 'footnote') {
            // docbook-xsl's footnote.number: its label; a letter within a table; else the book's count of footnotes outside tables.
            const own = attr(el, 'label')?.value;
            if (footnotes.table) {
                const n = ++footnotes.table.count;
                setLabel(el, ctx, own || toLetters(n).toLowerCase());
            } else {
                if (!own) footnotes.body++;
                setLabel(el, ctx, own || String(footnotes.body));
            }
        }
        if (c === 'book') {
            childComp = { label: '', formal: new Map(), book: { chapters: 0, appendices: 0, parts: 0 } };
            childSec = { label: '', count: 0 };
        } else if (c === 'part') {
            setLabel(el, ctx, toRoman(++comp.book.parts));
        } else if (c === 'chapter' || c === 'appendix') {
            const label = c === 'chapter' ? String(++comp.book.chapters) : toLetters(++comp.book.appendices);
            setLabel(el, ctx, label);
            childComp = { label, formal: new Map(), book: comp.book };
            childSec = { label, count: 0 };
        } else if (UNNUMBERED_COMPONENTS.has(c)) {
            childComp = { label: '', formal: new Map(), book: comp.book };
            childSec = { label: '', count: 0 };
        } else if (SECTION_ELEMENTS.has(c)) {
            const label = (sec.label ? sec.label + '.' : '') + String(++sec.count);
            setLabel(el, ctx, label);
            childSec = { label, count: 0 };
        } else if (FORMAL_ELEMENTS.has(c) && (titleElementOf(el) || (c === 'table' && childElement(el, 'caption')))) {
            const n = (comp.formal.get(c) ?? 0) + 1;
            comp.formal.set(c, n);
            setLabel(el, ctx, comp.label ? `${comp.label}.${n}` : String(n));
        }
        asm.eachChild(el, ctx, {
            node: (n, nctx) => { if (n.kind === 'element') walk(n, nctx, childComp, childSec, childStep); },
        });
        footnotes.table = savedTable;
    };
    if (rootPf.doc.root) {
        walk(rootPf.doc.root, { pf: rootPf, xmlBase: [], stack: [rootPf.path + '#'], entityDepth: 0 },
            { label: '', formal: new Map(), book: { chapters: 0, appendices: 0, parts: 0 } }, { label: '', count: 0 }, { label: '', depth: 0, count: 0 });
    }
    return { labels, targets };
}

// ---- rendering -------------------------------------------------------------------------------

/** Elements rendered as blocks (never inside a <p>). */
const BLOCK_ELEMENTS = new Set([
    'para', 'simpara', 'formalpara', 'itemizedlist', 'orderedlist', 'variablelist', 'simplelist', 'segmentedlist',
    'calloutlist', 'glosslist', 'bibliolist', 'procedure', 'note', 'tip', 'important', 'warning', 'caution', 'danger',
    'programlisting', 'screen', 'synopsis', 'literallayout', 'address', 'blockquote', 'epigraph', 'figure',
    'informalfigure', 'table', 'informaltable', 'example', 'informalexample', 'equation', 'informalequation',
    'mediaobject', 'screenshot', 'sidebar', 'qandaset', 'qandadiv', 'qandaentry', 'cmdsynopsis', 'funcsynopsis', 'task', 'abstract',
    'legalnotice', 'revhistory', 'bridgehead', 'msgset', 'productionset', 'glossentry', 'programlistingco', 'screenco',
    'mediaobjectco', 'info', 'subtitle', 'caption', 'textobject', 'authorgroup', 'copyright',
    'step', 'substeps', 'stepalternatives', 'listitem', 'varlistentry', 'tgroup', 'thead', 'tbody', 'tfoot', 'tr', 'row',
]);

const DIVISION_ELEMENTS = new Set([
    'set', 'book', 'part', 'chapter', 'appendix', 'preface', 'article', 'section', 'sect1', 'sect2', 'sect3', 'sect4',
    'sect5', 'simplesect', 'glossary', 'glossdiv', 'bibliography', 'bibliodiv', 'index', 'colophon', 'dedication',
    'acknowledgements', 'reference', 'refentry', 'refsection', 'refsect1', 'refsect2', 'refsect3', 'refsynopsisdiv',
    'partintro', 'topic', 'setindex', 'toc', 'lot',
]);

const DEFAULT_TITLES: Record<string, string> = {
    note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution', danger: 'Danger',
    glossary: 'Glossary', bibliography: 'Bibliography', index: 'Index', abstract: 'Abstract', preface: 'Preface',
    dedication: 'Dedication', colophon: 'Colophon', acknowledgements: 'Acknowledgements', toc: 'Table of Contents',
    partintro: '', legalnotice: '', revhistory: 'Revision History',
};

/** Children of a division's info that docbook-xsl's (x)html title pages show (titlepage.templates.xsl), besides title and subtitle. */
const TITLEPAGE_INFO = new Set([
    'abstract', 'author', 'authorgroup', 'copyright', 'corpauthor', 'legalnotice', 'othercredit', 'pubdate', 'releaseinfo', 'revhistory', 'revision',
]);

const TITLE_LABEL_FORMATS: Record<string, string> = {
    chapter: 'Chapter %n. ', appendix: 'Appendix %n. ', part: 'Part %n. ', figure: 'Figure %n. ', table: 'Table %n. ',
    example: 'Example %n. ', equation: 'Equation %n. ', procedure: 'Procedure %n. ',
};

/** docbook-xsl's xref-number-and-title texts (common/en.xml); %n label, %t title. */
const XREF_FORMATS: Record<string, string> = {
    appendix: 'Appendix %n, %T', chapter: 'Chapter %n, %T', part: 'Part %n, “%t”', figure: 'Figure %n, “%t”',
    table: 'Table %n, “%t”', example: 'Example %n, “%t”', equation: 'Equation %n, “%t”', procedure: 'Procedure %n, “%t”',
    section: 'Section %n, “%t”', sect1: 'Section %n, “%t”', sect2: 'Section %n, “%t”', sect3: 'Section %n, “%t”',
    sect4: 'Section %n, “%t”', sect5: 'Section %n, “%t”',
};

/** Unnumbered targets: how docbook-xsl's "xref" context names them. */
const XREF_UNNUMBERED_FORMATS: Record<string, string> = {
    section: 'the section called “%t”', sect1: 'the section called “%t”', sect2: 'the section called “%t”',
    sect3: 'the section called “%t”', sect4: 'the section called “%t”', sect5: 'the section called “%t”',
    simplesect: 'the section called “%t”', refsection: 'the section called “%t”', refsect1: 'the section called “%t”',
    refsect2: 'the section called “%t”', refsect3: 'the section called “%t”', bridgehead: 'the section called “%t”',
    book: '%T', chapter: '%T', appendix: '%T',
};

const ORDERED_NUMERATION: Record<string, string> = { arabic: '1', loweralpha: 'a', upperalpha: 'A', lowerroman: 'i', upperroman: 'I' };
const NESTED_NUMERATION = ['1', 'a', 'i', 'A', 'I'];

/** Inline elements: [HTML element, class, wrapper inside (code)]. */
const INLINE_MAP: Record<string, [string, string?]> = {
    command: ['strong', 'command'], filename: ['code', 'filename'], literal: ['code', 'literal'], option: ['code', 'option'],
    parameter: ['code', 'parameter'], replaceable: ['em', 'replaceable'], userinput: ['strong', 'userinput'],
    computeroutput: ['code', 'computeroutput'], code: ['code', 'code'], prompt: ['code', 'prompt'], systemitem: ['code', 'systemitem'],
    envar: ['code', 'envar'], varname: ['code', 'varname'], classname: ['code', 'classname'], methodname: ['code', 'methodname'],
    function: ['code', 'function'], constant: ['code', 'constant'], property: ['code', 'property'], type: ['code', 'type'],
    token: ['code', 'token'], symbol: ['code', 'symbol'], errorcode: ['code', 'errorcode'], errorname: ['code', 'errorname'],
    errortext: ['code', 'errortext'], errortype: ['code', 'errortype'], returnvalue: ['code', 'returnvalue'], markup: ['code', 'markup'],
    uri: ['code', 'uri'], interfacename: ['code', 'interfacename'], exceptionname: ['code', 'exceptionname'], package: ['code', 'package'],
    database: ['code', 'database'], hardware: ['span', 'hardware'], keycap: ['kbd', 'keycap'], keysym: ['kbd', 'keysym'],
    mousebutton: ['span', 'mousebutton'], guilabel: ['span', 'guilabel'], guibutton: ['span', 'guibutton'], guimenu: ['span', 'guimenu'],
    guimenuitem: ['span', 'guimenuitem'], guisubmenu: ['span', 'guisubmenu'], guiicon: ['span', 'guiicon'], interface: ['span', 'interface'],
    application: ['span', 'application'], productname: ['span', 'productname'], productnumber: ['span', 'productnumber'],
    acronym: ['abbr', 'acronym'], abbrev: ['abbr', 'abbrev'], citetitle: ['cite', 'citetitle'], phrase: ['span', 'phrase'],
    subscript: ['sub', 'subscript'], superscript: ['sup', 'superscript'], firstterm: ['em', 'firstterm'], foreignphrase: ['em', 'foreignphrase'],
    wordasword: ['em', 'wordasword'], lineannotation: ['em', 'lineannotation'], citation: ['span', 'citation'], orgname: ['span', 'orgname'],
    personname: ['span', 'personname'], firstname: ['span', 'firstname'], surname: ['span', 'surname'], othername: ['span', 'othername'],
    honorific: ['span', 'honorific'], lineage: ['span', 'lineage'], author: ['span', 'author'], editor: ['span', 'editor'],
    othercredit: ['span', 'othercredit'], affiliation: ['span', 'affiliation'], jobtitle: ['span', 'jobtitle'], shortaffil: ['span', 'shortaffil'],
    orgdiv: ['span', 'orgdiv'], date: ['span', 'date'], pubdate: ['span', 'pubdate'], year: ['span', 'year'], holder: ['span', 'holder'],
    releaseinfo: ['span', 'releaseinfo'], edition: ['span', 'edition'], accel: ['span', 'accel'], shortcut: ['span', 'shortcut'],
    mathphrase: ['span', 'mathphrase'], optional: ['span', 'optional'], termdef: ['span', 'termdef'], trademark: ['span', 'trademark'],
    emphasis: ['em', 'emphasis'], ooclass: ['code', 'ooclass'], ooexception: ['code', 'ooexception'], oointerface: ['code', 'oointerface'],
    modifier: ['code', 'modifier'], initializer: ['code', 'initializer'], varargs: ['code', 'varargs'], void: ['code', 'void'],
    sgmltag: ['code', 'sgmltag'], revnumber: ['span', 'revnumber'], revremark: ['span', 'revremark'], authorinitials: ['span', 'authorinitials'],
    contrib: ['span', 'contrib'], label: ['span', 'label'], term: ['span', 'term'], attribution: ['span', 'attribution'],
    tag: ['code', 'tag'], title: ['span', 'title'], titleabbrev: ['span', 'titleabbrev'], refname: ['span', 'refname'],
    refpurpose: ['span', 'refpurpose'], email: ['code', 'email'], alt: ['span', 'alt'], street: ['span', 'street'], city: ['span', 'city'],
    postcode: ['span', 'postcode'], country: ['span', 'country'], phone: ['span', 'phone'], fax: ['span', 'fax'], otheraddr: ['span', 'otheraddr'],
    state: ['span', 'state'], pob: ['span', 'pob'], arg: ['span', 'arg'], group: ['span', 'group'], sbr: ['br', ''],
};

class Renderer {
    private out: string[] = [];
    private readonly fileIndexes = new Map<string, number>();
    readonly files: string[] = [];
    readonly resources = new Set<string>();
    private footnotes: string[] = [];
    /** Footnotes of the table being rendered: shown under the table, as docbook-xsl does. */
    private tableFootnotes: string[] | undefined;
    /** Footnotes rendered so far: numbers their anchors, which must be unique in the page. */
    private footnoteAnchors = 0;
    private readonly calloutNumbers = new Map<string, number>();
    private calloutCounter = 0;
    private verbatim = 0;
    private inline = 0;
    private depth = 0;
    private orderedDepth = 0;
    private quoteDepth = 0;
    private elements = 0;
    private truncated = false;
    private readonly entityBudget = { left: MAX_ENTITY_CHARS };
    private readonly resourceUri: (p: string) => string;

    constructor(
        private readonly index: WorkspaceIndex,
        private readonly asm: Assembler,
        private readonly snapshot: Snapshot,
        private readonly numbering: Numbering,
        options: PreviewOptions,
    ) {
        this.resourceUri = options.resourceUri ?? defaultResourceUri;
    }

    renderDocument(pf: ParsedFile): string {
        this.fileIndex(pf.path);
        this.out.push('<div class="docbook-preview">');
        const root = pf.doc.root;
        const ctx: Ctx = { pf, xmlBase: [], stack: [pf.path + '#'], entityDepth: 0 };
        if (!root) {
            this.out.push(`<div class="dbp-problem" data-file="0" data-line="0">${escapeHtml('The document has no root element yet.')}</div>`);
        } else {
            this.element(root, ctx, 1);
        }
        if (this.truncated) this.out.push(`<div class="dbp-problem">${escapeHtml(`Preview truncated after ${MAX_ELEMENTS_PER_RENDER} elements.`)}</div>`);
        if (this.footnotes.length) {
            this.out.push('<div class="footnotes"><hr/>');
            for (const f of this.footnotes) this.out.push(f);
            this.out.push('</div>');
        }
        this.out.push('</div>');
        return this.out.join('');
    }

    // ---- positions ----

    private fileIndex(file: string): number {
        let i = this.fileIndexes.get(file);
        if (i === undefined) {
            i = this.files.length;
            this.files.push(file);
            this.fileIndexes.set(file, i);
        }
        return i;
    }

    private lineOf(pf: ParsedFile, offset: number): number {
        return pf.fixedLine ?? positionAt(pf.lineStarts, offset).line;
    }

    /** data-file/data-line (and id) attributes for the block an element starts. */
    private pos(el: XmlElement, ctx: Ctx, withId = true): string {
        const id = withId ? idOf(el) : undefined;
        return `${id ? ` id="${escapeHtml(id)}"` : ''} data-file="${this.fileIndex(ctx.pf.path)}" data-line="${this.lineOf(ctx.pf, el.start)}"`;
    }

    /** Position of an element's title (or of the element when it has none). */
    private titlePos(el: XmlElement, ctx: Ctx): string {
        return this.pos(titleElementOf(el) ?? el, ctx, false);
    }

    private targetAttrs(t: Target): string {
        return ` data-target-file="${this.fileIndex(t.pf.path)}" data-target-line="${this.lineOf(t.pf, t.el.start)}"`;
    }

    // ---- walking ----

    private children(el: XmlElement, ctx: Ctx, level: number): void {
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => this.node(n, nctx, level),
            text: (text, target) => {
                if (this.verbatim) this.out.push(escapeHtml(text));
                else this.out.push(`<pre class="textinclude" data-file="${this.fileIndex(target)}" data-line="0">${escapeHtml(text)}</pre>`);
            },
            failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level),
        });
    }

    private includeFailed(r: Extract<IncludeResult, { kind: 'failed' }>, inc: XmlElement, ctx: Ctx, level: number): void {
        const tag = this.inline || this.verbatim ? 'span' : 'div';
        if (r.fallback) {
            this.out.push(`<${tag} class="xi-fallback"${this.pos(inc, ctx, false)} title="${escapeHtml(r.message + ' (showing its xi:fallback)')}">`);
            this.asm.eachChild(r.fallback, ctx, {
                node: (n, nctx) => this.node(n, nctx, level),
                text: (text) => this.out.push(escapeHtml(text)),
                failed: (r2, inc2, ctx2) => this.includeFailed(r2, inc2, ctx2, level),
            });
            this.out.push(`</${tag}>`);
        } else {
            this.out.push(`<${tag} class="xi-placeholder xi-${r.failure}"${this.pos(inc, ctx, false)}>${escapeHtml(r.message)}</${tag}>`);
        }
    }

    private node(n: XmlNode, ctx: Ctx, level: number): void {
        switch (n.kind) {
            case 'text': case 'cdata':
                this.out.push(escapeHtml(ctx.pf.text.slice(n.start, n.end)));
                break;
            case 'entity':
                this.entity(n.name, ctx, n.start, level);
                break;
            case 'element':
                this.element(n, ctx, level);
                break;
            default:
                break; // comments and processing instructions (<?dbhtml?>) are not content
        }
    }

    private entity(name: string, ctx: Ctx, offset: number, level: number): void {
        const table = ctx.pf.entities;
        if (name.startsWith('#') || PREDEFINED_ENTITIES[name] !== undefined) {
            const t = entityText(name, table);
            this.out.push(t !== undefined ? escapeHtml(t) : `<span class="unresolved-entity" title="Invalid character reference">${escapeHtml(`&${name};`)}</span>`);
            return;
        }
        const decl = table.general.get(name);
        if (!decl) {
            this.out.push(`<span class="unresolved-entity" title="Undeclared entity">${escapeHtml(`&${name};`)}</span>`);
            return;
        }
        if (decl.value === undefined) {
            this.out.push(`<span class="unresolved-entity" title="${escapeHtml(`External entity (${decl.systemId ?? decl.publicId ?? ''}), not read by the preview`)}">${escapeHtml(`&${name};`)}</span>`);
            return;
        }
        if (this.entityBudget.left <= 0 || ctx.entityDepth >= MAX_ENTITY_DEPTH) {
            this.out.push(`<span class="unresolved-entity" title="Entity expansion limit reached">${escapeHtml(`&${name};`)}</span>`);
            return;
        }
        this.entityBudget.left -= Math.max(decl.value.length, 16);
        const parent = this.parentScope;
        const frag = entityFragment(name, table, parent);
        if (!frag) {
            this.out.push(escapeHtml(decl.value));
            return;
        }
        const fragPf: ParsedFile = {
            path: ctx.pf.path, text: frag.text, doc: frag, lineStarts: ctx.pf.lineStarts, entities: table,
            fixedLine: this.lineOf(ctx.pf, offset),
        };
        const fctx: Ctx = { pf: fragPf, xmlBase: ctx.xmlBase, stack: ctx.stack, entityDepth: ctx.entityDepth + 1 };
        if (frag.root) this.children(frag.root, fctx, level);
    }

    /** Namespace scope of the element whose content is being rendered (for entity values with markup). */
    private parentScope: Record<string, string> = { '': DOCBOOK_NS };

    private element(el: XmlElement, ctx: Ctx, level: number): void {
        if (this.asm.isProfiledOut(el)) return;
        if (++this.elements > MAX_ELEMENTS_PER_RENDER) {
            this.truncated = true;
            return;
        }
        if (this.depth >= MAX_RENDER_DEPTH) {
            this.out.push(`<span class="too-deep">${escapeHtml(flatText(el, ctx.pf.text))}</span>`);
            return;
        }
        const base = attrNS(el, XML_NS, 'base');
        if (base) ctx = { ...ctx, xmlBase: [...ctx.xmlBase, base.value] };
        const savedScope = this.parentScope;
        this.parentScope = el.nsScope;
        this.depth++;
        try {
            if (isXInclude(el)) this.asm.eachIncluded(el, ctx, {
                node: (n, nctx) => this.node(n, nctx, level),
                text: (text) => this.out.push(this.verbatim ? escapeHtml(text) : `<pre class="textinclude">${escapeHtml(text)}</pre>`),
                failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level),
            });
            else if (isFallback(el)) return;
            else if (!isDocbook(el)) this.unknown(el, ctx, level);
            else this.docbook(el, ctx, level);
        } finally {
            this.depth--;
            this.parentScope = savedScope;
        }
    }

    private docbook(el: XmlElement, ctx: Ctx, level: number): void {
        const name = el.local;
        if (DIVISION_ELEMENTS.has(name)) return this.division(el, ctx, level);
        switch (name) {
            case 'para': case 'simpara': return this.para(el, ctx, level, '');
            case 'formalpara': return this.formalpara(el, ctx, level);
            case 'note': case 'tip': case 'important': case 'warning': case 'caution': case 'danger': return this.admonition(el, ctx, level);
            case 'itemizedlist': return this.list(el, ctx, level, 'ul');
            case 'orderedlist': return this.list(el, ctx, level, 'ol');
            case 'listitem': return this.block('li', 'listitem', el, ctx, level);
            case 'variablelist': return this.variablelist(el, ctx, level);
            case 'varlistentry': return this.varlistentry(el, ctx, level);
            case 'simplelist': return this.simplelist(el, ctx, level);
            case 'member': return this.block('li', 'member', el, ctx, level);
            case 'segmentedlist': return this.segmentedlist(el, ctx, level);
            case 'calloutlist': return this.calloutlist(el, ctx, level);
            case 'callout': return this.callout(el, ctx, level);
            case 'glosslist': return this.block('dl', 'glosslist', el, ctx, level);
            case 'glossentry': return this.glossentry(el, ctx, level);
            case 'glossdef': return this.block('dd', 'glossdef', el, ctx, level);
            case 'glosssee': case 'glossseealso': return this.glosssee(el, ctx, level);
            case 'procedure': return this.procedure(el, ctx, level);
            case 'step': return this.step(el, ctx, level);
            case 'substeps': return this.steps(el, ctx, level, 'substeps');
            case 'stepalternatives': return this.steps(el, ctx, level, 'stepalternatives');
            case 'programlisting': case 'screen': case 'synopsis': case 'literallayout': case 'address': return this.verbatimBlock(el, ctx, level);
            case 'programlistingco': case 'screenco': case 'mediaobjectco': case 'imageobjectco': return this.block('div', name, el, ctx, level);
            case 'areaspec': case 'areaset': case 'area': return;
            case 'co': return this.co(el);
            case 'coref': return this.coref(el);
            case 'blockquote': case 'epigraph': return this.blockquote(el, ctx, level);
            case 'figure': case 'table': case 'example': case 'equation': case 'informalfigure': case 'informaltable': case 'informalexample': case 'informalequation':
                return this.formal(el, ctx, level);
            case 'sidebar': return this.sidebar(el, ctx, level);
            case 'mediaobject': case 'inlinemediaobject': return this.mediaobject(el, ctx, level);
            case 'screenshot': return this.block('div', 'screenshot', el, ctx, level);
            case 'imagedata': case 'graphic': case 'inlinegraphic': return this.image(el, ctx, undefined);
            case 'imageobject': return this.imageobject(el, ctx, undefined);
            case 'textobject': return this.block(this.inline ? 'span' : 'div', 'textobject', el, ctx, level);
            case 'caption': return this.block(this.inline ? 'span' : 'div', 'caption', el, ctx, level);
            case 'videoobject': case 'audioobject': case 'videodata': case 'audiodata': return this.mediaPlaceholder(el, ctx);
            case 'qandaset': return this.qandaset(el, ctx, level);
            case 'qandadiv': return this.qandadiv(el, ctx, level);
            case 'qandaentry': return this.qandaentry(el, ctx, level);
            case 'question': case 'answer': return this.block('div', name, el, ctx, level);
            case 'footnote': return this.footnote(el, ctx, level);
            case 'footnoteref': return this.footnoteref(el);
            case 'xref': return this.xref(el, ctx);
            case 'link': case 'ulink': case 'olink': return this.link(el, ctx, level);
            case 'anchor': { const id = idOf(el); if (id) this.out.push(`<a id="${escapeHtml(id)}"></a>`); return; }
            case 'glossterm': return this.glossterm(el, ctx, level);
            case 'indexterm': return this.indexterm(el, ctx);
            case 'remark': return this.inlineElement('span', 'remark', el, ctx, level);
            case 'quote': return this.quote(el, ctx, level);
            case 'trademark': return this.trademark(el, ctx, level);
            case 'email': return this.email(el, ctx, level);
            case 'keycombo': return this.joined(el, ctx, level, '+', 'keycombo');
            case 'menuchoice': return this.joined(el, ctx, level, ' → ', 'menuchoice');
            case 'tag': case 'sgmltag': return this.tag(el, ctx, level);
            case 'personname': return this.personname(el, ctx, level);
            case 'cmdsynopsis': return this.cmdsynopsis(el, ctx, level);
            case 'arg': case 'group': return this.synopsisGroup(el, ctx, level);
            case 'info': case 'bookinfo': case 'chapterinfo': case 'sectioninfo': case 'articleinfo': return this.info(el, ctx, level);
            case 'title': case 'titleabbrev': case 'subtitle': return this.strayTitle(el, ctx, level);
            case 'copyright': return this.copyright(el, ctx);
            case 'revhistory': return this.revhistory(el, ctx, level);
            case 'author': case 'editor': case 'othercredit': return this.person(el, ctx, level);
            case 'authorgroup': {
                this.out.push(`<p class="authorgroup"${this.pos(el, ctx)}>`);
                this.joined(el, ctx, level, '; ', 'authors');
                this.out.push('</p>');
                return;
            }
            case 'annotation': return; // docbook-xsl shows annotations only as pop-ups where enabled, never in place
            case 'abstract': case 'legalnotice': case 'partintro': case 'task': case 'tasksummary': case 'taskprerequisites': case 'taskrelated':
            case 'refnamediv': case 'refsynopsisdiv':
                return this.titledBlock(el, ctx, level, name);
            case 'bridgehead': return this.bridgehead(el, ctx, level);
            case 'tgroup': case 'entrytbl': return this.calsTable(el, ctx, level, name === 'entrytbl');
            case 'tr': case 'row': return this.block('tr', '', el, ctx, level);
            case 'td': case 'th': case 'entry': return this.cell(el, ctx, level, name === 'th' ? 'th' : 'td');
            case 'thead': case 'tbody': case 'tfoot': return this.block(name, '', el, ctx, level);
            case 'colspec': case 'spanspec': case 'col': case 'colgroup': return;
            case 'sbr': this.out.push('<br/>'); return;
            case 'beginpage': case 'keywordset': case 'subjectset': case 'itermset': return;
        }
        const inlineSpec = INLINE_MAP[name];
        if (inlineSpec) return this.inlineElement(inlineSpec[0], inlineSpec[1] ?? name, el, ctx, level);
        this.unknown(el, ctx, level);
    }

    // ---- generic shapes ----

    private block(tag: string, cls: string, el: XmlElement, ctx: Ctx, level: number): void {
        this.out.push(`<${tag}${cls ? ` class="${cls}"` : ''}${this.pos(el, ctx)}>`);
        const saved = this.inline;
        if (tag !== 'span') this.inline = 0;
        this.children(el, ctx, level);
        this.inline = saved;
        this.out.push(`</${tag}>`);
    }

    private inlineElement(tag: string, cls: string, el: XmlElement, ctx: Ctx, level: number): void {
        if (tag === 'br') { this.out.push('<br/>'); return; }
        const id = idOf(el);
        const href = this.hrefOf(el, ctx);
        if (href !== undefined) this.out.push(`<a href="${escapeHtml(href)}">`);
        const role = attr(el, 'role')?.value.trim();
        if (el.local === 'emphasis' && (role === 'bold' || role === 'strong')) tag = 'strong';
        if (el.local === 'emphasis' && role === 'underline') tag = 'u';
        this.out.push(`<${tag} class="${cls}"${id ? ` id="${escapeHtml(id)}"` : ''}>`);
        this.inline++;
        this.children(el, ctx, level);
        this.inline--;
        this.out.push(`</${tag}>`);
        if (href !== undefined) this.out.push('</a>');
    }

    /** Any element the renderer does not know: its content is shown, marked, never dropped. */
    private unknown(el: XmlElement, ctx: Ctx, level: number): void {
        const asBlock = !this.inline && !this.verbatim && this.hasBlockChild(el);
        const tag = asBlock ? 'div' : 'span';
        this.out.push(`<${tag} class="unknown-element" data-element="${escapeHtml(el.name)}"${asBlock ? this.pos(el, ctx) : ''} title="${escapeHtml(`<${el.name}>`)}">`);
        this.children(el, ctx, level);
        this.out.push(`</${tag}>`);
    }

    private hasBlockChild(el: XmlElement): boolean {
        for (const c of el.children) {
            if (c.kind !== 'element') continue;
            if (isXInclude(c) && attr(c, 'parse')?.value.trim() !== 'text') return true;
            if (isDocbook(c) && (BLOCK_ELEMENTS.has(c.local) || DIVISION_ELEMENTS.has(c.local))) return true;
        }
        return false;
    }

    /** Element content that mixes inline runs and blocks: inline runs become paragraphs. */
    private flow(el: XmlElement, ctx: Ctx, level: number): void {
        let open = false;
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                const block = n.kind === 'element' && (isXInclude(n) ? attr(n, 'parse')?.value.trim() !== 'text'
                    : isDocbook(n) ? BLOCK_ELEMENTS.has(n.local) || DIVISION_ELEMENTS.has(n.local) : this.hasBlockChild(n));
                const blank = (n.kind === 'text' && !/\S/.test(nctx.pf.text.slice(n.start, n.end))) || n.kind === 'comment' || n.kind === 'pi';
                if (block) {
                    if (open) { this.out.push('</p>'); open = false; this.inline--; }
                } else if (!open && !blank) {
                    this.out.push('<p>');
                    open = true;
                    this.inline++;
                }
                this.node(n, nctx, level);
            },
            text: (text) => {
                if (open) { this.out.push('</p>'); open = false; this.inline--; }
                this.out.push(`<pre class="textinclude">${escapeHtml(text)}</pre>`);
            },
            failed: (r, inc, ictx) => {
                if (open) { this.out.push('</p>'); open = false; this.inline--; }
                this.includeFailed(r, inc, ictx, level);
            },
        });
        if (open) { this.out.push('</p>'); this.inline--; }
    }

    // ---- titles ----

    private titleHtml(el: XmlElement, ctx: Ctx, level: number): string | undefined {
        const t = titleElementOf(el);
        if (!t) return undefined;
        const saved = this.out;
        this.out = [];
        this.inline++;
        this.children(t, ctx, level);
        this.inline--;
        const html = this.out.join('');
        this.out = saved;
        return html;
    }

    private labelPrefix(el: XmlElement, ctx: Ctx): string {
        const label = labelOf(this.numbering, el, ctx.stack);
        if (!label) return '';
        const format = TITLE_LABEL_FORMATS[el.local];
        return escapeHtml(format ? format.replace('%n', label) : `${label}. `);
    }

    private heading(el: XmlElement, ctx: Ctx, level: number, fallbackTitle: string | undefined): void {
        const html = this.titleHtml(el, ctx, level);
        const t = titleElementOf(el);
        if (html === undefined && !fallbackTitle) return;
        const h = `h${Math.min(6, level)}`;
        const where = t ? this.pos(t, ctx, false) : this.pos(el, ctx, false);
        this.out.push(`<${h} class="title"${where}>${this.labelPrefix(el, ctx)}${html ?? escapeHtml(fallbackTitle!)}</${h}>`);
        const subtitle = childElement(el, 'subtitle') ?? childElement(childElement(el, 'info'), 'subtitle');
        if (subtitle) {
            this.out.push(`<p class="subtitle"${this.pos(subtitle, ctx, false)}>`);
            this.inline++;
            this.children(subtitle, ctx, level);
            this.inline--;
            this.out.push('</p>');
        }
    }

    // ---- divisions ----

    private division(el: XmlElement, ctx: Ctx, level: number): void {
        const name = el.local;
        this.out.push(`<section class="${name}"${this.pos(el, ctx)}>`);
        const fallbackTitle = DEFAULT_TITLES[name] || (name === 'toc' || name === 'lot' ? name : undefined);
        this.heading(el, ctx, level, fallbackTitle);
        const info = childElement(el, 'info') ?? childElement(el, `${name}info`);
        if (info) this.infoBody(info, ctx, level + 1);
        if (name === 'toc' || name === 'lot' || name === 'index' || name === 'setindex') {
            if (!hasElementChild(el)) this.out.push(`<p class="generated"${this.pos(el, ctx, false)}>${escapeHtml(`(The ${name === 'lot' ? 'list' : name === 'toc' ? 'table of contents' : 'index'} is generated by the build.)`)}</p>`);
        }
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n.kind === 'element' && isDocbook(n) && (n === info || ((n.local === 'title' || n.local === 'subtitle' || n.local === 'titleabbrev') && n.parent === el))) return;
                this.node(n, nctx, level + 1);
            },
            text: (text, target) => this.out.push(`<pre class="textinclude" data-file="${this.fileIndex(target)}" data-line="0">${escapeHtml(text)}</pre>`),
            failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level + 1),
        });
        this.out.push('</section>');
    }

    /**
     * An info block: title and subtitle are shown by the heading; of the rest, what docbook-xsl's title
     * pages show (authors, copyright, abstract, …). Metadata such as productname or keywordset is not shown.
     */
    private infoBody(info: XmlElement, ctx: Ctx, level: number): void {
        let opened = false;
        this.asm.eachChild(info, ctx, {
            node: (n, nctx) => {
                if (n.kind !== 'element') return;
                if (isDocbook(n) && !TITLEPAGE_INFO.has(n.local)) return;
                if (!opened) { this.out.push(`<div class="titlepage"${this.pos(info, ctx, false)}>`); opened = true; }
                if (isDocbook(n) && INLINE_MAP[n.local] !== undefined && !BLOCK_ELEMENTS.has(n.local)) {
                    this.out.push(`<p class="${n.local}"${this.pos(n, nctx, false)}>`);
                    this.inline++;
                    this.node(n, nctx, level);
                    this.inline--;
                    this.out.push('</p>');
                } else {
                    this.node(n, nctx, level);
                }
            },
        });
        if (opened) this.out.push('</div>');
    }

    private info(el: XmlElement, ctx: Ctx, level: number): void {
        // Reached only for an info that is not its parent's (divisions render theirs): show all of it.
        const html = this.titleHtml(el, ctx, level);
        if (html !== undefined) this.out.push(`<p class="title"${this.pos(el, ctx, false)}><strong>${html}</strong></p>`);
        this.infoBody(el, ctx, level);
    }

    private strayTitle(el: XmlElement, ctx: Ctx, level: number): void {
        // Known parents render their own title and skip it; a title reaching here is in a place nobody renders it, so show it.
        if (el.local === 'titleabbrev' && el.parent && titleElementOf(el.parent)) return;
        this.inlineElement(this.inline ? 'span' : 'p', el.local, el, ctx, level);
    }

    private titledBlock(el: XmlElement, ctx: Ctx, level: number, cls: string): void {
        this.out.push(`<div class="${cls}"${this.pos(el, ctx)}>`);
        const html = this.titleHtml(el, ctx, level);
        const fallback = DEFAULT_TITLES[cls];
        if (html !== undefined || fallback) this.out.push(`<p class="title"${this.titlePos(el, ctx)}><strong>${html ?? escapeHtml(fallback)}</strong></p>`);
        const t = titleElementOf(el);
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => { if (n !== t) this.node(n, nctx, level); },
            failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level),
        });
        this.out.push('</div>');
    }

    private bridgehead(el: XmlElement, ctx: Ctx, level: number): void {
        const m = /^sect(\d)$/.exec(attr(el, 'renderas')?.value.trim() ?? '');
        const h = `h${Math.min(6, m ? parseInt(m[1], 10) + 1 : level)}`;
        this.out.push(`<${h} class="bridgehead"${this.pos(el, ctx)}>`);
        this.inline++;
        this.children(el, ctx, level);
        this.inline--;
        this.out.push(`</${h}>`);
    }

    // ---- paragraphs ----

    private para(el: XmlElement, ctx: Ctx, level: number, prefix: string): void {
        if (this.hasBlockChild(el) || this.hasIncludeChild(el)) {
            this.out.push(`<div class="para"${this.pos(el, ctx)}>`);
            if (prefix) this.out.push(`<p>${prefix}</p>`);
            const saved = this.inline;
            this.inline = 0;
            this.flow(el, ctx, level);
            this.inline = saved;
            this.out.push('</div>');
            return;
        }
        const tag = this.inline ? 'span' : 'p';
        this.out.push(`<${tag} class="${el.local}"${this.pos(el, ctx)}>${prefix}`);
        this.inline++;
        this.children(el, ctx, level);
        this.inline--;
        this.out.push(`</${tag}>`);
    }

    private hasIncludeChild(el: XmlElement): boolean {
        for (const c of el.children) if (c.kind === 'element' && isXInclude(c) && attr(c, 'parse')?.value.trim() !== 'text') return true;
        return false;
    }

    private formalpara(el: XmlElement, ctx: Ctx, level: number): void {
        const title = this.titleHtml(el, ctx, level);
        const prefix = title !== undefined ? `<strong class="formalpara-title">${title}${/[.!?:]\s*$/.test(titleOf(el, ctx.pf.text, ctx.pf.entities) ?? '') ? '' : '.'}</strong> ` : '';
        const t = titleElementOf(el);
        this.out.push(`<div class="formalpara"${this.pos(el, ctx)}>`);
        let usedPrefix = false;
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n === t) return;
                if (!usedPrefix && n.kind === 'element' && isDocbook(n) && (n.local === 'para' || n.local === 'simpara')) {
                    usedPrefix = true;
                    this.para(n, nctx, level, prefix);
                    return;
                }
                this.node(n, nctx, level);
            },
            failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level),
        });
        if (!usedPrefix && prefix) this.out.push(`<p>${prefix}</p>`);
        this.out.push('</div>');
    }

    // ---- admonitions, blocks with titles ----

    private admonition(el: XmlElement, ctx: Ctx, level: number): void {
        const name = el.local;
        const title = this.titleHtml(el, ctx, level);
        this.out.push(`<div class="admonition ${name}"${this.pos(el, ctx)}><p class="admonition-title"${this.titlePos(el, ctx)}>${title ?? escapeHtml(DEFAULT_TITLES[name])}</p>`);
        this.bodyWithoutTitle(el, ctx, level);
        this.out.push('</div>');
    }

    private bodyWithoutTitle(el: XmlElement, ctx: Ctx, level: number): void {
        const t = titleElementOf(el);
        const saved = this.inline;
        this.inline = 0;
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n === t || (n.kind === 'element' && n.local === 'info' && n.parent === el)) return;
                this.node(n, nctx, level);
            },
            text: (text) => this.out.push(this.verbatim ? escapeHtml(text) : `<pre class="textinclude">${escapeHtml(text)}</pre>`),
            failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level),
        });
        this.inline = saved;
    }

    private formal(el: XmlElement, ctx: Ctx, level: number): void {
        const name = el.local;
        const isTable = name === 'table' || name === 'informaltable';
        const title = this.titleHtml(el, ctx, level);
        this.out.push(`<div class="${name}"${this.pos(el, ctx)}>`);
        if (title !== undefined) this.out.push(`<p class="title"${this.titlePos(el, ctx)}><strong>${this.labelPrefix(el, ctx)}${title}</strong></p>`);
        const savedTableFootnotes = this.tableFootnotes;
        if (isTable) this.tableFootnotes = [];
        if (isTable && !childElement(el, 'tgroup')) {
            this.htmlTable(el, ctx, level);
        } else {
            this.bodyWithoutTitle(el, ctx, level);
        }
        if (this.tableFootnotes?.length) this.out.push(`<div class="table-footnotes">${this.tableFootnotes.join('')}</div>`);
        this.tableFootnotes = savedTableFootnotes;
        this.out.push('</div>');
    }

    private sidebar(el: XmlElement, ctx: Ctx, level: number): void {
        const title = this.titleHtml(el, ctx, level);
        this.out.push(`<aside class="sidebar"${this.pos(el, ctx)}>`);
        if (title !== undefined) this.out.push(`<p class="title"${this.titlePos(el, ctx)}><strong>${title}</strong></p>`);
        this.bodyWithoutTitle(el, ctx, level);
        this.out.push('</aside>');
    }

    private blockquote(el: XmlElement, ctx: Ctx, level: number): void {
        const title = this.titleHtml(el, ctx, level);
        this.out.push(`<blockquote class="${el.local}"${this.pos(el, ctx)}>`);
        if (title !== undefined) this.out.push(`<p class="title"${this.titlePos(el, ctx)}><strong>${title}</strong></p>`);
        const t = titleElementOf(el);
        const attribution = childElement(el, 'attribution');
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => { if (n !== t && n !== attribution) this.node(n, nctx, level); },
            failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level),
        });
        if (attribution) {
            this.out.push(`<p class="attribution">—`);
            this.inline++;
            this.children(attribution, ctx, level);
            this.inline--;
            this.out.push('</p>');
        }
        this.out.push('</blockquote>');
    }

    private verbatimBlock(el: XmlElement, ctx: Ctx, level: number): void {
        const savedCounter = this.calloutCounter;
        this.calloutCounter = 0;
        this.out.push(`<pre class="${el.local}"${this.pos(el, ctx)}>`);
        this.verbatim++;
        this.inline++;
        this.children(el, ctx, level);
        this.inline--;
        this.verbatim--;
        this.out.push('</pre>');
        if (el.parent?.local !== 'programlistingco' && el.parent?.local !== 'screenco') this.calloutCounter = savedCounter;
    }

    // ---- lists ----

    private list(el: XmlElement, ctx: Ctx, level: number, tag: 'ul' | 'ol'): void {
        const title = this.titleHtml(el, ctx, level);
        if (title !== undefined) this.out.push(`<p class="title"${this.pos(el, ctx, false)}><strong>${title}</strong></p>`);
        let extra = '';
        if (tag === 'ol') {
            const numeration = attr(el, 'numeration')?.value.trim();
            const type = (numeration && ORDERED_NUMERATION[numeration]) || NESTED_NUMERATION[this.orderedDepth % NESTED_NUMERATION.length];
            extra = ` type="${type}"`;
            const start = positiveInt(attr(el, 'startingnumber')?.value, 1_000_000);
            if (start !== undefined) extra += ` start="${start}"`;
            this.orderedDepth++;
        }
        if (attr(el, 'spacing')?.value.trim() === 'compact') extra += ' data-spacing="compact"';
        this.out.push(`<${tag} class="${el.local}"${this.pos(el, ctx)}${extra}>`);
        this.listBody(el, ctx, level);
        this.out.push(`</${tag}>`);
        if (tag === 'ol') this.orderedDepth--;
    }

    /** List content: items become <li>; anything else before the items (intro paras) stays visible as an item without a marker. */
    private listBody(el: XmlElement, ctx: Ctx, level: number): void {
        const t = titleElementOf(el);
        const saved = this.inline;
        this.inline = 0;
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n === t) return;
                if (n.kind === 'element' && isDocbook(n) && (n.local === 'listitem' || n.local === 'step' || n.local === 'member' || n.local === 'callout')) {
                    this.node(n, nctx, level);
                } else if (n.kind === 'element' && !(isDocbook(n) && n.local === 'info')) {
                    this.out.push('<li class="list-extra">');
                    this.node(n, nctx, level);
                    this.out.push('</li>');
                } else if (n.kind === 'text' && /\S/.test(nctx.pf.text.slice(n.start, n.end))) {
                    this.out.push(`<li class="list-extra">${escapeHtml(nctx.pf.text.slice(n.start, n.end))}</li>`);
                } else if (n.kind === 'entity') {
                    this.out.push('<li class="list-extra">');
                    this.node(n, nctx, level);
                    this.out.push('</li>');
                }
            },
            failed: (r, inc, ictx) => { this.out.push('<li class="list-extra">'); this.includeFailed(r, inc, ictx, level); this.out.push('</li>'); },
        });
        this.inline = saved;
    }

    private variablelist(el: XmlElement, ctx: Ctx, level: number): void {
        const title = this.titleHtml(el, ctx, level);
        if (title !== undefined) this.out.push(`<p class="title"${this.pos(el, ctx, false)}><strong>${title}</strong></p>`);
        this.out.push(`<dl class="variablelist"${this.pos(el, ctx)}>`);
        const t = titleElementOf(el);
        const saved = this.inline;
        this.inline = 0;
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n === t) return;
                if (n.kind === 'element' && isDocbook(n) && n.local === 'varlistentry') this.node(n, nctx, level);
                else if (n.kind === 'element') { this.out.push('<dd class="list-extra">'); this.node(n, nctx, level); this.out.push('</dd>'); }
            },
            failed: (r, inc, ictx) => { this.out.push('<dd class="list-extra">'); this.includeFailed(r, inc, ictx, level); this.out.push('</dd>'); },
        });
        this.inline = saved;
        this.out.push('</dl>');
    }

    private varlistentry(el: XmlElement, ctx: Ctx, level: number): void {
        const terms: XmlElement[] = [];
        const rest: XmlNode[] = [];
        for (const c of el.children) {
            if (c.kind === 'element' && isDocbook(c) && c.local === 'term') terms.push(c);
            else if (c.kind === 'element') rest.push(c);
        }
        this.out.push(`<dt${this.pos(el, ctx)}>`);
        this.inline++;
        terms.forEach((term, i) => {
            if (i) this.out.push(', ');
            this.out.push('<span class="term">');
            this.children(term, ctx, level);
            this.out.push('</span>');
        });
        this.inline--;
        this.out.push('</dt>');
        for (const r of rest) {
            if (r.kind === 'element' && isDocbook(r) && r.local === 'listitem') {
                this.out.push(`<dd${this.pos(r, ctx)}>`);
                this.children(r, ctx, level);
                this.out.push('</dd>');
            } else {
                this.out.push('<dd class="list-extra">');
                this.node(r, ctx, level);
                this.out.push('</dd>');
            }
        }
    }

    private simplelist(el: XmlElement, ctx: Ctx, level: number): void {
        const type = attr(el, 'type')?.value.trim();
        if (type === 'inline' || this.inline) {
            this.out.push('<span class="simplelist">');
            let first = true;
            this.asm.eachChild(el, ctx, {
                node: (n, nctx) => {
                    if (n.kind !== 'element') return;
                    if (!first) this.out.push(', ');
                    first = false;
                    this.inline++;
                    this.children(n, nctx, level);
                    this.inline--;
                },
            });
            this.out.push('</span>');
            return;
        }
        this.out.push(`<ul class="simplelist"${this.pos(el, ctx)}>`);
        this.listBody(el, ctx, level);
        this.out.push('</ul>');
    }

    private segmentedlist(el: XmlElement, ctx: Ctx, level: number): void {
        const title = this.titleHtml(el, ctx, level);
        if (title !== undefined) this.out.push(`<p class="title"${this.pos(el, ctx, false)}><strong>${title}</strong></p>`);
        this.out.push(`<table class="segmentedlist"${this.pos(el, ctx)}><thead><tr>`);
        const items: XmlElement[] = [];
        for (const c of el.children) {
            if (c.kind !== 'element') continue;
            if (c.local === 'segtitle') {
                this.out.push('<th>');
                this.inline++;
                this.children(c, ctx, level);
                this.inline--;
                this.out.push('</th>');
            } else if (c.local === 'seglistitem') {
                items.push(c);
            }
        }
        this.out.push('</tr></thead><tbody>');
        for (const item of items) {
            this.out.push(`<tr${this.pos(item, ctx)}>`);
            for (const seg of item.children) {
                if (seg.kind !== 'element') continue;
                this.out.push('<td>');
                this.children(seg, ctx, level);
                this.out.push('</td>');
            }
            this.out.push('</tr>');
        }
        this.out.push('</tbody></table>');
    }

    private calloutlist(el: XmlElement, ctx: Ctx, level: number): void {
        const title = this.titleHtml(el, ctx, level);
        if (title !== undefined) this.out.push(`<p class="title"${this.pos(el, ctx, false)}><strong>${title}</strong></p>`);
        this.out.push(`<dl class="calloutlist"${this.pos(el, ctx)}>`);
        const t = titleElementOf(el);
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n === t) return;
                if (n.kind === 'element') this.node(n, nctx, level);
            },
        });
        this.out.push('</dl>');
    }

    private callout(el: XmlElement, ctx: Ctx, level: number): void {
        const refs = (attr(el, 'arearefs')?.value ?? '').split(/\s+/).filter(Boolean);
        const marks = refs.map((r) => {
            const n = this.calloutNumbers.get(r);
            return n !== undefined ? `<a class="co" href="#${escapeHtml(r)}">(${n})</a>` : `<span class="co unresolved" title="${escapeHtml(`No callout mark ${r}`)}">(?)</span>`;
        });
        this.out.push(`<dt${this.pos(el, ctx)}>${marks.join(' ')}</dt><dd>`);
        const saved = this.inline;
        this.inline = 0;
        this.children(el, ctx, level);
        this.inline = saved;
        this.out.push('</dd>');
    }

    private co(el: XmlElement): void {
        const n = ++this.calloutCounter;
        const id = idOf(el);
        if (id) this.calloutNumbers.set(id, n);
        const label = positiveInt(attr(el, 'label')?.value, 1000) ?? n;
        this.out.push(`<span class="co"${id ? ` id="${escapeHtml(id)}"` : ''}>(${label})</span>`);
    }

    private coref(el: XmlElement): void {
        const linkend = attr(el, 'linkend')?.value.trim() ?? '';
        const n = this.calloutNumbers.get(linkend);
        this.out.push(`<span class="co">(${n ?? '?'})</span>`);
    }

    // ---- procedures ----

    private procedure(el: XmlElement, ctx: Ctx, level: number): void {
        const title = this.titleHtml(el, ctx, level);
        this.out.push(`<div class="procedure"${this.pos(el, ctx)}>`);
        if (title !== undefined) this.out.push(`<p class="title"${this.titlePos(el, ctx)}><strong>${this.labelPrefix(el, ctx)}${title}</strong></p>`);
        const t = titleElementOf(el);
        // Content before the first step (intro paras) stays outside the list.
        let listOpen = false;
        const saved = this.inline;
        this.inline = 0;
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n === t) return;
                if (n.kind === 'element' && isDocbook(n) && n.local === 'step') {
                    if (!listOpen) { this.out.push('<ol class="procedure" type="1">'); listOpen = true; }
                    this.node(n, nctx, level);
                } else if (n.kind === 'element') {
                    if (listOpen) { this.out.push('<li class="list-extra">'); this.node(n, nctx, level); this.out.push('</li>'); } else this.node(n, nctx, level);
                }
            },
            failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level),
        });
        if (listOpen) this.out.push('</ol>');
        this.inline = saved;
        this.out.push('</div>');
    }

    private step(el: XmlElement, ctx: Ctx, level: number): void {
        const title = this.titleHtml(el, ctx, level);
        this.out.push(`<li class="step"${this.pos(el, ctx)}>`);
        if (title !== undefined) this.out.push(`<p class="title"${this.titlePos(el, ctx)}><strong>${title}</strong></p>`);
        this.bodyWithoutTitle(el, ctx, level);
        this.out.push('</li>');
    }

    private steps(el: XmlElement, ctx: Ctx, level: number, cls: string): void {
        const tag = cls === 'stepalternatives' ? 'ul' : 'ol';
        this.orderedDepth++;
        const type = tag === 'ol' ? ` type="${NESTED_NUMERATION[this.orderedDepth % NESTED_NUMERATION.length]}"` : '';
        this.out.push(`<${tag} class="${cls}"${this.pos(el, ctx)}${type}>`);
        this.listBody(el, ctx, level);
        this.out.push(`</${tag}>`);
        this.orderedDepth--;
    }

    // ---- glossary ----

    private glossentry(el: XmlElement, ctx: Ctx, level: number): void {
        const wrap = el.parent?.local !== 'glosslist';
        if (wrap) this.out.push('<dl class="glossentry-list">');
        let dtDone = false;
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n.kind !== 'element') return;
                if (n.local === 'glossterm' && !dtDone) {
                    dtDone = true;
                    this.out.push(`<dt class="glossentry"${this.pos(el, ctx)}><span class="glossterm">`);
                    this.inline++;
                    this.children(n, nctx, level);
                    this.inline--;
                    this.out.push('</span>');
                    const acronym = childElement(el, 'acronym') ?? childElement(el, 'abbrev');
                    if (acronym) {
                        this.out.push(' (<abbr>');
                        this.inline++;
                        this.children(acronym, nctx, level);
                        this.inline--;
                        this.out.push('</abbr>)');
                    }
                    this.out.push('</dt>');
                } else if (n.local === 'acronym' || n.local === 'abbrev') {
                    return;
                } else if (n.local === 'glossdef' || n.local === 'glosssee' || n.local === 'glossseealso') {
                    if (n.local === 'glossdef') this.node(n, nctx, level);
                    else { this.out.push('<dd>'); this.node(n, nctx, level); this.out.push('</dd>'); }
                } else {
                    this.out.push('<dd class="list-extra">');
                    this.node(n, nctx, level);
                    this.out.push('</dd>');
                }
            },
        });
        if (wrap) this.out.push('</dl>');
    }

    private glosssee(el: XmlElement, ctx: Ctx, level: number): void {
        const prefix = el.local === 'glosssee' ? 'See ' : 'See Also ';
        this.out.push(`<p class="${el.local}"${this.pos(el, ctx)}>${escapeHtml(prefix)}`);
        const otherterm = attr(el, 'otherterm')?.value.trim();
        this.inline++;
        if (hasContent(el)) this.children(el, ctx, level);
        else if (otherterm) this.out.push(this.xrefText(otherterm, ctx).html);
        this.inline--;
        this.out.push('.</p>');
    }

    private glossterm(el: XmlElement, ctx: Ctx, level: number): void {
        const term = normalizeSpace(textOf(el, ctx.pf.text, ctx.pf.entities));
        const baseform = attr(el, 'baseform')?.value.trim();
        let entries = this.index.glossEntriesInScope(ctx.pf.path, term);
        if (!entries.length && baseform) entries = this.index.glossEntriesInScope(ctx.pf.path, baseform);
        const entry = entries[0];
        let extra = '';
        if (entry) {
            extra = ` title="${escapeHtml(entry.entry.definition || term)}"`;
            const model = this.index.get(entry.file)?.model;
            if (model) extra += ` data-target-file="${this.fileIndex(entry.file)}" data-target-line="${positionAt(model.lineStarts, entry.entry.entryStart).line}"`;
        } else {
            extra = ` title="${escapeHtml(`No glossary entry for “${baseform ?? term}”`)}" data-unresolved=""`;
        }
        this.out.push(`<em class="glossterm"${extra}>`);
        this.inline++;
        this.children(el, ctx, level);
        this.inline--;
        this.out.push('</em>');
    }

    private indexterm(el: XmlElement, ctx: Ctx): void {
        // Index entries are not running text; the anchor keeps their words reachable by hover.
        const words = normalizeSpace(textOf(el, ctx.pf.text, ctx.pf.entities));
        const id = idOf(el);
        this.out.push(`<a class="indexterm"${id ? ` id="${escapeHtml(id)}"` : ''} title="${escapeHtml(`Index: ${words}`)}"></a>`);
    }

    // ---- qandaset ----

    private qandaLabelStyle = 'number';
    private questionNumber = 0;

    private qandaset(el: XmlElement, ctx: Ctx, level: number): void {
        const savedStyle = this.qandaLabelStyle;
        const savedNumber = this.questionNumber;
        this.qandaLabelStyle = attr(el, 'defaultlabel')?.value.trim() || 'number';
        this.questionNumber = 0;
        const title = this.titleHtml(el, ctx, level);
        this.out.push(`<div class="qandaset"${this.pos(el, ctx)}>`);
        if (title !== undefined) this.out.push(`<p class="title"${this.titlePos(el, ctx)}><strong>${title}</strong></p>`);
        this.bodyWithoutTitle(el, ctx, level);
        this.out.push('</div>');
        this.qandaLabelStyle = savedStyle;
        this.questionNumber = savedNumber;
    }

    private qandadiv(el: XmlElement, ctx: Ctx, level: number): void {
        this.out.push(`<div class="qandadiv"${this.pos(el, ctx)}>`);
        this.heading(el, ctx, Math.min(6, level + 1), undefined);
        this.bodyWithoutTitle(el, ctx, level + 1);
        this.out.push('</div>');
    }

    private qandaentry(el: XmlElement, ctx: Ctx, level: number): void {
        this.out.push(`<dl class="qandaentry"${this.pos(el, ctx)}>`);
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n.kind !== 'element') return;
                if (n.local === 'question' || n.local === 'answer') {
                    const isQ = n.local === 'question';
                    const own = childElement(n, 'label');
                    let label = '';
                    if (own) label = normalizeSpace(textOf(own, nctx.pf.text, nctx.pf.entities));
                    else if (this.qandaLabelStyle === 'qanda') label = isQ ? 'Q:' : 'A:';
                    else if (this.qandaLabelStyle === 'number' && isQ) label = `${++this.questionNumber}.`;
                    this.out.push(`<${isQ ? 'dt' : 'dd'} class="${n.local}"${this.pos(n, nctx)}>`);
                    if (label) this.out.push(`<span class="qanda-label">${escapeHtml(label)}</span> `);
                    const saved = this.inline;
                    this.inline = 0;
                    this.asm.eachChild(n, nctx, {
                        node: (m, mctx) => { if (m !== own) this.node(m, mctx, level); },
                        failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level),
                    });
                    this.inline = saved;
                    this.out.push(`</${isQ ? 'dt' : 'dd'}>`);
                } else {
                    this.node(n, nctx, level);
                }
            },
        });
        this.out.push('</dl>');
    }

    // ---- footnotes ----

    private footnote(el: XmlElement, ctx: Ctx, level: number): void {
        const n = ++this.footnoteAnchors;
        // The book's mark (numbered in numberDocument); a footnote the walk did not see (in an entity's value) takes its place in the page.
        const mark = `[${escapeHtml(this.footnoteMark(el, ctx) ?? String(n))}]`;
        const id = idOf(el);
        this.out.push(`<sup class="footnote"><a href="#dbp-fn-${n}" id="dbp-fnref-${n}">${mark}</a></sup>`);
        const list = this.tableFootnotes ?? this.footnotes;
        const saved = this.out;
        const savedInline = this.inline;
        this.out = [`<div class="footnote"${id ? ` id="${escapeHtml(id)}"` : ` id="dbp-fn-${n}"`}${this.pos(el, ctx, false)}>`];
        if (id) this.out.push(`<a id="dbp-fn-${n}"></a>`);
        this.out.push(`<sup><a href="#dbp-fnref-${n}">${mark}</a></sup> `);
        this.inline = 0;
        const slot = list.push('') - 1; // keep the order of the text even when nested footnotes finish first
        this.children(el, ctx, level);
        this.out.push('</div>');
        list[slot] = this.out.join('');
        this.out = saved;
        this.inline = savedInline;
    }

    private footnoteMark(el: XmlElement, ctx: Ctx): string | undefined {
        return labelOf(this.numbering, el, ctx.stack);
    }

    private footnoteref(el: XmlElement): void {
        const linkend = attr(el, 'linkend')?.value.trim() ?? '';
        const t = this.numbering.targets.get(linkend);
        const mark = t && t.el.local === 'footnote' ? labelOf(this.numbering, t.el) : undefined;
        this.out.push(mark !== undefined ? `<sup class="footnote"><a href="#${escapeHtml(linkend)}">[${escapeHtml(mark)}]</a></sup>` : `<sup class="footnote unresolved">[?]</sup>`);
    }

    // ---- links and cross references ----

    private hrefOf(el: XmlElement, ctx: Ctx): string | undefined {
        const a = attrNS(el, 'http://www.w3.org/1999/xlink', 'href');
        if (!a) return undefined;
        return safeHref(decodeAttr(a.value, ctx.pf.entities), ctx.pf.path, this.resourceUri);
    }

    private link(el: XmlElement, ctx: Ctx, level: number): void {
        const linkend = attr(el, 'linkend')?.value.trim();
        const rawHref = attrNS(el, 'http://www.w3.org/1999/xlink', 'href') ?? attr(el, 'url');
        const empty = !hasContent(el);
        if (linkend) {
            const t = this.numbering.targets.get(linkend) ?? this.findTarget(linkend);
            this.out.push(`<a class="link" href="#${escapeHtml(linkend)}"${t ? this.targetAttrs(t) : ' data-unresolved=""'}>`);
            if (empty) this.out.push(this.xrefText(linkend, ctx).html);
            else { this.inline++; this.children(el, ctx, level); this.inline--; }
            this.out.push('</a>');
            return;
        }
        const raw = rawHref ? decodeAttr(rawHref.value, ctx.pf.entities) : undefined;
        const href = raw !== undefined ? safeHref(raw, ctx.pf.path, this.resourceUri) : undefined;
        if (href !== undefined) this.out.push(`<a class="link" href="${escapeHtml(href)}">`);
        else this.out.push(`<span class="link${raw !== undefined ? ' unsafe-link' : ''}"${raw !== undefined ? ` title="${escapeHtml('Link not followed: ' + raw)}"` : ''}>`);
        if (empty) this.out.push(escapeHtml(raw ?? attr(el, 'targetptr')?.value ?? ''));
        else { this.inline++; this.children(el, ctx, level); this.inline--; }
        this.out.push(href !== undefined ? '</a>' : '</span>');
    }

    private email(el: XmlElement, ctx: Ctx, level: number): void {
        const address = normalizeSpace(textOf(el, ctx.pf.text, ctx.pf.entities));
        const href = safeHref('mailto:' + address, ctx.pf.path, this.resourceUri);
        this.out.push('<code class="email">&lt;');
        if (href) this.out.push(`<a href="${escapeHtml(href)}">`);
        this.inline++;
        this.children(el, ctx, level);
        this.inline--;
        if (href) this.out.push('</a>');
        this.out.push('&gt;</code>');
    }

    private xref(el: XmlElement, ctx: Ctx): void {
        const linkend = attr(el, 'linkend')?.value.trim() ?? '';
        const endterm = attr(el, 'endterm')?.value.trim();
        const xrefstyle = attr(el, 'xrefstyle')?.value ?? '';
        const t = this.numbering.targets.get(linkend) ?? this.findTarget(linkend);
        let html: string;
        let resolved: boolean;
        const endTarget = endterm ? this.numbering.targets.get(endterm) ?? this.findTarget(endterm) : undefined;
        if (endTarget) {
            html = escapeHtml(normalizeSpace(textOf(endTarget.el, endTarget.pf.text, endTarget.pf.entities)));
            resolved = !!t;
        } else {
            const r = this.xrefText(linkend, ctx, xrefstyle);
            html = r.html;
            resolved = r.resolved;
        }
        const title = t ? titleOf(t.el, t.pf.text, t.pf.entities) : undefined;
        const problem = resolved ? undefined
            : t ? `docbook-xsl has no text for an xref to <${t.el.local}> (give it an xreflabel, or use endterm or a link with text)`
                : `No element with xml:id “${linkend}” in this book`;
        this.out.push(`<a class="xref${resolved ? '' : ' unresolved'}" href="#${escapeHtml(linkend)}"${t ? this.targetAttrs(t) : ''}${title ? ` title="${escapeHtml(title)}"` : problem ? ` title="${escapeHtml(problem)}"` : ''}>${html}</a>`);
    }

    /** An id outside the book's assembled tree: the index knows where it is defined (a file in no book, a stale copy). */
    private findTarget(id: string): Target | undefined {
        for (const pf of this.snapshot.files.values()) {
            const el = pf ? idMapOf(pf).get(id) : undefined;
            if (pf && el) return { el, pf };
        }
        return undefined;
    }

    /** The text docbook-xsl generates for an xref to `id`. */
    private xrefText(id: string, ctx: Ctx, xrefstyle = ''): { html: string; resolved: boolean } {
        const t = this.numbering.targets.get(id) ?? this.findTarget(id);
        if (!t) {
            const defs = this.index.resolveId(ctx.pf.path, id);
            const def = defs[0]?.def;
            if (def?.title) return { html: escapeHtml(def.title), resolved: true };
            return { html: '???', resolved: false };
        }
        const el = t.el;
        const name = el.local;
        const label = labelOf(this.numbering, el);
        // docbook-xsl's order: the target's xreflabel as written; a step is "Step 2.b" whatever the xrefstyle.
        const xreflabel = attr(el, 'xreflabel')?.value;
        if (xreflabel !== undefined) return { html: escapeHtml(xreflabel), resolved: true };
        if (name === 'step' && label) return { html: escapeHtml(`Step ${label}`), resolved: true };
        let title = titleOf(el, t.pf.text, t.pf.entities);
        if (name === 'varlistentry') {
            const term = childElement(el, 'term');
            title = term ? normalizeSpace(textOf(term, t.pf.text, t.pf.entities)) : undefined;
        }
        if (!title && (name === 'glossentry')) title = titleOf(el, t.pf.text, t.pf.entities);
        if (/select:\s*title/.test(xrefstyle) && title) return { html: escapeHtml(title), resolved: true };
        let format: string | undefined;
        if (label && XREF_FORMATS[name]) format = XREF_FORMATS[name];
        else if (XREF_UNNUMBERED_FORMATS[name]) format = XREF_UNNUMBERED_FORMATS[name];
        else if (title) format = '%t';
        if (!format || (!title && format.includes('%t')) || (!title && format.includes('%T'))) {
            if (name === 'step' || name === 'listitem') {
                return { html: escapeHtml(label ?? name), resolved: true };
            }
            return { html: '???', resolved: false };
        }
        const parts = format.split(/(%[ntT])/);
        const html = parts.map((p) => {
            if (p === '%n') return escapeHtml(label ?? '');
            if (p === '%t') return escapeHtml(title ?? '');
            if (p === '%T') return `<em>${escapeHtml(title ?? '')}</em>`;
            return escapeHtml(p);
        }).join('');
        return { html, resolved: true };
    }

    // ---- images ----

    private mediaobject(el: XmlElement, ctx: Ctx, level: number): void {
        const inline = el.local === 'inlinemediaobject' || this.inline > 0;
        const tag = inline ? 'span' : 'div';
        this.out.push(`<${tag} class="${el.local}"${inline ? '' : this.pos(el, ctx)}>`);
        const objects: XmlElement[] = [];
        let textobject: XmlElement | undefined;
        let caption: XmlElement | undefined;
        let alt: XmlElement | undefined;
        for (const c of el.children) {
            if (c.kind !== 'element') continue;
            if (c.local === 'imageobject' || c.local === 'imageobjectco') objects.push(c);
            else if (c.local === 'textobject' && !textobject) textobject = c;
            else if (c.local === 'caption') caption = c;
            else if (c.local === 'alt') alt = c;
        }
        const altText = alt ? normalizeSpace(textOf(alt, ctx.pf.text, ctx.pf.entities))
            : textobject ? normalizeSpace(textOf(textobject, ctx.pf.text, ctx.pf.entities)) : undefined;
        // docbook-xsl for HTML: an object with role="html" first, then any not meant for print.
        const chosen = objects.find((o) => attr(o, 'role')?.value.trim() === 'html')
            ?? objects.find((o) => attr(o, 'role')?.value.trim() !== 'fo') ?? objects[0];
        if (chosen) this.imageobject(chosen, ctx, altText);
        else if (textobject) this.children(textobject, ctx, level);
        for (const c of el.children) {
            if (c.kind === 'element' && !['imageobject', 'imageobjectco', 'textobject', 'caption', 'alt', 'videoobject', 'audioobject', 'info'].includes(c.local)) this.node(c, ctx, level);
            if (c.kind === 'element' && (c.local === 'videoobject' || c.local === 'audioobject')) this.mediaPlaceholder(c, ctx);
        }
        if (caption) {
            this.out.push(`<${tag} class="caption">`);
            this.children(caption, ctx, level);
            this.out.push(`</${tag}>`);
        }
        this.out.push(`</${tag}>`);
    }

    private imageobject(el: XmlElement, ctx: Ctx, altText: string | undefined): void {
        for (const c of el.children) {
            if (c.kind === 'element' && (c.local === 'imagedata' || c.local === 'graphic')) { this.image(c, ctx, altText); return; }
            if (c.kind === 'element' && c.local === 'imageobject') { this.imageobject(c, ctx, altText); return; }
        }
    }

    private image(el: XmlElement, ctx: Ctx, altText: string | undefined): void {
        const fileref = decodeAttr(attr(el, 'fileref')?.value ?? '', ctx.pf.entities).trim();
        const entityref = attr(el, 'entityref')?.value.trim();
        const placeholder = (message: string): void => {
            this.out.push(`<span class="image-placeholder"${this.inline ? '' : this.pos(el, ctx, false)}>${escapeHtml(message)}</span>`);
        };
        if (!fileref) { placeholder(entityref ? `Image by entity ${entityref} not shown` : 'Image without fileref'); return; }
        const resolved = resolveRef(this.index, el, fileref, ctx.pf.path, ctx.xmlBase);
        if (resolved.kind === 'remote') { placeholder(/^https?:/i.test(resolved.url) ? `Remote image not loaded: ${resolved.url}` : `Image not shown: ${resolved.url}`); return; }
        if (resolved.kind === 'invalid') { placeholder(`Image not shown: ${resolved.reason}`); return; }
        const file = resolved.path;
        if (!IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase())) { placeholder(`Image type not shown: ${fileref}`); return; }
        const exists = this.snapshot.images.get(file) ?? this.index.exists(file);
        if (!exists) { placeholder(`Missing image: ${fileref}`); return; }
        const url = this.resourceUri(file);
        this.resources.add(url);
        let size = '';
        const width = pixels(attr(el, 'contentwidth')?.value) ?? pixels(attr(el, 'width')?.value);
        if (width !== undefined) size += ` width="${width}"`;
        const scale = positiveInt(attr(el, 'scale')?.value, 1000);
        if (scale !== undefined && width === undefined) size += ` data-scale="${scale}"`;
        this.out.push(`<img src="${escapeHtml(url)}" alt="${escapeHtml(altText ?? path.basename(fileref))}"${size}${this.inline ? '' : this.pos(el, ctx, false)}/>`);
    }

    private mediaPlaceholder(el: XmlElement, ctx: Ctx): void {
        const data = el.local.endsWith('data') ? el : (el.children.find((c) => c.kind === 'element' && c.local.endsWith('data')) as XmlElement | undefined);
        const fileref = data ? attr(data, 'fileref')?.value ?? '' : '';
        this.out.push(`<span class="image-placeholder"${this.pos(el, ctx, false)}>${escapeHtml(`${el.local.startsWith('video') ? 'Video' : 'Audio'} not shown${fileref ? ': ' + fileref : ''}`)}</span>`);
    }

    // ---- tables ----

    private calsTable(tgroup: XmlElement, ctx: Ctx, level: number, nested: boolean): void {
        const colnums = new Map<string, number>();
        const spans = new Map<string, [string, string]>();
        let next = 1;
        for (const c of tgroup.children) {
            if (c.kind !== 'element') continue;
            if (c.local === 'colspec') {
                const n = positiveInt(attr(c, 'colnum')?.value, 1000) ?? next;
                next = n + 1;
                const name = attr(c, 'colname')?.value.trim();
                if (name) colnums.set(name, n);
            } else if (c.local === 'spanspec') {
                const name = attr(c, 'spanname')?.value.trim();
                const st = attr(c, 'namest')?.value.trim();
                const en = attr(c, 'nameend')?.value.trim();
                if (name && st && en) spans.set(name, [st, en]);
            }
        }
        if (nested) this.out.push('<td>');
        this.out.push(`<table class="cals"${this.pos(tgroup, ctx)}>`);
        this.asm.eachChild(tgroup, ctx, {
            node: (section, sctx) => {
                if (section.kind !== 'element' || !['thead', 'tbody', 'tfoot'].includes(section.local)) return;
                const head = section.local === 'thead';
                this.out.push(`<${section.local}>`);
                this.asm.eachChild(section, sctx, {
                    node: (row, rctx) => {
                        if (row.kind !== 'element' || row.local !== 'row' || this.asm.isProfiledOut(row)) return;
                        this.out.push(`<tr${this.pos(row, rctx)}>`);
                        this.asm.eachChild(row, rctx, {
                            node: (entry, ectx) => {
                                if (entry.kind !== 'element' || this.asm.isProfiledOut(entry)) return;
                                if (entry.local === 'entrytbl') { this.calsTable(entry, ectx, level, true); return; }
                                if (entry.local !== 'entry') return;
                                let colspan = 1;
                                const spanname = attr(entry, 'spanname')?.value.trim();
                                const [st, en] = spanname && spans.get(spanname) ? spans.get(spanname)! : [attr(entry, 'namest')?.value.trim(), attr(entry, 'nameend')?.value.trim()];
                                if (st && en && colnums.has(st) && colnums.has(en)) colspan = Math.max(1, colnums.get(en)! - colnums.get(st)! + 1);
                                const morerows = /^\s*\d+\s*$/.test(attr(entry, 'morerows')?.value ?? '') ? parseInt(attr(entry, 'morerows')!.value, 10) : 0;
                                this.cellWith(entry, ectx, level, head ? 'th' : 'td', colspan, morerows + 1);
                            },
                        });
                        this.out.push('</tr>');
                    },
                });
                this.out.push(`</${section.local}>`);
            },
        });
        this.out.push('</table>');
        if (nested) this.out.push('</td>');
    }

    private htmlTable(table: XmlElement, ctx: Ctx, level: number): void {
        this.out.push(`<table class="html-table"${this.pos(table, ctx, false)}>`);
        const t = titleElementOf(table);
        this.asm.eachChild(table, ctx, {
            node: (n, nctx) => {
                if (n.kind !== 'element' || n === t) return;
                if (n.local === 'caption') {
                    // An HTML-model table's caption is its title: docbook-xsl numbers it.
                    this.out.push(`<caption>${t ? '' : this.labelPrefix(table, ctx)}`);
                    this.inline++;
                    this.children(n, nctx, level);
                    this.inline--;
                    this.out.push('</caption>');
                } else if (n.local === 'tr') {
                    this.htmlRow(n, nctx, level, false);
                } else if (n.local === 'thead' || n.local === 'tbody' || n.local === 'tfoot') {
                    this.out.push(`<${n.local}>`);
                    this.asm.eachChild(n, nctx, { node: (r, rctx) => { if (r.kind === 'element' && r.local === 'tr') this.htmlRow(r, rctx, level, n.local === 'thead'); } });
                    this.out.push(`</${n.local}>`);
                } else if (n.local !== 'col' && n.local !== 'colgroup' && n.local !== 'info' && n.local !== 'textobject') {
                    this.out.push('<tr><td>');
                    this.node(n, nctx, level);
                    this.out.push('</td></tr>');
                }
            },
        });
        this.out.push('</table>');
    }

    private htmlRow(row: XmlElement, ctx: Ctx, level: number, head: boolean): void {
        if (this.asm.isProfiledOut(row)) return;
        this.out.push(`<tr${this.pos(row, ctx)}>`);
        this.asm.eachChild(row, ctx, {
            node: (c, cctx) => {
                if (c.kind !== 'element' || (c.local !== 'td' && c.local !== 'th')) return;
                this.cell(c, cctx, level, head || c.local === 'th' ? 'th' : 'td');
            },
        });
        this.out.push('</tr>');
    }

    private cell(el: XmlElement, ctx: Ctx, level: number, tag: 'td' | 'th'): void {
        this.cellWith(el, ctx, level, tag, positiveInt(attr(el, 'colspan')?.value, 1000) ?? 1, positiveInt(attr(el, 'rowspan')?.value, 10000) ?? 1);
    }

    private cellWith(el: XmlElement, ctx: Ctx, level: number, tag: 'td' | 'th', colspan: number, rowspan: number): void {
        if (this.asm.isProfiledOut(el)) return;
        this.out.push(`<${tag}${colspan > 1 ? ` colspan="${colspan}"` : ''}${rowspan > 1 ? ` rowspan="${rowspan}"` : ''}${this.pos(el, ctx)}>`);
        const saved = this.inline;
        this.inline = 0;
        if (this.hasBlockChild(el)) this.flow(el, ctx, level);
        else { this.inline = 1; this.children(el, ctx, level); }
        this.inline = saved;
        this.out.push(`</${tag}>`);
    }

    // ---- small inline forms ----

    private quote(el: XmlElement, ctx: Ctx, level: number): void {
        const [open, close] = this.quoteDepth % 2 === 0 ? ['“', '”'] : ['‘', '’'];
        this.quoteDepth++;
        this.out.push(`<span class="quote">${open}`);
        this.inline++;
        this.children(el, ctx, level);
        this.inline--;
        this.out.push(`${close}</span>`);
        this.quoteDepth--;
    }

    private trademark(el: XmlElement, ctx: Ctx, level: number): void {
        const cls = attr(el, 'class')?.value.trim();
        const mark = cls === 'registered' ? '®' : cls === 'copyright' ? '©' : cls === 'service' ? '℠' : '™';
        this.out.push('<span class="trademark">');
        this.inline++;
        this.children(el, ctx, level);
        this.inline--;
        this.out.push(`${mark}</span>`);
    }

    /** Children joined by a separator (keys of a keycombo, steps of a menuchoice, parts of an author); text is kept too. */
    private joined(el: XmlElement, ctx: Ctx, level: number, separator: string, cls: string): void {
        this.out.push(`<span class="${cls}">`);
        let first = true;
        this.inline++;
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n.kind === 'comment' || n.kind === 'pi' || (n.kind === 'text' && !/\S/.test(nctx.pf.text.slice(n.start, n.end)))) return;
                if (!first) this.out.push(escapeHtml(separator));
                first = false;
                this.node(n, nctx, level);
            },
        });
        this.inline--;
        this.out.push('</span>');
    }

    /** An author (editor, other credit): its name, then its affiliation and the rest, without the parts that have no text (a template's empty personname). */
    private person(el: XmlElement, ctx: Ctx, level: number): void {
        this.out.push(`<span class="${el.local}">`);
        let first = true;
        this.inline++;
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n.kind === 'comment' || n.kind === 'pi' || (n.kind === 'text' && !/\S/.test(nctx.pf.text.slice(n.start, n.end)))) return;
                if (n.kind === 'element' && !/\S/.test(textOf(n, nctx.pf.text, nctx.pf.entities))) return;
                if (!first) this.out.push(' ');
                first = false;
                this.node(n, nctx, level);
            },
        });
        this.inline--;
        this.out.push('</span>');
    }

    private tag(el: XmlElement, ctx: Ctx, level: number): void {
        const cls = attr(el, 'class')?.value.trim() ?? 'element';
        const forms: Record<string, [string, string]> = {
            element: ['<', '>'], starttag: ['<', '>'], endtag: ['</', '>'], emptytag: ['<', '/>'], xmlpi: ['<?', '?>'],
            sgmlcomment: ['<!--', '-->'], comment: ['<!--', '-->'], genentity: ['&', ';'], numcharref: ['&#', ';'],
            paramentity: ['%', ';'], attvalue: ['"', '"'],
        };
        const [open, close] = forms[cls] ?? ['', ''];
        this.out.push(`<code class="tag">${escapeHtml(open)}`);
        this.inline++;
        this.children(el, ctx, level);
        this.inline--;
        this.out.push(`${escapeHtml(close)}</code>`);
    }

    private personname(el: XmlElement, ctx: Ctx, level: number): void {
        // Name parts are often written without spaces between them (<firstname/><surname/>).
        const parts = el.children.filter((c) => c.kind === 'element');
        const onlyParts = parts.length > 0 && !el.children.some((c) => (c.kind === 'text' && /\S/.test(ctx.pf.text.slice(c.start, c.end))));
        this.out.push('<span class="personname">');
        this.inline++;
        if (onlyParts) parts.forEach((p, i) => { if (i) this.out.push(' '); this.node(p, ctx, level); });
        else this.children(el, ctx, level);
        this.inline--;
        this.out.push('</span>');
    }

    private cmdsynopsis(el: XmlElement, ctx: Ctx, level: number): void {
        this.out.push(`<div class="cmdsynopsis"${this.pos(el, ctx)}><p>`);
        this.joined(el, ctx, level, ' ', 'cmdsynopsis-line');
        this.out.push('</p></div>');
    }

    private synopsisGroup(el: XmlElement, ctx: Ctx, level: number): void {
        const choice = attr(el, 'choice')?.value.trim() ?? (el.local === 'arg' ? 'opt' : 'opt');
        const [open, close] = choice === 'req' ? ['{', '}'] : choice === 'plain' ? ['', ''] : ['[', ']'];
        const repeat = attr(el, 'rep')?.value.trim() === 'repeat' ? '...' : '';
        this.out.push(`<span class="${el.local}">${escapeHtml(open)}`);
        this.inline++;
        if (el.local === 'group') {
            let first = true;
            this.asm.eachChild(el, ctx, {
                node: (n, nctx) => {
                    if (n.kind !== 'element') return;
                    if (!first) this.out.push(' | ');
                    first = false;
                    this.node(n, nctx, level);
                },
            });
        } else {
            this.children(el, ctx, level);
        }
        this.inline--;
        this.out.push(`${escapeHtml(close + repeat)}</span>`);
    }

    private copyright(el: XmlElement, ctx: Ctx): void {
        const years: string[] = [];
        const holders: string[] = [];
        for (const c of el.children) {
            if (c.kind !== 'element') continue;
            const t = normalizeSpace(textOf(c, ctx.pf.text, ctx.pf.entities));
            if (c.local === 'year') years.push(t);
            else if (c.local === 'holder') holders.push(t);
        }
        const tag = this.inline ? 'span' : 'p';
        this.out.push(`<${tag} class="copyright"${this.pos(el, ctx)}>${escapeHtml(`Copyright © ${years.join(', ')} ${holders.join(', ')}`.trim())}</${tag}>`);
    }

    private revhistory(el: XmlElement, ctx: Ctx, level: number): void {
        const title = this.titleHtml(el, ctx, level) ?? escapeHtml('Revision History');
        this.out.push(`<table class="revhistory"${this.pos(el, ctx)}><thead><tr><th colspan="3">${title}</th></tr></thead><tbody>`);
        const saved = this.inline;
        this.asm.eachChild(el, ctx, {
            node: (rev, rctx) => {
                if (rev.kind !== 'element' || rev.local !== 'revision') return;
                const cell = (take: (local: string) => boolean, inline: boolean): void => {
                    this.out.push('<td>');
                    this.inline = inline ? 1 : 0;
                    for (const c of rev.children) if (c.kind === 'element' && take(c.local)) this.node(c, rctx, level);
                    this.out.push('</td>');
                };
                this.out.push(`<tr${this.pos(rev, rctx)}>`);
                cell((l) => l === 'revnumber', true);
                cell((l) => l === 'date', true);
                // Everything else of the revision (remark, description, authors) is its description.
                cell((l) => l !== 'revnumber' && l !== 'date', false);
                this.out.push('</tr>');
            },
        });
        this.inline = saved;
        this.out.push('</tbody></table>');
    }
}

function childElement(el: XmlElement | undefined, local: string): XmlElement | undefined {
    if (!el) return undefined;
    for (const c of el.children) if (c.kind === 'element' && c.local === local) return c;
    return undefined;
}

function hasElementChild(el: XmlElement): boolean {
    return el.children.some((c) => c.kind === 'element' && c.local !== 'title' && c.local !== 'info');
}

/** Whether an element has text or elements (an empty <link/> or <glosssee/> gets generated text). */
function hasContent(el: XmlElement): boolean {
    return el.children.some((c) => c.kind === 'element' || c.kind === 'entity' || c.kind === 'cdata' || c.kind === 'text');
}

function pixels(value: string | undefined): number | undefined {
    const m = /^\s*(\d{1,5})(?:\.\d+)?\s*(px)?\s*$/.exec(value ?? '');
    return m ? parseInt(m[1], 10) : undefined;
}

/** All text under an element, without recursion (for nesting too deep to render as structure). */
function flatText(el: XmlElement, text: string): string {
    const parts: string[] = [];
    const stack: XmlNode[] = [el];
    while (stack.length) {
        const n = stack.pop()!;
        if (n.kind === 'text' || n.kind === 'cdata') parts.push(text.slice(n.start, n.end));
        else if (n.kind === 'entity') parts.push(`&${n.name};`);
        else if (n.kind === 'element') for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    return parts.join('');
}

// ---- entry point ---------------------------------------------------------------------------------

/** Books that include the file, the most specific first: the file itself if it is a book, books before sets, smaller first. */
function orderBooks(index: WorkspaceIndex, file: string): string[] {
    const books = [...index.booksOf(file)];
    const rank = (b: string): [number, number, number, string] => [
        b === file ? 0 : 1,
        index.get(b)?.model.rootElement === 'set' ? 1 : 0,
        index.filesOfBook(b).size,
        b,
    ];
    return books.sort((a, b) => {
        const ra = rank(a);
        const rb = rank(b);
        for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] < rb[i] ? -1 : 1;
        return 0;
    });
}

export interface FilePreviewParams extends PreviewOptions { file: string }

export async function providePreview({ index }: FeatureContext, { file, ...options }: FilePreviewParams, token?: CancellationToken): Promise<PreviewResult> {
    file = path.resolve(file);
    const books = orderBooks(index, file);
    const wanted = options.book !== undefined ? path.resolve(options.book) : undefined;
    const book = wanted !== undefined && books.includes(wanted) ? wanted : books[0];
    const snapshot = new Snapshot(index, cacheOf(index));
    await snapshot.loadTree(file, token);
    if (book && book !== file) await snapshot.loadTree(book, token);
    if (token?.isCancellationRequested) return { html: '', title: path.basename(file), books, book, profileValues: {}, sourceMap: { files: [] }, resources: [] };
    const pf = snapshot.files.get(file) ?? undefined;
    const ordered = book ? [book, ...books.filter((b) => b !== book)] : books;
    if (!pf) {
        return {
            html: `<div class="docbook-preview"><div class="dbp-problem">${escapeHtml(`Cannot read ${file}`)}</div></div>`,
            title: path.basename(file), books: ordered, book, profileValues: profileValuesOf(index, snapshot), sourceMap: { files: [file] }, resources: [],
        };
    }
    const asm = new Assembler(index, snapshot, options.profile);
    const contextPf = book ? snapshot.files.get(book) ?? pf : pf;
    const numbering = numberDocument(asm, contextPf);
    const renderer = new Renderer(index, new Assembler(index, snapshot, options.profile), snapshot, numbering, options);
    const html = renderer.renderDocument(pf);
    snapshot.evictStale();
    const title = (pf.doc.root && titleOf(pf.doc.root, pf.text, pf.entities)) || path.basename(file);
    return {
        html, title, books: ordered, book, profileValues: profileValuesOf(index, snapshot),
        sourceMap: { files: renderer.files }, resources: [...renderer.resources],
    };
}

/** Profiling values used by the files this preview assembled (the book's files when in a book), read from the index models. */
function profileValuesOf(index: WorkspaceIndex, snapshot: Snapshot): Record<string, string[]> {
    const values: Record<string, Set<string>> = {};
    for (const a of PICKER_PROFILING_ATTRIBUTES) values[a] = new Set();
    for (const [file, pf] of snapshot.files) {
        if (!pf) continue;
        for (const use of index.get(file)?.model.profiling ?? []) {
            if (!PROFILING_ATTRIBUTES.has(use.attribute)) continue;
            (values[use.attribute] ??= new Set());
            for (const v of use.values) values[use.attribute].add(v);
        }
    }
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [...v].sort()]));
}

// ---- standalone page ---------------------------------------------------------------------------

/** Sources for img-src: the origins of the images the page loads ('file:' for local files). */
function imageSources(resources: string[]): string {
    const sources = new Set<string>();
    for (const r of resources) {
        try {
            const u = new URL(r);
            sources.add(u.protocol === 'file:' ? 'file:' : u.origin !== 'null' ? u.origin : u.protocol);
        } catch {
            // not a URL: nothing to allow
        }
    }
    return sources.size ? [...sources].join(' ') : "'none'";
}

/** A full HTML page of a preview: no script at all, styles by nonce, images only from where the preview's images are. */
export function renderStandalonePage(result: PreviewResult, options: { css?: string; csp?: string } = {}): string {
    const nonce = randomBytes(16).toString('base64');
    const csp = options.csp ?? `default-src 'none'; img-src ${imageSources(result.resources)}; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`;
    return [
        '<!DOCTYPE html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8"/>',
        `<meta http-equiv="Content-Security-Policy" content="${csp.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"/>`,
        '<meta name="referrer" content="no-referrer"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        `<title>${escapeHtml(result.title)}</title>`,
        `<style nonce="${nonce}">${(options.css ?? PREVIEW_STYLE).replace(/<\/style/gi, '<\\/style')}</style>`,
        '</head>',
        '<body>',
        result.html,
        '</body>',
        '</html>',
        '',
    ].join('\n');
}
