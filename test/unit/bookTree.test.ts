// The book view: every book in include order, its includes expanded (xpointer regions honoured),
// failed includes shown as marked leaves.

import * as assert from 'assert';
import { BookNode } from '../../server/src/api';
import { includeRegions, NS, serviceOn } from '../fixtures';

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
