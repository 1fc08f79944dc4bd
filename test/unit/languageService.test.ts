// The language service on in-memory workspaces: book scopes, xpointer regions, fallbacks, cycles,
// catalogs, live updates, and each feature's answers.

import * as assert from 'assert';
import * as path from 'path';
import { TextDocumentEdit } from 'vscode-languageserver-types';
import { indexBehind, lineMapOf } from '../helpers';
import { pathToUri, uriToPath } from '../../server/src/core/uri';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings, DocbookSettings } from '../../server/src/settings';
import { InMemoryWorkspace } from '../../server/src/workspace';

const ROOT = path.resolve('/ws');
const NS = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:xlink="http://www.w3.org/1999/xlink" version="5.0"';
const p = (rel: string): string => path.join(ROOT, rel);

async function serviceFor(files: Record<string, string>, settings: Partial<DocbookSettings> = {}): Promise<{ service: DocbookLanguageService; ws: InMemoryWorkspace }> {
    const ws = new InMemoryWorkspace(Object.fromEntries(Object.entries(files).map(([k, v]) => [p(k), v])));
    const service = new DocbookLanguageService(ws);
    await service.initialize([ROOT], { ...defaultSettings(), ...settings });
    return { service, ws };
}

/** Position of the n-th occurrence of `needle` (plus `delta` characters) in a file of the workspace. */
function at(files: Record<string, string>, rel: string, needle: string, delta = 0, nth = 0) {
    const text = files[rel];
    let i = -1;
    for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} not in ${rel}`);
    return lineMapOf(text).positionAt(i + delta);
}

const twoBooks: Record<string, string> = {
    'a/bk-a.xml': `<book ${NS} xml:id="bk-a"><title>Book A</title><xi:include href="ch_a.xml"/><xi:include href="../common/ch_shared.xml"/></book>`,
    'a/ch_a.xml': `<chapter ${NS} xml:id="ch-a"><title>Chapter A</title><para><xref linkend="dup"/> <xref linkend="shared"/></para><section xml:id="dup"><title>Dup in A</title></section></chapter>`,
    'b/bk-b.xml': `<book ${NS} xml:id="bk-b"><title>Book B</title><xi:include href="ch_b.xml"/><xi:include href="../common/ch_shared.xml"/></book>`,
    'b/ch_b.xml': `<chapter ${NS} xml:id="ch-b"><title>Chapter B</title><para><xref linkend="dup"/></para><section xml:id="dup"><title>Dup in B</title></section></chapter>`,
    'common/ch_shared.xml': `<chapter ${NS} xml:id="shared"><title>Shared</title><para><xref linkend="dup"/></para></chapter>`,
    'orphan.xml': `<chapter ${NS} xml:id="orphan"><title>Orphan</title><para><xref linkend="ch-a"/></para></chapter>`,
};

describe('books and scope', () => {
    it('resolves a reference against the ids of the books that contain its file', async () => {
        const { service } = await serviceFor(twoBooks);
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

    it('references and rename follow the book scope', async () => {
        const { service } = await serviceFor(twoBooks);
        const refs = service.references(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'xml:id="dup"', 8), true);
        const files = refs.map((r) => path.relative(ROOT, new URL(r.uri).pathname)).sort();
        // The definition, its reference in ch_a, and the shared chapter's reference (which sees both books).
        assert.deepStrictEqual(files, ['a/ch_a.xml', 'a/ch_a.xml', 'common/ch_shared.xml']);

        const edit = await service.rename(pathToUri(p('b/ch_b.xml')), at(twoBooks, 'b/ch_b.xml', 'xml:id="dup"', 8), 'dup-b');
        const changes = (edit.documentChanges as TextDocumentEdit[]).map((c) => [path.relative(ROOT, new URL(c.textDocument.uri).pathname), c.edits.length]);
        assert.deepStrictEqual(changes.sort(), [['b/ch_b.xml', 2], ['common/ch_shared.xml', 1]]);
        // From the shared chapter, "dup" is ambiguous: two books define it.
        assert.throws(() => service.prepareRename(pathToUri(p('common/ch_shared.xml')), at(twoBooks, 'common/ch_shared.xml', 'linkend="dup"', 9)), /ambiguous/);
        await assert.rejects(service.rename(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'xml:id="dup"', 8), 'has space'), /not a valid id/);
        await assert.rejects(service.rename(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'xml:id="dup"', 8), 'ch-a'), /already an id/);
    });

    it('refuses a rename when a file changed on disk since it was indexed, and writes nothing', async () => {
        const { service, ws } = await serviceFor(twoBooks);
        const before = new Map([...ws.files].map(([k, v]) => [k, Buffer.from(v)]));
        ws.write(p('common/ch_shared.xml'), twoBooks['common/ch_shared.xml'].replace('<para>', '<para>added text '));
        await assert.rejects(service.rename(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'xml:id="dup"', 8), 'fresh'), /changed since it was indexed/);
        for (const [k, v] of before) {
            if (k === p('common/ch_shared.xml')) continue;
            assert.ok(Buffer.from(ws.files.get(k)!).equals(v), `${k} untouched`);
        }
    });
});

describe('xpointer regions, fallbacks and cycles', () => {
    const files: Record<string, string> = {
        'bk.xml': `<book ${NS}><title>B</title>
<xi:include href="src.xml" xpointer="xmlns(db=http://docbook.org/ns/docbook) xpath(//*[@xml:id = 'wrap']/*[not(self::db:title)])"/>
<xi:include href="src.xml" xpointer="element(single)"/>
<xi:include href="missing.xml"><xi:fallback><xi:include href="fallback.xml"/></xi:fallback></xi:include>
<xi:include href="present.xml"><xi:fallback><xi:include href="unused.xml"/></xi:fallback></xi:include>
<xi:include href="loop1.xml"/>
<chapter><para><xref linkend="inner"/><xref linkend="wrap"/><xref linkend="outside"/></para></chapter>
</book>`,
        'src.xml': `<chapter ${NS} xml:id="wrap"><title>Wrap</title><section xml:id="inner"><title>Inner</title></section></chapter>`,
        'other.xml': `<chapter ${NS}><section xml:id="single"/><section xml:id="outside"/></chapter>`,
        'fallback.xml': `<section ${NS} xml:id="from-fallback"/>`,
        'present.xml': `<section ${NS} xml:id="present"/>`,
        'unused.xml': `<section ${NS} xml:id="unused"/>`,
        'loop1.xml': `<section ${NS} xml:id="l1"><xi:include href="loop2.xml"/></section>`,
        'loop2.xml': `<section ${NS} xml:id="l2"><xi:include href="loop1.xml"/></section>`,
    };

    it('takes only the part of a file an xpointer selects', async () => {
        files['bk.xml'] = files['bk.xml'].replace('href="src.xml" xpointer="element(single)"', 'href="other.xml" xpointer="element(single)"');
        const { service } = await serviceFor(files);
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
        const { service } = await serviceFor(files);
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

    it('goes from an xpointer to the element, and completes ids of the target file inside it', async () => {
        const { service } = await serviceFor(files);
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

describe('remote includes, catalogs and URL mappings', () => {
    const files: Record<string, string> = {
        'bk.xml': `<book ${NS}><xi:include href="http://git.openstack.org/cgit/openstack/openstack-manuals/plain/doc/common/ch_preface.xml"/><xi:include href="http://example.org/catalogued/app.xml"/></book>`,
        'mirror/common/ch_preface.xml': `<preface ${NS} xml:id="preface"><title>Preface</title></preface>`,
        'local/app.xml': `<appendix ${NS} xml:id="app"><title>App</title></appendix>`,
        'catalog.xml': `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><rewriteURI uriStartString="http://example.org/catalogued/" rewritePrefix="local/"/></catalog>`,
    };

    it('treats an unmapped URL as remote, not missing', async () => {
        const { service } = await serviceFor(files);
        const bk = indexBehind(service).get(p('bk.xml'))!;
        assert.strictEqual(indexBehind(service).includeStatus(bk, 0).kind, 'remote');
        assert.strictEqual(indexBehind(service).includeStatus(bk, 1).kind, 'remote');
    });

    it('names a remote include in the book view by its file name, and keeps the URL', async () => {
        const { service } = await serviceFor(files);
        const [book] = service.bookTree();
        assert.deepStrictEqual(book.children.map((c) => ({ label: c.label, problem: c.problem, url: c.url })), [
            { label: 'ch_preface.xml', problem: 'remote', url: 'http://git.openstack.org/cgit/openstack/openstack-manuals/plain/doc/common/ch_preface.xml' },
            { label: 'app.xml', problem: 'remote', url: 'http://example.org/catalogued/app.xml' },
        ]);
    });

    it('titles an untitled glossary "Glossary" in the book view, as the build does', async () => {
        const { service } = await serviceFor({
            'bk.xml': `<book ${NS}><title>B</title><chapter><title>C</title><para/></chapter><glossary role="auto"/><index/></book>`,
        });
        const [book] = service.bookTree();
        assert.deepStrictEqual(book.children.map((c) => c.label), ['C', 'Glossary', 'Index']);
    });

    it('resolves through a URL-prefix mapping and an OASIS catalog', async () => {
        const { service } = await serviceFor(files, {
            urlMappings: { 'http://git.openstack.org/cgit/openstack/openstack-manuals/plain/doc/': p('mirror') + '/' },
            catalogs: [p('catalog.xml')],
        });
        const bk = indexBehind(service).get(p('bk.xml'))!;
        assert.deepStrictEqual(indexBehind(service).includeStatus(bk, 0), { kind: 'ok', path: p('mirror/common/ch_preface.xml') });
        assert.deepStrictEqual(indexBehind(service).includeStatus(bk, 1), { kind: 'ok', path: p('local/app.xml') });
        assert.strictEqual(indexBehind(service).resolveId(p('bk.xml'), 'app').length, 1);
    });
});

describe('live updates', () => {
    it('an edit, a new file and a deletion update scopes without a restart, and say which files changed', async () => {
        const files: Record<string, string> = {
            'bk.xml': `<book ${NS}><xi:include href="ch1.xml"/><xi:include href="ch2.xml"/></book>`,
            'ch1.xml': `<chapter ${NS} xml:id="ch1"><para><xref linkend="later"/></para></chapter>`,
        };
        const { service, ws } = await serviceFor(files);
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
        const ws = new InMemoryWorkspace({
            [p('one/bk.xml')]: `<book ${NS}><xi:include href="../two/ch.xml"/><para><xref linkend="two"/></para></book>`,
            [p('two/ch.xml')]: `<chapter ${NS} xml:id="two"/>`,
        });
        const service = new DocbookLanguageService(ws);
        await service.initialize([p('one')], { ...defaultSettings(), allowedRoots: [p('two')] });
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

describe('completion contexts', () => {
    const files: Record<string, string> = {
        'bk.xml': `<book ${NS}><title>B</title><xi:include href="chapters/ch1.xml"/><xi:include href="chapters/ch2.xml"/></book>`,
        'chapters/ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title><section xml:id="s1"><title>Section one</title></section><para><xref linkend=""/> <co linkends="a "/> <glossterm></glossterm> <glossterm baseform=""/> <xi:include href="../"/></para></chapter>`,
        'chapters/ch2.xml': `<chapter ${NS} xml:id="ch2"><title>Two</title></chapter>`,
        'orphan.xml': `<chapter ${NS} xml:id="orphan-id"/>`,
        'glossary/glossary-terms.xml': `<glossary ${NS}><glossentry><glossterm>API</glossterm><glossdef><para>Application programming interface. More.</para></glossdef></glossentry><glossentry><glossterm>Compute</glossterm><glossdef><para>The compute service.</para></glossdef></glossentry></glossary>`,
    };
    const uri = pathToUri(p('chapters/ch1.xml'));

    it('offers the ids of this book in a linkend, own file first, with element and title', async () => {
        const { service } = await serviceFor(files, { glossaryCollection: ['glossary/glossary-terms.xml'] });
        const list = await service.completion(uri, at(files, 'chapters/ch1.xml', 'linkend=""', 9));
        const labels = list.items.map((i) => i.label);
        assert.deepStrictEqual([...labels].sort(), ['ch1', 'ch2', 's1']);
        assert.ok(!labels.includes('orphan-id'), 'ids outside the book would not resolve');
        const sorted = [...list.items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((i) => i.label);
        assert.deepStrictEqual(sorted.slice(0, 2).sort(), ['ch1', 's1']);
        assert.strictEqual(list.items.find((i) => i.label === 's1')!.detail, '<section> Section one');
    });

    it('completes a word of linkends, glossary terms in glossterm text and baseform, and paths segment by segment', async () => {
        const { service } = await serviceFor(files, { glossaryCollection: ['glossary/glossary-terms.xml'] });
        const words = await service.completion(uri, at(files, 'chapters/ch1.xml', 'linkends="a "', 12));
        assert.ok(words.items.length === 3 && words.items.every((i) => i.textEdit && 'range' in i.textEdit && i.textEdit.range.start.character === i.textEdit.range.end.character));
        const terms = await service.completion(uri, at(files, 'chapters/ch1.xml', '<glossterm></glossterm>', 11));
        assert.deepStrictEqual(terms.items.map((i) => i.label).sort(), ['API', 'Compute']);
        assert.match(JSON.stringify(terms.items.find((i) => i.label === 'API')!.documentation), /Application programming interface\./);
        const baseform = await service.completion(uri, at(files, 'chapters/ch1.xml', 'baseform=""', 10));
        assert.strictEqual(baseform.items.length, 2);
        const paths = await service.completion(uri, at(files, 'chapters/ch1.xml', 'href="../"', 9));
        const labels = paths.items.map((i) => i.label);
        for (const expected of ['chapters/', 'glossary/', 'bk.xml', 'orphan.xml']) assert.ok(labels.includes(expected), `${expected} in ${labels}`);
    });
});

describe('hover and symbols', () => {
    it('shows the target of a reference and the outline of a chapter', async () => {
        const { service } = await serviceFor(twoBooks);
        const hover = service.hover(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'linkend="shared"', 10));
        assert.match(JSON.stringify(hover!.contents), /<chapter>`.*Shared.*ch_shared\.xml/);
        const symbols = service.documentSymbols(pathToUri(p('a/ch_a.xml')));
        assert.deepStrictEqual(symbols.map((s) => [s.name, s.children!.map((c) => c.name)]), [['Chapter A', ['Dup in A']]]);
        const ws = service.workspaceSymbols('dupin');
        assert.deepStrictEqual(ws.map((s) => s.name).sort(), ['dup — Dup in A', 'dup — Dup in B']);
    });
});

describe('indexing rules', () => {
    it('skips .git, node_modules, target and the excluded globs', async () => {
        const chapter = `<chapter ${NS} xml:id="c"/>`;
        const { service } = await serviceFor({
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
        const { service, ws } = await serviceFor(files);
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
            'db4.xml': '<!DOCTYPE chapter PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "docbookx.dtd"><chapter id="db4"><para><xref linkend="nowhere"/></para></chapter>',
            'db4-bare.xml': '<section id="bare"><title>Bare</title></section>',
        };
        const { service } = await serviceFor(files);
        assert.deepStrictEqual(await service.diagnostics(pathToUri(p('pom.xml'))), []);
        assert.deepStrictEqual(await service.diagnostics(pathToUri(p('image.xml'))), []);
        assert.deepStrictEqual(indexBehind(service).definitionsOf('pom-id'), []);
        const db4 = await service.diagnostics(pathToUri(p('db4.xml')));
        assert.deepStrictEqual(db4.map((d) => d.code), ['unresolved-id']);
        assert.strictEqual(indexBehind(service).definitionsOf('bare').length, 1);
    });
});
