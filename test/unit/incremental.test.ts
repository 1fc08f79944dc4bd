// The incremental path of a keystroke (server/src/core/incremental.ts): for random edits of corpus
// files, mostly inside text nodes (in paras, titles, glossterms, glossdefs, at element boundaries;
// letters, blanks, line breaks, CR, quotes, `]]>`, forbidden characters, lone surrogates, markup),
// whenever an edit takes the path, its tree and model equal a fresh parse and model of the new text;
// edits follow each other on the path's own trees. Through the index, a file's diagnostics after
// edits equal those of a fresh index, and a letter typed in a para takes the path while `<` does not.

import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { buildFileModel, FileModel, MODEL_TEXT_ELEMENTS } from '../../server/src/core/docbookModel';
import { emptyEntityTable } from '../../server/src/core/entities';
import { editInText, incrementalStats, modelAfterEdit } from '../../server/src/core/incremental';
import { findNiceness, nicenessAfterEdit } from '../../server/src/core/niceness';
import { pathToUri } from '../../server/src/core/uri';
import { forgetSharedParses, keptSharedParse, parseXml, shareParse, XmlDocument, XmlElement, XmlNode } from '../../server/src/core/xmlParser';
import { DocbookLanguageService } from '../../server/src/languageService';
import { forgetValidation } from '../../server/src/schema/validate';
import { defaultSettings } from '../../server/src/settings';
import { InMemoryWorkspace } from '../../server/src/workspace';
import { runs, SEED } from '../fuzz/config';
import { CORPUS, memoryCopy, requireCorpus } from '../helpers';

const FILES = [
    'ha-guide/doc/glossary/glossary-terms.xml',
    'ha-guide/doc/high-availability-guide/ch_intro.xml',
    'training-guides/doc/training-guides/basic-install-guide/section_neutron-controller-node.xml',
    'training-guides/doc/training-guides/basic-install-guide/section_ceilometer-install.xml',
    'security-guide-2014/security-guide/ch051_vss-intro.xml',
];

// A file of the parser's odd corners: CRLF lines, a stray `&` and `<`, `]]>` in text, an unclosed
// attribute value, CDATA, a comment, a PI, entities, a forbidden character, a surrogate pair, a lone one,
// and the gate's niceness findings (trailing blanks, tabs, no-break spaces, blanks inside a para).
const ODD = '<?xml version="1.0"?>\r\n<!DOCTYPE chapter [<!ENTITY product "Nova">]>\r\n'
    + '<chapter xmlns="http://docbook.org/ns/docbook" version="5.0" xml:id="c">\r\n'
    + '<title>Odd &product; corners</title>\r\n<para>a & b, c < d, ]]> e, \u0001 f \ud83d\ude00 g \ud800 h</para>\r\n'
    + '<para role="x>broken value</para>\n<para>after <![CDATA[raw ]] text]]> and <!-- note --> and <?pi data?> end</para>\n'
    + '<section xml:id="s"><title>Sub</title><para>with <glossterm>a term</glossterm> and <link linkend="c">link</link>.</para></section>\n'
    + '<para> spaced\tword\u00a0\u00a0here </para>  \n<para>trailing \t\r\n blanks\t\t</para>\n'
    + '<para>tail\r</para>\n</chapter>\n';

const UNITS = ['a', 'Z', 'é', ' ', '  ', '\n', '\r', '\r\n', '\t', ']', ']]', '>', '<', '&', ';', '#', '"', "'", '\u0001', '\ud800', '\udc00', '\u00a0', '\ud83d\ude00', 'x'];

/** Where an edit goes, resolved against the text it applies to. */
interface EditSpec { kind: number; pick: number; offset: number; remove: number; insert: string }

const editArb: fc.Arbitrary<EditSpec> = fc.record({
    kind: fc.nat(9),
    pick: fc.nat(),
    offset: fc.integer({ min: -2, max: 40 }),
    remove: fc.constantFrom(0, 0, 0, 1, 1, 2, 5),
    insert: fc.oneof(fc.constantFrom('x', ' ', 'e', ''), fc.string({ unit: fc.constantFrom(...UNITS), maxLength: 3 })),
});

function textNodesOf(doc: XmlDocument): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    const walk = (nodes: XmlNode[]): void => {
        for (const n of nodes) {
            if (n.kind === 'text') out.push(n);
            else if (n.kind === 'element') walk(n.children);
        }
    };
    walk(doc.children);
    return out;
}

function elementsOf(doc: XmlDocument): XmlElement[] {
    const out: XmlElement[] = [];
    const walk = (nodes: XmlNode[]): void => {
        for (const n of nodes) if (n.kind === 'element') { out.push(n); walk(n.children); }
    };
    walk(doc.children);
    return out;
}

/** The text after the edit: mostly in and around text nodes, some at element boundaries, some anywhere. */
function applyEdit(doc: XmlDocument, spec: EditSpec): string {
    const text = doc.text;
    let at: number;
    const nodes = textNodesOf(doc);
    const els = elementsOf(doc);
    if (spec.kind < 7 && nodes.length) {
        const node = nodes[spec.pick % nodes.length];
        // From just before the node to just after it.
        at = node.start - 1 + ((spec.offset + 2) % (node.end - node.start + 3));
    } else if (spec.kind < 9 && els.length) {
        const el = els[spec.pick % els.length];
        const edges = [el.startTagEnd, el.contentEnd, el.start, el.end];
        at = edges[spec.offset & 3] + (spec.offset % 3) - 1;
    } else {
        at = spec.pick % (text.length + 1);
    }
    at = Math.max(0, Math.min(at, text.length));
    return text.slice(0, at) + spec.insert + text.slice(Math.min(text.length, at + spec.remove));
}

/** Where two trees differ ('' when they are the same), parent links and entity references checked by identity. */
function treeDifference(a: XmlDocument, b: XmlDocument): string {
    const same = (x: unknown, y: unknown): boolean => {
        try { assert.deepStrictEqual(x, y); return true; } catch { return false; }
    };
    if (a.text !== b.text) return 'text';
    if (a.declaredEncoding !== b.declaredEncoding) return 'declaredEncoding';
    if (!same(a.doctype, b.doctype)) return 'doctype';
    if (!same(a.problems, b.problems)) return `problems ${JSON.stringify(a.problems)} vs ${JSON.stringify(b.problems)}`;
    if (!same(a.entityRefs, b.entityRefs)) return 'entityRefs';
    const scope = (s: Record<string, string>): Record<string, string> => {
        const out: Record<string, string> = {};
        for (const k in s) out[k] = s[k];
        return out;
    };
    const namedRefs: XmlNode[] = [];
    const nodes = (x: XmlNode[], y: XmlNode[], parentX: XmlElement | undefined, where: string): string => {
        if (x.length !== y.length) return `${where}: ${x.length} children vs ${y.length}`;
        for (let i = 0; i < x.length; i++) {
            const p = x[i];
            const q = y[i];
            const here = `${where}/${i}`;
            if (p.kind !== 'element' || q.kind !== 'element') {
                if (!same(p, q)) return `${here}: ${JSON.stringify(p)} vs ${JSON.stringify(q)}`;
                if (p.kind === 'entity' && !p.name.startsWith('#')) namedRefs.push(p);
                continue;
            }
            if (p.parent !== parentX) return `${here}: parent link`;
            const fields = ['name', 'prefix', 'local', 'ns', 'start', 'startTagEnd', 'contentEnd', 'end', 'selfClosing'] as const;
            for (const f of fields) if (p[f] !== q[f]) return `${here} <${p.name}>: ${f} ${String(p[f])} vs ${String(q[f])}`;
            if (!same(p.attrs, q.attrs)) return `${here} <${p.name}>: attrs`;
            if (!same(scope(p.nsScope), scope(q.nsScope))) return `${here} <${p.name}>: nsScope`;
            const inner = nodes(p.children, q.children, p, `${here}<${p.name}>`);
            if (inner) return inner;
        }
        return '';
    };
    const tree = nodes(a.children, b.children, undefined, '');
    if (tree) return tree;
    if (a.root !== (a.children.find((n) => n.kind === 'element'))) return 'root';
    if (!same(a.root === undefined, b.root === undefined)) return 'root presence';
    if (namedRefs.length !== a.entityRefs.length || namedRefs.some((r, i) => r !== a.entityRefs[i])) return 'entityRefs are not the nodes of the tree';
    return '';
}

describe('incremental path of a keystroke', function () {
    this.timeout(600_000);
    const entities = emptyEntityTable();

    it('its tree and model equal a fresh parse and model, edit after edit', function () {
        requireCorpus(this);
        const texts = [...FILES.map((rel) => fs.readFileSync(path.join(CORPUS, rel), 'utf8')), ODD];
        let edits = 0;
        let taken = 0;
        const ways = new Map<string, number>();
        fc.assert(fc.property(fc.nat(texts.length - 1), fc.array(editArb, { minLength: 1, maxLength: 8 }), (fi, specs) => {
            let doc = parseXml(texts[fi]);
            let model: FileModel = buildFileModel(doc, entities);
            for (const spec of specs) {
                const next = applyEdit(doc, spec);
                const fresh = parseXml(next);
                const freshModel = buildFileModel(fresh, entities);
                const edited = editInText(doc, next);
                edits++;
                if (edited) {
                    taken++;
                    const where = `file ${fi}, edit ${JSON.stringify(spec)} at ${edited.start}-${edited.end} ${JSON.stringify(edited.inserted)}`;
                    assert.strictEqual(treeDifference(edited.doc, fresh), '', where);
                    const moved = modelAfterEdit(model, doc.text, edited, entities, true);
                    const reading = edited.ancestors.filter((a) => MODEL_TEXT_ELEMENTS.has(a.local)).map((a) => a.local);
                    const way = !reading.length ? 'moved' : reading.every((r) => r === 'glossdef' || r === 'glosssee') ? 'definition' : 'built again';
                    ways.set(way, (ways.get(way) ?? 0) + 1);
                    assert.deepStrictEqual(moved, freshModel, where);
                    doc = edited.doc;
                    model = moved;
                } else {
                    doc = fresh;
                    model = freshModel;
                }
            }
        }), { numRuns: runs(120, 3000), seed: SEED });
        // The property says nothing if the path is never taken: most of these edits are in words.
        assert.ok(taken > edits / 5, `${taken} of ${edits} edits took the incremental path`);
        // Each way to the model: moved (text no model field reads), a glossary definition made again, built again (a title, a glossterm).
        for (const way of ['moved', 'definition', 'built again']) assert.ok((ways.get(way) ?? 0) > 0, `${way}: ${JSON.stringify([...ways])}`);
    });

    it('the niceness findings after an edit in a line equal a scan of the whole text', function () {
        const pieces = [' ', '  ', '\t', '\u00a0', 'a', 'b.', '\n', '\r\n', '\r', '<para>', '</para>', '<title>', '</title>', '<b>', '</x>', '<'];
        const textArb = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((p) => p.join(''));
        let patched = 0;
        fc.assert(fc.property(textArb, fc.nat(), fc.nat(3), fc.array(fc.constantFrom(...pieces.filter((p) => !p.includes('\n'))), { maxLength: 3 }),
            (text, at, remove, insert) => {
                const start = at % (text.length + 1);
                const removed = text.slice(start, start + remove);
                const inserted = insert.join('');
                const next = text.slice(0, start) + inserted + text.slice(start + removed.length);
                const found = nicenessAfterEdit(findNiceness(text, 1000), next, start, removed, inserted, 1000);
                if (!found) return;
                if (found.length) patched++;
                assert.deepStrictEqual(found, findNiceness(next, 1000));
            }), { numRuns: runs(2000, 20000), seed: SEED });
        assert.ok(patched > 0, 'some findings were kept through an edit');
    });

    it('leaves the tree it started from as it was', function () {
        requireCorpus(this);
        const text = fs.readFileSync(path.join(CORPUS, FILES[0]), 'utf8');
        const doc = parseXml(text);
        const before = JSON.stringify(doc, (k, v: unknown) => (k === 'parent' ? undefined : v));
        const at = text.indexOf(' ', text.indexOf('<para>', text.length >> 1)) + 1;
        const edited = editInText(doc, text.slice(0, at) + 'x' + text.slice(at));
        assert.ok(edited, 'a letter typed in a para takes the path');
        assert.strictEqual(JSON.stringify(doc, (k, v: unknown) => (k === 'parent' ? undefined : v)), before);
    });
});

describe('incremental path through the index', function () {
    this.timeout(600_000);

    /** An in-memory copy of a corpus tree. */
    function memoryTree(tree: string): { ws: InMemoryWorkspace; folder: string } {
        const { ws, folders } = memoryCopy([tree]);
        return { ws, folder: folders[0] };
    }

    async function serviceOnTree(tree: { ws: InMemoryWorkspace; folder: string }): Promise<DocbookLanguageService> {
        const service = new DocbookLanguageService(tree.ws);
        await service.initialize([tree.folder], defaultSettings());
        return service;
    }

    /** The file's diagnostics from a fresh index of the same tree with the file open at `text`, parsed from scratch. */
    async function freshDiagnostics(tree: { ws: InMemoryWorkspace; folder: string }, file: string, text: string): Promise<unknown> {
        // The shared parse and the schema check's checkpoints are kept per text and file across services: the
        // fresh index must not start from the incremental one's, and the incremental one keeps its own.
        const kept = keptSharedParse(text);
        forgetSharedParses();
        forgetValidation(file);
        const fresh = await serviceOnTree(tree);
        await fresh.openDocument(pathToUri(file), text, 1);
        const diagnostics = await fresh.diagnostics(pathToUri(file));
        forgetSharedParses();
        forgetValidation(file);
        if (kept) shareParse(kept);
        return diagnostics;
    }

    it('diagnostics after edits equal a fresh index\'s', async function () {
        requireCorpus(this);
        const tree = memoryTree('ha-guide');
        const file = path.join(CORPUS, FILES[0]);
        const uri = pathToUri(file);
        const service = await serviceOnTree(tree);
        let text = fs.readFileSync(file, 'utf8');
        await service.openDocument(uri, text, 1);
        await service.diagnostics(uri);
        const specs = fc.sample(editArb, { numRuns: runs(12, 60), seed: SEED });
        const takenBefore = incrementalStats.edits;
        for (let k = 0; k < specs.length; k++) {
            text = applyEdit(parseXml(text), specs[k]);
            await service.changeDocument(uri, text, k + 2);
            const diagnostics = await service.diagnostics(uri);
            assert.deepStrictEqual(diagnostics, await freshDiagnostics(tree, file, text), `after edit ${k}: ${JSON.stringify(specs[k])}`);
        }
        assert.ok(incrementalStats.edits > takenBefore, 'some of the edits took the incremental path');
    });

    it('a letter typed in a para takes the path, `<` does not', async function () {
        requireCorpus(this);
        const tree = memoryTree('ha-guide');
        const file = path.join(CORPUS, FILES[0]);
        const uri = pathToUri(file);
        const service = await serviceOnTree(tree);
        const text = fs.readFileSync(file, 'utf8');
        await service.openDocument(uri, text, 1);
        const at = text.indexOf(' ', text.indexOf('<para>', text.length >> 1)) + 1;
        const before = incrementalStats.edits;
        const typed = text.slice(0, at) + 'x' + text.slice(at);
        await service.changeDocument(uri, typed, 2);
        assert.strictEqual(incrementalStats.edits, before + 1, 'the letter took the path');
        // The new text's shared tree is the moved one: its leaves before the edit are the old tree's.
        const oldTree = keptSharedParse(text)!;
        const newTree = keptSharedParse(typed)!;
        assert.ok(oldTree && newTree && newTree !== oldTree && newTree.root !== oldTree.root);
        const firstLeaf = (doc: XmlDocument): XmlNode | undefined => doc.root?.children.find((n) => n.kind !== 'element');
        assert.ok(firstLeaf(oldTree) && firstLeaf(oldTree)!.start < at);
        assert.strictEqual(firstLeaf(newTree), firstLeaf(oldTree), 'the leaves before the edit are shared, not parsed again');
        await service.changeDocument(uri, typed.slice(0, at) + '<' + typed.slice(at), 3);
        assert.strictEqual(incrementalStats.edits, before + 1, '`<` was parsed from scratch');
    });
});
