// Which schema a file is checked against, and the check itself. Only DocBook 5 files (root in the
// DocBook namespace) that are well-formed are checked: DocBook 4 (DOCTYPE, no namespace) and other
// XML are not, and a file that is not well-formed has its parser problems instead of a cascade of
// schema errors. An `<?xml-model href="…"?>` naming a local RELAX NG file wins over the
// `docbook.schema` setting, which wins over the built-in DocBook 5.1CR1 schema.

import * as path from 'path';
import { DOCBOOK_NS } from '../core/docbookModel';
import { XmlDocument, XmlPI } from '../core/xmlParser';
import { builtinSchemaError, builtinSchemaInTurns, Schema, schemaFromFile } from './grammar';
import { SchemaProblem, validateDocument, validateDocumentInSlices } from './validate';

const RELAX_NG_NS = 'http://relaxng.org/ns/structure/1.0';

export interface SchemaChoice {
    /** `docbook.schema`: absolute, or relative to the file's workspace folder; '' for the built-in schema. */
    setting: string;
    /** The workspace folder of the file (for a relative setting). */
    folder: string | undefined;
    /** An open file's path: its validation states are kept for the next edit. */
    cacheKey?: string;
    /** Turns an xml-model href into a local file (catalogs, URL mappings), or undefined. */
    resolveHref(href: string): string | undefined;
}

/** `<?xml-model href="…"?>` before the root element, when it names a RELAX NG schema (XML syntax). */
export function xmlModelOf(doc: XmlDocument): { href: string; pi: XmlPI } | undefined {
    for (const n of doc.children) {
        if (n.kind === 'element') break;
        if (n.kind !== 'pi' || n.target !== 'xml-model') continue;
        const pseudo = (name: string): string | undefined => new RegExp(`(?:^|\\s)${name}\\s*=\\s*(["'])(.*?)\\1`).exec(n.data)?.[2];
        const href = pseudo('href');
        const type = pseudo('schematypens');
        if (!href) continue;
        if (type ? type === RELAX_NG_NS : /\.rng$/i.test(href)) return { href, pi: n };
    }
    return undefined;
}

export function isSchemaChecked(doc: XmlDocument): boolean {
    return doc.root !== undefined && doc.root.ns === DOCBOOK_NS && doc.problems.length === 0;
}

/** The schema a DocBook 5 file is checked against, or the problem that stops the check. */
export async function chooseSchema(doc: XmlDocument, choice: SchemaChoice): Promise<{ schema?: Schema; problem?: SchemaProblem }> {
    const root = doc.root;
    const rootSpan = root ? { start: root.start, end: root.start + 1 + root.name.length } : { start: 0, end: 0 };
    const model = xmlModelOf(doc);
    const local = model && choice.resolveHref(model.href);
    try {
        if (local) return { schema: await schemaFromFile(local) };
        if (choice.setting) return { schema: await schemaFromFile(path.resolve(choice.folder ?? '.', choice.setting)) };
    } catch (e) {
        const named = local ?? choice.setting;
        const span = local && model ? { start: model.pi.start, end: model.pi.end } : rootSpan;
        return { problem: { message: `The schema ${named} cannot be used: ${(e as Error).message.split('\n')[0]}`, ...span } };
    }
    const schema = await builtinSchemaInTurns();
    return schema ? { schema } : { problem: { message: `Not checked against the DocBook schema: ${builtinSchemaError()}`, ...rootSpan } };
}

/** The schema problems of a parsed file ([] when it is not schema-checked) and the schema used. */
export async function checkAgainstSchema(doc: XmlDocument, choice: SchemaChoice): Promise<{ schema?: Schema; problems: SchemaProblem[] }> {
    if (!isSchemaChecked(doc)) return { problems: [] };
    const { schema, problem } = await chooseSchema(doc, choice);
    if (!schema) return { problems: problem ? [problem] : [] };
    // An open file's check resumes from its checkpoints (a keystroke's worth); another is checked whole, in slices.
    const problems = choice.cacheKey !== undefined ? validateDocument(doc, schema, choice.cacheKey) : await validateDocumentInSlices(doc, schema);
    return { schema, problems };
}
