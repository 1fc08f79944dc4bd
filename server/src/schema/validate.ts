// Validation of one file's tree against a schema, with Jing's messages at Jing's places: the start
// tag of an element that is not allowed, the end tag of an incomplete one, the attribute, the text.
// One problem per failing event; salve recovers (a misplaced element is validated as itself, an
// unknown one is skipped) and validation goes on.
//
// What is expected instead is asked of a second walker that follows the first one event behind,
// only when an event fails: errors cost O(1) extra each, a valid file nothing.

import type { DefaultNameResolver, EventSet, GrammarWalker, ValidationError } from 'salve-annos';
import { salve } from './salve';
import { commonPrefixLength, commonSuffixLength } from '../core/strings';
import { XmlDocument, XmlElement } from '../core/xmlParser';
import { documentEvents, salveParams, SchemaEvent } from './events';
import { Schema } from './grammar';
import { sameWalkerState, walkerStateHash } from './walkerState';
import { ensureLazyWalkers, withoutLearning } from './lazyWalkers';

/** What a quick fix needs: the name or value written and what the schema allows there. */
export type SchemaProblemData =
    | { kind: 'element'; written: string; allowed: string[] }
    | { kind: 'attribute'; written: string; allowed: string[] }
    | { kind: 'value'; attribute: string; written: string; allowed: string[] };

export interface SchemaProblem {
    message: string;
    start: number;
    end: number;
    data?: SchemaProblemData;
}

/** Bound on the problems of one file (a wrong root can make every element an error). */
export const MAX_SCHEMA_PROBLEMS = 500;

const WELL_KNOWN_PREFIXES: Record<string, string> = {
    'http://www.w3.org/2001/XInclude': 'xi',
    'http://www.w3.org/1999/xlink': 'xlink',
    'http://www.w3.org/XML/1998/namespace': 'xml',
    'http://www.w3.org/1998/Math/MathML': 'mml',
    'http://www.w3.org/2000/svg': 'svg',
    'http://www.w3.org/1999/xhtml': 'html',
    'http://docbook.org/ns/docbook': 'db',
};

/** The name as the author would write it at `el` (its prefixes), `xi:include` when undeclared. */
export function qualifiedName(ns: string, local: string, el: XmlElement | undefined, isAttribute: boolean): string {
    if (ns === '') return local;
    if (el) {
        if (!isAttribute && el.nsScope[''] === ns) return local;
        for (const prefix in el.nsScope) if (prefix !== '' && el.nsScope[prefix] === ns) return `${prefix}:${local}`;
    }
    const known = WELL_KNOWN_PREFIXES[ns];
    if (ns === 'http://docbook.org/ns/docbook' && !isAttribute) return local;
    return known ? `${known}:${local}` : `{${ns}}${local}`;
}

export function newWalker(schema: Schema): GrammarWalker<DefaultNameResolver> {
    // No ID checks: the book-aware duplicate-id does them (salve's would also be wrong after a resume
    // from a checkpoint: its set of ids seen is shared by every copy of a walker).
    ensureLazyWalkers();
    return schema.grammar.newWalker(new (salve().DefaultNameResolver)(), false);
}

/** Names offered by possible(): qualified names, and whether a name class is open (another namespace). */
export interface Expected {
    endTag: boolean;
    text: boolean;
    elements: { ns: string; local: string; documentation?: string }[];
    otherElements: boolean;
    attributes: { ns: string; local: string; documentation?: string }[];
    otherAttributes: boolean;
    values: { value: string; documentation?: string }[];
    /** A value pattern with a regular expression (a datatype), not a list of values. */
    openValues: boolean;
}

export function expectedOf(possible: EventSet): Expected {
    const x: Expected = {
        endTag: false, text: false, elements: [], otherElements: false, attributes: [], otherAttributes: false, values: [], openValues: false,
    };
    for (const ev of possible) {
        switch (ev.name) {
            case 'endTag': x.endTag = true; break;
            case 'text': x.text = true; break;
            case 'enterStartTag': case 'attributeName': {
                const names = ev.namePattern.simple() ? ev.namePattern.toArray() : null;
                const list = ev.name === 'enterStartTag' ? x.elements : x.attributes;
                if (!names) {
                    if (ev.name === 'enterStartTag') x.otherElements = true;
                    else x.otherAttributes = true;
                    break;
                }
                for (const n of names) list.push({ ns: n.ns, local: n.name, documentation: n.documentation });
                break;
            }
            case 'attributeValue':
                if (typeof ev.value === 'string') x.values.push({ value: ev.value, documentation: ev.documentation });
                else x.openValues = true;
                break;
            default: break;
        }
    }
    return x;
}

/**
 * salve's possible() can be broader than the schema (after a section, the blocks that may only come
 * before it): keep the elements that the walker really accepts, trying each on a copy.
 */
export function acceptedElements(walker: GrammarWalker<DefaultNameResolver>, x: Expected): Expected {
    // Only the innermost element's walkers see an enterStartTag (salve's _fireOnCurrentWalkers):
    // trying a copy of those is far cheaper than copying the whole walker.
    type Inner = { clone(): Inner; fireEvent(name: string, params: string[], resolver: unknown): { matched: boolean } };
    const stack = (walker as unknown as { elementWalkerStack?: Inner[][] }).elementWalkerStack;
    const top = Array.isArray(stack) && stack.length ? stack[stack.length - 1] : undefined;
    // Authors type `<` in the same few states again and again (in a para, in a list item): what
    // they accept is remembered by state, not tried anew on copies each time.
    const state: unknown = top ?? walker;
    const hash = walkerStateHash(state);
    const remembered = hash === undefined ? undefined : acceptedByState.get(hash);
    let accepted = remembered && sameWalkerState(state, remembered.state) ? remembered.accepted : undefined;
    if (!accepted) {
        accepted = new Set<string>();
        const accepts = (ns: string, local: string): boolean => {
            if (top) return top.some((w) => w.clone().fireEvent('enterStartTag', [ns, local], walker.nameResolver).matched);
            const r = walker.clone().fireEvent('enterStartTag', [ns, local]);
            return !r || r.length === 0;
        };
        const found = accepted;
        withoutLearning(() => {
            for (const n of x.elements) {
                const name = `${n.ns}\u0000${n.local}`;
                if (!found.has(name) && accepts(n.ns, n.local)) found.add(name);
            }
        });
        if (hash !== undefined) {
            acceptedByState.delete(hash);
            acceptedByState.set(hash, { state: top ? top.map((w) => w.clone()) : walker.clone(), accepted });
            if (acceptedByState.size > ACCEPTED_STATES) acceptedByState.delete(acceptedByState.keys().next().value!);
        }
    }
    const known = accepted;
    return { ...x, elements: x.elements.filter((n) => known.has(`${n.ns}\u0000${n.local}`)) };
}

const ACCEPTED_STATES = 64;
const acceptedByState = new Map<number, { state: unknown; accepted: Set<string> }>();

function orList(items: string[]): string {
    if (items.length <= 1) return items.join('');
    return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function sortedQuoted(names: { ns: string; local: string }[], el: XmlElement | undefined, isAttribute: boolean): string[] {
    const set = new Set(names.map((n) => qualifiedName(n.ns, n.local, el, isAttribute)));
    return [...set].sort().map((n) => `"${n}"`);
}

/** Jing's "; expected …" for element content. */
function expectedContent(x: Expected, el: XmlElement | undefined): string {
    const items: string[] = [];
    if (x.endTag) items.push('the element end-tag');
    if (x.text) items.push('text');
    const names = sortedQuoted(x.elements, el, false);
    if (names.length) items.push(`element ${orList(names)}`);
    if (x.otherElements) items.push('an element from another namespace');
    return items.length ? `; expected ${orList(items)}` : '';
}

function expectedAttributes(x: Expected, el: XmlElement): string {
    const names = sortedQuoted(x.attributes, el, true);
    if (!names.length) return '';
    return x.otherAttributes ? `; expected attribute ${orList(names)} or an attribute from another namespace` : `; expected attribute ${orList(names)}`;
}

function startTagSpan(el: XmlElement): { start: number; end: number } {
    return { start: el.start, end: Math.max(el.startTagEnd, el.start + 1 + el.name.length) };
}

function attributeSpan(a: { nameStart: number; name: string; valueStart: number; valueEnd: number }): { start: number; end: number } {
    return { start: a.nameStart, end: a.valueStart >= 0 ? a.valueEnd + 1 : a.nameStart + a.name.length };
}

// Checkpoints are bounded: at most MAX_CHECKPOINTS per file (spread evenly), none deeper than
// MAX_CHECKPOINT_DEPTH elements (a copy of a walker costs its depth: 100,000 nested sections must not
// keep millions of walkers).
export const MAX_CHECKPOINTS = 128;
export const MAX_CHECKPOINT_DEPTH = 64;

/** Start tags between two checkpoints: 32 (a keystroke walks about that many), or more in a file with many. */
export function checkpointSpacing(events: number): number {
    return Math.max(32, Math.ceil(events / 4 / MAX_CHECKPOINTS));
}

export function depthOf(walker: GrammarWalker<DefaultNameResolver>): number {
    const stack = (walker as unknown as { elementWalkerStack?: unknown[] }).elementWalkerStack;
    return Array.isArray(stack) ? stack.length : 0;
}

interface Checkpoint {
    /** The `<` of the start tag the walker is about to see. */
    offset: number;
    walker: Walker;
    /** Problems found before it. */
    problems: number;
    /** Names of the open elements there: the parser reads what follows the same way only under the same ones. */
    path: string;
}

/** Walker states of the last validation of an open file, to start the next one where the text changed. */
interface ValidationState {
    schema: Schema;
    text: string;
    checkpoints: Checkpoint[];
    /** Without the final "incompletely matched", which depends on the whole list. */
    problems: SchemaProblem[];
    endIncomplete: boolean;
    /** Start tags between checkpoints, from the whole file's events (a resumed run sees only the rest). */
    spacing: number;
}
const CACHED_FILES = 4;
const validations = new Map<string, ValidationState>();

/** Events the last validation walked: what a keystroke cost (tests, benchmarks). */
export const lastValidationCost = { walked: 0 };

function openPath(el: XmlElement): string {
    let path = '';
    for (let p = el.parent; p; p = p.parent) path += `${p.ns} ${p.local}\u0000`;
    return path;
}

function shifted(p: SchemaProblem, delta: number): SchemaProblem {
    return { ...p, start: p.start + delta, end: p.end + delta };
}

/**
 * Where an edit may let a validation stop early: the old checkpoints in the text after the edit,
 * when nothing in the edit can change how that text is read (namespace declarations).
 */
function convergencePoints(old: ValidationState, text: string, same: number): { delta: number; from: number } | undefined {
    if (old.problems.length >= MAX_SCHEMA_PROBLEMS) return undefined;
    const suffix = commonSuffixLength(old.text, text, Math.min(old.text.length, text.length) - same);
    const changedOld = old.text.slice(same, old.text.length - suffix);
    const changedNew = text.slice(same, text.length - suffix);
    if (changedOld.includes('xmlns') || changedNew.includes('xmlns')) return undefined;
    return { delta: text.length - old.text.length, from: old.text.length - suffix };
}

/**
 * Schema problems of a parsed DocBook file (the caller decides which files are checked). With a
 * `cacheKey` (an open file), the walker is kept at checkpoints, and the next validation of the same
 * key starts from the last checkpoint before the first changed character, and stops at the first
 * checkpoint after the change where the walker is as it was before it: a keystroke costs the
 * events between two checkpoints, not the rest of the file.
 */
export function validateDocument(doc: XmlDocument, schema: Schema, cacheKey?: string): SchemaProblem[] {
    const steps = validation(doc, schema, cacheKey);
    for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
    }
}

/**
 * validateDocument of a file that is not open, in slices of about `sliceMs` with a turn of the event
 * loop between them: the check of a closed file (a 275 KB glossary takes 40 ms) must not hold up a
 * keystroke's diagnostics while a cold workspace's are published.
 */
export async function validateDocumentInSlices(doc: XmlDocument, schema: Schema, sliceMs = 4): Promise<SchemaProblem[]> {
    const steps = validation(doc, schema, undefined);
    let sliceStart = performance.now();
    for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        if (performance.now() - sliceStart >= sliceMs) {
            await new Promise((resolve) => setImmediate(resolve));
            sliceStart = performance.now();
        }
    }
}

/** Events walked between two chances to pause (a few hundred microseconds). */
const EVENTS_PER_STEP = 256;

/** validateDocument as steps: it pauses every EVENTS_PER_STEP events and returns the problems. */
function* validation(doc: XmlDocument, schema: Schema, cacheKey: string | undefined): Generator<void, SchemaProblem[], void> {
    let events: SchemaEvent[] | undefined;
    let walker = newWalker(schema);
    let problems: SchemaProblem[] = [];
    const old = cacheKey === undefined ? undefined : validations.get(cacheKey);
    const state: ValidationState | undefined = cacheKey === undefined ? undefined
        : { schema, text: doc.text, checkpoints: [], problems: [], endIncomplete: false, spacing: 0 };
    let converge: { delta: number; from: number; next: number } | undefined;
    let resumed: Walker | undefined;
    if (old && state && old.schema === schema) {
        const same = commonPrefixLength(old.text, doc.text, doc.text.length);
        let i = old.checkpoints.length - 1;
        while (i >= 0 && old.checkpoints[i].offset >= same) i--;
        if (i >= 0) {
            const cp = old.checkpoints[i];
            resumed = cp.walker;
            walker = cp.walker.clone();
            problems = old.problems.slice(0, cp.problems);
            state.checkpoints = old.checkpoints.slice(0, i + 1);
            events = documentEvents(doc, false, cp.offset);
        }
        const points = convergencePoints(old, doc.text, same);
        if (points) {
            let next = i + 1;
            while (next < old.checkpoints.length && old.checkpoints[next].offset < points.from) next++;
            if (next < old.checkpoints.length) converge = { ...points, next };
        }
    }
    events ??= documentEvents(doc);
    // The walker one event behind, to ask what was expected where an event failed: made at the
    // first problem (most keystrokes find none), from the state the validation started in.
    let shadow: Walker | undefined;
    let shadowAt = 0;
    const caughtUp = (i: number): Walker => {
        shadow ??= resumed ? resumed.clone() : newWalker(schema);
        while (shadowAt < i) {
            const e = events![shadowAt++];
            shadow.fireEvent(e.name, salveParams(e));
        }
        return shadow;
    };
    const expectedBefore = (i: number): Expected => {
        const before = caughtUp(i);
        return acceptedElements(before, expectedOf(before.possible()));
    };
    let sinceCheckpoint = 0;
    let endIncomplete: boolean | undefined;
    lastValidationCost.walked = 0;
    const spacing = resumed && old ? old.spacing : checkpointSpacing(events.length);
    for (let i = 0; i < events.length; i++) {
        if (i % EVENTS_PER_STEP === EVENTS_PER_STEP - 1) yield;
        const e = events[i];
        if (converge && e.name === 'enterStartTag' && old) {
            const at = e.el.start - converge.delta;
            while (converge.next < old.checkpoints.length && old.checkpoints[converge.next].offset < at) converge.next++;
            const cp = old.checkpoints[converge.next];
            if (!cp) converge = undefined;
            else if (cp.offset === at && cp.path === openPath(e.el) && sameWalkerState(walker, cp.walker)) {
                // As before the edit from here on: the old answer, moved by the edit's length.
                const delta = converge.delta;
                const base = problems.length - cp.problems;
                for (const p of old.problems.slice(cp.problems)) problems.push(shifted(p, delta));
                if (state) {
                    for (const c of old.checkpoints.slice(converge.next)) {
                        state.checkpoints.push({ ...c, offset: c.offset + delta, problems: c.problems + base });
                    }
                }
                endIncomplete = old.endIncomplete;
                break;
            }
        }
        if (state && e.name === 'enterStartTag' && ++sinceCheckpoint >= spacing && state.checkpoints.length < MAX_CHECKPOINTS && depthOf(walker) <= MAX_CHECKPOINT_DEPTH) {
            state.checkpoints.push({ offset: e.el.start, walker: walker.clone(), problems: problems.length, path: openPath(e.el) });
            sinceCheckpoint = 0;
        }
        lastValidationCost.walked++;
        const result = walker.fireEvent(e.name, salveParams(e));
        if (!result || result.length === 0) continue;
        if (problems.length >= MAX_SCHEMA_PROBLEMS) break;
        if (e.name === 'enterStartTag') {
            // Jing's recovery: an element that would be allowed after a required one ("not allowed
            // yet") is taken as if that one had been there, so what follows is judged from there.
            const x = expectedBefore(i);
            const recovered = allowedAfterRequired(caughtUp(i), x, e);
            if (recovered) {
                walker = recovered;
                shadow = recovered.clone();
                shadowAt = i + 1;
                const name = qualifiedName(e.ns, e.local, e.el, false);
                problems.push({ message: `element "${name}" not allowed yet${expectedContent(x, e.el.parent)}`, ...startTagSpan(e.el), data: { kind: 'element', written: name, allowed: allowedNames(x, e.el) } });
                continue;
            }
        }
        if (e.name === 'attributeValue') {
            // Take the value as one the schema allows, so the element goes on as Jing's does (no
            // cascade of errors about its content).
            const allowed = expectedBefore(i).values;
            for (const v of allowed) {
                const w = caughtUp(i).clone();
                const r = w.fireEvent('attributeValue', [v.value]);
                if (r && r.length) continue;
                const p = describe(e, result, () => expectedBefore(i), schema);
                if (p) problems.push(p);
                walker = w;
                shadow = w.clone();
                shadowAt = i + 1;
                break;
            }
            if (shadowAt === i + 1) continue;
        }
        const p = describe(e, result, () => expectedBefore(i), schema, () => caughtUp(i));
        if (p) problems.push(p);
    }
    if (endIncomplete === undefined) {
        const end = walker.end();
        endIncomplete = end !== false && end.length > 0;
    }
    if (state && cacheKey !== undefined) {
        state.problems = problems;
        state.endIncomplete = endIncomplete;
        state.spacing = spacing;
        // Edits that keep adding start tags before the old checkpoints could grow the list.
        if (state.checkpoints.length > MAX_CHECKPOINTS) state.checkpoints = state.checkpoints.filter((_c, i) => i % 2 === 0);
        validations.delete(cacheKey);
        validations.set(cacheKey, state);
        while (validations.size > CACHED_FILES) validations.delete(validations.keys().next().value!);
    }
    if (endIncomplete && doc.root && problems.length === 0) {
        return [{ message: 'document incompletely matched', ...startTagSpan(doc.root) }];
    }
    return problems;
}

/**
 * The last checkpoint of the file's last validation before `at` in `text` (a newer text), when the
 * walker there saw exactly the events of the text before it (no problem recovered before it): what
 * a completion at `at` can start from instead of the start of the file.
 */
export function validationCheckpointBefore(cacheKey: string, schema: Schema, text: string, at: number): { offset: number; walker: Walker } | undefined {
    const state = validations.get(cacheKey);
    if (!state || state.schema !== schema) return undefined;
    const same = commonPrefixLength(state.text, text, at);
    for (let i = state.checkpoints.length - 1; i >= 0; i--) {
        const cp = state.checkpoints[i];
        if (cp.offset < same && cp.problems === 0) return cp;
    }
    return undefined;
}

/** Forgets the walker states kept for a file (closed in the editor). */
export function forgetValidation(cacheKey: string): void {
    validations.delete(cacheKey);
}

type Walker = GrammarWalker<DefaultNameResolver>;

function allowedNames(x: Expected, el: XmlElement): string[] {
    return [...new Set(x.elements.map((n) => qualifiedName(n.ns, n.local, el.parent, false)))];
}

/**
 * A walker where a required element (title first, as an author most often forgets it) was given
 * empty just before `e`, and `e` then entered; undefined when no such element lets `e` in.
 */
function allowedAfterRequired(before: Walker, x: Expected, e: Extract<SchemaEvent, { name: 'enterStartTag' }>): Walker | undefined {
    if (x.endTag) return undefined;
    const candidates = [...x.elements].sort((a, b) => (a.local === 'title' ? 0 : 1) - (b.local === 'title' ? 0 : 1)).slice(0, 12);
    return withoutLearning(() => {
        for (const r of candidates) {
            const w = before.clone();
            const ok = !w.fireEvent('enterStartTag', [r.ns, r.local]) && !w.fireEvent('leaveStartTag', []) && !w.fireEvent('endTag', [r.ns, r.local])
                && !w.fireEvent('enterStartTag', [e.ns, e.local]);
            if (ok) return w;
        }
        return undefined;
    });
}

/** The expected elements after which the element can end: Jing's "missing required element". */
function completingElements(before: Walker, x: Expected, e: Extract<SchemaEvent, { name: 'endTag' }>): { ns: string; local: string }[] {
    const out: { ns: string; local: string }[] = [];
    const seen = new Set<string>();
    withoutLearning(() => {
        for (const r of x.elements) {
            const key = `${r.ns}\u0000${r.local}`;
            if (seen.has(key) || seen.size > 80) continue;
            seen.add(key);
            const w = before.clone();
            w.fireEvent('enterStartTag', [r.ns, r.local]);
            w.fireEvent('leaveStartTag', []);
            w.fireEvent('endTag', [r.ns, r.local]);
            const end = w.fireEvent('endTag', [e.ns, e.local]);
            if (!end || end.length === 0) out.push(r);
        }
    });
    return out;
}

function describe(
    e: SchemaEvent, errors: readonly ValidationError[], expected: () => Expected, schema: Schema, before?: () => Walker,
): SchemaProblem | undefined {
    switch (e.name) {
        case 'enterStartTag': {
            const x = expected();
            const name = qualifiedName(e.ns, e.local, e.el, false);
            const known = schema.elementNames.get(e.ns)?.has(e.local) ?? false;
            const allowed = allowedNames(x, e.el);
            return {
                message: `element "${name}" not allowed ${known ? 'here' : 'anywhere'}${expectedContent(x, e.el.parent)}`,
                ...startTagSpan(e.el),
                data: { kind: 'element', written: name, allowed },
            };
        }
        case 'attributeName': {
            const x = expected();
            const name = e.attr.name;
            if (!x.attributes.length && !x.otherAttributes) {
                return { message: `found attribute "${name}", but no attributes allowed here`, ...attributeSpan(e.attr) };
            }
            const present = new Set(e.el.attrs.map((a) => a.name));
            const allowed = [...new Set(x.attributes.map((n) => qualifiedName(n.ns, n.local, e.el, true)))].filter((n) => !present.has(n));
            return {
                message: `attribute "${name}" not allowed here${expectedAttributes(x, e.el)}`,
                ...attributeSpan(e.attr),
                data: { kind: 'attribute', written: name, allowed },
            };
        }
        case 'attributeValue': {
            const x = expected();
            const values = [...new Set(x.values.map((v) => v.value))].sort();
            const detail = values.length && !x.openValues ? `; must be equal to ${orList(values.map((v) => `"${v}"`))}` : '';
            return {
                message: `value of attribute "${e.attr.name}" is invalid${detail}`,
                start: e.attr.valueStart >= 0 ? e.attr.valueStart : e.attr.nameStart,
                end: e.attr.valueStart >= 0 ? e.attr.valueEnd : e.attr.nameStart + e.attr.name.length,
                data: values.length && !x.openValues ? { kind: 'value', attribute: e.attr.name, written: e.value, allowed: values } : undefined,
            };
        }
        case 'leaveStartTag': {
            const missing = errors.flatMap((err) => err.getNames().flatMap((n) => n.simple() ? (n.toArray() ?? []) : []))
                .map((n) => `"${qualifiedName(n.ns, n.name, e.el, true)}"`);
            const name = qualifiedName(e.el.ns, e.el.local, e.el, false);
            const unique = [...new Set(missing)];
            const message = unique.length === 1 ? `element "${name}" missing required attribute ${unique[0]}`
                : unique.length > 1 ? `element "${name}" missing required attributes ${orList(unique).replace(/ or ([^,]*)$/, ' and $1')}`
                : `element "${name}" missing one or more required attributes`;
            return { message, ...startTagSpan(e.el) };
        }
        case 'text': {
            const x = expected();
            return { message: `text not allowed here${expectedContent(x, undefined)}`, start: e.start, end: e.end };
        }
        case 'endTag': {
            const x = expected();
            const name = qualifiedName(e.ns, e.local, e.el, false);
            const required = sortedQuoted(before && !x.text ? completingElements(before(), x, e) : [], e.el, false);
            const message = required.length === 1 && !x.otherElements ? `element "${name}" incomplete; missing required element ${required[0]}`
                : `element "${name}" incomplete${expectedContent({ ...x, endTag: false }, e.el)}`;
            const span = e.el.selfClosing ? startTagSpan(e.el) : { start: e.el.contentEnd, end: e.el.end };
            return { message, ...span };
        }
    }
}
