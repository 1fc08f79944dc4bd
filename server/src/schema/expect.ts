// What the schema allows at a point of a text being typed: the elements after a `<`, the attributes
// of a start tag, the values of an attribute. The walker is driven over the text before the point
// (parsed by the tolerant parser; the elements still open there are the point's ancestors).
//
// Typing asks again and again in the same file, a little further each time: the walker states of the
// last answer are kept at checkpoints (before a start tag, every CHECKPOINT_EVERY events), and a new
// question resumes from the last checkpoint before the first character that changed.

import type { DefaultNameResolver, GrammarWalker } from 'salve-annos';
import { withoutLearning } from './lazyWalkers';
import { salve } from './salve';
import { commonPrefixLength } from '../core/strings';
import { parseXml, XmlElement } from '../core/xmlParser';
import { attributeNs, documentEvents, eventOffset, isNamespaceDeclaration, salveParams } from './events';
import { Schema } from './grammar';
import { acceptedElements, checkpointSpacing, depthOf, Expected, expectedOf, MAX_CHECKPOINT_DEPTH, MAX_CHECKPOINTS, newWalker, validationCheckpointBefore } from './validate';

type Walker = GrammarWalker<DefaultNameResolver>;

const CACHED_FILES = 4;

interface Checkpoint { offset: number; walker: Walker }
interface FileState {
    schema: Schema;
    text: string;
    checkpoints: Checkpoint[];
    /** The last answer after a `<`, kept while the text before that `<` stays the same (typing a name on). */
    lastContent?: { at: number; expected: Expected; parent: XmlElement | undefined };
}

const states = new Map<string, FileState>();


/** A walker that has seen everything before `at` (the `<` of the tag being typed), and the open elements there. */
function walkerBefore(key: string, schema: Schema, text: string, at: number): { walker: Walker; open: XmlElement | undefined } | undefined {
    const prefix = text.slice(0, at);
    const doc = parseXml(prefix);
    // Elements nested deeper than the parser keeps as a tree: no answer rather than a wrong or endless one.
    if (doc.problems.some((p) => p.message.includes('nested more than'))) return undefined;
    const old = states.get(key);
    let start = 0;
    let walker: Walker | undefined;
    let checkpoints: Checkpoint[] = [];
    if (old && old.schema === schema) {
        const same = commonPrefixLength(old.text, prefix, at);
        for (let i = old.checkpoints.length - 1; i >= 0; i--) {
            if (old.checkpoints[i].offset < same) {
                walker = old.checkpoints[i].walker.clone();
                start = old.checkpoints[i].offset;
                checkpoints = old.checkpoints.slice(0, i + 1);
                break;
            }
        }
    }
    // The file's last validation has checkpoints all over it: the first question in a new place need
    // not walk from this file's last question (or from the start) to there.
    const validated = validationCheckpointBefore(key, schema, text, at);
    if (validated && (!walker || validated.offset > start)) {
        checkpoints = checkpoints.filter((c) => c.offset < validated.offset);
        checkpoints.push({ offset: validated.offset, walker: validated.walker });
        walker = validated.walker.clone();
        start = validated.offset;
    }
    walker ??= newWalker(schema);
    const state: FileState = { schema, text: prefix, checkpoints };
    states.delete(key);
    states.set(key, state);
    while (states.size > CACHED_FILES) states.delete(states.keys().next().value!);
    const events = documentEvents(doc, true, start);
    let sinceCheckpoint = 0;
    const spacing = checkpointSpacing(events.length);
    for (const e of events) {
        const offset = eventOffset(e);
        if (e.name === 'enterStartTag' && ++sinceCheckpoint >= spacing && state.checkpoints.length < MAX_CHECKPOINTS && depthOf(walker) <= MAX_CHECKPOINT_DEPTH) {
            state.checkpoints.push({ offset, walker: walker.clone() });
            sinceCheckpoint = 0;
        }
        walker.fireEvent(e.name, salveParams(e));
    }
    return { walker, open: innermostOpen(doc.root, prefix) };
}

/** The element the end of a prefix is in: the deepest one whose end tag the prefix lacks. */
export function innermostOpen(root: XmlElement | undefined, text: string): XmlElement | undefined {
    const closed = (e: XmlElement): boolean => e.selfClosing || (e.end > e.contentEnd && text.startsWith('</', e.contentEnd));
    if (!root || closed(root)) return undefined;
    let el: XmlElement = root;
    for (;;) {
        let last: XmlElement | undefined;
        for (let i = el.children.length - 1; i >= 0 && !last; i--) {
            const c = el.children[i];
            if (c.kind === 'element') last = c;
        }
        if (!last || closed(last)) return el;
        el = last;
    }
}

/** What may come at `lt` (a `<` being typed) in the file `key` whose text is `text`. */
export function expectedContentAt(key: string, schema: Schema, text: string, lt: number): { expected: Expected; parent: XmlElement | undefined } {
    const known = states.get(key);
    if (known?.schema === schema && known.lastContent?.at === lt && known.text.length === lt && commonPrefixLength(known.text, text, lt) === lt) {
        return known.lastContent;
    }
    const before = walkerBefore(key, schema, text, lt);
    if (!before) return { expected: expectedOf(new Set()), parent: undefined };
    const { walker, open } = before;
    const answer = { at: lt, expected: acceptedElements(walker, expectedOf(walker.possible())), parent: open };
    states.get(key)!.lastContent = answer;
    return answer;
}

export interface TagBeingTyped {
    /** Offset of the tag's `<`. */
    lt: number;
    /** The element's name as written. */
    name: string;
    /** The tag's complete attributes, except the one at the cursor. */
    attributes: { name: string; value: string }[];
}

/** The attributes (attribute: undefined) or the values of `attribute` that the start tag allows. */
export function expectedInStartTag(
    key: string, schema: Schema, text: string, tag: TagBeingTyped, attribute?: string,
): { expected: Expected; element: XmlElement } | undefined {
    const before = walkerBefore(key, schema, text, tag.lt);
    if (!before) return undefined;
    const { walker, open } = before;
    // The tag itself, as the parser reads it with its namespace declarations in scope.
    const attrs = tag.attributes.map((a) => `${a.name}="${a.value.replace(/[<&"]/g, ' ')}"`).join(' ');
    const scope = open ? Object.entries(open.nsScope).filter(([p]) => p !== 'xml').map(([p, ns]) => `${p ? `xmlns:${p}` : 'xmlns'}="${ns}"`) : [];
    const probe = parseXml(`<${tag.name} ${attrs} ${scopeDeclarations(tag.attributes, scope)}/>`).root;
    if (!probe) return undefined;
    const fire = (name: string, params: string[]): boolean => {
        const r = walker.fireEvent(name, params);
        return !r || r.length === 0;
    };
    fire('enterStartTag', [probe.ns, probe.local]);
    for (const a of tag.attributes) {
        if (isNamespaceDeclaration(a.name)) continue;
        const n = attributeNs(probe, a.name);
        if (!n) continue;
        fire('attributeName', [n.ns, n.local]);
        fire('attributeValue', [a.value]);
    }
    if (attribute !== undefined) {
        const n = attributeNs(probe, attribute);
        if (!n) return undefined;
        fire('attributeName', [n.ns, n.local]);
    }
    return { expected: expectedOf(walker.possible()), element: probe };
}

/** Declarations of the ancestors' namespaces, unless the tag declares the same prefix itself. */
function scopeDeclarations(own: { name: string }[], scope: string[]): string {
    const declared = new Set(own.filter((a) => isNamespaceDeclaration(a.name)).map((a) => a.name));
    return scope.filter((d) => !declared.has(d.slice(0, d.indexOf('=')))).join(' ');
}

// ---- what a new element needs inside ------------------------------------------------------------

const requiredCache = new WeakMap<Schema, Map<string, RequiredChild[]>>();
const TITLE_GROUP = new Set(['title', 'titleabbrev', 'subtitle', 'info']);

export interface RequiredChild { ns: string; local: string; children: RequiredChild[] }

const emptyCache = new WeakMap<Schema, Map<string, boolean>>();

/** Whether the element can have no content at all (an empty element such as xref or anchor). */
export function isEmptyElement(schema: Schema, ns: string, local: string): boolean {
    let cache = emptyCache.get(schema);
    if (!cache) emptyCache.set(schema, cache = new Map());
    const key = `${ns}\u0000${local}`;
    let empty = cache.get(key);
    if (empty === undefined) {
        const defs = schema.grammar.elementDefinitions[JSON.stringify({ ns, name: local })];
        empty = defs?.length === 1 && ![...defs[0].pat.newWalker().possible()].some((e) => e.name === 'enterStartTag' || e.name === 'text');
        cache.set(key, empty);
    }
    return empty;
}

/**
 * The children a new element must have for the schema, in order, a few levels deep: a title where
 * only a title (or info) may start it, the one child that completes it (listitem in a list), para
 * among blocks. [] when nothing is required or the element has several definitions.
 */
export function requiredChildren(schema: Schema, ns: string, local: string, depth = 0): RequiredChild[] {
    return withoutLearning(() => requiredChildrenOf(schema, ns, local, depth));
}

function requiredChildrenOf(schema: Schema, ns: string, local: string, depth: number): RequiredChild[] {
    let cache = requiredCache.get(schema);
    if (!cache) requiredCache.set(schema, cache = new Map());
    const key = `${ns}\u0000${local}`;
    const known = cache.get(key);
    if (known) return known;
    cache.set(key, []); // a recursive content model ends here
    const defs = schema.grammar.elementDefinitions[JSON.stringify({ ns, name: local })];
    const out: RequiredChild[] = [];
    if (defs?.length === 1 && depth < 3) {
        const resolver = new (salve().DefaultNameResolver)();
        const w = defs[0].pat.newWalker();
        const names = (walker: typeof w): { ns: string; name: string }[] => [...walker.possible()]
            .flatMap((e) => e.name === 'enterStartTag' && e.namePattern.simple() ? e.namePattern.toArray() ?? [] : []);
        for (let step = 0; step < 3 && !w.canEnd; step++) {
            const candidates = names(w);
            let pick = candidates.every((n) => TITLE_GROUP.has(n.name)) ? candidates.find((n) => n.name === 'title') : undefined;
            if (!pick && candidates.length === 1) pick = candidates[0];
            if (!pick) {
                const completing = candidates.filter((n) => {
                    const c = w.clone();
                    return c.fireEvent('enterStartTag', [n.ns, n.name], resolver).matched && c.canEnd;
                });
                pick = completing.length === 1 ? completing[0] : completing.find((n) => n.name === 'para');
            }
            if (!pick || !w.fireEvent('enterStartTag', [pick.ns, pick.name], resolver).matched) break;
            out.push({ ns: pick.ns, local: pick.name, children: requiredChildren(schema, pick.ns, pick.name, depth + 1) });
        }
    }
    cache.set(key, out);
    return out;
}
