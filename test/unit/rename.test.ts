// Rename an id: its definition and every reference in the books that see it, refused when the new name
// is not an id, is taken, or the id is ambiguous, and never against text that changed since indexing.

import * as assert from 'assert';
import * as path from 'path';
import { TextDocumentEdit, TextEdit } from 'vscode-languageserver-types';
import { pathToUri } from '../../server/src/core/uri';
import { lineMapOf } from '../helpers';
import { at, filesWithCursor, NS, ROOT, serviceOn, twoBooks } from '../fixtures';

const p = (rel: string): string => path.join(ROOT, rel);

/** The files after applying a rename's edits. */
function applied(files: Record<string, string>, edits: TextDocumentEdit[]): Record<string, string> {
    const out = { ...files };
    for (const change of edits) {
        const rel = path.relative(ROOT, new URL(change.textDocument.uri).pathname);
        const map = lineMapOf(out[rel]);
        const spans = (change.edits as TextEdit[])
            .map((e) => ({ start: map.offsetAt(e.range.start), end: map.offsetAt(e.range.end), newText: e.newText }))
            .sort((a, b) => b.start - a.start);
        for (const s of spans) out[rel] = out[rel].slice(0, s.start) + s.newText + out[rel].slice(s.end);
    }
    return out;
}

describe('rename', () => {
    // The references half of this test is in references.test.ts ('follow the book scope').
    it('follows the book scope', async () => {
        const { service } = await serviceOn(twoBooks);
        const edit = await service.rename(pathToUri(p('b/ch_b.xml')), at(twoBooks, 'b/ch_b.xml', 'xml:id="dup"', 8), 'dup-b');
        const changes = (edit.documentChanges as TextDocumentEdit[]).map((c) => [path.relative(ROOT, new URL(c.textDocument.uri).pathname), c.edits.length]);
        assert.deepStrictEqual(changes.sort(), [['b/ch_b.xml', 2], ['common/ch_shared.xml', 1]]);
        // From the shared chapter, "dup" is ambiguous: two books define it.
        assert.throws(() => service.prepareRename(pathToUri(p('common/ch_shared.xml')), at(twoBooks, 'common/ch_shared.xml', 'linkend="dup"', 9)), /ambiguous/);
        await assert.rejects(service.rename(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'xml:id="dup"', 8), 'has space'), /not a valid id/);
        await assert.rejects(service.rename(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'xml:id="dup"', 8), 'ch-a'), /already an id/);
    });

    it('refuses a rename when a file changed on disk since it was indexed, and writes nothing', async () => {
        const { service, ws } = await serviceOn(twoBooks);
        const before = new Map([...ws.files].map(([k, v]) => [k, Buffer.from(v)]));
        ws.write(p('common/ch_shared.xml'), twoBooks['common/ch_shared.xml'].replace('<para>', '<para>added text '));
        await assert.rejects(service.rename(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'xml:id="dup"', 8), 'fresh'), /changed since it was indexed/);
        for (const [k, v] of before) {
            if (k === p('common/ch_shared.xml')) continue;
            assert.ok(Buffer.from(ws.files.get(k)!).equals(v), `${k} untouched`);
        }
    });

    it('started on a reference, renames the definition and every reference, words of linkends included', async () => {
        const { files, rel, position } = filesWithCursor({
            'bk.xml': `<book ${NS}><title>B</title><xi:include href="ch1.xml"/><xi:include href="ch2.xml"/></book>`,
            'ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title><para><xref linkend="old|-id"/> <co xml:id="c1" linkends="other old-id"/></para></chapter>`,
            'ch2.xml': `<chapter ${NS} xml:id="ch2"><title>Two</title><section xml:id="old-id"><title>Old</title></section><section xml:id="other"/></chapter>`,
        });
        const { service, uri } = await serviceOn(files);
        const range = service.prepareRename(uri(rel), position);
        const map = lineMapOf(files[rel]);
        assert.strictEqual(files[rel].slice(map.offsetAt(range.range.start), map.offsetAt(range.range.end)), 'old-id');
        const edit = await service.rename(uri(rel), position, 'new-id');
        const after = applied(files, edit.documentChanges as TextDocumentEdit[]);
        assert.strictEqual(after['ch1.xml'], files['ch1.xml'].replace('linkend="old-id"', 'linkend="new-id"').replace('linkends="other old-id"', 'linkends="other new-id"'));
        assert.strictEqual(after['ch2.xml'], files['ch2.xml'].replace('xml:id="old-id"', 'xml:id="new-id"'));
        assert.strictEqual(after['bk.xml'], files['bk.xml']);
    });
});
