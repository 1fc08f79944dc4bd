// The book view: every book in include order, its includes expanded (xpointer regions honoured),
// failed includes shown as marked leaves.

import * as assert from 'assert';
import * as path from 'path';
import { BookNode, BookTreeParams } from '../../server/src/api';
import { provideBookTree } from '../../server/src/features/bookTree';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { includeRegions, NS, serviceOn, twoBooks } from '../fixtures';
import { CORPUS, contextOf, requireCorpus } from '../helpers';

/** A tree as nested labels, a problem in brackets. */
function shape(node: BookNode): unknown {
    const label = node.problem ? `${node.label} [${node.problem}]` : node.label;
    return node.children.length ? [label, node.children.map(shape)] : label;
}

describe('book tree', () => {
    const remote: Record<string, string> = {
        'bk.xml': `<book ${NS}><xi:include href="http://git.openstack.org/cgit/openstack/openstack-manuals/plain/doc/common/ch_preface.xml"/><xi:include href="http://example.org/catalogued/app.xml"/></book>`,
    };

    it('names a remote include in the book view by its file name, and keeps the URL', async () => {
        const { service } = await serviceOn(remote);
        const [book] = service.bookTree();
        assert.deepStrictEqual(book.children.map((c) => ({ label: c.label, problem: c.problem, url: c.url })), [
            { label: 'ch_preface.xml', problem: 'remote', url: 'http://git.openstack.org/cgit/openstack/openstack-manuals/plain/doc/common/ch_preface.xml' },
            { label: 'app.xml', problem: 'remote', url: 'http://example.org/catalogued/app.xml' },
        ]);
    });

    it('titles an untitled glossary "Glossary" in the book view, as the build does', async () => {
        const { service } = await serviceOn({
            'bk.xml': `<book ${NS}><title>B</title><chapter><title>C</title><para/></chapter><glossary role="auto"/><index/></book>`,
        });
        const [book] = service.bookTree();
        assert.deepStrictEqual(book.children.map((c) => c.label), ['C', 'Glossary', 'Index']);
    });

    it('expands includes in document order, chapters with their sections, and marks a missing file', async () => {
        const { service, uri } = await serviceOn({
            'bk.xml': `<book ${NS} xml:id="bk"><title>Admin Guide</title>
<preface><title>Preface</title></preface>
<xi:include href="ch_install.xml"/>
<xi:include href="ch_gone.xml"/>
<xi:include href="ch_ops.xml"/>
</book>`,
            'ch_install.xml': `<chapter ${NS} xml:id="install"><title>Install</title><section xml:id="s-pkg"><title>Packages</title><section><title>On Ubuntu</title></section></section></chapter>`,
            'ch_ops.xml': `<chapter ${NS} xml:id="ops"><title>Operate</title></chapter>`,
            // Not a book's part: not in the view.
            'ch_loose.xml': `<chapter ${NS} xml:id="loose"><title>Loose</title></chapter>`,
        });
        const books = service.bookTree();
        assert.deepStrictEqual(books.map(shape), [
            ['Admin Guide', ['Preface', ['Install', [['Packages', ['On Ubuntu']]]], 'ch_gone.xml [missing]', 'Operate']],
        ]);
        const install = books[0].children[1];
        assert.strictEqual(install.uri, uri('ch_install.xml'), 'an included node points into its own file');
        assert.strictEqual(install.id, 'install');
        assert.strictEqual(books[0].children[2].uri, uri('bk.xml'), 'a failed include points at the include');
    });

    it('takes only what an xpointer selects, and marks an include cycle', async () => {
        const { service } = await serviceOn(includeRegions);
        const [book] = service.bookTree();
        const labels = JSON.stringify(book.children.map(shape));
        // xpath() of wrap's children: "Inner" without the "Wrap" chapter around it.
        assert.ok(labels.includes('"Inner"') && !labels.includes('Wrap'), labels);
        // loop1 -> loop2 -> loop1 stops at the second visit of loop1, as a marked leaf.
        assert.ok(labels.includes('[["<section>",["loop1.xml (include cycle) [cycle]"]]]'), labels);
    });
});

/** The books-only answer must be the full answer's books, children dropped, saying which have children. */
function assertBooksOnlyAndEachBookMatchFull(bookTree: (params?: BookTreeParams) => BookNode[]): BookNode[] {
    const full = bookTree();
    const only = bookTree({ books: 'only' });
    assert.deepStrictEqual(only.map(({ childrenToFetch: _, ...n }) => n), full.map((n) => ({ ...n, children: [] })));
    // A book's outline children or includes count before they are built: a twistie that opens on
    // nothing at worst (an include of a file without divisions), never a book whose children are hidden.
    only.forEach((n, i) => assert.ok(n.childrenToFetch || full[i].children.length === 0, `${n.label} hides its children`));
    for (const book of full) assert.deepStrictEqual(bookTree({ book: book.uri }), [book]);
    return only;
}

describe('book tree, one book at a time', () => {
    const booksAndSet: Record<string, string> = {
        ...twoBooks,
        'set.xml': `<set ${NS}><title>Library</title><xi:include href="a/bk-a.xml"/><xi:include href="b/bk-b.xml"/></set>`,
        'bare.xml': `<book ${NS}><title>Nothing yet</title><info><abstract><para>Soon.</para></abstract></info></book>`,
        'inline.xml': `<book ${NS}><title>Inline</title><chapter><title>Only chapter</title></chapter></book>`,
    };

    it('answers the books alone as in the full tree, and each book\'s tree as in the full tree', async () => {
        for (const files of [booksAndSet, includeRegions]) {
            const { service } = await serviceOn(files);
            assertBooksOnlyAndEachBookMatchFull((p) => service.bookTree(p));
        }
    });

    it('says which books have children: none for a book of a title alone', async () => {
        const { service } = await serviceOn(booksAndSet);
        const only = service.bookTree({ books: 'only' });
        assert.deepStrictEqual(only.map((n) => [n.label, n.childrenToFetch]), [
            ['Book A', true], ['Book B', true], ['Nothing yet', false], ['Inline', true], ['Library', true],
        ]);
        for (const n of only) assert.deepStrictEqual(n.children, []);
    });

    it('answers [] for a uri that is no book: a chapter, a missing file, not a file', async () => {
        const { service, uri } = await serviceOn(booksAndSet);
        for (const book of [uri('a/ch_a.xml'), uri('none.xml'), 'http://example.org/bk.xml', 'not a uri']) {
            assert.deepStrictEqual(service.bookTree({ book }), [], book);
        }
    });

    it('names the books that hold a file, the file itself if it is a book', async () => {
        const { service, uri } = await serviceOn(booksAndSet);
        const holding = (rel: string): string[] => service.bookTree({ books: 'only', holding: uri(rel) }).map((n) => n.label);
        assert.deepStrictEqual(holding('common/ch_shared.xml'), ['Book A', 'Book B', 'Library']);
        assert.deepStrictEqual(holding('a/ch_a.xml'), ['Book A', 'Library']);
        assert.deepStrictEqual(holding('a/bk-a.xml'), ['Book A', 'Library']);
        assert.deepStrictEqual(holding('inline.xml'), ['Inline']);
        assert.deepStrictEqual(holding('orphan.xml'), []);
    });

    it('on the real corpus: the books alone and each book as in the full tree', async function () {
        this.timeout(60_000);
        for (const tree of ['training-guides', 'ha-guide']) {
            requireCorpus(this, path.join(CORPUS, tree));
            const index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
            await index.addFolder(path.join(CORPUS, tree));
            const only = assertBooksOnlyAndEachBookMatchFull((p) => provideBookTree(contextOf(index), p));
            assert.ok(only.length > 0, `no book in ${tree}`);
        }
    });
});
