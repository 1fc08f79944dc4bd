// Find references: every linkend, endterm and linkends word that names an id, in the books that can see it.

import * as assert from 'assert';
import * as path from 'path';
import { pathToUri } from '../../server/src/core/uri';
import { lineMapOf } from '../helpers';
import { at, filesWithCursor, NS, ROOT, serviceOn, twoBooks } from '../fixtures';

const p = (rel: string): string => path.join(ROOT, rel);

describe('references', () => {
    it('follow the book scope', async () => {
        const { service } = await serviceOn(twoBooks);
        const refs = service.references(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'xml:id="dup"', 8), true);
        const files = refs.map((r) => path.relative(ROOT, new URL(r.uri).pathname)).sort();
        // The definition, its reference in ch_a, and the shared chapter's reference (which sees both books).
        assert.deepStrictEqual(files, ['a/ch_a.xml', 'a/ch_a.xml', 'common/ch_shared.xml']);
    });

    it('from a reference, finds the other references across files, with or without the declaration', async () => {
        const { files, rel, position } = filesWithCursor({
            'bk.xml': `<book ${NS}><title>B</title><xi:include href="ch1.xml"/><xi:include href="ch2.xml"/></book>`,
            'ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title><para><xref linkend="ta|rget"/> and <link linkend="target">here</link></para></chapter>`,
            'ch2.xml': `<chapter ${NS} xml:id="ch2"><title>Two</title><section xml:id="target"><title>T</title><para><xref linkend="target"/> <xref linkend="ch1"/></para></section></chapter>`,
        });
        const { service, uri } = await serviceOn(files);
        const spans = (includeDeclaration: boolean): string[] => service.references(uri(rel), position, includeDeclaration)
            .map((r) => {
                const text = files[path.relative(ROOT, new URL(r.uri).pathname)];
                const map = lineMapOf(text);
                return `${path.basename(new URL(r.uri).pathname)}:${text.slice(map.offsetAt(r.range.start), map.offsetAt(r.range.end))}@${map.offsetAt(r.range.start)}`;
            })
            .sort();
        const uses = spans(false);
        assert.strictEqual(uses.length, 3, uses.join(', '));
        assert.ok(uses.every((s) => /:target@\d+$/.test(s)), 'each range covers exactly the id');
        assert.deepStrictEqual(uses.map((s) => s.split(':')[0]), ['ch1.xml', 'ch1.xml', 'ch2.xml']);
        const withDeclaration = spans(true);
        assert.strictEqual(withDeclaration.length, 4);
        const declaration = files['ch2.xml'].indexOf('xml:id="target"') + 'xml:id="'.length;
        assert.ok(withDeclaration.includes(`ch2.xml:target@${declaration}`), withDeclaration.join(', '));
    });
});
