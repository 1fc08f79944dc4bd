import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { computeLineStarts, positionAt } from '../../server/src/core/lineMap';
import { pathToUri } from '../../server/src/core/uri';
import { provideDiagnostics, DIAGNOSTIC_CODES, includeChainDependents, renamedSegment } from '../../server/src/features/diagnostics';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { defaultSettings, DocbookSettings, resolveSettings } from '../../server/src/settings';
import { InMemoryWorkspace, NodeWorkspace } from '../../server/src/workspace';
import { CORPUS, contextOf, listXml, requireCorpus } from '../helpers';
import { NS, workspaceOf } from '../fixtures';

const TREES = ['training-guides', 'security-guide-2014', 'ha-guide'];
const WS = path.resolve('/ws');

function book(id: string, hrefs: string[], extra = ''): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<book ${NS} xml:id="${id}">\n  <title>Book ${id}</title>\n${hrefs.map((h) => `  <xi:include href="${h}"/>\n`).join('')}${extra}</book>\n`;
}

function chapter(id: string, body: string, doctype = ''): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}<chapter ${NS} xml:id="${id}">\n  <title>Chapter ${id}</title>\n${body}\n</chapter>\n`;
}

async function build(
    files: Record<string, string | Uint8Array>,
    settings: DocbookSettings = defaultSettings(),
): Promise<{ index: WorkspaceIndex; ws: InMemoryWorkspace; texts: Record<string, string> }> {
    const texts: Record<string, string> = {};
    for (const [rel, content] of Object.entries(files)) if (typeof content === 'string') texts[rel] = content;
    const ws = workspaceOf(files, WS);
    const index = new WorkspaceIndex(ws, settings);
    await index.configure(settings);
    await index.addFolder(WS);
    return { index, ws, texts };
}

function diags(index: WorkspaceIndex, rel: string, text?: string): Diagnostic[] {
    return provideDiagnostics(contextOf(index), { file: path.join(WS, rel), text });
}

function msg(d: Diagnostic): string {
    return typeof d.message === 'string' ? d.message : d.message.value;
}

function only(list: Diagnostic[], code: string): Diagnostic[] {
    return list.filter((d) => d.code === code);
}

/** LSP range of the n-th occurrence of `needle` in `text`. */
function rangeIn(text: string, needle: string, nth = 0): { start: { line: number; character: number }; end: { line: number; character: number } } {
    let at = -1;
    for (let i = 0; i <= nth; i++) {
        at = text.indexOf(needle, at + 1);
        assert.ok(at >= 0, `"${needle}" #${nth} not in the fixture`);
    }
    const starts = computeLineStarts(text);
    return { start: positionAt(starts, at), end: positionAt(starts, at + needle.length) };
}

function withDiagnostics(overrides: Record<string, boolean | 'error' | 'warning' | 'information' | 'hint'>, more: Partial<DocbookSettings> = {}): DocbookSettings {
    const s = defaultSettings();
    s.diagnostics = { ...s.diagnostics, ...overrides };
    return { ...s, ...more };
}

describe('diagnostics (in-memory fixtures)', () => {
    it('every diagnostic has source "docbook" and a code of DIAGNOSTIC_CODES', async () => {
        const { index } = await build({
            'bk.xml': book('bk', ['ch1.xml', 'missing.xml', 'http://example.org/remote.xml']),
            'ch1.xml': chapter('ch1', '<para><xref linkend="nowhere"/> &undefined; <glossterm>nothing</glossterm></para>\n<para>& broken</para>'),
        });
        const all = [...diags(index, 'bk.xml'), ...diags(index, 'ch1.xml')];
        assert.ok(all.length >= 5, `expected several diagnostics, got ${all.map((d) => d.code).join(', ')}`);
        for (const d of all) {
            assert.strictEqual(d.source, 'docbook');
            assert.ok(typeof d.code === 'string' && DIAGNOSTIC_CODES[d.code], `unknown code ${String(d.code)}`);
        }
    });

    describe('unresolved-id', () => {
        it('reports a linkend no id of the book defines, at the attribute value', async () => {
            const ch1 = chapter('ch1', '  <para>See <xref linkend="nowhere"/> and <xref linkend="ch2"/>.</para>');
            const { index } = await build({ 'bk.xml': book('bk', ['ch1.xml', 'ch2.xml']), 'ch1.xml': ch1, 'ch2.xml': chapter('ch2', '<para/>') });
            const found = only(diags(index, 'ch1.xml'), 'unresolved-id');
            assert.strictEqual(found.length, 1);
            assert.deepStrictEqual(found[0].range, rangeIn(ch1, 'nowhere'));
            assert.strictEqual(found[0].severity, DiagnosticSeverity.Error);
            assert.match(msg(found[0]), /nowhere/);
        });

        it('says when the id exists in another book, with its place as related information', async () => {
            const ch1 = chapter('ch1', '<para><xref linkend="elsewhere"/></para>');
            const ch9 = chapter('ch9', '<section xml:id="elsewhere"><title>T</title><para/></section>');
            const { index } = await build({
                'a/bk.xml': book('bka', ['ch1.xml']), 'a/ch1.xml': ch1,
                'b/bk.xml': book('bkb', ['ch9.xml']), 'b/ch9.xml': ch9,
            });
            const [d] = only(diags(index, 'a/ch1.xml'), 'unresolved-id');
            assert.ok(d, 'expected unresolved-id');
            assert.match(msg(d), /defined in another book: Book bkb/);
            assert.strictEqual(d.relatedInformation?.[0].location.uri, pathToUri(path.join(WS, 'b/ch9.xml')));
            assert.deepStrictEqual(d.relatedInformation?.[0].location.range, rangeIn(ch9, 'elsewhere'));
        });

        it('checks each id of arearefs / linkends on its own', async () => {
            const ch1 = chapter('ch1', '<programlisting><co xml:id="co1"/></programlisting><calloutlist><callout arearefs="co1 co2"><para/></callout></calloutlist>');
            const { index } = await build({ 'bk.xml': book('bk', ['ch1.xml']), 'ch1.xml': ch1 });
            const found = only(diags(index, 'ch1.xml'), 'unresolved-id');
            assert.deepStrictEqual(found.map((d) => d.range), [rangeIn(ch1, 'co2')]);
        });

        it('resolves a file in no book against the whole workspace', async () => {
            const { index } = await build({
                'bk.xml': book('bk', ['ch1.xml']), 'ch1.xml': chapter('ch1', '<para/>'),
                'stray.xml': chapter('stray', '<para><xref linkend="ch1"/><xref linkend="gone"/></para>'),
            });
            const found = only(diags(index, 'stray.xml'), 'unresolved-id');
            assert.deepStrictEqual(found.map((d) => (d.data as { id: string }).id), ['gone']);
        });

        it('checks a glossterm with linkend as a reference, not against the glossary', async () => {
            const ch1 = chapter('ch1', '<para><glossterm linkend="no-such-entry">anything</glossterm></para>');
            const { index } = await build({ 'bk.xml': book('bk', ['ch1.xml']), 'ch1.xml': ch1 });
            const list = diags(index, 'ch1.xml');
            assert.deepStrictEqual(list.map((d) => d.code), ['unresolved-id']);
            assert.deepStrictEqual(list[0].range, rangeIn(ch1, 'no-such-entry'));
        });
    });

    describe('duplicate-id', () => {
        it('reports the same id in two chapters of one book, at both places', async () => {
            const ch1 = chapter('ch1', '<section xml:id="twice"><title>A</title><para/></section>');
            const ch2 = chapter('ch2', '<section xml:id="twice"><title>B</title><para/></section>');
            const { index } = await build({ 'bk.xml': book('bk', ['ch1.xml', 'ch2.xml']), 'ch1.xml': ch1, 'ch2.xml': ch2 });
            const [d1] = only(diags(index, 'ch1.xml'), 'duplicate-id');
            const [d2] = only(diags(index, 'ch2.xml'), 'duplicate-id');
            assert.deepStrictEqual(d1.range, rangeIn(ch1, 'twice'));
            assert.deepStrictEqual(d2.range, rangeIn(ch2, 'twice'));
            assert.strictEqual(d1.relatedInformation?.[0].location.uri, pathToUri(path.join(WS, 'ch2.xml')));
            assert.deepStrictEqual(d1.relatedInformation?.[0].location.range, rangeIn(ch2, 'twice'));
            assert.strictEqual(d2.relatedInformation?.[0].location.uri, pathToUri(path.join(WS, 'ch1.xml')));
        });

        it('does not count a stale copy that no book includes', async () => {
            const { index } = await build({
                'bk.xml': book('bk', ['ch1.xml']),
                'ch1.xml': chapter('ch1', '<section xml:id="same"><title>A</title><para/></section>'),
                'ch1-old.xml': chapter('ch1-old', '<section xml:id="same"><title>A</title><para/></section>'),
            });
            assert.deepStrictEqual(only(diags(index, 'ch1.xml'), 'duplicate-id'), []);
            assert.deepStrictEqual(only(diags(index, 'ch1-old.xml'), 'duplicate-id'), []);
        });

        it('does not count two books that share an id each once', async () => {
            const { index } = await build({
                'a/bk.xml': book('bka', ['ch.xml']), 'a/ch.xml': chapter('intro', '<para/>'),
                'b/bk.xml': book('bkb', ['ch.xml']), 'b/ch.xml': chapter('intro', '<para/>'),
            });
            assert.deepStrictEqual(only([...diags(index, 'a/ch.xml'), ...diags(index, 'b/ch.xml')], 'duplicate-id'), []);
        });

        it('an id defined in many books: a duplicate only where one book, or one file, has it twice', async () => {
            // Twelve copies of a guide, each book with its own chapter "intro"; copy 0 has it twice in
            // two chapters, copy 1 twice in one file, and a chapter in no book repeats it too.
            const files: Record<string, string> = {};
            for (let i = 0; i < 12; i++) {
                files[`g${i}/bk.xml`] = book(`bk${i}`, i === 0 ? ['ch.xml', 'again.xml'] : ['ch.xml']);
                files[`g${i}/ch.xml`] = chapter('intro', i === 1 ? '<section xml:id="intro"><title>S</title><para/></section>' : '<para/>');
            }
            files['g0/again.xml'] = chapter('intro', '<para/>');
            files['loose.xml'] = chapter('intro', '<para/>');
            const { index } = await build(files);
            const duplicates = (rel: string): number => only(diags(index, rel), 'duplicate-id').length;
            assert.strictEqual(duplicates('g0/ch.xml'), 1);
            assert.strictEqual(duplicates('g0/again.xml'), 1);
            assert.strictEqual(duplicates('g1/ch.xml'), 2);
            for (let i = 2; i < 12; i++) assert.strictEqual(duplicates(`g${i}/ch.xml`), 0, `g${i}/ch.xml`);
            assert.strictEqual(duplicates('loose.xml'), 0, 'a file in no book clashes only with itself');
        });

        it('reports an id twice in one file even when no book includes it', async () => {
            const text = chapter('lonely', '<para xml:id="dupe"/><para xml:id="dupe"/>');
            const { index } = await build({ 'lonely.xml': text });
            assert.deepStrictEqual(only(diags(index, 'lonely.xml'), 'duplicate-id').map((d) => d.range), [rangeIn(text, 'dupe', 0), rangeIn(text, 'dupe', 1)]);
        });
    });

    describe('includes', () => {
        it('missing-include at the href value; information when an xi:fallback takes over', async () => {
            const bk = book('bk', ['nothere.xml'], '  <xi:include href="alsomissing.xml"><xi:fallback><para>later</para></xi:fallback></xi:include>\n');
            const { index } = await build({ 'bk.xml': bk });
            const found = only(diags(index, 'bk.xml'), 'missing-include');
            assert.deepStrictEqual(found.map((d) => [d.range, d.severity]), [
                [rangeIn(bk, 'nothere.xml'), DiagnosticSeverity.Error],
                [rangeIn(bk, 'alsomissing.xml'), DiagnosticSeverity.Information],
            ]);
        });

        it('missing-include for a parse="text" target, none when it exists', async () => {
            const ch = chapter('ch', '<programlisting><xi:include parse="text" href="samples/a.json"/></programlisting><programlisting><xi:include parse="text" href="samples/b.json"/></programlisting>');
            const { index } = await build({ 'bk.xml': book('bk', ['ch.xml']), 'ch.xml': ch, 'samples/b.json': '{}' });
            assert.deepStrictEqual(only(diags(index, 'ch.xml'), 'missing-include').map((d) => d.range), [rangeIn(ch, 'samples/a.json')]);
        });

        it('remote-include is information, and gone once a URL mapping makes it local', async () => {
            const bk = book('bk', ['http://example.org/docs/common/app.xml']);
            const { index } = await build({ 'bk.xml': bk, 'mirror/common/app.xml': chapter('app', '<para/>') });
            const [d] = only(diags(index, 'bk.xml'), 'remote-include');
            assert.strictEqual(d.severity, DiagnosticSeverity.Information);
            assert.deepStrictEqual(d.range, rangeIn(bk, 'http://example.org/docs/common/app.xml'));

            const mapped = await build({ 'bk.xml': bk, 'mirror/common/app.xml': chapter('app', '<para/>') }, { ...defaultSettings(), urlMappings: { 'http://example.org/docs/': path.join(WS, 'mirror') + '/' } });
            assert.deepStrictEqual(diags(mapped.index, 'bk.xml'), []);
        });

        it('unresolved-xpointer at the id inside the xpointer', async () => {
            const bk = `<book ${NS}><title>B</title>\n<xi:include href="ch.xml" xpointer="xmlns(db=http://docbook.org/ns/docbook) xpath(//*[@xml:id = 'nope']/*[not(self::db:title)])"/>\n<xi:include href="ch.xml" xpointer="sec"/>\n</book>`;
            const { index } = await build({ 'bk.xml': bk, 'ch.xml': chapter('ch', '<section xml:id="sec"><title>S</title><para/></section>') });
            const found = only(diags(index, 'bk.xml'), 'unresolved-xpointer');
            assert.deepStrictEqual(found.map((d) => d.range), [rangeIn(bk, 'nope')]);
        });

        it('include-cycle through a chain, with the chain in the message and related information', async () => {
            const a = chapter('a', '  <xi:include href="b.xml"/>');
            const b = `<section ${NS} xml:id="b"><title>B</title>\n  <xi:include href="c.xml"/>\n</section>`;
            const c = `<section ${NS} xml:id="c"><title>C</title>\n  <xi:include href="a.xml"/>\n</section>`;
            const { index } = await build({ 'bk.xml': book('bk', ['a.xml']), 'a.xml': a, 'b.xml': b, 'c.xml': c });
            const [d] = only(diags(index, 'a.xml'), 'include-cycle');
            assert.ok(d, 'expected include-cycle in a.xml');
            assert.deepStrictEqual(d.range, rangeIn(a, 'b.xml'));
            assert.strictEqual(d.message, 'Include cycle: a.xml → b.xml → c.xml → a.xml');
            assert.deepStrictEqual(d.relatedInformation?.map((r) => path.basename(r.location.uri)), ['a.xml', 'b.xml', 'c.xml']);
            assert.strictEqual(only(diags(index, 'c.xml'), 'include-cycle').length, 1);
            assert.deepStrictEqual(only(diags(index, 'bk.xml'), 'include-cycle'), [], 'the book is outside the cycle');
        });

        it('include-cycle appears when an edit closes the cycle and goes when an edit opens it, after the graph was checked', async () => {
            const a = chapter('a', '  <xi:include href="b.xml"/>');
            const b = `<section ${NS} xml:id="b"><title>B</title>\n  <xi:include href="c.xml"/>\n</section>`;
            const c = `<section ${NS} xml:id="c"><title>C</title><para/></section>`;
            const { index } = await build({ 'bk.xml': book('bk', ['a.xml']), 'a.xml': a, 'b.xml': b, 'c.xml': c });
            for (const f of ['a.xml', 'b.xml', 'c.xml']) assert.deepStrictEqual(only(diags(index, f), 'include-cycle'), [], `${f} before the edit`);
            const closed = `<section ${NS} xml:id="c"><title>C</title>\n  <xi:include href="a.xml"/>\n</section>`;
            await index.setOpenDocument(path.join(WS, 'c.xml'), closed, 2);
            for (const f of ['a.xml', 'b.xml', 'c.xml']) assert.strictEqual(only(diags(index, f), 'include-cycle').length, 1, `${f} once the cycle is closed`);
            await index.setOpenDocument(path.join(WS, 'c.xml'), c, 3);
            for (const f of ['a.xml', 'b.xml', 'c.xml']) assert.deepStrictEqual(only(diags(index, f), 'include-cycle'), [], `${f} once it is open again`);
        });

        it('a file including itself is a cycle; a part of itself elsewhere is not', async () => {
            const self = chapter('self', '<xi:include href="self.xml"/>');
            const part = chapter('part', '<section xml:id="s1"><title>S</title><para/></section>\n<section xml:id="s2"><title>T</title><xi:include href="part.xml" xpointer="s1"/></section>');
            const { index } = await build({ 'self.xml': self, 'part.xml': part });
            assert.deepStrictEqual(only(diags(index, 'self.xml'), 'include-cycle').map((d) => d.range), [rangeIn(self, 'self.xml')]);
            assert.deepStrictEqual(only(diags(index, 'part.xml'), 'include-cycle'), []);
        });

        it('an include of a file the settings exclude is not missing', async () => {
            const bk = book('bk', ['generated/ch.xml', 'generated/gone.xml']);
            const { index } = await build({ 'bk.xml': bk, 'generated/ch.xml': chapter('ch', '<para/>') }, resolveSettings({ exclude: ['generated/**'] }));
            assert.ok(!index.get(path.join(WS, 'generated/ch.xml')), 'excluded from the index');
            assert.deepStrictEqual(only(diags(index, 'bk.xml'), 'missing-include').map((d) => d.range), [rangeIn(bk, 'generated/gone.xml')]);
        });

        it('includes inside the fallback of a successful include are not checked', async () => {
            const bk = book('bk', [], '  <xi:include href="ch.xml"><xi:fallback><xi:include href="nothere.xml"/></xi:fallback></xi:include>\n');
            const { index } = await build({ 'bk.xml': bk, 'ch.xml': chapter('ch', '<para/>') });
            assert.deepStrictEqual(diags(index, 'bk.xml'), []);
        });

        it('gives no diagnostics for a file outside every workspace folder', async () => {
            const ws = new InMemoryWorkspace({ [path.join(WS, 'bk.xml')]: book('bk', ['../outside/ch.xml']), [path.resolve('/outside/ch.xml')]: chapter('ch', '<para><xref linkend="x"/></para>') });
            const index = new WorkspaceIndex(ws, { ...defaultSettings(), allowedRoots: [path.resolve('/outside')] });
            await index.addFolder(WS);
            assert.ok(index.get(path.resolve('/outside/ch.xml')), 'the include target in an allowed folder is indexed');
            assert.deepStrictEqual(provideDiagnostics(contextOf(index), { file: path.resolve('/outside/ch.xml') }), []);
        });
    });

    describe('not-well-formed and unreadable-file', () => {
        it('reports the parser error at its position', async () => {
            const text = chapter('ch', '<para>fish & chips</para>');
            const { index } = await build({ 'ch.xml': text });
            const found = only(diags(index, 'ch.xml'), 'not-well-formed');
            assert.strictEqual(found.length, 1);
            assert.deepStrictEqual(found[0].range, rangeIn(text, '&'));
        });

        it('XML that is not DocBook: nothing by default; its well-formedness with docbook.wellFormedness.allXml', async () => {
            const wadl = '<application xmlns="http://wadl.dev.java.net/2009/02">\n<!-- run nova --debug -->\n<x:grammars/>\n</application>\n';
            const quiet = await build({ 'api.wadl.xml': wadl });
            assert.deepStrictEqual(diags(quiet.index, 'api.wadl.xml'), []);
            const { index } = await build({ 'api.wadl.xml': wadl }, { ...defaultSettings(), wellFormedness: { allXml: true } });
            assert.deepStrictEqual(diags(index, 'api.wadl.xml').map((d) => [d.code, d.range]), [
                ['not-well-formed', rangeIn(wadl, '--', 1)],
                ['namespace-error', rangeIn(wadl, 'x:grammars')],
            ]);
        });

        it('reports a binary .xml as unreadable-file and nothing else', async () => {
            const { index } = await build({ 'bin.xml': Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x3c]) });
            const list = diags(index, 'bin.xml');
            assert.deepStrictEqual(list.map((d) => d.code), ['unreadable-file']);
            assert.match(msg(list[0]), /Binary/);
        });

        it('reports a file over the size limit as unreadable-file', async () => {
            const { index } = await build({ 'big.xml': chapter('big', '<para>' + 'x'.repeat(4000) + '</para>') }, { ...defaultSettings(), maxFileSize: 1000 });
            assert.deepStrictEqual(diags(index, 'big.xml').map((d) => d.code), ['unreadable-file']);
        });
    });

    describe('undefined-entity', () => {
        it('reports an entity nobody declares; not predefined, declared or character references', async () => {
            const doctype = '<!DOCTYPE chapter [ <!ENTITY % extra SYSTEM "extra.ent"> %extra; <!ENTITY product "OpenStack"> ]>\n';
            const text = chapter('ch', '<para>&product; &amp; &#x2014; &lt; &nope;</para>', doctype);
            const { index } = await build({ 'ch.xml': text, 'extra.ent': '<!ENTITY other "x">' });
            assert.deepStrictEqual(only(diags(index, 'ch.xml'), 'undefined-entity').map((d) => d.range), [rangeIn(text, '&nope;')]);
        });

        it('where nothing could declare it (no external DTD, no %pe;), libxml2 stops: not-well-formed, said once', async () => {
            const doctype = '<!DOCTYPE chapter [ <!ENTITY product "OpenStack"> ]>\n';
            const text = chapter('ch', '<para>&product; &amp; &#x2014; &lt; &nope;</para>', doctype);
            const { index } = await build({ 'ch.xml': text });
            assert.deepStrictEqual(diags(index, 'ch.xml').filter((d) => d.code === 'not-well-formed' || d.code === 'undefined-entity').map((d) => [d.code, d.range]),
                [['not-well-formed', rangeIn(text, '&nope;')]]);
        });

        it('reads entities from a local .ent file, and names it when it cannot be read', async () => {
            const ok = chapter('ok', '<para>&mdash;</para>', '<!DOCTYPE chapter [ <!ENTITY % openstack SYSTEM "openstack.ent"> %openstack; ]>\n');
            const broken = chapter('broken', '<para>a&mdash;b</para>', '<!DOCTYPE chapter [ <!ENTITY % openstack SYSTEM "../common/entities/openstack.ent"> %openstack; ]>\n');
            const { index } = await build({ 'doc/ok.xml': ok, 'doc/broken.xml': broken, 'doc/openstack.ent': '<!ENTITY mdash "&#x2014;">' });
            assert.deepStrictEqual(only(diags(index, 'doc/ok.xml'), 'undefined-entity'), []);
            const [d] = only(diags(index, 'doc/broken.xml'), 'undefined-entity');
            assert.deepStrictEqual(d.range, rangeIn(broken, '&mdash;'));
            assert.match(msg(d), /&mdash;.*\.\.\/common\/entities\/openstack\.ent.*could not be read/);
        });

        it('says nothing when a part of the DTD is remote (unknowable)', async () => {
            const text = chapter('ch', '<para>&remote;</para>', '<!DOCTYPE chapter [ <!ENTITY % openstack SYSTEM "https://example.org/openstack.ent"> %openstack; ]>\n');
            const { index } = await build({ 'ch.xml': text });
            assert.deepStrictEqual(only(diags(index, 'ch.xml'), 'undefined-entity'), []);
        });
    });

    describe('missing-image', () => {
        it('warns at the fileref value; not for an existing image or one in an unused fallback', async () => {
            const img = (f: string): string => `<mediaobject><imageobject><imagedata fileref="${f}"/></imageobject></mediaobject>`;
            const ch = chapter('ch', `${img('figures/there.png')}\n${img('figures/gone.png')}\n<xi:include href="part.xml"><xi:fallback>${img('figures/fallback-ok.png')}</xi:fallback></xi:include>\n<xi:include href="nopart.xml"><xi:fallback>${img('figures/fallback-shown.png')}</xi:fallback></xi:include>`);
            const { index } = await build({ 'bk.xml': book('bk', ['ch.xml']), 'ch.xml': ch, 'part.xml': `<para ${NS}/>`, 'figures/there.png': 'PNG' });
            const found = only(diags(index, 'ch.xml'), 'missing-image');
            assert.deepStrictEqual(found.map((d) => [d.range, d.severity]), [
                [rangeIn(ch, 'figures/gone.png'), DiagnosticSeverity.Warning],
                [rangeIn(ch, 'figures/fallback-shown.png'), DiagnosticSeverity.Warning],
            ]);
        });
    });

    describe('unknown-glossterm', () => {
        const glossary = `<glossary ${NS}><title>Glossary</title>
  <glossdiv><title>M</title>
    <glossentry><glossterm>Metadata agent</glossterm><glossdef><para>Serves metadata.</para></glossdef></glossentry>
    <glossentry><glossterm>plug-in</glossterm><glossdef><para>Extends.</para></glossdef></glossentry>
  </glossdiv>
</glossary>`;

        it('matches exactly and case-sensitively after whitespace normalisation, then @baseform', async () => {
            const ch = chapter('ch', `<para><glossterm>Metadata
              agent</glossterm> <glossterm>metadata agent</glossterm> <glossterm baseform="plug-in">plug-ins</glossterm> <glossterm baseform="plugin">plug-ins</glossterm></para>`);
            const { index } = await build({ 'guide/bk.xml': book('bk', ['ch.xml']), 'guide/ch.xml': ch, 'glossary/glossary-terms.xml': glossary });
            const found = only(diags(index, 'guide/ch.xml'), 'unknown-glossterm');
            assert.deepStrictEqual(found.map((d) => d.range), [rangeIn(ch, 'metadata agent'), rangeIn(ch, 'plug-ins', 1)]);
            assert.match(msg(found[0]), /the glossary has "Metadata agent"/);
            assert.strictEqual(found[0].severity, DiagnosticSeverity.Warning);
        });

        it('finds a glossentry of the book itself', async () => {
            const ch = chapter('ch', `<para><glossterm>local term</glossterm></para>\n<glosslist><glossentry><glossterm>local term</glossterm><glossdef><para>x</para></glossdef></glossentry></glosslist>`);
            const { index } = await build({ 'bk.xml': book('bk', ['ch.xml']), 'ch.xml': ch });
            assert.deepStrictEqual(only(diags(index, 'ch.xml'), 'unknown-glossterm'), []);
        });

        it('says so when no glossary is in reach', async () => {
            const ch = chapter('ch', '<para><glossterm>API</glossterm></para>');
            const { index } = await build({ 'guide/bk.xml': book('bk', ['ch.xml']), 'guide/ch.xml': ch });
            const [d] = only(diags(index, 'guide/ch.xml'), 'unknown-glossterm');
            assert.match(msg(d), /no glossary in reach/);
        });

        it('a chapter in no book links against any glossary of the workspace, as its ids do', async () => {
            // The glossary is a chapter of the book (no collection), as in the Operations Guide; the new chapter is in no book yet.
            const glossaryChapter = glossary.replace('<glossary ', '<glossary xml:id="gloss" ');
            const fresh = chapter('fresh', '<para><glossterm>Metadata agent</glossterm> <glossterm baseform="plug-in">plug-ins</glossterm> <glossterm>frobnicator</glossterm> <glossterm>metadata agent</glossterm></para>');
            const { index } = await build({ 'guide/bk.xml': book('bk', ['glossary.xml']), 'guide/glossary.xml': glossaryChapter, 'guide/fresh.xml': fresh }, { ...defaultSettings(), glossaryCollection: [] });
            assert.strictEqual(index.booksOf(path.join(WS, 'guide/fresh.xml')).size, 0);
            const found = only(diags(index, 'guide/fresh.xml'), 'unknown-glossterm');
            assert.deepStrictEqual(found.map((d) => d.range), [rangeIn(fresh, 'frobnicator'), rangeIn(fresh, 'metadata agent')]);
            assert.match(msg(found[0]), /matches no glossentry/);
            assert.match(msg(found[1]), /the glossary has "Metadata agent"/);
        });

        it('a chapter in no book, with no glossary in the whole workspace, is not warned about at all; the first glossary brings the checks back', async () => {
            const fresh = chapter('fresh', '<para><glossterm>API</glossterm> <glossterm>DNS</glossterm> <glossterm>DHCP</glossterm></para>');
            const { index, ws } = await build({ 'guide/bk.xml': book('bk', []), 'guide/fresh.xml': fresh });
            assert.deepStrictEqual(only(diags(index, 'guide/fresh.xml'), 'unknown-glossterm'), []);
            ws.write(path.join(WS, 'glossary/glossary-terms.xml'), glossary);
            const affected = await index.fileChangedOnDisk(path.join(WS, 'glossary/glossary-terms.xml'));
            assert.ok(affected.has(path.join(WS, 'guide/fresh.xml')), 'the chapter is re-checked when the first glossary appears');
            assert.strictEqual(only(diags(index, 'guide/fresh.xml'), 'unknown-glossterm').length, 3);
        });
    });

    describe('renamed-folder', () => {
        it('reports an include through a renamed folder instead of missing-include, naming the new folder', async () => {
            const ch = chapter('ch', '<xi:include href="../openstack-config/section_x.xml"/>');
            const { index } = await build({ 'doc/guide/bk.xml': book('bk', ['ch.xml']), 'doc/guide/ch.xml': ch, 'doc/config-reference/section_x.xml': `<section ${NS}><title>X</title></section>` });
            const list = diags(index, 'doc/guide/ch.xml');
            assert.deepStrictEqual(list.map((d) => d.code), ['renamed-folder']);
            assert.deepStrictEqual(list[0].range, rangeIn(ch, 'openstack-config'));
            assert.match(msg(list[0]), /renamed to "config-reference".*\.\.\/config-reference\/section_x\.xml does/);
        });

        it('says a deleted folder was deleted', async () => {
            const ch = chapter('ch', '<xi:include href="../basic-install/src/controller.xml"/>');
            const { index } = await build({ 'doc/guide/bk.xml': book('bk', ['ch.xml']), 'doc/guide/ch.xml': ch });
            const [d] = diags(index, 'doc/guide/ch.xml');
            assert.strictEqual(d.code, 'renamed-folder');
            assert.match(msg(d), /"basic-install" was deleted/);
        });

        it('is silent while the old path still exists', async () => {
            const ch = chapter('ch', '<xi:include href="../openstack-config/section_x.xml"/>');
            const { index } = await build({ 'doc/guide/bk.xml': book('bk', ['ch.xml']), 'doc/guide/ch.xml': ch, 'doc/openstack-config/section_x.xml': `<section ${NS}><title>X</title></section>` });
            assert.deepStrictEqual(diags(index, 'doc/guide/ch.xml'), []);
        });

        it('covers image filerefs, and follows the folderRenames setting', async () => {
            const ch = chapter('ch', '<mediaobject><imageobject><imagedata fileref="../old-guide/figures/a.png"/></imageobject></mediaobject>');
            const files = { 'doc/guide/bk.xml': book('bk', ['ch.xml']), 'doc/guide/ch.xml': ch };
            const byDefault = await build(files);
            assert.deepStrictEqual(diags(byDefault.index, 'doc/guide/ch.xml').map((d) => d.code), ['missing-image']);
            const custom = await build(files, resolveSettings({ folderRenames: { 'old-guide': 'new-guide' } }));
            const [d] = diags(custom.index, 'doc/guide/ch.xml');
            assert.strictEqual(d.code, 'renamed-folder');
            assert.deepStrictEqual(d.range, rangeIn(ch, 'old-guide'));
        });

        it('covers entity-file SYSTEM ids, exactly when the text is at hand', async () => {
            const ch = chapter('ch', '<para>&product;</para>', '<!DOCTYPE chapter [\n<!ENTITY % openstack SYSTEM "../openstack-user/openstack.ent">\n%openstack;\n]>\n');
            const { index } = await build({ 'doc/guide/ch.xml': ch });
            const placed = only(diags(index, 'doc/guide/ch.xml', ch), 'renamed-folder');
            assert.deepStrictEqual(placed.map((d) => d.range), [rangeIn(ch, 'openstack-user')]);
            assert.match(msg(placed[0]), /renamed to "user-guide"/);
            const unplaced = only(diags(index, 'doc/guide/ch.xml'), 'renamed-folder');
            assert.strictEqual(unplaced.length, 1);
            assert.deepStrictEqual(unplaced[0].range.start, { line: 0, character: 0 });
        });

        it('finds the old folder as a whole path segment only', () => {
            const renames = defaultSettings().folderRenames;
            assert.strictEqual(renamedSegment('../openstack-config/x.xml', renames)?.offset, 3);
            assert.strictEqual(renamedSegment('../basic-install-guide/x.xml', renames), undefined);
            assert.strictEqual(renamedSegment('http://openstack-config/x.xml', renames), undefined, 'a host name is not a folder');
        });
    });

    describe('settings-raised codes and severities', () => {
        it('orphan-file is off by default; on, it spares books and the glossary collection', async () => {
            const files = {
                'guide/bk.xml': book('bk', ['ch.xml']), 'guide/ch.xml': chapter('ch', '<para/>'), 'guide/orphan.xml': chapter('orphan', '<para/>'),
                'glossary/glossary-terms.xml': `<glossary ${NS}><title>G</title></glossary>\n`,
            };
            const off = await build(files);
            assert.deepStrictEqual(diags(off.index, 'guide/orphan.xml'), []);
            const on = await build(files, withDiagnostics({ 'orphan-file': true }));
            const [d] = diags(on.index, 'guide/orphan.xml');
            assert.strictEqual(d.code, 'orphan-file');
            assert.strictEqual(d.severity, DiagnosticSeverity.Information);
            for (const f of ['guide/bk.xml', 'guide/ch.xml', 'glossary/glossary-terms.xml']) assert.deepStrictEqual(diags(on.index, f), [], f);
        });

        it('unknown-profile-value against the configured list, when turned on', async () => {
            const ch = chapter('ch', '<para os="ubuntu;windows">x</para><para os="rhel">y</para><para audience="anyone">z</para>');
            const files = { 'bk.xml': book('bk', ['ch.xml']), 'ch.xml': ch };
            const off = await build(files, { ...defaultSettings(), profileValues: { os: ['ubuntu', 'rhel'] } });
            assert.deepStrictEqual(diags(off.index, 'ch.xml'), []);
            const on = await build(files, withDiagnostics({ 'unknown-profile-value': 'warning' }, { profileValues: { os: ['ubuntu', 'rhel'] } }));
            const list = diags(on.index, 'ch.xml');
            assert.deepStrictEqual(list.map((d) => [d.code, d.range, d.severity]), [['unknown-profile-value', rangeIn(ch, 'ubuntu;windows'), DiagnosticSeverity.Warning]]);
            assert.match(msg(list[0]), /windows/);
        });

        it('a code set to false is off, a severity name overrides', async () => {
            const ch = chapter('ch', '<para><xref linkend="nowhere"/><inlinemediaobject><imageobject><imagedata fileref="gone.png"/></imageobject></inlinemediaobject></para>');
            const files = { 'bk.xml': book('bk', ['ch.xml']), 'ch.xml': ch };
            const { index } = await build(files, withDiagnostics({ 'unresolved-id': false, 'missing-image': 'error' }));
            assert.deepStrictEqual(diags(index, 'ch.xml').map((d) => [d.code, d.severity]), [['missing-image', DiagnosticSeverity.Error]]);
        });
    });
});

// ---- the real books ------------------------------------------------------------------------------

async function indexTrees(roots: string[], settings: DocbookSettings = defaultSettings()): Promise<WorkspaceIndex> {
    const index = new WorkspaceIndex(new NodeWorkspace(), settings);
    await index.configure(settings);
    for (const r of roots) await index.addFolder(r);
    return index;
}

interface Found { file: string; d: Diagnostic }

function allDiagnostics(index: WorkspaceIndex): Found[] {
    const out: Found[] = [];
    for (const f of index.allFiles()) for (const d of provideDiagnostics(contextOf(index), { file: f.path })) out.push({ file: f.path, d });
    return out;
}

function positionOf(text: string, offset: number): { line: number; character: number } {
    return positionAt(computeLineStarts(text), offset);
}

describe('diagnostics on the real corpus (read-only)', function () {
    this.timeout(60_000);
    let index: WorkspaceIndex;
    let found: Found[];
    const at = (rel: string): string => path.join(CORPUS, rel);

    before(async function () {
        requireCorpus(this);
        index = await indexTrees(TREES.map(at));
        found = allDiagnostics(index);
    });

    it('reports basic-install-guide/ch_clients.xml → openrc-create as unresolved-id, at its value', () => {
        const file = at('training-guides/doc/training-guides/basic-install-guide/ch_clients.xml');
        const text = fs.readFileSync(file, 'utf8');
        const offset = text.indexOf('linkend="openrc-create"') + 'linkend="'.length;
        const hits = found.filter((f) => f.file === file && f.d.code === 'unresolved-id');
        assert.deepStrictEqual(hits.map((h) => h.d.range.start), [positionOf(text, offset)]);
        assert.deepStrictEqual(hits[0].d.range.end, positionOf(text, offset + 'openrc-create'.length));
    });

    it('reports every &mdash; and &CHECK; of the four chapters whose openstack.ent is missing, and no other undefined entity', () => {
        const chapters = fs.readdirSync(at('security-guide-2014/security-guide')).filter((n) => /^ch0(13|34|51|52)_/.test(n)).map((n) => at('security-guide-2014/security-guide/' + n));
        assert.strictEqual(chapters.length, 4);
        const expected: string[] = [];
        for (const file of chapters) {
            const text = fs.readFileSync(file, 'utf8');
            assert.match(text, /SYSTEM "\.\.\/common\/entities\/openstack\.ent"/);
            for (const m of text.matchAll(/&(mdash|CHECK);/g)) expected.push(`${file}:${JSON.stringify(positionOf(text, m.index!))}`);
        }
        const hits = found.filter((f) => f.d.code === 'undefined-entity');
        assert.deepStrictEqual(hits.map((h) => `${h.file}:${JSON.stringify(h.d.range.start)}`).sort(), expected.sort());
        for (const h of hits) assert.match(msg(h.d), /openstack\.ent, which the DOCTYPE loads, could not be read/);
    });

    it('reports the ../common files security-guide-2014 never had as missing-include', () => {
        const bookFile = at('security-guide-2014/security-guide/bk-openstack-sec-guide.xml');
        const auth = at('security-guide-2014/security-guide/ch024_authentication.xml');
        const missing = found.filter((f) => f.d.code === 'missing-include' && f.file.startsWith(at('security-guide-2014')));
        const hrefs = missing.map((m) => `${path.basename(m.file)} ${(m.d.data as { href: string }).href}`).sort();
        assert.deepStrictEqual(hrefs, [
            `${path.basename(bookFile)} ../common/app_support.xml`, `${path.basename(bookFile)} ../common/ch_preface.xml`,
            `${path.basename(auth)} ../common/samples/authentication.json`, `${path.basename(auth)} ../common/samples/token.json`,
        ]);
        for (const m of missing) {
            const target = path.resolve(path.dirname(m.file), (m.d.data as { href: string }).href);
            assert.ok(!fs.existsSync(target), `${target} should really be missing`);
            assert.strictEqual(m.d.severity, DiagnosticSeverity.Error);
        }
    });

    it('reports each include by URL as remote-include, information level', () => {
        const expected: string[] = [];
        for (const tree of TREES) {
            for (const file of listXml(at(tree)).sort()) {
                const text = fs.readFileSync(file, 'utf8');
                for (const m of text.matchAll(/<xi:include\b[^>]*?\bhref="(https?:[^"]+)"/g)) expected.push(`${file} ${m[1]}`);
            }
        }
        const hits = found.filter((f) => f.d.code === 'remote-include');
        assert.ok(expected.length > 20);
        assert.deepStrictEqual(hits.map((h) => `${h.file} ${/Remote include (\S+)/.exec(msg(h.d))![1]}`).sort(), expected.sort());
        for (const h of hits) assert.strictEqual(h.d.severity, DiagnosticSeverity.Information);
    });

    it('reports the glossterms that miss the glossary by case or form, and spares the one with baseform', () => {
        const glossHits = found.filter((f) => f.d.code === 'unknown-glossterm' && f.file.startsWith(at('training-guides')));
        const terms = glossHits.map((h) => (h.d.data as { term: string }).term).sort();
        assert.deepStrictEqual(terms, ['Generic Receive Offload (GRO)', 'LVM', 'metadata agent']);
        const glossary = fs.readFileSync(at('training-guides/doc/glossary/glossary-terms.xml'), 'utf8');
        for (const h of glossHits) {
            const text = fs.readFileSync(h.file, 'utf8');
            const term = (h.d.data as { term: string }).term;
            assert.ok(!glossary.includes(`<glossterm>${term}</glossterm>`), `${term} really is not a glossentry`);
            const pattern = new RegExp(`<glossterm>\\s*${term.split(' ').map((w) => w.replace(/[()]/g, '\\$&')).join('\\s+')}\\s*</glossterm>`);
            const use = pattern.exec(text);
            assert.ok(use, `${term} is used in ${h.file}`);
            assert.deepStrictEqual(h.d.range.start, positionOf(text, use.index + '<glossterm>'.length));
        }
        const withBaseform = at('training-guides/doc/training-guides/basic-install-guide/section_neutron-network-node.xml');
        assert.match(fs.readFileSync(withBaseform, 'utf8'), /<glossterm baseform="Metadata agent">metadata agent<\/glossterm>/);
        assert.deepStrictEqual(found.filter((f) => f.file === withBaseform && f.d.code === 'unknown-glossterm'), []);
    });

    it('reports every glossterm of security-guide-2014, whose glossary collection is absent', () => {
        let uses = 0;
        for (const file of listXml(at('security-guide-2014'))) uses += (fs.readFileSync(file, 'utf8').match(/<glossterm[\s>]/g) ?? []).length;
        const hits = found.filter((f) => f.d.code === 'unknown-glossterm' && f.file.startsWith(at('security-guide-2014')));
        assert.ok(uses > 0);
        assert.strictEqual(hits.length, uses);
        for (const h of hits) assert.match(msg(h.d), /no glossary in reach/);
    });

    it('does not call stale copies of an id in no book duplicates', () => {
        const defined = new Map<string, Set<string>>();
        for (const f of index.allFiles()) for (const def of f.model.ids) {
            if (!defined.has(def.id)) defined.set(def.id, new Set());
            defined.get(def.id)!.add(f.path);
        }
        const inSeveralFiles = [...defined].filter(([, files]) => files.size > 1);
        assert.ok(inSeveralFiles.length >= 6, 'the corpus defines some ids in several files');
        assert.deepStrictEqual(found.filter((f) => f.d.code === 'duplicate-id').map((f) => f.file), []);
    });

    it('finds no renamed-folder path, no include cycle and nothing unreadable in the corpus', () => {
        assert.deepStrictEqual(found.filter((f) => ['renamed-folder', 'include-cycle', 'unreadable-file'].includes(String(f.d.code))), []);
    });

    it('answers within the keystroke budget: an edit of a chapter, then diagnostics of every file it affects', async () => {
        const file = at('training-guides/doc/training-guides/basic-install-guide/ch_clients.xml');
        const text = fs.readFileSync(file, 'utf8');
        const timings: number[] = [];
        for (let i = 0; i < 7; i++) {
            const edited = text.replace('linkend="openrc-create"', `linkend="openrc-create${i}"`);
            const t0 = process.hrtime.bigint();
            const affected = await index.setOpenDocument(file, edited, i + 1);
            for (const f of affected) provideDiagnostics(contextOf(index), { file: f });
            timings.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        await index.closeDocument(file);
        timings.sort((a, b) => a - b);
        assert.ok(timings[3] < 50, `median ${timings[3].toFixed(1)} ms`);
    });
});

describe('a chapter cut off its book, on a copy of training-guides', function () {
    this.timeout(60_000);
    let tmp: string;

    before(function () {
        if (!fs.existsSync(CORPUS)) this.skip();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-cutoff-'));
    });

    after(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('checks its glossterms against the workspace glossary: real terms pass, an unknown one is still reported', async () => {
        const root = path.join(tmp, 'training-guides');
        copyTree(path.join(CORPUS, 'training-guides'), root);
        const guide = path.join(root, 'doc/training-guides/basic-install-guide');
        const bookFile = path.join(guide, 'bk-openstack-basic-install-guide.xml');
        const chapterFile = path.join(guide, 'ch_overview.xml');
        // The glossary as a chapter of the book and no collection, as the Operations Guide has it;
        // then a typo in an include cuts the chapter off.
        let bookText = fs.readFileSync(bookFile, 'utf8');
        assert.ok(bookText.includes('<glossary role="auto"/>') && bookText.includes('<xi:include href="ch_overview.xml"/>'));
        bookText = bookText.replace('<glossary role="auto"/>', '<xi:include href="../../glossary/glossary-terms.xml"/>').replace('href="ch_overview.xml"', 'href="ch_overveiw.xml"');
        fs.chmodSync(bookFile, 0o644);
        fs.writeFileSync(bookFile, bookText);
        const original = fs.readFileSync(chapterFile, 'utf8');
        const at = original.indexOf('</para>') + '</para>'.length;
        const text = original.slice(0, at) + '<para><glossterm>frobnicator xyz</glossterm></para>' + original.slice(at);
        fs.chmodSync(chapterFile, 0o644);
        fs.writeFileSync(chapterFile, text);

        const index = await indexTrees([root], { ...defaultSettings(), glossaryCollection: [] });
        assert.strictEqual(index.booksOf(chapterFile).size, 0, 'the chapter is in no book');
        const uses = [...original.matchAll(/<glossterm>\s*([^<]*?)\s*<\/glossterm>/g)].map((m) => m[1].replace(/\s+/g, ' '));
        assert.ok(uses.length >= 10, `${uses.length} glossterms in the chapter`);
        for (const term of uses) assert.ok(index.glossEntriesFor(term).length, `"${term}" is a term of the workspace glossary`);
        const found = only(provideDiagnostics(contextOf(index), { file: chapterFile }), 'unknown-glossterm');
        assert.deepStrictEqual(found.map((d) => (d.data as { term: string }).term), ['frobnicator xyz']);
        assert.match(msg(found[0]), /matches no glossentry/);
    });
});

// ---- mutation tests: inject one fault into a copy, expect exactly one change ----------------------

function copyTree(from: string, to: string): void {
    fs.cpSync(from, to, { recursive: true });
}

function keyOf(f: Found): string {
    return `${f.file}|${f.d.range.start.line}:${f.d.range.start.character}-${f.d.range.end.line}:${f.d.range.end.character}|${String(f.d.code)}|${msg(f.d)}`;
}

describe('mutation tests on a copy of ha-guide', function () {
    this.timeout(60_000);
    let tmp: string;
    let root: string;
    let bookFile: string;
    let baseline: Set<string>;
    let chapters: string[];
    const originals = new Map<string, string>();

    before(async function () {
        requireCorpus(this);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-mutation-'));
        root = path.join(tmp, 'ha-guide');
        copyTree(path.join(CORPUS, 'ha-guide'), root);
        const index = await indexTrees([root]);
        const all = allDiagnostics(index);
        baseline = new Set(all.map(keyOf));
        bookFile = index.books()[0];
        // Chapters of the book with no diagnostic and a plain <para>: a fault injected there is all that changes.
        chapters = [...index.filesOfBook(bookFile).keys()]
            .filter((f) => f !== bookFile && !all.some((d) => d.file === f) && fs.readFileSync(f, 'utf8').includes('<para>') && index.filesOfBook(bookFile).get(f) === 'all')
            .sort();
        assert.ok(chapters.length >= 2, 'need two clean chapters');
    });

    after(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    afterEach(() => {
        for (const [file, text] of originals) fs.writeFileSync(file, text);
        originals.clear();
    });

    /** Inserts `snippet` right after the first <para> of `file`; returns the offset of the snippet. */
    function inject(file: string, snippet: string): { text: string; at: number } {
        const text = fs.readFileSync(file, 'utf8');
        originals.set(file, text);
        const at = text.indexOf('<para>') + '<para>'.length;
        const mutated = text.slice(0, at) + snippet + text.slice(at);
        fs.writeFileSync(file, mutated);
        return { text: mutated, at };
    }

    /**
     * The diagnostics added and removed against the baseline, from a fresh index; and the editor's
     * path must agree: the baseline tree, the edit of an open document, then diagnostics of only
     * the files the index says the edit affected.
     */
    async function changes(edited: string[]): Promise<{ added: Found[]; removed: string[] }> {
        const fresh = allDiagnostics(await indexTrees([root]));
        const keys = new Set(fresh.map(keyOf));
        const added = fresh.filter((f) => !baseline.has(keyOf(f)));
        const removed = [...baseline].filter((k) => !keys.has(k));

        const mutatedTexts = new Map(edited.map((f) => [f, fs.readFileSync(f, 'utf8')]));
        for (const f of edited) fs.writeFileSync(f, originals.get(f)!);
        const incremental = await indexTrees([root]);
        const published = new Map<string, Found[]>();
        for (const f of incremental.allFiles()) {
            published.set(f.path, provideDiagnostics(contextOf(incremental), { file: f.path }).map((d) => ({ file: f.path, d })));
        }
        for (const f of edited) {
            const affected = await incremental.setOpenDocument(f, mutatedTexts.get(f)!, 2);
            for (const a of [...affected, ...includeChainDependents(incremental, f)]) {
                published.set(a, provideDiagnostics(contextOf(incremental), { file: a }).map((d) => ({ file: a, d })));
            }
            fs.writeFileSync(f, mutatedTexts.get(f)!);
        }
        assert.deepStrictEqual([...published.values()].flat().map(keyOf).sort(), [...keys].sort(), 'the incremental update disagrees with a fresh index');
        return { added, removed };
    }

    function expectOne(result: { added: Found[]; removed: string[] }, file: string, code: string, text: string, offset: number, length: number): Found {
        assert.deepStrictEqual(result.removed, [], 'no baseline diagnostic may change');
        assert.deepStrictEqual(result.added.map((a) => `${a.file} ${String(a.d.code)}`), [`${file} ${code}`]);
        const d = result.added[0].d;
        assert.deepStrictEqual(d.range, { start: positionOf(text, offset), end: positionOf(text, offset + length) });
        return result.added[0];
    }

    it('unresolved-id', async () => {
        const { text, at } = inject(chapters[0], '<xref linkend="no-such-target"/>');
        expectOne(await changes([chapters[0]]), chapters[0], 'unresolved-id', text, at + '<xref linkend="'.length, 'no-such-target'.length);
    });

    it('duplicate-id: both places', async () => {
        const firstText = fs.readFileSync(chapters[0], 'utf8');
        const idMatch = /xml:id="([^"]+)"/.exec(firstText)!;
        const { text, at } = inject(chapters[1], `<phrase xml:id="${idMatch[1]}">x</phrase>`);
        const result = await changes([chapters[1]]);
        assert.deepStrictEqual(result.removed, []);
        const byFile = new Map(result.added.map((a) => [a.file, a.d]));
        assert.deepStrictEqual(result.added.map((a) => a.d.code), ['duplicate-id', 'duplicate-id']);
        const valueAt = at + '<phrase xml:id="'.length;
        assert.deepStrictEqual(byFile.get(chapters[1])?.range.start, positionOf(text, valueAt));
        assert.deepStrictEqual(byFile.get(chapters[0])?.range.start, positionOf(firstText, idMatch.index + 'xml:id="'.length));
    });

    it('missing-include', async () => {
        const { text, at } = inject(chapters[0], '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="no-such-file.xml"/>');
        expectOne(await changes([chapters[0]]), chapters[0], 'missing-include', text, text.indexOf('no-such-file.xml', at), 'no-such-file.xml'.length);
    });

    it('remote-include', async () => {
        const url = 'http://example.org/doc/common/section_x.xml';
        const { text, at } = inject(chapters[0], `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${url}"/>`);
        const f = expectOne(await changes([chapters[0]]), chapters[0], 'remote-include', text, text.indexOf(url, at), url.length);
        assert.strictEqual(f.d.severity, DiagnosticSeverity.Information);
    });

    it('unresolved-xpointer', async () => {
        const rel = path.relative(path.dirname(chapters[0]), chapters[1]).split(path.sep).join('/');
        const { text, at } = inject(chapters[0], `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${rel}" xpointer="no-such-id"/>`);
        expectOne(await changes([chapters[0]]), chapters[0], 'unresolved-xpointer', text, text.indexOf('no-such-id', at), 'no-such-id'.length);
    });

    it('include-cycle: the chapter includes the book that includes it; every file on the chain', async () => {
        // The files from the book down to the chapter, from the include graph of the baseline.
        const index = await indexTrees([root]);
        const chain = [chapters[0]];
        while (chain[0] !== bookFile) chain.unshift([...index.includersOf(chain[0])].find((f) => index.booksOf(f).has(bookFile) || f === bookFile)!);
        const rel = path.relative(path.dirname(chapters[0]), bookFile).split(path.sep).join('/');
        const { text, at } = inject(chapters[0], `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${rel}"/>`);
        const result = await changes([chapters[0]]);
        assert.deepStrictEqual(result.removed, []);
        assert.deepStrictEqual(result.added.map((a) => `${a.file} ${String(a.d.code)}`).sort(), chain.map((f) => `${f} include-cycle`).sort());
        const inChapter = result.added.find((a) => a.file === chapters[0])!;
        assert.deepStrictEqual(inChapter.d.range.start, positionOf(text, text.indexOf(rel, at)));
        assert.strictEqual(msg(inChapter.d).split(' → ').length, chain.length + 1);
    });

    it('not-well-formed', async () => {
        const { text, at } = inject(chapters[0], 'salt & pepper');
        expectOne(await changes([chapters[0]]), chapters[0], 'not-well-formed', text, at + 'salt '.length, 1);
    });

    it('undefined-entity', async () => {
        const file = chapters.find((c) => /<!DOCTYPE[^>]*\[[^\]]*%\w+;/.test(fs.readFileSync(c, 'utf8')))!;
        const { text, at } = inject(file, '&nosuchentity;');
        expectOne(await changes([file]), file, 'undefined-entity', text, at, '&nosuchentity;'.length);
    });

    it('an undeclared entity in a file without DOCTYPE: not-well-formed, where libxml2 stops', async () => {
        const file = chapters.find((c) => !fs.readFileSync(c, 'utf8').includes('<!DOCTYPE'))!;
        const { text, at } = inject(file, '&nosuchentity;');
        expectOne(await changes([file]), file, 'not-well-formed', text, at, '&nosuchentity;'.length);
    });

    it('missing-image', async () => {
        const { text, at } = inject(chapters[0], '<inlinemediaobject><imageobject><imagedata fileref="figures/no-such.png"/></imageobject></inlinemediaobject>');
        expectOne(await changes([chapters[0]]), chapters[0], 'missing-image', text, text.indexOf('figures/no-such.png', at), 'figures/no-such.png'.length);
    });

    it('unknown-glossterm', async () => {
        const { text, at } = inject(chapters[0], '<glossterm>no such glossary term</glossterm>');
        expectOne(await changes([chapters[0]]), chapters[0], 'unknown-glossterm', text, at + '<glossterm>'.length, 'no such glossary term'.length);
    });

    it('renamed-folder, and not missing-include as well', async () => {
        const { text, at } = inject(chapters[0], '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="../openstack-ha/section_x.xml"/>');
        const f = expectOne(await changes([chapters[0]]), chapters[0], 'renamed-folder', text, text.indexOf('openstack-ha', at), 'openstack-ha'.length);
        assert.match(msg(f.d), /high-availability-guide/);
    });
});
