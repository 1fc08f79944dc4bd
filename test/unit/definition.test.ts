// Go to definition: from a linkend to the id it names in the books of its file, from an xpointer to
// the element it selects, from an href to the file.

import * as assert from 'assert';
import * as path from 'path';
import { pathToUri, uriToPath } from '../../server/src/core/uri';
import { lineMapOf } from '../helpers';
import { at, filesWithCursor, includeRegions, NS, ROOT, serviceOn, twoBooks } from '../fixtures';

const p = (rel: string): string => path.join(ROOT, rel);

describe('definition: book scope', () => {
    it('resolves a reference against the ids of the books that contain its file', async () => {
        const { service } = await serviceOn(twoBooks);
        const fromA = service.definition(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'linkend="dup"', 9));
        assert.deepStrictEqual(fromA.map((l) => l.targetUri), [pathToUri(p('a/ch_a.xml'))]);
        const fromB = service.definition(pathToUri(p('b/ch_b.xml')), at(twoBooks, 'b/ch_b.xml', 'linkend="dup"', 9));
        assert.deepStrictEqual(fromB.map((l) => l.targetUri), [pathToUri(p('b/ch_b.xml'))]);
        // The shared chapter is in both books: both definitions are visible from it.
        const fromShared = service.definition(pathToUri(p('common/ch_shared.xml')), at(twoBooks, 'common/ch_shared.xml', 'linkend="dup"', 9));
        assert.strictEqual(fromShared.length, 2);
        // A file in no book sees the whole workspace.
        assert.strictEqual(service.definition(pathToUri(p('orphan.xml')), at(twoBooks, 'orphan.xml', 'linkend="ch-a"', 9)).length, 1);
        assert.deepStrictEqual(service.booksOf(pathToUri(p('common/ch_shared.xml'))).map(uriToPath).sort(), [p('a/bk-a.xml'), p('b/bk-b.xml')]);
    });
});

describe('definition: targets', () => {
    it('goes from a linkend to the xml:id attribute value of the element it names, in another file', async () => {
        const { files, rel, position } = filesWithCursor({
            'bk.xml': `<book ${NS}><title>B</title><xi:include href="ch1.xml"/><xi:include href="ch2.xml"/></book>`,
            'ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title><para>See <xref linkend="inst|all"/>.</para></chapter>`,
            'ch2.xml': `<chapter ${NS} xml:id="ch2"><title>Two</title>\n<section xml:id="install"><title>Install</title></section></chapter>`,
        });
        const { service, uri } = await serviceOn(files);
        const [link, ...more] = service.definition(uri(rel), position);
        assert.strictEqual(more.length, 0);
        assert.strictEqual(link.targetUri, uri('ch2.xml'));
        const target = lineMapOf(files['ch2.xml']);
        const selected = files['ch2.xml'].slice(target.offsetAt(link.targetSelectionRange.start), target.offsetAt(link.targetSelectionRange.end));
        assert.match(selected, /install/);
        assert.strictEqual(link.targetSelectionRange.start.line, 1, 'the section on the second line, not the chapter');
        // The origin is the linkend value under the cursor.
        assert.strictEqual(files[rel].slice(lineMapOf(files[rel]).offsetAt(link.originSelectionRange!.start), lineMapOf(files[rel]).offsetAt(link.originSelectionRange!.end)), 'install');
    });

    it('goes from an xi:include href to the included file', async () => {
        const { files, rel, position } = filesWithCursor({
            'bk.xml': `<book ${NS}><title>B</title><xi:include href="chapters/c|h1.xml"/></book>`,
            'chapters/ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title></chapter>`,
        });
        const { service, uri } = await serviceOn(files);
        assert.deepStrictEqual(service.definition(uri(rel), position).map((l) => l.targetUri), [uri('chapters/ch1.xml')]);
    });

    it('finds nothing for a linkend whose id no book of the file defines', async () => {
        const { files, rel, position } = filesWithCursor({
            'bk.xml': `<book ${NS}><title>B</title><xi:include href="ch1.xml"/></book>`,
            'ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title><para><xref linkend="elsew|here"/></para></chapter>`,
            // Defined, but in a file the book does not include.
            'loose.xml': `<chapter ${NS} xml:id="elsewhere"><title>Loose</title></chapter>`,
        });
        const { service, uri } = await serviceOn(files);
        assert.deepStrictEqual(service.definition(uri(rel), position), []);
    });
});

describe('definition: xpointers', () => {
    const files = includeRegions;

    it('goes from an xpointer to the element, and completes ids of the target file inside it', async () => {
        const { service } = await serviceOn(files);
        const defs = service.definition(pathToUri(p('bk.xml')), at(files, 'bk.xml', "'wrap'", 2));
        assert.strictEqual(defs.length, 1);
        assert.strictEqual(defs[0].targetUri, pathToUri(p('src.xml')));
        const text = files['bk.xml'];
        const offset = text.indexOf("'wrap'") + 1;
        const edited = text.slice(0, offset) + text.slice(offset + 4);
        await service.changeDocument(pathToUri(p('bk.xml')), edited, 2);
        const list = await service.completion(pathToUri(p('bk.xml')), lineMapOf(edited).positionAt(offset));
        assert.deepStrictEqual(list.items.map((i) => i.label).sort(), ['inner', 'wrap']);
    });
});
