// The book walk on its own: file models built by the real parser, targets by the real resolver,
// no index and no disk.

import * as assert from 'assert';
import * as path from 'path';
import { buildFileModel } from '../../server/src/core/docbookModel';
import { emptyEntityTable } from '../../server/src/core/entities';
import { UriResolver } from '../../server/src/core/resolver';
import { parseXml } from '../../server/src/core/xmlParser';
import { BookFile, BookSource, includeStatus, inRegion, isIncludeActive, Region, walkBook } from '../../server/src/index/bookWalk';

const NS = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" version="5.0"';
const ROOT = path.resolve('/books');
const p = (rel: string): string => path.join(ROOT, rel);

interface Tree { source: BookSource; files: Map<string, BookFile>; texts: Record<string, string> }

/** A tree of files by path relative to ROOT; `other` lists existing non-XML files, `outside` paths beyond the boundary. */
function tree(texts: Record<string, string>, other: string[] = [], outside: (file: string) => boolean = () => false): Tree {
    const resolver = new UriResolver({}, [], ROOT);
    const files = new Map<string, BookFile>();
    for (const [rel, text] of Object.entries(texts)) {
        const file = p(rel);
        const model = buildFileModel(parseXml(text), emptyEntityTable());
        const includeTargets = model.includes.map((inc) => inc.href ? resolver.resolveHref(inc.href, file, inc.xmlBase) : { kind: 'file' as const, path: file });
        files.set(file, { path: file, model, includeTargets });
    }
    const existing = new Set(other.map(p));
    const source: BookSource = {
        file: (f) => (outside(f) ? undefined : files.get(f)),
        exists: (f) => files.has(f) || existing.has(f),
        isOutside: outside,
    };
    return { source, files, texts: Object.fromEntries(Object.entries(texts).map(([k, v]) => [p(k), v])) };
}

/** The text a region of a file covers, so assertions read as content, not offsets. */
function covered(t: Tree, file: string, region: Region | undefined): string {
    assert.ok(region, `${file} is in the book`);
    const text = t.texts[p(file)];
    if (region === 'all') return text;
    return region.map((s) => text.slice(s.start, s.end)).join('|');
}

describe('book walk', () => {
    it('takes nested books of a set, and the files their includes reach', () => {
        const t = tree({
            'set.xml': `<set ${NS}><title>S</title><xi:include href="a/book.xml"/><xi:include href="b/book.xml"/></set>`,
            'a/book.xml': `<book ${NS}><title>A</title><xi:include href="ch.xml"/></book>`,
            'a/ch.xml': `<chapter ${NS}><title>A1</title></chapter>`,
            'b/book.xml': `<book ${NS}><title>B</title><xi:include href="../common/ch.xml"/></book>`,
            'common/ch.xml': `<chapter ${NS}><title>Common</title></chapter>`,
        });
        assert.deepStrictEqual([...walkBook(t.source, p('set.xml')).keys()].sort(), ['a/book.xml', 'a/ch.xml', 'b/book.xml', 'common/ch.xml', 'set.xml'].map(p).sort());
        assert.deepStrictEqual([...walkBook(t.source, p('b/book.xml')).keys()].sort(), [p('b/book.xml'), p('common/ch.xml')]);
    });

    it('takes only the element an xpointer names, and merges two pointers into one file', () => {
        const t = tree({
            'book.xml': `<book ${NS}><title>B</title><xi:include href="shared.xml" xpointer="one"/><xi:include href="shared.xml" xpointer="element(three)"/></book>`,
            'shared.xml': `<chapter ${NS}><title>Shared</title><section xml:id="one"><title>One</title></section><section xml:id="two"><title>Two</title></section><section xml:id="three"><title>Three</title></section></chapter>`,
        });
        const region = walkBook(t.source, p('book.xml')).get(p('shared.xml'));
        assert.strictEqual(covered(t, 'shared.xml', region), '<section xml:id="one"><title>One</title></section>|<section xml:id="three"><title>Three</title></section>');
        const ids = t.files.get(p('shared.xml'))!.model.ids;
        assert.deepStrictEqual(ids.filter((d) => inRegion(region!, d.start)).map((d) => d.id), ['one', 'three']);
    });

    it('takes the children after the title for xpath(...)/*[not(self::db:title)]', () => {
        const t = tree({
            'book.xml': `<book ${NS}><title>B</title><chapter><title>Mine</title><xi:include href="s.xml" xpointer="xmlns(db=http://docbook.org/ns/docbook) xpointer(//*[@xml:id='s']/*[not(self::db:title)])"/></chapter></book>`,
            's.xml': `<section ${NS} xml:id="s"><title>Dropped</title><para>Kept</para></section>`,
        });
        const text = covered(t, 's.xml', walkBook(t.source, p('book.xml')).get(p('s.xml')));
        assert.match(text, /<para>Kept<\/para>/);
        assert.doesNotMatch(text, /Dropped/);
    });

    it('follows an xi:fallback only when its include fails', () => {
        const fallback = (href: string): string => `<xi:include href="${href}"><xi:fallback><xi:include href="spare.xml"/></xi:fallback></xi:include>`;
        const t = tree({
            'ok.xml': `<book ${NS}><title>B</title>${fallback('ch.xml')}</book>`,
            'failing.xml': `<book ${NS}><title>B</title>${fallback('gone.xml')}</book>`,
            'ch.xml': `<chapter ${NS}><title>C</title></chapter>`,
            'spare.xml': `<chapter ${NS}><title>Spare</title></chapter>`,
        });
        assert.deepStrictEqual([...walkBook(t.source, p('ok.xml')).keys()], [p('ok.xml'), p('ch.xml')]);
        assert.deepStrictEqual([...walkBook(t.source, p('failing.xml')).keys()], [p('failing.xml'), p('spare.xml')]);
        const failing = t.files.get(p('failing.xml'))!;
        assert.deepStrictEqual([includeStatus(t.source, failing, 0).kind, isIncludeActive(t.source, failing, 1)], ['missing', true]);
    });

    it('does not follow parse="text" includes, but knows whether their target exists', () => {
        const t = tree({
            'book.xml': `<book ${NS}><title>B</title><programlisting><xi:include href="code.xml" parse="text"/><xi:include href="gone.txt" parse="text"/></programlisting></book>`,
            'code.xml': `<chapter ${NS}><xi:include href="never.xml"/></chapter>`,
            'never.xml': `<chapter ${NS}><title>Never</title></chapter>`,
        });
        assert.deepStrictEqual([...walkBook(t.source, p('book.xml')).keys()], [p('book.xml')]);
        const book = t.files.get(p('book.xml'))!;
        assert.deepStrictEqual([0, 1].map((i) => includeStatus(t.source, book, i).kind), ['ok', 'missing']);
    });

    it('stops at a cycle and reports it, but lets a file include part of itself', () => {
        const t = tree({
            'book.xml': `<book ${NS}><title>B</title><xi:include href="a.xml"/></book>`,
            'a.xml': `<chapter ${NS}><title>A</title><xi:include href="b.xml"/></chapter>`,
            'b.xml': `<section ${NS}><title>B</title><xi:include href="a.xml"/></section>`,
            'self.xml': `<book ${NS}><title>S</title><section xml:id="x"><title>X</title></section><appendix><title>Again</title><xi:include href="" xpointer="x"/></appendix></book>`,
        });
        assert.deepStrictEqual([...walkBook(t.source, p('book.xml')).keys()], [p('book.xml'), p('a.xml'), p('b.xml')]);
        assert.strictEqual(includeStatus(t.source, t.files.get(p('self.xml'))!, 0).kind, 'ok');
        const b = t.files.get(p('b.xml'))!;
        assert.strictEqual(includeStatus(t.source, b, 0).kind, 'ok', 'on its own, b including a is no cycle');
    });

    it('walks a chain of 20,000 includes without recursion', () => {
        const texts: Record<string, string> = { 'book.xml': `<book ${NS}><title>B</title><xi:include href="c0.xml"/></book>` };
        for (let i = 0; i < 20_000; i++) texts[`c${i}.xml`] = `<section ${NS}><title>${i}</title>${i < 19_999 ? `<xi:include href="c${i + 1}.xml"/>` : ''}</section>`;
        const t = tree(texts);
        const files = walkBook(t.source, p('book.xml'));
        assert.strictEqual(files.size, 20_001);
        assert.ok(files.has(p('c19999.xml')));
    });

    it('does not follow an include outside the boundary and says why', () => {
        const t = tree({
            'book.xml': `<book ${NS}><title>B</title><xi:include href="../etc/ch.xml"/><xi:include href="/etc/passwd" parse="text"/></book>`,
        }, [], (f) => !f.startsWith(ROOT + path.sep));
        const book = t.files.get(p('book.xml'))!;
        assert.deepStrictEqual([0, 1].map((i) => includeStatus(t.source, book, i).kind), ['outside-workspace', 'outside-workspace']);
        assert.deepStrictEqual([...walkBook(t.source, p('book.xml')).keys()], [p('book.xml')]);
    });
});
