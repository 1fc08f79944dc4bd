// Whether two salve walkers are in the same state: then the same events from there on give the same
// answers, so a validation that meets, after an edit, a walker state it had before the edit can take
// the rest of the old answer instead of walking on to the end of the file.
//
// A structural comparison of salve's walker objects. The grammar's patterns are shared by every
// walker of a schema (and cyclic), so they are equal only when identical; everything else
// (sub-walkers, flags, events and the names made for them, the name resolver's contexts) is compared
// field by field. "Different" is always a
// safe answer (the validation just walks on): anything unexpected, or too deep, is different.

import { salve } from './salve';

const MAX_DEPTH = 2000;

export function sameWalkerState(a: unknown, b: unknown): boolean {
    return same(a, b, 0);
}

function same(a: unknown, b: unknown, depth: number, BasePattern = salve().BasePattern): boolean {
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
        // NaN never occurs in walker state; anything else primitive must be identical.
        return false;
    }
    if (depth > MAX_DEPTH) return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (a instanceof BasePattern) return false;
    if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags;
    if (Array.isArray(a)) {
        const other = b as unknown[];
        if (a.length !== other.length) return false;
        for (let i = 0; i < a.length; i++) if (!same(a[i], other[i], depth + 1, BasePattern)) return false;
        return true;
    }
    if (a instanceof Set) {
        const other = b as Set<unknown>;
        if (a.size !== other.size) return false;
        for (const x of a) if (!other.has(x)) return false;
        return true;
    }
    if (a instanceof Map) {
        const other = b as Map<unknown, unknown>;
        if (a.size !== other.size) return false;
        for (const [k, v] of a) if (!other.has(k) || !same(v, other.get(k), depth + 1, BasePattern)) return false;
        return true;
    }
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const k of ka) {
        if (!Object.prototype.hasOwnProperty.call(rb, k)) return false;
        if (!same(ra[k], rb[k], depth + 1, BasePattern)) return false;
    }
    return true;
}

const patternIds = new WeakMap<object, number>();
let nextPatternId = 0;
// Fields of a walker that its pattern (`el`) determines (RefWalker's element and names, the data
// walkers' datatype, OneOrMoreWalker's subpattern): not state.
const DERIVED_FROM_PATTERN = new Set(['element', 'startName', 'startTagEvent', 'datatype', 'params', 'except', 'subPat']);

function idOf(o: object): number {
    let id = patternIds.get(o);
    if (id === undefined) patternIds.set(o, id = nextPatternId++);
    return id;
}

function mix(h: number, x: number): number {
    return Math.imul(h ^ x, 16777619) >>> 0;
}

function hashString(h: number, s: string): number {
    for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
    return mix(h, 0xff);
}

/**
 * A hash of a walker's state that is the same for two walkers when sameWalkerState holds (patterns
 * by identity, the rest by value, names and events without their documentation, what a walker's
 * pattern determines skipped): a key to remember what was computed for a state, to be confirmed with
 * sameWalkerState. undefined when the state holds something unexpected or is too deep.
 */
export function walkerStateHash(walker: unknown): number | undefined {
    const { BaseName, BasePattern, Event, Name, ValueEvent } = salve();
    let ok = true;
    const visit = (h: number, v: unknown, depth: number): number => {
        if (!ok) return h;
        if (depth > MAX_DEPTH) { ok = false; return h; }
        if (v === undefined) return mix(h, 1);
        if (v === null) return mix(h, 2);
        switch (typeof v) {
            case 'boolean': return mix(h, v ? 3 : 4);
            case 'number': return mix(mix(h, 5), v | 0);
            case 'string': return hashString(mix(h, 6), v);
            case 'object': break;
            default: ok = false; return h;
        }
        if (v instanceof BasePattern || v instanceof BaseName && !(v instanceof Name)) return mix(mix(h, 7), idOf(v));
        if (v instanceof Name) return hashString(hashString(mix(h, 8), v.ns), v.name);
        if (v instanceof RegExp) return hashString(mix(h, 9), v.source);
        if (v instanceof ValueEvent) return visit(hashString(mix(h, 10), v.name), v.value, depth + 1);
        if (v instanceof Event) return visit(hashString(mix(h, 11), v.name), (v as unknown as { namePattern?: unknown }).namePattern, depth + 1);
        if (v instanceof Set || v instanceof Map) { ok = false; return h; }
        if (Array.isArray(v)) {
            h = mix(mix(h, 12), v.length);
            for (const x of v) h = visit(h, x, depth + 1);
            return h;
        }
        const proto = Object.getPrototypeOf(v) as object | null;
        h = mix(mix(h, 13), proto === null ? 0 : idOf(proto));
        const record = v as Record<string, unknown>;
        const derived = record.el instanceof BasePattern;
        for (const k in record) {
            if (!Object.prototype.hasOwnProperty.call(record, k) || derived && DERIVED_FROM_PATTERN.has(k)) continue;
            h = visit(h, record[k], depth + 1);
        }
        return h;
    };
    const h = visit(2166136261, walker, 0);
    return ok ? h : undefined;
}
