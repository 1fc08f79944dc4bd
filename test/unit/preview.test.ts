import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { providePreview, PREVIEW_STYLE, renderStandalonePage, safeHref, PreviewResult } from '../../server/src/features/preview';
import { parseXml, XmlElement, XmlNode } from '../../server/src/core/xmlParser';
import { entityText, emptyEntityTable } from '../../server/src/core/entities';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { defaultSettings } from '../../server/src/settings';
import { InMemoryWorkspace, NodeWorkspace } from '../../server/src/workspace';
import { CORPUS, contextOf, requireCorpus } from '../helpers';

const WS = path.resolve('/ws');
const NS = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:xlink="http://www.w3.org/1999/xlink" version="5.0"';

async function indexOf(files: Record<string, string>, settings = defaultSettings()): Promise<WorkspaceIndex> {
    const ws = new InMemoryWorkspace(Object.fromEntries(Object.entries(files).map(([rel, text]) => [path.join(WS, rel), text])));
    const index = new WorkspaceIndex(ws, settings);
    await index.configure(settings);
    await index.addFolder(WS);
    return index;
}

const NO_ENTITIES = emptyEntityTable();

/** The preview's HTML as a tree (the renderer writes well-formed XHTML, so the XML parser reads it). */
function tree(html: string): XmlElement {
    const doc = parseXml(html);
    assert.deepStrictEqual(doc.problems.map((p) => p.message), [], 'the preview HTML is well-formed');
    return doc.root!;
}

function elements(root: XmlElement): XmlElement[] {
    const out: XmlElement[] = [];
    const walk = (el: XmlElement): void => {
        out.push(el);
        for (const c of el.children) if (c.kind === 'element') walk(c);
    };
    walk(root);
    return out;
}

function textOfHtml(html: string, el: XmlNode): string {
    if (el.kind === 'text' || el.kind === 'cdata') return html.slice(el.start, el.end);
    if (el.kind === 'entity') return entityText(el.name, NO_ENTITIES) ?? '';
    if (el.kind !== 'element') return '';
    return el.children.map((c) => textOfHtml(html, c)).join('');
}

/** Visible text (attributes left out), whitespace collapsed. */
function visibleText(html: string): string {
    return textOfHtml(html, tree(html)).replace(/\s+/g, ' ');
}

function attrValue(el: XmlElement, name: string): string | undefined {
    const a = el.attrs.find((x) => x.name === name);
    return a === undefined ? undefined : entityDecoded(a.value);
}

function entityDecoded(s: string): string {
    return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, n: string) => entityText(n, NO_ENTITIES) ?? all);
}

function headings(html: string): string[] {
    return elements(tree(html)).filter((e) => /^h[1-6]$/.test(e.local)).map((e) => textOfHtml(html, e).replace(/\s+/g, ' ').trim());
}

const FIXTURE: Record<string, string> = {
    'doc/bk.xml': `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE book [ <!ENTITY % ents SYSTEM "ents.ent"> %ents; ]>
<book ${NS} xml:id="bk">
  <title>Fixture Book</title>
  <chapter xml:id="ch_intro"><title>Introduction</title><para>Intro text.</para></chapter>
  <xi:include href="ch_main.xml"/>
</book>`,
    'doc/ents.ent': `<!ENTITY prod "OpenStack">
<!ENTITY CHECK '<inlinemediaobject xmlns="http://docbook.org/ns/docbook"><imageobject><imagedata fileref="figures/check.svg" format="SVG"/></imageobject></inlinemediaobject>'>`,
    'doc/ch_main.xml': `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE chapter [ <!ENTITY % ents SYSTEM "ents.ent"> %ents; ]>
<chapter ${NS} xml:id="ch_main">
  <title>Main Chapter</title>
  <para>See <xref linkend="ch_intro"/> and <xref linkend="sec_two"/> and <xref linkend="nowhere"/>.</para>
  <section xml:id="sec_one">
    <title>First Section</title>
    <xi:include href="common/shared.xml" xpointer="xmlns(db=http://docbook.org/ns/docbook) xpath(//*[@xml:id = 'shared']/*[not(self::db:title)])"/>
  </section>
  <section xml:id="sec_two">
    <title>Second Section</title>
    <programlisting><xi:include parse="text" href="samples/conf.txt"/></programlisting>
    <xi:include href="missing.xml"/>
    <xi:include href="http://example.org/remote.xml"/>
    <xi:include href="missing2.xml"><xi:fallback><para>Fallback words here.</para></xi:fallback></xi:include>
    <para os="ubuntu;debian">Only on the Debian family.</para>
    <para os="rhel;centos">Only on the Red Hat family.</para>
    <para>Product &prod; checked: &CHECK;</para>
    <frobnicate>Unknown element text survives.</frobnicate>
    <figure xml:id="fig_one"><title>A Figure</title><mediaobject><imageobject><imagedata fileref="figures/check.svg"/></imageobject></mediaobject></figure>
  </section>
</chapter>`,
    'doc/common/shared.xml': `<?xml version="1.0" encoding="UTF-8"?>
<section ${NS} xml:id="shared"><title>Shared Title Not Shown</title>
<para>Shared body text.</para>
<para>Second shared para.</para>
</section>`,
    'doc/samples/conf.txt': '[DEFAULT]\n    debug = true\n<not markup>\n',
    'doc/figures/check.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="23" height="20"><path d="M2 10 L9 17 L21 2" stroke="green" fill="none" stroke-width="3"/></svg>',
    'misc/ch.xml': `<chapter ${NS} xml:id="misc"><title>Misc</title>
<para>A <glossterm>widget</glossterm>, some <glossterm baseform="gadget">gadgets</glossterm> and an <glossterm>unknown term</glossterm>.<footnote xml:id="fn1"><para>Footnote body.</para></footnote> Again<footnoteref linkend="fn1"/>.</para>
<table xml:id="t1"><title>Spans</title><tgroup cols="3"><colspec colname="c1"/><colspec colname="c2"/><colspec colname="c3"/>
<thead><row><entry namest="c1" nameend="c2">Wide head</entry><entry>H3</entry></row></thead>
<tbody><row><entry morerows="1">Tall</entry><entry>b</entry><entry>c</entry></row><row><entry>e</entry><entry>f</entry></row></tbody></tgroup></table>
<informaltable><tr><th colspan="2">Html head</th></tr><tr><td>x</td><td rowspan="x; evil">y</td></tr></informaltable>
<qandaset><qandaentry><question><para>First question?</para></question><answer><para>First answer.</para></answer></qandaentry>
<qandaentry><question><para>Second question?</para></question><answer><para>Second answer.</para></answer></qandaentry></qandaset>
<variablelist><varlistentry><term>Term one</term><term>alias</term><listitem><para>Described.</para></listitem></varlistentry></variablelist>
<procedure><title>Do it</title><step><para>Step one.</para><substeps><step><para>Sub a.</para></step></substeps></step><step><para>Step two.</para></step></procedure>
<glossary><glossentry><glossterm>widget</glossterm><glossdef><para>A small device that does things.</para></glossdef></glossentry>
<glossentry><glossterm>gadget</glossterm><glossdef><para>A tool.</para></glossdef></glossentry></glossary>
</chapter>`,
    'cycle/a.xml': `<chapter ${NS}><title>A</title><para>A text.</para><xi:include href="b.xml"/></chapter>`,
    'cycle/b.xml': `<section ${NS}><title>B</title><para>B text.</para><xi:include href="a.xml"/></section>`,
};

describe('preview renderer', () => {
    let index: WorkspaceIndex;
    const chapter = path.join(WS, 'doc/ch_main.xml');
    let result: PreviewResult;

    before(async () => {
        index = await indexOf(FIXTURE);
        result = await providePreview(contextOf(index), { file: chapter });
    });

    it('renders a chapter on its own with its number from the book that includes it', () => {
        assert.deepStrictEqual(result.books, [path.join(WS, 'doc/bk.xml')]);
        assert.strictEqual(result.book, path.join(WS, 'doc/bk.xml'));
        assert.strictEqual(result.title, 'Main Chapter');
        const h = headings(result.html);
        assert.strictEqual(h[0], 'Chapter 2. Main Chapter');
        assert.ok(h.includes('2.1. First Section') && h.includes('2.2. Second Section'), h.join(' | '));
    });

    it('generates xref text from the target title as docbook-xsl does, marking unresolved ones', () => {
        const text = visibleText(result.html);
        assert.ok(text.includes('See Chapter 1, Introduction and Section 2.2, “Second Section” and ???.'), text);
        const xrefs = elements(tree(result.html)).filter((e) => e.local === 'a' && (attrValue(e, 'class') ?? '').startsWith('xref'));
        assert.deepStrictEqual(xrefs.map((x) => attrValue(x, 'href')), ['#ch_intro', '#sec_two', '#nowhere']);
        // A target outside the rendered file carries its source position, for "go to target".
        const intro = xrefs[0];
        assert.strictEqual(result.sourceMap.files[Number(attrValue(intro, 'data-target-file'))], path.join(WS, 'doc/bk.xml'));
        assert.strictEqual(attrValue(intro, 'data-target-line'), '4');
        assert.strictEqual(attrValue(xrefs[2], 'class'), 'xref unresolved');
    });

    it('expands the xpath() xpointer form to the target children without its title', () => {
        const text = visibleText(result.html);
        assert.ok(text.includes('Shared body text.') && text.includes('Second shared para.'), text);
        assert.ok(!text.includes('Shared Title Not Shown'));
        // The included paragraphs map to their own file and line.
        const shared = elements(tree(result.html)).find((e) => e.local === 'p' && textOfHtml(result.html, e) === 'Shared body text.')!;
        assert.strictEqual(result.sourceMap.files[Number(attrValue(shared, 'data-file'))], path.join(WS, 'doc/common/shared.xml'));
        assert.strictEqual(attrValue(shared, 'data-line'), '2');
    });

    it('shows a parse="text" include as preformatted text, whitespace and markup characters kept', () => {
        const pre = elements(tree(result.html)).find((e) => e.local === 'pre' && attrValue(e, 'class') === 'programlisting')!;
        assert.strictEqual(textOfHtml(result.html, pre), FIXTURE['doc/samples/conf.txt']);
    });

    it('names a missing or remote include in a visible placeholder and uses xi:fallback when the include fails', () => {
        const placeholders = elements(tree(result.html)).filter((e) => (attrValue(e, 'class') ?? '').startsWith('xi-placeholder'));
        const texts = placeholders.map((p) => textOfHtml(result.html, p));
        assert.ok(texts.some((t) => t.includes(path.join(WS, 'doc/missing.xml'))), texts.join(' | '));
        assert.ok(texts.some((t) => t.includes('http://example.org/remote.xml') && /remote/i.test(t)), texts.join(' | '));
        const text = visibleText(result.html);
        assert.ok(text.includes('Fallback words here.'));
        assert.ok(!texts.some((t) => t.includes('missing2.xml')), 'an include with a fallback shows the fallback, not a placeholder');
    });

    it('stops include cycles with a placeholder', async () => {
        const r = await providePreview(contextOf(index), { file: path.join(WS, 'cycle/a.xml') });
        const text = visibleText(r.html);
        assert.ok(text.includes('A text.') && text.includes('B text.'));
        assert.ok(/Include cycle stopped: .*a\.xml/.test(text), text);
        assert.strictEqual(text.split('B text.').length, 2, 'b.xml is rendered once');
    });

    it('resolves entities, including a value that is markup (an inlinemediaobject renders an image)', () => {
        const text = visibleText(result.html);
        assert.ok(text.includes('Product OpenStack checked:'), text);
        const imgs = elements(tree(result.html)).filter((e) => e.local === 'img');
        const check = imgs.find((i) => attrValue(i, 'src') === 'file://' + path.join(WS, 'doc/figures/check.svg'));
        assert.ok(check, imgs.map((i) => attrValue(i, 'src')).join(' '));
        assert.ok(result.resources.includes(attrValue(check, 'src')!));
    });

    it('maps image paths through resourceUri', async () => {
        const r = await providePreview(contextOf(index), { file: chapter, resourceUri: (p) => `https://file+.vscode-resource.vscode-cdn.net${p}` });
        const srcs = elements(tree(r.html)).filter((e) => e.local === 'img').map((e) => attrValue(e, 'src'));
        assert.ok(srcs.length >= 2 && srcs.every((s) => s === `https://file+.vscode-resource.vscode-cdn.net${path.join(WS, 'doc/figures/check.svg')}`), srcs.join(' '));
    });

    it('numbers figures in their chapter and keeps unknown elements\' content', () => {
        const text = visibleText(result.html);
        assert.ok(text.includes('Figure 2.1. A Figure'), text);
        assert.ok(text.includes('Unknown element text survives.'));
        const unknown = elements(tree(result.html)).find((e) => attrValue(e, 'data-element') === 'frobnicate');
        assert.ok(unknown, 'the unknown element is marked');
    });

    it('renders glossterms with their definition on hover, footnotes, CALS and HTML tables, qandasets, variable lists and procedures', async () => {
        const r = await providePreview(contextOf(index), { file: path.join(WS, 'misc/ch.xml') });
        const all = elements(tree(r.html));
        const terms = all.filter((e) => attrValue(e, 'class') === 'glossterm' && e.local === 'em');
        assert.deepStrictEqual(terms.map((t) => [textOfHtml(r.html, t), attrValue(t, 'title')]), [
            ['widget', 'A small device that does things.'],
            ['gadgets', 'A tool.'],
            ['unknown term', 'No glossary entry for “unknown term”'],
        ]);
        const text = visibleText(r.html);
        assert.ok(/A widget, some gadgets and an unknown term\.\[1\] Again\[1\]\./.test(text), text);
        const footnotes = all.find((e) => attrValue(e, 'class') === 'footnotes')!;
        assert.ok(textOfHtml(r.html, footnotes).includes('[1] Footnote body.'));
        const cells = all.filter((e) => e.local === 'th' || e.local === 'td').map((c) => [c.local, textOfHtml(r.html, c).trim(), attrValue(c, 'colspan') ?? '', attrValue(c, 'rowspan') ?? '']);
        assert.deepStrictEqual(cells.slice(0, 7), [['th', 'Wide head', '2', ''], ['th', 'H3', '', ''], ['td', 'Tall', '', '2'], ['td', 'b', '', ''], ['td', 'c', '', ''], ['td', 'e', '', ''], ['td', 'f', '', '']]);
        assert.deepStrictEqual(cells.slice(7), [['th', 'Html head', '2', ''], ['td', 'x', '', ''], ['td', 'y', '', '']]);
        assert.ok(text.includes('Table 1.1. Spans'));
        assert.ok(/1\. First question\?\s*First answer\.\s*2\. Second question\?\s*Second answer\./.test(text), text);
        const dt = all.find((e) => e.local === 'dt' && textOfHtml(r.html, e).includes('Term one'))!;
        assert.strictEqual(textOfHtml(r.html, dt), 'Term one, alias');
        const ols = all.filter((e) => e.local === 'ol').map((o) => [attrValue(o, 'class'), attrValue(o, 'type')]);
        assert.deepStrictEqual(ols, [['procedure', '1'], ['substeps', 'a']]);
        assert.ok(text.includes('Procedure 1.1. Do it'));
    });

    it('profiles like the build: an os="ubuntu;debian" block only for ubuntu or debian', async () => {
        const shown = (r: PreviewResult): [boolean, boolean] => {
            const t = visibleText(r.html);
            return [t.includes('Only on the Debian family.'), t.includes('Only on the Red Hat family.')];
        };
        assert.deepStrictEqual(shown(result), [true, true], 'without a profile everything shows');
        assert.deepStrictEqual(shown(await providePreview(contextOf(index), { file: chapter, profile: { os: 'ubuntu' } })), [true, false]);
        assert.deepStrictEqual(shown(await providePreview(contextOf(index), { file: chapter, profile: { os: 'debian' } })), [true, false]);
        assert.deepStrictEqual(shown(await providePreview(contextOf(index), { file: chapter, profile: { os: 'centos' } })), [false, true]);
        assert.deepStrictEqual(shown(await providePreview(contextOf(index), { file: chapter, profile: { os: 'sles' } })), [false, false]);
        assert.deepStrictEqual(shown(await providePreview(contextOf(index), { file: chapter, profile: { audience: 'admin' } })), [true, true], 'another attribute does not filter os');
        assert.deepStrictEqual(result.profileValues.os, ['centos', 'debian', 'rhel', 'ubuntu']);
        assert.deepStrictEqual(result.profileValues.audience, []);
    });

    it('puts data-file and data-line on every block', () => {
        const root = tree(result.html);
        const blocks = elements(root).filter((e) => ['p', 'pre', 'section', 'h1', 'h2', 'li', 'ul', 'ol', 'table', 'tr', 'dl', 'dt', 'dd'].includes(e.local));
        assert.ok(blocks.length > 10);
        const missing = blocks.filter((b) => attrValue(b, 'data-line') === undefined || attrValue(b, 'data-file') === undefined);
        assert.deepStrictEqual(missing.map((m) => m.name + ' ' + textOfHtml(result.html, m).slice(0, 30)), []);
        const lines = FIXTURE['doc/ch_main.xml'].split('\n');
        for (const b of blocks.filter((x) => result.sourceMap.files[Number(attrValue(x, 'data-file'))] === chapter)) {
            const line = lines[Number(attrValue(b, 'data-line'))];
            assert.ok(line !== undefined && line.includes('<'), `line ${attrValue(b, 'data-line')} of ${b.name} starts an element`);
        }
        const sec2 = elements(root).find((e) => attrValue(e, 'id') === 'sec_two')!;
        assert.strictEqual(attrValue(sec2, 'data-line'), String(lines.findIndex((l) => l.includes('xml:id="sec_two"'))));
    });

    it('renders from the unsaved editor text of the file and of what it includes', async () => {
        const shared = path.join(WS, 'doc/common/shared.xml');
        await index.setOpenDocument(shared, FIXTURE['doc/common/shared.xml'].replace('Shared body text.', 'Edited in the editor.'), 2);
        await index.setOpenDocument(chapter, FIXTURE['doc/ch_main.xml'].replace('<title>Main Chapter</title>', '<title>Renamed Chapter</title>'), 2);
        const r = await providePreview(contextOf(index), { file: chapter });
        const text = visibleText(r.html);
        assert.ok(text.includes('Edited in the editor.') && !text.includes('Shared body text.'));
        assert.strictEqual(headings(r.html)[0], 'Chapter 2. Renamed Chapter');
        await index.closeDocument(shared);
        await index.closeDocument(chapter);
        const back = await providePreview(contextOf(index), { file: chapter });
        assert.ok(visibleText(back.html).includes('Shared body text.'));
    });

    it('gives the same HTML when nothing changed (parses reused)', async () => {
        const again = await providePreview(contextOf(index), { file: chapter });
        assert.strictEqual(again.html, (await providePreview(contextOf(index), { file: chapter })).html);
    });
});

describe('preview security', () => {
    const HOSTILE = `<?xml version="1.0"?>
<!DOCTYPE chapter [
  <!ENTITY evil '<script xmlns="http://www.w3.org/1999/xhtml">window.__pwned = 1</script><para onclick="alert(1)">from entity</para><link xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="javascript:alert(2)">entity link</link>'>
  <!ENTITY ext SYSTEM "/etc/passwd">
  <!ENTITY a "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"> <!ENTITY b "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"> <!ENTITY c "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
  <!ENTITY d "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"> <!ENTITY e "<emphasis>lol</emphasis><emphasis>lol</emphasis>">
]>
<chapter ${NS} xmlns:h="http://www.w3.org/1999/xhtml" xml:id="evil">
  <title onmouseover="alert(1)">Evil <h:script>window.__pwned = 2</h:script></title>
  <script>document.title = 'pwned'</script>
  <para onclick="alert(1)" style="background:url(http://127.0.0.1:9/css)">Click me</para>
  <para>
    <link xlink:href="javascript:alert(1)">js link</link>
    <link xlink:href="  JaVa&#x09;ScRiPt:alert(1)">js2</link>
    <link xlink:href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data link</link>
    <link xlink:href="vbscript:msgbox(1)">vb</link>
    <link xlink:href="//evil.example/x">protocol relative</link>
    <link xlink:href="https://example.org/ok?a=1&amp;b=&quot;2&quot;">ok link</link>
    <uri xlink:href="mailto:docs@example.org">mail</uri>
    <ulink url="javascript:alert(3)">old link</ulink>
  </para>
  <h:iframe src="http://127.0.0.1:9/frame">frame text</h:iframe>
  <iframe src="javascript:alert(1)"/>
  <h:object data="x.swf"/><h:embed src="x.swf"/><h:img src="x" onerror="alert(1)"/>
  <h:style>body { background: url(http://127.0.0.1:9/style) }</h:style>
  <h:meta http-equiv="refresh" content="0;url=javascript:alert(1)"/>
  <mediaobject><imageobject><imagedata fileref="javascript:alert(1)"/></imageobject></mediaobject>
  <mediaobject><imageobject><imagedata fileref="data:image/svg+xml,&lt;svg onload='alert(1)'/&gt;"/></imageobject></mediaobject>
  <mediaobject><imageobject><imagedata fileref="http://127.0.0.1:9/remote.png"/></imageobject></mediaobject>
  <mediaobject><imageobject><imagedata fileref="/etc/passwd"/></imageobject></mediaobject>
  <para>&evil; &ext; &a;</para>
  <para xml:id='x" onload="alert(1)'>quoted id</para>
  <para role="x&quot; onclick=&quot;alert(1)">role</para>
  <para>&lt;script&gt;alert(1)&lt;/script&gt; stays text</para>
  <programlisting><![CDATA[<script>alert("cdata")</script>]]></programlisting>
</chapter>`;

    /** Everything the renderer may write; anything else means document markup leaked through. */
    const ALLOWED_ELEMENTS = new Set(['div', 'section', 'aside', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'span', 'a', 'em', 'strong', 'code', 'kbd', 'pre',
        'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'img', 'sup', 'sub', 'abbr', 'cite', 'u', 'br', 'hr', 'blockquote']);
    const ALLOWED_ATTRIBUTES = /^(class|id|title|href|src|alt|width|type|start|colspan|rowspan|data-[a-z-]+)$/;

    it('never lets document markup, event handlers or script URLs through', async () => {
        const index = await indexOf({ 'evil/ch.xml': HOSTILE });
        const r = await providePreview(contextOf(index), { file: path.join(WS, 'evil/ch.xml') });
        const root = tree(r.html);
        for (const el of elements(root)) {
            assert.ok(ALLOWED_ELEMENTS.has(el.name), `element <${el.name}> in the output`);
            for (const a of el.attrs) {
                assert.ok(ALLOWED_ATTRIBUTES.test(a.name), `attribute ${a.name} on <${el.name}>`);
                const v = entityDecoded(a.value);
                if (a.name === 'href') assert.ok(/^(https?:\/\/|mailto:|#|file:\/\/)/.test(v), `href ${v}`);
                if (a.name === 'src') assert.ok(v.startsWith('file:///') && r.resources.includes(v), `src ${v}`);
            }
        }
        assert.ok(!/<\s*(script|iframe|object|embed|style|meta|link|base|form)\b/i.test(r.html));
        assert.ok(!/javascript:|vbscript:|data:/i.test(elements(root).flatMap((e) => e.attrs.filter((a) => a.name === 'href' || a.name === 'src').map((a) => a.value)).join(' ')));
        const hrefs = elements(root).map((e) => attrValue(e, 'href')).filter((h): h is string => !!h);
        assert.ok(hrefs.includes('https://example.org/ok?a=1&b=%222%22'), hrefs.join(' '));
        assert.ok(hrefs.includes('mailto:docs@example.org'));
        // Nothing was read through the external entity, and the entity bomb was cut short.
        assert.ok(!r.html.includes('root:x:0:0'));
        assert.ok(r.html.length < 2_000_000, `output is bounded (${r.html.length} chars)`);
        // The text of neutralised elements is still shown.
        const text = visibleText(r.html);
        for (const words of ['Click me', 'js link', 'frame text', 'from entity', 'quoted id', '<script>alert(1)</script> stays text', '<script>alert("cdata")</script>']) {
            assert.ok(text.includes(words), `"${words}" is shown`);
        }
    });

    it('does not read devices named by includes (an include of /dev/zero would never end)', async function () {
        if (!fs.existsSync('/dev/zero')) this.skip();
        const files = {
            'dev/ch.xml': `<chapter ${NS}><title>Z</title><programlisting><xi:include parse="text" href="/dev/zero"/></programlisting><xi:include href="/dev/zero"/><para>After the devices.</para></chapter>`,
        };
        // Outside the workspace: refused at the boundary, before the device is even looked at.
        const outside = visibleText((await providePreview(contextOf(await indexOf(files)), { file: path.join(WS, 'dev/ch.xml') })).html);
        assert.strictEqual(outside.split('Include not read (/dev/zero is outside the workspace folders and docbook.allowedRoots): /dev/zero').length, 3, outside);
        // Allowed by the settings: still never opened, because it is not a regular file.
        const allowed = await indexOf(files, { ...defaultSettings(), allowedRoots: ['/dev'] });
        const text = visibleText((await providePreview(contextOf(allowed), { file: path.join(WS, 'dev/ch.xml') })).html);
        assert.strictEqual(text.split('Include not read (not a regular file): /dev/zero').length, 3, text);
        assert.ok(text.includes('After the devices.'));
    });

    it('accepts only http, https, mailto and relative file links', () => {
        const uri = (p: string): string => 'file://' + p;
        const from = path.join(WS, 'doc/ch.xml');
        assert.strictEqual(safeHref('https://example.org/a b', from, uri), 'https://example.org/a%20b');
        assert.strictEqual(safeHref('MAILTO:a@b.c', from, uri), 'mailto:a@b.c');
        assert.strictEqual(safeHref('#sec', from, uri), '#sec');
        assert.strictEqual(safeHref('other.xml#frag', from, uri), 'file://' + path.join(WS, 'doc/other.xml') + '#frag');
        for (const bad of ['javascript:alert(1)', ' java\tscript:alert(1)', 'JAVASCRIPT:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '//evil.example/', '\\\\evil\\x', 'ftp://x/', '\u0001javascript:x']) {
            assert.strictEqual(safeHref(bad, from, uri), undefined, bad);
        }
    });

    it('writes a standalone page with a strict Content-Security-Policy and no script', async () => {
        const index = await indexOf({ 'evil/ch.xml': HOSTILE, ...FIXTURE });
        const r = await providePreview(contextOf(index), { file: path.join(WS, 'doc/ch_main.xml') });
        const page = renderStandalonePage(r, {});
        const cspAttr = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(page)?.[1];
        const csp = cspAttr === undefined ? undefined : entityDecoded(cspAttr);
        assert.ok(csp, 'the page has a CSP meta');
        const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
        assert.deepStrictEqual(directives.get('default-src'), ["'none'"]);
        assert.deepStrictEqual(directives.get('img-src'), ['file:']);
        assert.ok(directives.get('style-src')?.every((s) => s.startsWith("'nonce-")));
        assert.ok(!directives.has('script-src'), 'no script source at all (default-src none)');
        assert.ok(!/<script/i.test(page));
        assert.ok(page.includes(PREVIEW_STYLE.trim().slice(0, 40)));
        assert.ok(PREVIEW_STYLE.includes('var(--vscode-editor-foreground,') && PREVIEW_STYLE.includes('prefers-color-scheme: dark') && PREVIEW_STYLE.includes('vscode-high-contrast'));
    });
});

describe('preview on the real corpus', function () {
    this.timeout(60_000);
    const training = path.join(CORPUS, 'training-guides');
    let index: WorkspaceIndex;

    before(async function () {
        requireCorpus(this, training);
        index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
        await index.addFolder(training);
    });

    it('expands the training guides\' xpath() includes: the target\'s children, not its title', async () => {
        const file = path.join(training, 'doc/training-guides/developer-guide/ch_developer-getting-started.xml');
        const r = await providePreview(contextOf(index), { file });
        const h = headings(r.html);
        assert.ok(h.some((t) => t.endsWith('Review Operator Brief Overview')), h.join(' | '));
        assert.ok(!h.some((t) => /(^|\. )Brief Overview$/.test(t)), 'the included section\'s own title is left out');
        const text = visibleText(r.html);
        assert.ok(text.includes('OpenStack is a cloud operating system that controls large pools of compute'), 'the included section\'s paragraphs are in');
        assert.ok(!elements(tree(r.html)).some((e) => attrValue(e, 'id') === 'section_brief-overview'), 'the target element itself is not');
        assert.ok(!text.includes('Remote content not available'), 'the include succeeded, so its xi:fallback is not shown');
    });

    it('profiles the basic install guide\'s dashboard section per distribution', async () => {
        const file = path.join(training, 'doc/training-guides/basic-install-guide/section_dashboard-install.xml');
        const has = async (profile?: Record<string, string>): Promise<boolean> => visibleText((await providePreview(contextOf(index), { file, profile })).html).includes('service apache2 restart');
        assert.strictEqual(await has(), true);
        assert.strictEqual(await has({ os: 'ubuntu' }), true);
        assert.strictEqual(await has({ os: 'debian' }), true);
        assert.strictEqual(await has({ os: 'rhel' }), false);
        assert.strictEqual(await has({ os: 'opensuse' }), false);
        const r = await providePreview(contextOf(index), { file });
        for (const v of ['ubuntu', 'debian', 'rhel', 'centos', 'fedora', 'sles', 'opensuse']) assert.ok(r.profileValues.os.includes(v), v);
    });

    it('gives a chapter\'s xrefs the numbers and titles of the book that includes it', async () => {
        const book = path.join(training, 'doc/training-guides/basic-install-guide/bk-openstack-basic-install-guide.xml');
        const chapter = path.join(training, 'doc/training-guides/basic-install-guide/ch_launch-instance.xml');
        const whole = await providePreview(contextOf(index), { file: book });
        const glanceHeading = elements(tree(whole.html)).find((e) => attrValue(e, 'id') === 'ch_glance')!;
        const heading = elements(glanceHeading).find((e) => /^h\d$/.test(e.local))!;
        const m = /^Chapter (\d+)\. (.+)$/.exec(textOfHtml(whole.html, heading).replace(/\s+/g, ' ').trim());
        assert.ok(m, 'the book numbers its chapters');
        const alone = await providePreview(contextOf(index), { file: chapter });
        assert.strictEqual(alone.book, book);
        const xref = elements(tree(alone.html)).find((e) => attrValue(e, 'href') === '#ch_glance')!;
        assert.strictEqual(textOfHtml(alone.html, xref), `Chapter ${m[1]}, ${m[2]}`);
        const ownHeading = headings(alone.html)[0];
        const inBook = headings(whole.html).find((t) => t.endsWith(ownHeading.replace(/^Chapter \d+\. /, '')));
        assert.strictEqual(ownHeading, inBook, 'the chapter has the number it has in the book');
    });

    it('renders &CHECK; of security-guide-2014 as an image once its entity file is there (on a copy)', async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dbp-check-'));
        try {
            fs.cpSync(path.join(CORPUS, 'security-guide-2014'), path.join(tmp, 'security-guide-2014'), { recursive: true });
            // The openstack-manuals master of the entity file these chapters load (the training guides hold a copy).
            fs.mkdirSync(path.join(tmp, 'security-guide-2014/common/entities'), { recursive: true });
            fs.copyFileSync(path.join(training, 'doc/training-guides/openstack.ent'), path.join(tmp, 'security-guide-2014/common/entities/openstack.ent'));
            fs.mkdirSync(path.join(tmp, 'security-guide-2014/security-guide/figures'), { recursive: true });
            fs.writeFileSync(path.join(tmp, 'security-guide-2014/security-guide/figures/Check_mark_23x20_02.svg'), FIXTURE['doc/figures/check.svg']);
            const sec = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
            await sec.addFolder(tmp);
            const file = path.join(tmp, 'security-guide-2014/security-guide/ch051_vss-intro.xml');
            const source = fs.readFileSync(file, 'utf8');
            const r = await providePreview(contextOf(sec), { file });
            const checks = elements(tree(r.html)).filter((e) => e.local === 'img' && (attrValue(e, 'src') ?? '').endsWith('/figures/Check_mark_23x20_02.svg'));
            assert.strictEqual(checks.length, source.split('&CHECK;').length - 1, 'one image per &CHECK;');
            assert.ok(!r.html.includes('&amp;CHECK;') && !r.html.includes('&amp;mdash;'));
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
