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
    grammar: unknown;
}

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
    const grammarJson = JSON.parse(salve().writeTreeToJSON(result.simplified, 3)) as unknown;
    const compiled: CompiledSchemaFile = { licence: licenceOf(result.schemaText ?? ''), docs, grammar: grammarJson };
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
    return makeSchema(source, salve().readTreeFromJSON(compiled.grammar as object), compiled.docs);
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

/** The DocBook 5.1CR1 schema, loaded on first use (a fraction of a second) and then kept. */
export function builtinSchema(): Schema | undefined {
    if (builtin || builtinError) return builtin;
    const file = builtinSchemaPath();
    if (!file) {
        builtinError = 'the compiled DocBook schema (schemas/compiled/docbookxi.json) is missing: run npm run build';
        return undefined;
    }
    try {
        builtin = loadCompiled('DocBook 5.1CR1 (docbookxi.rng)', JSON.parse(fs.readFileSync(file, 'utf8')) as CompiledSchemaFile);
    } catch (e) {
        builtinError = `the compiled DocBook schema cannot be read: ${(e as Error).message}`;
    }
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
