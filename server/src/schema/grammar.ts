// Loading RELAX NG grammars for salve (salve-annos): the DocBook 5.1CR1 schema shipped in the package,
// compiled at build time (scripts/compileSchema.mjs) to salve's JSON form, and any other schema a
// setting or an `<?xml-model?>` names, compiled once at run time and kept in memory.
//
// Nothing here is fetched: a schema and the files it includes are read from disk only.

import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Grammar } from 'salve-annos';
import { salve } from './salve';

/** Documentation of the schema's names (`a:documentation`), by local name. */
export interface SchemaDocs {
    elements: Record<string, string>;
    attributes: Record<string, string>;
}

export interface Schema {
    /** The .rng file it was compiled from (for messages). */
    source: string;
    grammar: Grammar;
    docs: SchemaDocs;
    /** Local names of every element the schema defines, by namespace URI. */
    elementNames: Map<string, Set<string>>;
}

/** The compiled form as stored in schemas/compiled/*.json. */
export interface CompiledSchemaFile {
    licence: string;
    docs: SchemaDocs;
    grammar: SharedGrammar;
}

/**
 * salve's JSON form (version 3) with each distinct subpattern stored once (`shareSubpatterns`).
 * Simplification inlines every define but the elements' own, so DocBook's tree has 166,000
 * patterns of which ~4,000 differ (the common attributes copied into each of 397 elements): read
 * as a tree it took ~160 ms (JSON.parse of 2.5 MB, then salve's reader), a block that requests
 * arriving after 'ready' waited behind.
 */
export interface SharedGrammar {
    /** The format's version (COMPILED_FORMAT). */
    shared: number;
    /** salve's options bits (`o`). */
    options: number;
    /**
     * Patterns, each after the ones it contains: `[kind, ...args]` as in salve's form, where a
     * contained pattern is the number `-1 - its index` (salve's own numbers are never negative).
     * The last is the grammar.
     */
    nodes: unknown[][];
}

/** Changes when SharedGrammar does, so that `npm run build` recompiles the built-in schema. */
export const COMPILED_FORMAT = 1;

/** The file name of the compiled built-in schema, under schemas/compiled/ at the package root. */
export const BUILTIN_SCHEMA_FILE = 'docbookxi.json';

// ---- compiling a .rng ---------------------------------------------------------------------------

interface SimplifiedNode { kind?: string; local?: string; documentation?: string; children?: SimplifiedNode[]; text?: string }

/** Reads `file:` URLs only: a schema that includes a URL is refused, never fetched. */
const fileOnlyLoader = {
    load(url: URL): Promise<{ url: URL; getText(): Promise<string> }> {
        if (url.protocol !== 'file:') return Promise.reject(new Error(`${url.href}: only local schema files are read`));
        return fs.promises.readFile(url, 'utf8').then((text) => ({ url, getText: () => Promise.resolve(text) }));
    },
};

/** Compiles a RELAX NG schema (XML syntax) file; rejects with a readable message when it cannot. */
export async function compileRngFile(file: string): Promise<{ compiled: CompiledSchemaFile; schema: Schema }> {
    const result = await salve().convertRNGToPattern(pathToFileURL(file), {
        createManifest: false, manifestHashAlgorithm: 'SHA-1', resourceLoader: fileOnlyLoader, idCheck: false,
    });
    const docs = collectDocs(result.simplified as unknown as SimplifiedNode);
    const grammar = shareSubpatterns(JSON.parse(salve().writeTreeToJSON(result.simplified, 3)) as SalveJsonTree);
    const compiled: CompiledSchemaFile = { licence: licenceOf(result.schemaText ?? ''), docs, grammar };
    // Through the JSON form, as the built-in schema is loaded: the freshly compiled pattern's
    // element keys carry raw documentation text that is not JSON.
    return { compiled, schema: loadCompiled(file, compiled) };
}

/** The first comment of the schema (DocBook's copyright and permission paragraph). */
function licenceOf(text: string): string {
    const m = /<!--([\s\S]*?)-->/.exec(text);
    return m ? m[1].trim() : '';
}

/** `element`/`attribute` patterns of the simplified schema carry their documentation on their `name`. */
function collectDocs(root: SimplifiedNode): SchemaDocs {
    const docs: SchemaDocs = { elements: {}, attributes: {} };
    const stack: SimplifiedNode[] = [root];
    while (stack.length) {
        const node = stack.pop()!;
        if (node.kind !== 'element' || !node.children) continue;
        if (node.local === 'element' || node.local === 'attribute') {
            const name = node.children[0];
            const local = name?.local === 'name' ? name.children?.map((c) => c.text ?? '').join('').trim() : undefined;
            const doc = name?.documentation?.replace(/\s+/g, ' ').trim();
            const table = node.local === 'element' ? docs.elements : docs.attributes;
            if (local && doc && !table[local]) table[local] = doc;
        }
        for (const c of node.children) stack.push(c);
    }
    return docs;
}

function makeSchema(source: string, grammar: Grammar, docs: SchemaDocs): Schema {
    const elementNames = new Map<string, Set<string>>();
    for (const key of Object.keys(grammar.elementDefinitions)) {
        // Keys are name classes as JSON; the simple ones are `{"ns":…,"name":…}`.
        let name: { ns?: string; name?: string };
        try {
            name = JSON.parse(key) as { ns?: string; name?: string };
        } catch {
            continue;
        }
        if (typeof name.ns !== 'string' || typeof name.name !== 'string') continue;
        let set = elementNames.get(name.ns);
        if (!set) elementNames.set(name.ns, set = new Set());
        set.add(name.name);
    }
    return { source, grammar, docs, elementNames };
}

export function loadCompiled(source: string, compiled: CompiledSchemaFile): Schema {
    return finish(loadCompiledSteps(source, compiled));
}

/** Loads a compiled schema in steps of a few tens of milliseconds: the generator yields between them. */
function* loadCompiledSteps(source: string, compiled: CompiledSchemaFile): Generator<void, Schema> {
    const grammar = yield* readSharedGrammarSteps(compiled.grammar);
    yield;
    return makeSchema(source, grammar, compiled.docs);
}

function finish<T>(steps: Generator<void, T>): T {
    for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
    }
}

// ---- salve's JSON form with shared subpatterns --------------------------------------------------

interface SalveJsonTree { v: number; o: number; d: unknown[] }

// salve's kinds (json-format/common.js): an Element, Define or Grammar stays one object per
// occurrence, as salve's reader makes it (Grammar.elementDefinitions lists elements, not names).
const ARRAY = 0, DATA = 2, ONE_OR_MORE = 9, CHOICE = 10, GROUP = 11, ATTRIBUTE = 12, ELEMENT = 13, DEFINE = 14, GRAMMAR = 15;
const INTERLEAVE = 17, NAME = 18, NAME_CHOICE = 19, NS_NAME = 20, ANY_NAME = 21;
const UNSHARED = new Set([ELEMENT, DEFINE, GRAMMAR]);

/** The tree of `writeTreeToJSON(…, 3)` as a SharedGrammar (~130 ms for DocBook, against seconds of compiling). */
export function shareSubpatterns(tree: SalveJsonTree): SharedGrammar {
    if (tree.v !== 3) throw new Error(`salve's JSON form version ${tree.v} is not the expected 3`);
    const nodes: unknown[][] = [];
    const indexOfNode = new Map<string, number>();
    const encode = (x: unknown): unknown => {
        if (!Array.isArray(x)) {
            if (typeof x === 'number' && x < 0) throw new Error('salve\'s JSON form holds a negative number');
            return x;
        }
        return x[0] === ARRAY ? x.map((item, i) => (i ? encode(item) : item)) : -1 - add(x);
    };
    const add = (pattern: unknown[]): number => {
        const node = pattern.map((arg, i) => (i ? encode(arg) : arg));
        if (UNSHARED.has(node[0] as number)) return nodes.push(node) - 1;
        const key = JSON.stringify(node);
        let index = indexOfNode.get(key);
        if (index === undefined) indexOfNode.set(key, index = nodes.push(node) - 1);
        return index;
    };
    add(tree.d);
    return { shared: COMPILED_FORMAT, options: tree.o, nodes };
}

/**
 * The grammar of a SharedGrammar: the objects salve's readTreeFromJSON (json-format/read.js, salve-annos
 * 1.2.4) makes, with the arguments it passes, but one object per distinct subpattern.
 */
export function readSharedGrammar(shared: SharedGrammar): Grammar {
    return finish(readSharedGrammarSteps(shared));
}

function* readSharedGrammarSteps(shared: SharedGrammar): Generator<void, Grammar> {
    if (shared.shared !== COMPILED_FORMAT) throw new Error(`compiled schema format ${shared.shared} is not the expected ${COMPILED_FORMAT}`);
    salve();
    /* eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded with salve, on first use */
    const common = require('salve-annos/lib/salve/json-format/common') as typeof import('salve-annos/lib/salve/json-format/common');
    const withPath = (shared.options & common.OPTION_NO_PATHS) !== 0;
    const { nodes } = shared;
    const built: unknown[] = new Array(nodes.length);
    const decode = (x: unknown): unknown => {
        if (typeof x === 'number') return x < 0 ? built[-1 - x] : x;
        if (!Array.isArray(x)) return x;
        const items = new Array(x.length - 1);
        for (let i = 1; i < x.length; i++) items[i - 1] = decode(x[i]);
        return items;
    };
    for (let n = 0; n < nodes.length; n++) {
        const node = nodes[n];
        // The last is the grammar, whose constructor prepares the whole tree (salve's _prepare).
        if (n === nodes.length - 1) yield;
        const kind = node[0] as number;
        const ctor = common.codeToConstructor[kind] as (new (...args: unknown[]) => unknown) | undefined;
        if (ctor === undefined || kind === ARRAY) throw new Error(`undefined type: ${kind}`);
        let args: unknown[];
        if (node.length === 1) {
            args = [''];
        } else {
            args = withPath ? [''] : [];
            for (let i = 1; i < node.length; i++) args.push(decode(node[i]));
        }
        const make = (): unknown => new ctor(...argumentsOf(kind, args));
        built[n] = kind === GRAMMAR ? preparingOnce(common.codeToConstructor, make) : make();
    }
    return built[nodes.length - 1] as Grammar;
}

type Preparable = { _prepare(...args: unknown[]): void };

/**
 * `make()` while salve's `_prepare` (which the Grammar constructor calls down the whole tree) does
 * its work once per pattern object, not once per occurrence of a shared one (20 ms of 30): what it
 * computes depends only on the pattern's subtree, the definitions and the set of namespaces, the
 * same for all. A call on an instance of a subclass (`super._prepare`) is passed through.
 */
function preparingOnce<T>(ctors: readonly unknown[], make: () => T): T {
    const prepared = new Set<object>();
    const restore: (() => void)[] = [];
    for (const ctor of new Set(ctors)) {
        const proto = (ctor as { prototype?: Preparable } | undefined)?.prototype;
        if (ctor === Array || !proto || typeof proto._prepare !== 'function') continue;
        const original = proto._prepare;
        proto._prepare = function (this: object, ...args: unknown[]): void {
            if (Object.getPrototypeOf(this) === proto) {
                if (prepared.has(this)) return;
                prepared.add(this);
            }
            original.apply(this, args);
        };
        // An own property with the method it had (not a delete, which would slow the prototype's lookups down).
        restore.push(() => { proto._prepare = original; });
    }
    try {
        return make();
    } finally {
        for (const undo of restore) undo();
    }
}

/** salve's kindToArgFilter (json-format/read.js). */
function argumentsOf(kind: number, args: unknown[]): unknown[] {
    const single = (list: unknown, what: string): unknown => {
        if ((list as unknown[]).length !== 1) throw new Error(`${what} with an array of patterns that contains other than 1 pattern`);
        return (list as unknown[])[0];
    };
    const pair = (list: unknown, what: string): unknown[] => {
        if ((list as unknown[]).length !== 2) throw new Error(`${what} with an array of patterns that contains other than 2 pattern`);
        return list as unknown[];
    };
    switch (kind) {
        case DATA:
            if (args.length >= 4) {
                const params = args[3] as string[];
                if (params.length % 2 !== 0) throw new Error('parameter array length not a multiple of 2');
                const pairs = new Array(params.length / 2);
                for (let i = 0; i < params.length; i += 2) pairs[i / 2] = { name: params[i], value: params[i + 1] };
                args[3] = pairs;
            }
            return args;
        case ONE_OR_MORE:
            return [args[0], single(args[1], 'OneOrMore')];
        case CHOICE: case GROUP: case INTERLEAVE:
            return [args[0], ...pair(args[1], 'PatternTwoPatterns')];
        case ATTRIBUTE: case ELEMENT: case DEFINE:
            return [args[0], args[1], single(args[2], 'PatternOnePattern')];
        case NAME: case NS_NAME: case ANY_NAME:
            return args.slice(1);
        case NAME_CHOICE:
            return pair(args[1], 'NameChoice');
        default:
            return args;
    }
}

// ---- the built-in schema ------------------------------------------------------------------------

let builtin: Schema | undefined;
let builtinError: string | undefined;

/** Where the package keeps schemas/compiled/: looked for upward from this module (out/… or dist/). */
export function builtinSchemaPath(): string | undefined {
    let dir = __dirname;
    for (let i = 0; i < 6; i++) {
        const candidate = path.join(dir, 'schemas', 'compiled', BUILTIN_SCHEMA_FILE);
        if (fs.existsSync(candidate)) return candidate;
        const up = path.dirname(dir);
        if (up === dir) break;
        dir = up;
    }
    return undefined;
}

/** The load under way, shared by builtinSchema() and builtinSchemaInTurns(). */
let builtinLoad: Generator<void, void> | undefined;

function* builtinSchemaSteps(): Generator<void, void> {
    const file = builtinSchemaPath();
    if (!file) {
        builtinError = 'the compiled DocBook schema (schemas/compiled/docbookxi.json) is missing: run npm run build';
        return;
    }
    try {
        salve();
        yield;
        builtin = yield* loadCompiledSteps('DocBook 5.1CR1 (docbookxi.rng)', JSON.parse(fs.readFileSync(file, 'utf8')) as CompiledSchemaFile);
    } catch (e) {
        builtinError = `the compiled DocBook schema cannot be read: ${(e as Error).message}`;
    }
}

/** The DocBook 5.1CR1 schema, loaded on first use (~70 ms; the rest of a load begun by builtinSchemaInTurns) and then kept. */
export function builtinSchema(): Schema | undefined {
    if (builtin || builtinError) return builtin;
    finish(builtinLoad ??= builtinSchemaSteps());
    return builtin;
}

/**
 * builtinSchema(), loaded in steps of at most ~25 ms with a turn of the event loop between them:
 * the server's requests that arrive meanwhile are answered in between, not after the whole load.
 */
export async function builtinSchemaInTurns(): Promise<Schema | undefined> {
    if (builtin || builtinError) return builtin;
    const load = builtinLoad ??= builtinSchemaSteps();
    while (!load.next().done) await new Promise((resolve) => setImmediate(resolve));
    return builtin;
}

export function builtinSchemaError(): string | undefined {
    return builtinError;
}

// ---- other schemas (setting, xml-model) ---------------------------------------------------------

const compiledAtRuntime = new Map<string, Promise<Schema>>();

/** A schema file compiled once per process (keyed by path and modification time). */
export async function schemaFromFile(file: string): Promise<Schema> {
    const stat = await fs.promises.stat(file);
    const key = `${file}\u0000${stat.mtimeMs}`;
    let pending = compiledAtRuntime.get(key);
    if (!pending) {
        pending = compileRngFile(file).then((r) => r.schema);
        compiledAtRuntime.set(key, pending);
        pending.catch(() => compiledAtRuntime.delete(key));
    }
    return pending;
}
