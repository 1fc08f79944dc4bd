// The workspace index: which books a file is in, which ids a file sees (resolveId), who includes a
// file, which files an edit affects, and what it indexes at all.

import * as assert from 'assert';
import * as path from 'path';
import { pathToUri } from '../../server/src/core/uri';
import { indexBehind } from '../helpers';
import { includeRegions, NS, ROOT, serviceOn, twoBooks } from '../fixtures';

const p = (rel: string): string => path.join(ROOT, rel);

describe('xpointer regions, fallbacks and cycles', () => {
    const files = includeRegions;

    it('takes only the part of a file an xpointer selects', async () => {
        const { service } = await serviceOn(files);
        const idx = indexBehind(service);
        const book = p('bk.xml');
        const inBook = (file: string, id: string): boolean => {
            const def = idx.get(p(file))!.model.ids.find((d) => d.id === id)!;
            return idx.isInBook(p(file), def.start, book);
        };
        assert.strictEqual(inBook('src.xml', 'inner'), true);
        assert.strictEqual(inBook('src.xml', 'wrap'), false, "the xpath() form takes wrap's children, not wrap itself");
        assert.strictEqual(inBook('other.xml', 'single'), true);
        assert.strictEqual(inBook('other.xml', 'outside'), false);
        assert.strictEqual(inBook('fallback.xml', 'from-fallback'), true, 'a fallback counts when its include fails');
        assert.strictEqual(inBook('present.xml', 'present'), true);
        assert.strictEqual(idx.booksOf(p('unused.xml')).size, 0, 'a fallback does not count when its include succeeds');
        assert.deepStrictEqual(idx.resolveId(book, 'wrap'), []);
        assert.deepStrictEqual(idx.resolveId(book, 'outside'), []);
        assert.strictEqual(idx.resolveId(book, 'inner').length, 1);
    });

    it('stops at include cycles and reports them as such', async () => {
        const { service } = await serviceOn(files);
        const idx = indexBehind(service);
        assert.strictEqual(idx.booksOf(p('loop2.xml')).size, 1);
        const loop2 = idx.get(p('loop2.xml'))!;
        const loop1 = idx.get(p('loop1.xml'))!;
        assert.strictEqual(idx.includeStatus(loop2, 0).kind, 'ok');
        // Walking from loop1 through loop2 back to loop1 is a cycle.
        assert.strictEqual(idx.includeStatus(loop1, 0).kind, 'ok');
        const tree = service.bookTree();
        assert.ok(JSON.stringify(tree).includes('include cycle'), 'the book view marks the cycle');
    });
});

describe('live updates', () => {
    it('an edit, a new file and a deletion update scopes without a restart, and say which files changed', async () => {
        const files: Record<string, string> = {
            'bk.xml': `<book ${NS}><xi:include href="ch1.xml"/><xi:include href="ch2.xml"/></book>`,
            'ch1.xml': `<chapter ${NS} xml:id="ch1"><para><xref linkend="later"/></para></chapter>`,
        };
        const { service, ws } = await serviceOn(files);
        const idx = indexBehind(service);
        assert.deepStrictEqual(idx.resolveId(p('ch1.xml'), 'later'), []);
        ws.write(p('ch2.xml'), `<chapter ${NS} xml:id="ch2"><section xml:id="later"/></chapter>`);
        const affected = await service.filesChanged([{ uri: pathToUri(p('ch2.xml')), type: 'created' }]);
        assert.ok(affected.includes(pathToUri(p('ch1.xml'))), 'the file whose reference now resolves is re-checked');
        assert.strictEqual(idx.resolveId(p('ch1.xml'), 'later').length, 1);

        // Typing in an open editor: the id is renamed in the buffer (not saved).
        const edited = `<chapter ${NS} xml:id="ch2"><section xml:id="sooner"/></chapter>`;
        const afterEdit = await service.changeDocument(pathToUri(p('ch2.xml')), edited, 5);
        assert.ok(afterEdit.includes(pathToUri(p('ch1.xml'))));
        assert.deepStrictEqual(idx.resolveId(p('ch1.xml'), 'later'), []);
        assert.strictEqual(idx.get(p('ch2.xml'))!.version, 5);

        ws.delete(p('ch2.xml'));
        await service.filesChanged([{ uri: pathToUri(p('ch2.xml')), type: 'deleted' }]);
        assert.ok(idx.get(p('ch2.xml')), 'an open editor keeps the file alive');
        await service.closeDocument(pathToUri(p('ch2.xml')));
        assert.strictEqual(idx.get(p('ch2.xml')), undefined);
        assert.strictEqual(idx.booksOf(p('ch1.xml')).size, 1);
    });

    it('adds and removes workspace folders', async () => {
        const { service } = await serviceOn({
            'one/bk.xml': `<book ${NS}><xi:include href="../two/ch.xml"/><para><xref linkend="two"/></para></book>`,
            'two/ch.xml': `<chapter ${NS} xml:id="two"/>`,
        }, { allowedRoots: [p('two')] }, { folders: ['one'] });
        // A file outside every folder that a book includes is read when its folder is allowed: the build reads it too.
        assert.strictEqual(indexBehind(service).resolveId(p('one/bk.xml'), 'two').length, 1);
        assert.strictEqual(service.fileInfo(pathToUri(p('two/ch.xml')))!.inWorkspace, false);
        await service.addFolder(p('two'));
        assert.strictEqual(indexBehind(service).get(p('two/ch.xml'))!.folder, p('two'));
        await service.removeFolder(p('one'));
        assert.strictEqual(service.fileInfo(pathToUri(p('one/bk.xml'))), undefined);
        assert.strictEqual(service.stats().files, 1);
    });
});

describe('indexing rules', () => {
    it('skips .git, node_modules, target and the excluded globs', async () => {
        const chapter = `<chapter ${NS} xml:id="c"/>`;
        const { service } = await serviceOn({
            'doc/ch.xml': chapter, '.git/x.xml': chapter, 'node_modules/p/x.xml': chapter, 'target/docbkx/x.xml': chapter,
            'doc/drafts/old.xml': chapter, 'doc/keep.xml': chapter,
        }, { exclude: ['**/drafts/**'] });
        const indexed = [...indexBehind(service).allFiles()].map((f) => path.relative(ROOT, f.path)).sort();
        assert.deepStrictEqual(indexed, ['doc/ch.xml', 'doc/keep.xml']);
    });

    it('re-reads the files that use an entity file when it changes, and forgets a deleted folder', async () => {
        const files: Record<string, string> = {
            'doc/product.ent': '<!ENTITY product "Nova">',
            'doc/ch.xml': `<!DOCTYPE chapter [<!ENTITY % p SYSTEM "product.ent"> %p;]>\n<chapter ${NS} xml:id="c"><title>About &product;</title></chapter>`,
            'doc/sub/a.xml': `<section ${NS} xml:id="a"/>`,
            'doc/sub/b.xml': `<section ${NS} xml:id="b"/>`,
        };
        const { service, ws } = await serviceOn(files);
        const idx = indexBehind(service);
        assert.strictEqual(idx.get(p('doc/ch.xml'))!.model.title, 'About Nova');
        ws.write(p('doc/product.ent'), '<!ENTITY product "Swift">');
        const affected = await service.filesChanged([{ uri: pathToUri(p('doc/product.ent')), type: 'changed' }]);
        assert.ok(affected.includes(pathToUri(p('doc/ch.xml'))));
        assert.strictEqual(idx.get(p('doc/ch.xml'))!.model.title, 'About Swift');

        ws.delete(p('doc/sub/a.xml'));
        ws.delete(p('doc/sub/b.xml'));
        await service.filesChanged([{ uri: pathToUri(p('doc/sub')), type: 'deleted' }]);
        assert.deepStrictEqual(idx.definitionsOf('a'), []);
        assert.deepStrictEqual(idx.definitionsOf('b'), []);
        assert.strictEqual(idx.fileCount, 1);
    });
});

describe('other XML', () => {
    it('leaves XML that is not DocBook alone, and knows DocBook 4 by its DOCTYPE or root', async () => {
        const files: Record<string, string> = {
            'pom.xml': '<project><build><link linkend="nowhere" xml:id="pom-id"/></build></project>',
            'image.xml': '<svg xmlns="http://www.w3.org/2000/svg"><a linkend="x"/></svg>',
            'db4.xml': '<!DOCTYPE chapter PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "docbookx.dtd"><chapter id="db4"><para><xref linkend="nowhere"/></para></chapter>\n',
            'db4-bare.xml': '<section id="bare"><title>Bare</title></section>',
        };
        const { service } = await serviceOn(files);
        assert.deepStrictEqual(await service.diagnostics(pathToUri(p('pom.xml'))), []);
        assert.deepStrictEqual(await service.diagnostics(pathToUri(p('image.xml'))), []);
        assert.deepStrictEqual(indexBehind(service).definitionsOf('pom-id'), []);
        const db4 = await service.diagnostics(pathToUri(p('db4.xml')));
        assert.deepStrictEqual(db4.map((d) => d.code), ['unresolved-id']);
        assert.strictEqual(indexBehind(service).definitionsOf('bare').length, 1);
    });
});

describe('index queries', () => {
    it('booksOf and resolveId: a shared chapter is in both books and sees both definitions; a file in no book sees all', async () => {
        const { service } = await serviceOn(twoBooks);
        const idx = indexBehind(service);
        assert.deepStrictEqual([...idx.booksOf(p('common/ch_shared.xml'))].sort(), [p('a/bk-a.xml'), p('b/bk-b.xml')]);
        assert.deepStrictEqual([...idx.booksOf(p('a/ch_a.xml'))], [p('a/bk-a.xml')]);
        assert.strictEqual(idx.booksOf(p('orphan.xml')).size, 0);
        assert.deepStrictEqual(idx.resolveId(p('a/ch_a.xml'), 'dup').map((l) => l.file), [p('a/ch_a.xml')]);
        assert.deepStrictEqual(idx.resolveId(p('common/ch_shared.xml'), 'dup').map((l) => l.file).sort(), [p('a/ch_a.xml'), p('b/ch_b.xml')]);
        assert.deepStrictEqual(idx.resolveId(p('a/ch_a.xml'), 'ch-b'), [], "book B's ids are not visible in book A");
        assert.deepStrictEqual(idx.resolveId(p('orphan.xml'), 'ch-b').map((l) => l.file), [p('b/ch_b.xml')]);
    });

    it('includers: each xi:include of a file, with the including file and the titles of its books', async () => {
        const files = twoBooks;
        const { service, uri } = await serviceOn(files);
        const found = service.includers(uri('common/ch_shared.xml'));
        assert.deepStrictEqual(found.map((i) => [i.uri, i.label, i.books]).sort(), [
            [uri('a/bk-a.xml'), '../a/bk-a.xml', ['Book A']],
            [uri('b/bk-b.xml'), '../b/bk-b.xml', ['Book B']],
        ]);
        const inA = found.find((i) => i.uri === uri('a/bk-a.xml'))!;
        assert.strictEqual(files['a/bk-a.xml'].split('\n')[inA.range.start.line].slice(inA.range.start.character, inA.range.end.character), '<xi:include href="../common/ch_shared.xml"/>');
        assert.deepStrictEqual(service.includers(uri('orphan.xml')), []);
    });

    it('an edit affects the files whose references it breaks or resolves, and not the files it cannot change', async () => {
        const { service, uri } = await serviceOn(twoBooks);
        // Book A's "dup" renamed in the editor: ch_a's and the shared chapter's references to it change meaning.
        const edited = twoBooks['a/ch_a.xml'].replace('xml:id="dup"', 'xml:id="dup-a"');
        const affected = await service.changeDocument(uri('a/ch_a.xml'), edited, 2);
        for (const rel of ['a/ch_a.xml', 'common/ch_shared.xml']) assert.ok(affected.includes(uri(rel)), `${rel} in ${affected}`);
        for (const rel of ['b/bk-b.xml', 'orphan.xml']) assert.ok(!affected.includes(uri(rel)), `${rel} not in ${affected}`);
        // A title change moves no id: the references elsewhere are not re-checked.
        const retitled = edited.replace('<title>Chapter A</title>', '<title>Chapter A, revised</title>');
        const afterTitle = await service.changeDocument(uri('a/ch_a.xml'), retitled, 3);
        assert.ok(afterTitle.includes(uri('a/ch_a.xml')));
        for (const rel of ['common/ch_shared.xml', 'b/ch_b.xml', 'orphan.xml']) assert.ok(!afterTitle.includes(uri(rel)), `${rel} not in ${afterTitle}`);
    });
});
