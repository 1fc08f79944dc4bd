// Lazy content walkers for salve: the one place that reaches into salve's internals (salve-annos
// 1.2.4, pinned exactly in package.json: the walker classes, their fields and InternalFireEventResult
// are not public API).
//
// Why: salve builds, for every element entered and for every repetition of a `zeroOrMore`, a walker
// for the whole content model, and DocBook's models are large choices (every inline element, some
// forty optional attributes): entering a <literal> built some 300 walker objects, of which the event
// then touched one path, and the rest was garbage. Here the walker of a compound pattern (choice,
// group, interleave, oneOrMore) starts as a placeholder that stands for the pattern's untouched walker
// and is built only when an event does something to it.
//
// What the untouched walker of a pattern does with an event depends on the pattern and the event
// only (Jing's derivatives rest on the same fact), so it is learnt once per process, on a throw-away
// walker: an answer without errors that leaves the walker as it was built (stillUntouched) is
// answered again without building anything; an answer without errors that changes it is answered
// again with a copy of the walker it became; an answer with errors is walked each time. Every answer
// is salve's own, and every walker state one salve reaches.
//
// Text and attribute values: an untouched walker looks at a value only through data, value and list
// patterns (an empty pattern or an optional choice only asks whether it is all whitespace, an
// attribute that has not seen its name ignores it), so what is learnt for a value is keyed by
// "whitespace or not" where none of those is reachable, and not learnt at all where one is; no other
// event looks at the name resolver.

import type { Name } from 'salve-annos';
import type * as SalvePatterns from 'salve-annos/lib/salve/patterns';
import { salve } from './salve';
import { sameWalkerState } from './walkerState';

/** salve's internal walker interface (patterns/base.d.ts). */
interface InnerWalker {
    canEnd: boolean;
    canEndAttribute: boolean;
    fireEvent(name: string, params: string[], nameResolver: unknown): FireResult;
    end(): false | unknown[];
    endAttributes(): false | unknown[];
    possible(): Set<unknown>;
    possibleAttributes(): Set<unknown>;
    clone(): InnerWalker;
}

/** salve's InternalFireEventResult. */
interface FireResult {
    matched: boolean;
    errors?: unknown[];
    refs?: unknown[];
    datatype?: unknown;
}

type ResultClass = new (matched: boolean, errors?: unknown[], refs?: unknown[], datatype?: unknown) => FireResult;

interface PatternLike {
    newWalker(): InnerWalker;
}

/** What is known of the untouched walker of one pattern (one with a placeholder). */
interface PatternInfo {
    build: () => InnerWalker;
    canEnd: boolean;
    canEndAttribute: boolean;
    /** A data, value or list pattern is reachable: the value of a text event matters. */
    readsValues: boolean;
    /** Per event key: what the untouched walker does with it, or UNKNOWABLE. */
    outcomes: Map<number, Outcome | typeof UNKNOWABLE>;
}

/**
 * What an untouched walker does with an event (or end): its answer without errors (an error is not
 * remembered), and the walker it becomes, undefined when it stays untouched.
 */
class Outcome {
    constructor(
        readonly matched: boolean,
        readonly refs: unknown[] | undefined,
        readonly datatype: unknown,
        /** Never given out nor changed: a copy of it is. */
        readonly after: InnerWalker | undefined,
    ) {}
}

/** The answer had errors: each time on a walker of its own. */
const UNKNOWABLE = Symbol('unknowable');
let infos = new WeakMap<object, PatternInfo | false>();
/** salve's newWalker of each class with placeholders, by prototype. */
const originals = new Map<object, () => InnerWalker>();
/** Below this many patterns (not counting those behind a ref) a placeholder saves nothing. */
const MIN_LAZY_SIZE = 4;

let FireEventResult: ResultClass;
let learning = true;
let enabled = true;

/** Tests: placeholders off (salve's own walkers, to compare with) or on; what was learnt forgotten. */
export function setLazyWalkers(on: boolean, forget = false): void {
    enabled = on;
    if (forget) infos = new WeakMap();
}

/**
 * Runs `explore` (tries of events that a validation will rarely see: every name offered at a point)
 * without learning what untouched walkers do: what is known is used, the rest is walked as salve
 * does. Learning costs several walks of the pattern, worth it only for what recurs.
 */
export function withoutLearning<T>(explore: () => T): T {
    const was = learning;
    learning = false;
    try {
        return explore();
    } finally {
        learning = was;
    }
}
type PatternClass = abstract new (...args: never[]) => unknown;
let classes: Record<'Choice' | 'Group' | 'Interleave' | 'OneOrMore' | 'Attribute' | 'Ref' | 'Empty' | 'Text' | 'NotAllowed', PatternClass>;

let installed = false;

/** Installs the placeholders on salve's compound patterns, once per process: before the first walker is made. */
export function ensureLazyWalkers(): void {
    if (installed) return;
    installed = true;
    const { EnterStartTagEvent } = salve();
    /* eslint-disable @typescript-eslint/no-require-imports -- salve's internals, loaded with salve (salve.ts) */
    const s = require('salve-annos/lib/salve/patterns') as typeof SalvePatterns;
    const { InternalFireEventResult } = require('salve-annos/lib/salve/patterns/base') as typeof import('salve-annos/lib/salve/patterns/base');
    const { RefWalker } = require('salve-annos/lib/salve/patterns/ref') as typeof import('salve-annos/lib/salve/patterns/ref');
    /* eslint-enable @typescript-eslint/no-require-imports */
    FireEventResult = InternalFireEventResult as unknown as ResultClass;
    // Every ref walker salve builds has an event of its own, so what possible() gathers (a Set of
    // events) holds a name once per ref walker that offers it, and that count shows (the first
    // names tried for a recovery). Copies of one learnt walker share their events: each possible()
    // makes a new one, so that the count stays salve's.
    (RefWalker.prototype as unknown as { possible(): Set<unknown> }).possible = function possible(this: { canEnd: boolean; startName: Name }) {
        return new Set(this.canEnd ? undefined : [new EnterStartTagEvent(this.startName)]);
    };
    classes = s as unknown as typeof classes;
    const { Choice, Group, Interleave, OneOrMore } = s;
    for (const cls of [Choice, Group, Interleave, OneOrMore] as unknown as { prototype: PatternLike }[]) {
        const original = cls.prototype.newWalker;
        originals.set(cls.prototype, original);
        cls.prototype.newWalker = function newWalker(this: PatternLike): InnerWalker {
            if (!enabled) return original.call(this);
            const info = infoOf(this, original);
            return info ? new LazyWalker(this, undefined, info.canEnd, info.canEndAttribute) as unknown as InnerWalker : original.call(this);
        };
    }
}

/** The pattern's info; false for a pattern too small for a placeholder. */
function infoOf(pattern: PatternLike, original: () => InnerWalker): PatternInfo | false {
    const known = infos.get(pattern);
    if (known !== undefined) return known;
    let info: PatternInfo | false = false;
    if (sizeOf(pattern, 0) >= MIN_LAZY_SIZE) {
        const build = (): InnerWalker => original.call(pattern);
        const untouched = build(); // for its flags, which its parent reads as soon as it is made
        info = {
            build,
            canEnd: untouched.canEnd,
            canEndAttribute: untouched.canEndAttribute,
            readsValues: readsValues(pattern),
            outcomes: new Map(),
        };
    }
    infos.set(pattern, info);
    return info;
}

interface PatternNode { pat?: PatternNode; patA?: PatternNode; patB?: PatternNode }

function isTwoSubpatterns(p: unknown): p is Required<Pick<PatternNode, 'patA' | 'patB'>> {
    return p instanceof classes.Choice || p instanceof classes.Group || p instanceof classes.Interleave;
}

/** Patterns under `pattern` that one walker builds (refs and attributes count one, their insides not). */
function sizeOf(pattern: unknown, size: number): number {
    if (size >= MIN_LAZY_SIZE) return size;
    if (isTwoSubpatterns(pattern)) return sizeOf(pattern.patB, sizeOf(pattern.patA, size + 1));
    if (pattern instanceof classes.OneOrMore) return sizeOf((pattern as PatternNode).pat, size + 1);
    return size + 1;
}

const readsValuesOf = new WeakMap<object, boolean>();

/** Whether an untouched walker of the pattern may look at a text or attribute value beyond "all whitespace". */
function readsValues(pattern: unknown): boolean {
    const known = readsValuesOf.get(pattern as object);
    if (known !== undefined) return known;
    const reads = readsValuesUncached(pattern);
    readsValuesOf.set(pattern as object, reads);
    return reads;
}

function readsValuesUncached(pattern: unknown): boolean {
    if (isTwoSubpatterns(pattern)) return readsValues(pattern.patA) || readsValues(pattern.patB);
    if (pattern instanceof classes.OneOrMore) return readsValues((pattern as PatternNode).pat);
    // An attribute that has not seen its name, and a ref, ignore values; empty and text only test whitespace.
    const { Attribute, Ref, Empty, Text, NotAllowed } = classes;
    return !(pattern instanceof Attribute || pattern instanceof Ref || pattern instanceof Empty || pattern instanceof Text || pattern instanceof NotAllowed);
}

const EVENT_KEY = Symbol('lazyWalkerEventKey');
type KeyedParams = string[] & { [EVENT_KEY]?: { name: string; key: number | undefined; valueKey: number | undefined } };
const keyIds = new Map<string, number>();
/** Keys of what is done at the end of a walker's input, as opposed to an event. */
const END = -1;
const END_ATTRIBUTES = -2;

/**
 * Names are the author's: a long session of half-typed and mistyped names must not grow what is
 * learnt without bound, so past this many keys a new one is walked, not learnt.
 */
const MAX_EVENT_KEYS = 20_000;

function keyId(key: string): number | undefined {
    let id = keyIds.get(key);
    if (id === undefined) {
        if (keyIds.size >= MAX_EVENT_KEYS) return undefined;
        keyIds.set(key, id = keyIds.size);
    }
    return id;
}

/**
 * The key under which what an untouched walker does with this event is learnt; undefined: not learnt.
 * Kept on the event's parameters, which salve hands down the whole walker tree: one look-up of the
 * event per event, not one per walker.
 */
function eventKey(name: string, params: string[], info: PatternInfo): number | undefined {
    let known = (params as KeyedParams)[EVENT_KEY];
    if (known === undefined || known.name !== name) {
        let key: number | undefined;
        let valueKey: number | undefined;
        switch (name) {
            case 'enterStartTag': case 'endTag': case 'attributeName': key = keyId(`${name}\u0000${params[0]}\u0000${params[1]}`); break;
            case 'leaveStartTag': key = keyId(name); break;
            case 'text': case 'attributeValue': valueKey = keyId(/\S/.test(params[0]) ? `${name}\u0000text` : `${name}\u0000space`); break;
            default: break;
        }
        known = (params as KeyedParams)[EVENT_KEY] = { name, key, valueKey };
    }
    return known.valueKey === undefined ? known.key : info.readsValues ? undefined : known.valueKey;
}

/**
 * The walker of a compound pattern, built on first need: `real` is undefined while it stands for the
 * untouched walker, and every call goes to `real` once it is built. canEnd and canEndAttribute are
 * read by the parent walkers as fields: kept equal to real's after each call.
 */
class LazyWalker {
    constructor(
        readonly el: PatternLike,
        private real: InnerWalker | undefined,
        public canEnd: boolean,
        public canEndAttribute: boolean,
    ) {}

    private info(): PatternInfo {
        // Made again after setLazyWalkers forgot it (a placeholder made before).
        return (infos.get(this.el) ?? infoOf(this.el, originals.get(Object.getPrototypeOf(this.el))!)) as PatternInfo;
    }

    /** Whether it still stands for the untouched walker of its pattern. */
    untouched(): boolean {
        return this.real === undefined;
    }

    private built(): InnerWalker {
        return this.real ??= this.info().build();
    }

    private settled<T>(real: InnerWalker, result: T): T {
        this.canEnd = real.canEnd;
        this.canEndAttribute = real.canEndAttribute;
        return result;
    }

    clone(): LazyWalker {
        return new LazyWalker(this.el, this.real?.clone(), this.canEnd, this.canEndAttribute);
    }

    fireEvent(name: string, params: string[], nameResolver: unknown): FireResult {
        const real = this.real;
        if (real) return this.settled(real, real.fireEvent(name, params, nameResolver));
        const info = this.info();
        const key = eventKey(name, params, info);
        if (key !== undefined) {
            const known = info.outcomes.get(key);
            if (known === undefined) {
                if (learning) return this.learn(info, key, (w) => w.fireEvent(name, params, nameResolver), fireOutcome);
            } else if (known !== UNKNOWABLE) {
                if (known.after) this.settled(this.real = known.after.clone(), undefined);
                return new FireEventResult(known.matched, undefined, known.refs, known.datatype);
            }
        }
        const built = this.built();
        return this.settled(built, built.fireEvent(name, params, nameResolver));
    }

    end(): false | unknown[] {
        return this.ending(END, (w) => w.end());
    }

    endAttributes(): false | unknown[] {
        return this.ending(END_ATTRIBUTES, (w) => w.endAttributes());
    }

    private ending(key: number, call: (w: InnerWalker) => false | unknown[]): false | unknown[] {
        const real = this.real;
        if (real) return this.settled(real, call(real));
        const info = this.info();
        const known = info.outcomes.get(key);
        if (known === undefined) {
            if (learning) return this.learn(info, key, call, endOutcome);
        } else if (known !== UNKNOWABLE) {
            if (known.after) this.settled(this.real = known.after.clone(), undefined);
            return false;
        }
        const built = this.built();
        return this.settled(built, call(built));
    }

    /**
     * The first time the untouched walker of this pattern gets this event (or end): on a throw-away
     * walker, which becomes this one's real walker unless it is left untouched. Remembered: the
     * answer, unless it has errors, and what the walker became.
     */
    private learn<T>(info: PatternInfo, key: number, call: (w: InnerWalker) => T, outcomeOf: (result: T) => Outcome | undefined): T {
        const probe = info.build();
        const result = call(probe);
        const errorless = outcomeOf(result);
        if (!errorless) {
            info.outcomes.set(key, UNKNOWABLE);
        } else if (stillUntouched(probe, info.build())) {
            info.outcomes.set(key, errorless);
            return result;
        } else {
            info.outcomes.set(key, new Outcome(errorless.matched, errorless.refs, errorless.datatype, probe.clone()));
        }
        this.real = probe;
        return this.settled(probe, result);
    }

    // What an untouched walker offers: asked of a throw-away one (salve's possible() may build the
    // next iteration of a oneOrMore, a change that alters nothing the walker does).
    possible(): Set<unknown> {
        return (this.real ?? this.info().build()).possible();
    }

    possibleAttributes(): Set<unknown> {
        return (this.real ?? this.info().build()).possibleAttributes();
    }
}

/**
 * Whether a throw-away walker is still as it was built, field by field: a placeholder child by its
 * flags (it stays a placeholder only when the event left its own walker untouched), anything else
 * with sameWalkerState. What sameWalkerState would say, without walking the placeholders' patterns.
 */
function stillUntouched(probe: InnerWalker, untouched: InnerWalker): boolean {
    if (Object.getPrototypeOf(probe) !== Object.getPrototypeOf(untouched)) return false;
    const a = probe as unknown as Record<string, unknown>;
    const b = untouched as unknown as Record<string, unknown>;
    const keys = Object.keys(b);
    if (Object.keys(a).length !== keys.length) return false;
    for (const k of keys) {
        const x = a[k];
        const y = b[k];
        if (x === y) continue;
        if (x instanceof LazyWalker && y instanceof LazyWalker) {
            if (x.el !== y.el || !x.untouched() || !y.untouched() || x.canEnd !== y.canEnd || x.canEndAttribute !== y.canEndAttribute) return false;
        } else if (!Object.prototype.hasOwnProperty.call(a, k) || !sameWalkerState(x, y)) {
            return false;
        }
    }
    return true;
}

// The refs of an answer are the ref walkers that took an element: salve's GrammarWalker asks them
// for their element pattern only, so those of the walker that learnt the outcome serve every copy.
function fireOutcome(r: FireResult): Outcome | undefined {
    return r.errors === undefined ? new Outcome(r.matched, r.refs, r.datatype, undefined) : undefined;
}

function endOutcome(r: false | unknown[]): Outcome | undefined {
    return r === false ? new Outcome(true, undefined, undefined, undefined) : undefined;
}
