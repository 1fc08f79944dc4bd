// Nothing is lost, in process: rename and quick fixes are edits computed from the index's offsets,
// so they must never be computed against a file that changed since it was indexed, even when the
// change keeps its length and the id where it was (only line breaks moved). And a failed rename
// leaves every file as it was.

import * as assert from 'assert';
import * as fc from 'fast-check';
import * as path from 'path';
import { TextDocumentEdit } from 'vscode-languageserver-types';
import { computeLineStarts, offsetAt, positionAt } from '../../server/src/core/lineMap';
import { pathToUri, uriToPath } from '../../server/src/core/uri';
import { RenameError } from '../../server/src/features/rename';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings } from '../../server/src/settings';
import { InMemoryWorkspace } from '../../server/src/workspace';
import { NS, serviceOn } from '../fixtures';
import { runs, SEED } from '../fuzz/config';
import { applyMutations, mutationsArb } from '../fuzz/mutate';

const ROOT = path.resolve('/lost');
const p = (rel: string): string => path.join(ROOT, rel);

const files: Record<string, string> = {
    'bk.xml': `<book ${NS} xml:id="bk"><title>Book</title>\n<xi:include href="ch1.xml"/>\n<xi:include href="ch2.xml"/>\n</book>\n`,
    'ch1.xml': `<chapter ${NS} xml:id="ch1">\n<title>One</title>\n<para>first\nline <xref linkend="target"/> and more words</para>\n<para><glossterm>Unknown term</glossterm></para>\n</chapter>\n`,
    'ch2.xml': `<chapter ${NS} xml:id="ch2">\n<title>Two</title>\n<section xml:id="target"><title>Target</title>\n<para>See <xref linkend="target"/>.</para></section>\n</chapter>\n`,
    '../glossary/glossary-terms.xml': `<glossary ${NS}>\n<title>Glossary</title>\n<glossdiv><title>A</title>\n<glossentry><glossterm>API</glossterm><glossdef><para>An interface.</para></glossdef></glossentry>\n</glossdiv>\n<glossdiv><title>Z</title>\n<glossentry><glossterm>Zone</glossterm><glossdef><para>A place.</para></glossdef></glossentry>\n</glossdiv>\n</glossary>\n`,
};

async function setUp(): Promise<{ service: DocbookLanguageService; ws: InMemoryWorkspace }> {
    const { service, ws } = await serviceOn(files, {}, { root: ROOT, folders: ['.', '../glossary'] });
    return { service, ws };
}

function snapshot(ws: InMemoryWorkspace): Map<string, Buffer> {
    return new Map([...ws.files].map(([k, v]) => [k, Buffer.from(v)]));
}

function assertSame(ws: InMemoryWorkspace, before: Map<string, Buffer>): void {
    assert.deepStrictEqual([...ws.files.keys()].sort(), [...before.keys()].sort(), 'no file created or removed');
    for (const [k, v] of before) assert.ok(Buffer.from(ws.files.get(k)!).equals(v), `${k} is byte-identical`);
}

/** Where `needle` is in a file, as an LSP position (plus `delta` characters). */
function at(text: string, needle: string, delta: number): { line: number; character: number } {
    const i = text.indexOf(needle);
    assert.ok(i >= 0, needle);
    return positionAt(computeLineStarts(text), i + delta);
}

describe('nothing is lost: edits only against the text that was indexed', () => {
    it('refuses a rename when a file changed on disk keeping its length and the id\'s offsets (only line breaks moved)', async () => {
        const { service, ws } = await setUp();
        const defAt = at(files['ch2.xml'], 'xml:id="target"', 9);
        // Baseline: the rename is possible and touches both chapters.
        const edit = await service.rename(pathToUri(p('ch2.xml')), defAt, 'renamed');
        assert.deepStrictEqual((edit.documentChanges as TextDocumentEdit[]).map((c) => path.basename(uriToPath(c.textDocument.uri)!)).sort(), ['ch1.xml', 'ch2.xml']);

        // ch1.xml on disk: a line break moved from before the reference to after it. Same length, the
        // id at the same offset: only the line/character positions of the edit would be wrong.
        const moved = files['ch1.xml'].replace('first\nline', 'first line').replace('and more words', 'and more\nwords');
        assert.strictEqual(moved.length, files['ch1.xml'].length);
        const refOffset = files['ch1.xml'].indexOf('linkend="target"') + 9;
        assert.strictEqual(moved.slice(refOffset, refOffset + 6), 'target');
        ws.write(p('ch1.xml'), moved);
        const before = snapshot(ws);
        await assert.rejects(service.rename(pathToUri(p('ch2.xml')), defAt, 'renamed'), (e: Error) => e instanceof RenameError && /ch1\.xml changed since it was indexed/.test(e.message));
        assertSame(ws, before);

        // Once the watcher reports the change, the rename is exact again.
        await service.filesChanged([{ uri: pathToUri(p('ch1.xml')), type: 'changed' }]);
        const fresh = await service.rename(pathToUri(p('ch2.xml')), defAt, 'renamed');
        const ch1 = (fresh.documentChanges as TextDocumentEdit[]).find((c) => uriToPath(c.textDocument.uri) === p('ch1.xml'))!;
        const starts = computeLineStarts(moved);
        for (const e of ch1.edits) assert.strictEqual(moved.slice(offsetAt(starts, e.range.start, moved.length), offsetAt(starts, e.range.end, moved.length)), 'target');
    });

    it('offers no glossentry insertion into a glossary that changed on disk since it was indexed', async () => {
        const { service, ws } = await setUp();
        const uri = pathToUri(p('ch1.xml'));
        const diagnostics = (await service.diagnostics(uri)).filter((d) => d.code === 'unknown-glossterm');
        assert.strictEqual(diagnostics.length, 1);
        const titles = async (): Promise<string[]> => (await service.codeActions(uri, diagnostics[0].range, diagnostics)).map((a) => a.title);
        assert.ok((await titles()).some((t) => /Add a glossentry/.test(t)), 'offered while the glossary is as indexed');
        const glossary = path.resolve('/glossary/glossary-terms.xml');
        ws.write(glossary, files['../glossary/glossary-terms.xml'].replace('<glossdiv><title>A</title>\n', '<glossdiv><title>A</title>\n<glossentry><glossterm>Added</glossterm><glossdef><para>New.</para></glossdef></glossentry>\n'));
        assert.ok(!(await titles()).some((t) => /Add a glossentry/.test(t)), 'not offered against a changed glossary');
    });

    it('a failed rename (invalid name, name taken, ambiguous id, not an id) says why and leaves every file as it was', async () => {
        const { service, ws } = await setUp();
        const before = snapshot(ws);
        const defAt = at(files['ch2.xml'], 'xml:id="target"', 9);
        const uri2 = pathToUri(p('ch2.xml'));
        await assert.rejects(service.rename(uri2, defAt, 'two words'), /not a valid id/);
        await assert.rejects(service.rename(uri2, defAt, 'ch1'), /already an id in ch1\.xml/);
        assert.throws(() => service.prepareRename(uri2, at(files['ch2.xml'], '<title>Two', 2)), /Only an id/);
        // The same id twice in the book: a rename would be a guess.
        await service.openDocument(pathToUri(p('ch1.xml')), files['ch1.xml'].replace('</chapter>', '<section xml:id="target"><title>Again</title></section></chapter>'), 2);
        assert.throws(() => service.prepareRename(uri2, defAt), /defined more than once in this book \(also in ch1\.xml\)/);
        const refAt = at(files['ch1.xml'], 'linkend="target"', 10);
        assert.throws(() => service.prepareRename(pathToUri(p('ch1.xml')), refAt), /"target" is ambiguous: it is defined 2 times \(ch1\.xml, ch2\.xml\)/);
        assertSame(ws, before);
    });

    it('random changes on disk behind the index\'s back: a rename is refused, or its edits replace exactly the old id', async () => {
        const { ws } = await setUp();
        const defAt = at(files['ch2.xml'], 'xml:id="target"', 9);
        let refused = 0;
        await fc.assert(fc.asyncProperty(fc.constantFrom('ch1.xml', 'ch2.xml'), mutationsArb, async (name, mutations) => {
            const fresh = new InMemoryWorkspace(Object.fromEntries([...ws.files].map(([k, v]) => [k, Buffer.from(v)])));
            const service = new DocbookLanguageService(fresh);
            await service.initialize([ROOT, path.resolve('/glossary')], defaultSettings());
            const changed = applyMutations(files[name], mutations);
            fresh.write(p(name), changed);
            try {
                const edit = await service.rename(pathToUri(p('ch2.xml')), defAt, 'renamed');
                for (const change of edit.documentChanges as TextDocumentEdit[]) {
                    const text = Buffer.from(fresh.files.get(uriToPath(change.textDocument.uri)!)!).toString('utf8');
                    const starts = computeLineStarts(text);
                    for (const e of change.edits) assert.strictEqual(text.slice(offsetAt(starts, e.range.start, text.length), offsetAt(starts, e.range.end, text.length)), 'target');
                }
                assert.strictEqual(changed, files[name], 'a rename goes ahead only when nothing changed');
            } catch (e) {
                if (!(e instanceof RenameError)) throw e;
                assert.match(e.message, /changed since it was indexed/);
                refused++;
            }
        }), { numRuns: runs(100, 2000), seed: SEED });
        assert.ok(refused > 0, 'changed files were refused');
    });
});
