// Completion from the schema. After `<` at many points of valid corpus files, the elements offered
// are exactly those Jing expects there: Jing is asked at test time, on a copy where an element the
// schema does not know (`<zz_probe/>`) is put at that point, and answers `element "zz_probe" not
// allowed anywhere; expected …`. Then the half-typed states an author goes through.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CompletionItem, InsertTextFormat } from 'vscode-languageserver-types';
import { pathToUri } from '../../server/src/core/uri';
import { parseXml, XmlElement } from '../../server/src/core/xmlParser';
import { DocbookLanguageService } from '../../server/src/languageService';
import { isSchemaChecked } from '../../server/src/schema/select';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { CORPUS, lineMapOf, listXml, requireCorpus, skipBecause } from '../helpers';
import { jingMissing, runJing } from '../jingReference';

const PROBE = '<zz_probe/>';

/** The element names in Jing's "expected …" list (the end-tag and text are not elements). */
function jingExpectedElements(message: string): string[] | undefined {
    const m = /not allowed anywhere; expected (.*)$/.exec(message);
    if (!m) return undefined;
    const list = m[1];
    const at = list.indexOf('element "');
    if (at < 0) return [];
    return [...list.slice(at).matchAll(/"([^"]+)"/g)].map((x) => x[1]).sort();
}

/** Points of a file where an author could type `<`: after start tags, after end tags, between words of text. */
function pointsOf(text: string, root: XmlElement, max: number): number[] {
    const points: number[] = [];
    const visit = (el: XmlElement): void => {
        if (!el.selfClosing) points.push(el.startTagEnd);
        for (const c of el.children) {
            if (c.kind === 'element') {
                visit(c);
                points.push(c.end);
            } else if (c.kind === 'text') {
                const space = text.slice(c.start, c.end).search(/\S\s/);
                if (space > 0) points.push(c.start + space + 1);
            }
        }
    };
    visit(root);
    // Spread over the file, not only its first lines.
    const step = Math.max(1, Math.floor(points.length / max));
    return points.filter((_p, i) => i % step === 0).slice(0, max);
}

describe('schema completion: after < the elements Jing expects there', function () {
    this.timeout(600_000);

    before(function () {
        requireCorpus(this);
        const missing = jingMissing();
        if (missing) skipBecause(this, missing);
    });

    it('at many points of valid corpus files', async () => {
        const root = path.join(CORPUS, 'ha-guide');
        const sources = [...listXml(root), ...listXml(path.join(CORPUS, 'security-guide-2014'))]
            .filter((f) => !f.includes('glossary'))
            .filter((f) => {
                const doc = parseXml(fs.readFileSync(f, 'utf8'));
                return isSchemaChecked(doc) && !/<!DOCTYPE/.test(fs.readFileSync(f, 'utf8').slice(0, 2000));
            })
            .slice(0, 12);
        const clean = runJing(sources);
        const valid = sources.filter((f) => !clean.errors.has(path.resolve(f)) && !clean.unreadable.has(path.resolve(f)));
        assert.ok(valid.length >= 8, `valid files: ${valid.length}`);

        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-probe-'));
        try {
            const cases: { file: string; source: string; text: string; offset: number; copy: string }[] = [];
            for (const source of valid) {
                const text = fs.readFileSync(source, 'utf8');
                const doc = parseXml(text);
                for (const offset of pointsOf(text, doc.root!, 15)) {
                    const copy = path.join(tmp, `${cases.length}-${path.basename(source)}`);
                    fs.writeFileSync(copy, text.slice(0, offset) + PROBE + text.slice(offset));
                    cases.push({ file: copy, source, text, offset, copy });
                }
            }
            const jing = runJing(cases.map((c) => c.copy));

            const settings = defaultSettings();
            const service = new DocbookLanguageService(new NodeWorkspace(), settings);
            await service.initialize([root, path.join(CORPUS, 'security-guide-2014')], settings);
            let version = 1;
            const differences: string[] = [];
            let compared = 0;
            for (const c of cases) {
                const probeError = (jing.errors.get(path.resolve(c.copy)) ?? []).find((e) => e.message.includes('"zz_probe"'));
                const expected = probeError && jingExpectedElements(probeError.message);
                assert.ok(expected, `Jing said nothing usable about the probe in ${c.copy}: ${probeError?.message}`);
                const typed = c.text.slice(0, c.offset) + '<' + c.text.slice(c.offset);
                const uri = pathToUri(c.source);
                await service.changeDocument(uri, typed, ++version);
                const list = await service.completion(uri, lineMapOf(typed).positionAt(c.offset + 1));
                const offered = [...new Set(list.items.map((i) => i.label))].sort();
                compared++;
                if (JSON.stringify(offered) !== JSON.stringify(expected)) {
                    const missing = expected.filter((e) => !offered.includes(e));
                    const extra = offered.filter((o) => !expected.includes(o));
                    differences.push(`${path.basename(c.source)}:${lineMapOf(c.text).positionAt(c.offset).line + 1}: missing ${missing.join(',')} extra ${extra.join(',')}`);
                }
            }
            for (const source of valid) await service.changeDocument(pathToUri(source), fs.readFileSync(source, 'utf8'), ++version);
            assert.ok(compared >= 100, `points compared: ${compared}`);
            assert.deepStrictEqual(differences, []);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});

describe('schema completion: half-typed states', () => {
    const NS = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:xlink="http://www.w3.org/1999/xlink"';
    let service: DocbookLanguageService;
    let dir: string;
    let version = 1;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-typing-'));
        fs.writeFileSync(path.join(dir, 'ch.xml'), `<chapter ${NS} version="5.0" xml:id="c"><title>T</title>\n<para>Hello</para>\n</chapter>\n`);
        const settings = { ...defaultSettings(), profileValues: { os: ['ubuntu', 'centos'] } };
        service = new DocbookLanguageService(new NodeWorkspace(), settings);
        await service.initialize([dir], settings);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** Items offered with the cursor at `|` of `text`. */
    async function itemsAt(text: string): Promise<{ items: CompletionItem[]; cursorLine: number; cursorChar: number }> {
        const offset = text.indexOf('|');
        const body = text.slice(0, offset) + text.slice(offset + 1);
        const uri = pathToUri(path.join(dir, 'ch.xml'));
        await service.changeDocument(uri, body, ++version);
        const pos = lineMapOf(body).positionAt(offset);
        const list = await service.completion(uri, pos);
        for (const item of list.items) {
            const edit = item.textEdit!;
            const range = 'range' in edit ? edit.range : edit.replace;
            const around = range.start.line === pos.line && range.end.line === pos.line
                && range.start.character <= pos.character && range.end.character >= pos.character;
            assert.ok(around,
                `${item.label}: range ${JSON.stringify(range)} not around the cursor ${JSON.stringify(pos)}`);
        }
        return { items: list.items, cursorLine: pos.line, cursorChar: pos.character };
    }
    const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);

    it('after < inside a para: the inline elements, not the blocks', async () => {
        const { items } = await itemsAt(`<chapter ${NS} version="5.0"><title>T</title>\n<para>Hello <|</para>\n</chapter>\n`);
        const l = labels(items);
        for (const inline of ['emphasis', 'command', 'link', 'xref', 'literal', 'xi:include']) assert.ok(l.includes(inline), `${inline} in ${l.length} items`);
        assert.ok(!l.includes('section') && !l.includes('chapter') && !l.includes('title'), 'no section, chapter or title in a para');
    });

    it('typing a name (<em) and an unclosed para still complete', async () => {
        const { items } = await itemsAt(`<chapter ${NS} version="5.0"><title>T</title>\n<para>Hello <em|\n</chapter>\n`);
        const em = items.find((i) => i.label === 'emphasis');
        assert.ok(em, 'emphasis offered');
        assert.strictEqual(em!.insertTextFormat, InsertTextFormat.Snippet);
        assert.strictEqual((em!.textEdit as { newText: string }).newText, 'emphasis>$0</emphasis>');
    });

    it('a title first where the schema requires one; a list comes with its listitem', async () => {
        const start = await itemsAt(`<chapter ${NS} version="5.0">\n<|\n</chapter>\n`);
        assert.ok(labels(start.items).includes('title'));
        assert.ok(!labels(start.items).includes('para'), 'a chapter cannot start with a para');
        const after = await itemsAt(`<chapter ${NS} version="5.0"><title>T</title>\n<para>x</para>\n<|\n</chapter>\n`);
        const l = labels(after.items);
        assert.ok(l.includes('section') && l.includes('para') && l.includes('itemizedlist') && !l.includes('title'));
        const list = after.items.find((i) => i.label === 'itemizedlist')!;
        assert.match((list.textEdit as { newText: string }).newText, /<listitem>\s*<para>\$1<\/para>\s*<\/listitem>/);
        const section = after.items.find((i) => i.label === 'section')!;
        assert.match((section.textEdit as { newText: string }).newText, /<title>\$1<\/title>/);
    });

    it('after </ the open element', async () => {
        const { items } = await itemsAt(`<chapter ${NS} version="5.0"><title>T</title>\n<para>Hello <emphasis>x</|\n</chapter>\n`);
        assert.deepStrictEqual(labels(items), ['emphasis']);
    });

    it('attribute names the element allows, not those present; enumerated and profiling values', async () => {
        const names = await itemsAt(`<chapter ${NS} version="5.0"><title>T</title>\n<orderedlist numeration="arabic" |><listitem><para>x</para></listitem></orderedlist>\n</chapter>\n`);
        const l = labels(names.items);
        assert.ok(l.includes('continuation') && l.includes('xml:id') && l.includes('os'), l.join(','));
        assert.ok(!l.includes('numeration'), 'numeration is already there');
        const values = await itemsAt(`<chapter ${NS} version="5.0"><title>T</title>\n<orderedlist numeration="|"><listitem><para>x</para></listitem></orderedlist>\n</chapter>\n`);
        assert.deepStrictEqual(labels(values.items).sort(), ['arabic', 'loweralpha', 'lowerroman', 'upperalpha', 'upperroman']);
        const noQuote = await itemsAt(`<chapter ${NS} version="5.0"><title>T</title>\n<para><systemitem class="|\n</chapter>\n`);
        assert.ok(labels(noQuote.items).includes('username'), labels(noQuote.items).join(','));
        const profile = await itemsAt(`<chapter ${NS} version="5.0"><title>T</title>\n<para os="ubuntu;|">x</para>\n</chapter>\n`);
        assert.deepStrictEqual(labels(profile.items), ['ubuntu', 'centos']);
        const show = await itemsAt(`<chapter ${NS} version="5.0"><title>T</title>\n<para><link xlink:show="|">x</link></para>\n</chapter>\n`);
        assert.ok(labels(show.items).includes('new'), labels(show.items).join(','));
    });

    it('DocBook 4 and other XML get no schema completion', async () => {
        const { items } = await itemsAt('<!DOCTYPE chapter PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "docbookx.dtd">\n<chapter><title>T</title>\n<para>Hello <|</para>\n</chapter>\n');
        assert.deepStrictEqual(labels(items), []);
    });
});
