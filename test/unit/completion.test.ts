// Completion as an author types it. VS Code silently drops an item whose range is not on the
// cursor's line or does not contain the cursor, so the server answering is not enough: every item's
// range is checked, over every attribute value and glossterm of the real corpus cut while half-typed,
// and the half-typed states of each context must bring the right items and the right text.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CompletionItem, CompletionItemKind, CompletionList, Position, Range, TextEdit } from 'vscode-languageserver-types';
import { CORPUS, indexBehind, lineMapOf, listXml } from '../helpers';
import { pathToUri } from '../../server/src/core/uri';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings, DocbookSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { at, CURSOR_MARK as CURSOR, cursorIn, NS, ROOT, serviceOn, workspaceOf } from '../fixtures';

function editsOf(item: CompletionItem): { main: Range[]; extra: TextEdit[] } {
    const edit = item.textEdit;
    const main = !edit ? [] : 'range' in edit ? [edit.range] : [edit.insert, edit.replace];
    return { main, extra: item.additionalTextEdits ?? [] };
}

const isBefore = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character < b.character);

/** What VS Code would refuse in an item: no edit, a range off the cursor's line or around it, an extra edit overlapping the main one. */
function rangeProblem(item: CompletionItem, cursor: Position): string | undefined {
    const { main, extra } = editsOf(item);
    if (!main.length) return 'no textEdit';
    for (const r of main) {
        if (r.start.line !== cursor.line || r.end.line !== cursor.line) return `range ${JSON.stringify(r)} is not on line ${cursor.line}`;
        if (r.start.character > cursor.character || r.end.character < cursor.character) return `range ${JSON.stringify(r)} does not contain character ${cursor.character}`;
    }
    for (const e of extra) {
        if (isBefore(main[0].start, e.range.end) && isBefore(e.range.start, main[main.length - 1].end)) return `additional edit ${JSON.stringify(e.range)} overlaps the item's range`;
    }
    return undefined;
}

/** The text after accepting an item (main edit and additional edits, applied from the end). */
function accept(text: string, item: CompletionItem): string {
    const map = lineMapOf(text);
    const edit = item.textEdit!;
    const range = 'range' in edit ? edit.range : edit.replace;
    const edits = [{ range, newText: edit.newText }, ...(item.additionalTextEdits ?? [])]
        .map((e) => ({ start: map.offsetAt(e.range.start), end: map.offsetAt(e.range.end), newText: e.newText }))
        .sort((a, b) => b.start - a.start);
    let out = text;
    for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    return out;
}

describe('completion while typing: half-typed states (in-memory)', () => {
    const files: Record<string, string> = {
        'guide/bk.xml': `<book ${NS} xml:id="bk"><title>B</title>\n<xi:include href="ch1.xml"/>\n<xi:include href="sub/ch2.xml"/>\n</book>`,
        'guide/ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title>\n<section xml:id="s1"><title>Section one</title><para>x</para></section>\n<para>PLACE</para>\n</chapter>`,
        'guide/sub/ch2.xml': `<chapter ${NS} xml:id="ch2"><title>Two</title><section xml:id="s2"><title>Section two</title></section></chapter>`,
        'guide/figures/arch.png': 'png',
        'drafts-new.xml': `<chapter ${NS} xml:id="draft"><title>Draft</title>\n<para>PLACE</para>\n</chapter>`,
        'glossary/glossary-terms.xml': `<glossary ${NS}><title>G</title>
<glossentry><glossterm>API</glossterm><glossdef><para>Application programming interface. More.</para></glossdef></glossentry>
<glossentry><glossterm>Compute</glossterm><glossdef><para>The compute service.</para></glossdef></glossentry>
<glossentry><glossterm>Compute node</glossterm><glossdef><para>A node that runs instances.</para></glossdef></glossentry>
</glossary>`,
    };

    let service: DocbookLanguageService;
    let version = 1;
    before(async () => {
        service = new DocbookLanguageService(workspaceOf(files));
        await service.initialize([ROOT], defaultSettings());
    });

    /** Puts `typed` (with the cursor mark) in place of PLACE in the file, as the editor's text, and asks for completions. */
    async function complete(rel: string, typed: string): Promise<{ list: CompletionList; text: string; cursor: Position }> {
        const withMark = files[rel].replace('PLACE', typed);
        const { text, offset } = cursorIn(withMark);
        const uri = pathToUri(path.join(ROOT, rel));
        await service.changeDocument(uri, text, ++version);
        const cursor = lineMapOf(text).positionAt(offset);
        const list = await service.completion(uri, cursor);
        for (const item of list.items) {
            const problem = rangeProblem(item, cursor);
            assert.strictEqual(problem, undefined, `${JSON.stringify(typed)}: item ${item.label}: ${problem}`);
        }
        return { list, text, cursor };
    }

    /** Accepting the item labelled `label` turns the typed text into `expected`. */
    async function typesTo(rel: string, typed: string, label: string, expected: string): Promise<CompletionList> {
        const { list, text } = await complete(rel, typed);
        const item = list.items.find((i) => i.label === label);
        assert.ok(item, `${JSON.stringify(typed)}: no item ${label} among ${list.items.map((i) => i.label).join(', ')}`);
        assert.strictEqual(accept(text, item), files[rel].replace('PLACE', expected), JSON.stringify(typed));
        return list;
    }

    const terms = ['API', 'Compute', 'Compute node'];
    const labels = (list: CompletionList): string[] => list.items.map((i) => String(i.label)).sort();

    it('glossterm text: unclosed, unclosed before more text, closed, and wrapped over lines', async () => {
        const unclosed = await typesTo('guide/ch1.xml', `See <glossterm>comp${CURSOR}\n  and then more text <emphasis>x</emphasis> "quoted"`, 'Compute', 'See <glossterm>Compute\n  and then more text <emphasis>x</emphasis> "quoted"');
        assert.deepStrictEqual(labels(unclosed), terms);
        await typesTo('guide/ch1.xml', `See <glossterm>comp${CURSOR} and more text`, 'Compute', 'See <glossterm>Compute and more text');
        await typesTo('guide/ch1.xml', `See <glossterm>comp${CURSOR}</glossterm> here`, 'Compute', 'See <glossterm>Compute</glossterm> here');
        await typesTo('guide/ch1.xml', `See <glossterm>${CURSOR}</glossterm>`, 'API', 'See <glossterm>API</glossterm>');
        // The term's words on the other line are part of it: the chosen term replaces all of them.
        await typesTo('guide/ch1.xml', `See <glossterm>Compute\n      no${CURSOR}</glossterm> here`, 'Compute node', 'See <glossterm>Compute node</glossterm> here');
        await typesTo('guide/ch1.xml', `See <glossterm>Comp${CURSOR}\n      no</glossterm> here`, 'Compute node', 'See <glossterm>Compute node</glossterm> here');
    });

    it('glossterm baseform, with and without the closing quote', async () => {
        await typesTo('guide/ch1.xml', `<glossterm baseform="Comp${CURSOR}">nodes</glossterm>`, 'Compute node', '<glossterm baseform="Compute node">nodes</glossterm>');
        await typesTo('guide/ch1.xml', `<glossterm baseform="Comp${CURSOR} node">nodes</glossterm>`, 'Compute node', '<glossterm baseform="Compute node">nodes</glossterm>');
        const open = await typesTo('guide/ch1.xml', `<glossterm baseform="Comp${CURSOR}\nmore text "here"`, 'Compute', '<glossterm baseform="Compute\nmore text "here"');
        assert.deepStrictEqual(labels(open), terms);
    });

    it('linkend and endterm: empty quotes, an open quote before text with a later quote on another line, and no quotes yet', async () => {
        const ids = ['bk', 'ch1', 'ch2', 's1', 's2'];
        const empty = await typesTo('guide/ch1.xml', `<xref linkend="${CURSOR}"/>`, 's2', '<xref linkend="s2"/>');
        assert.deepStrictEqual(labels(empty), ids);
        await typesTo('guide/ch1.xml', `<xref linkend="s${CURSOR}"/>`, 's1', '<xref linkend="s1"/>');
        await typesTo('guide/ch1.xml', `<xref linkend="c${CURSOR}h2"/>`, 'ch1', '<xref linkend="ch1"/>');
        await typesTo('guide/ch1.xml', `<xref linkend="s${CURSOR}\n and text that "quotes" later`, 's1', '<xref linkend="s1\n and text that "quotes" later');
        await typesTo('guide/ch1.xml', `<xref linkend="s${CURSOR} and text "quoted"`, 's1', '<xref linkend="s1 and text "quoted"');
        const bare = await typesTo('guide/ch1.xml', `<xref linkend=${CURSOR}/>`, 's2', '<xref linkend="s2"/>');
        assert.deepStrictEqual(labels(bare), ids);
        await typesTo('guide/ch1.xml', `<xref linkend=c${CURSOR}`, 'ch2', '<xref linkend="ch2"');
        await typesTo('guide/ch1.xml', `<link linkend="s1" endterm="${CURSOR}"/>`, 's2', '<link linkend="s1" endterm="s2"/>');
        await typesTo('guide/ch1.xml', `<link linkend="s1" endterm="${CURSOR}\n`, 's2', '<link linkend="s1" endterm="s2\n');
    });

    it('xi:include href one folder at a time, xpointer, and fileref', async () => {
        const top = await typesTo('guide/ch1.xml', `<xi:include href="${CURSOR}"/>`, 'sub/', '<xi:include href="sub/"/>');
        assert.ok(top.items.find((i) => i.label === 'sub/')!.command, 'a folder re-opens the list');
        for (const name of ['bk.xml', 'sub/', 'figures/', '../']) assert.ok(labels(top).includes(name), `${name} in ${labels(top)}`);
        assert.ok(!labels(top).includes('ch1.xml'), 'not the file itself');
        const inSub = await typesTo('guide/ch1.xml', `<xi:include href="sub/${CURSOR}"/>`, 'ch2.xml', '<xi:include href="sub/ch2.xml"/>');
        assert.deepStrictEqual(labels(inSub), ['ch2.xml']);
        await typesTo('guide/ch1.xml', `<xi:include href="sub/c${CURSOR}\n`, 'ch2.xml', '<xi:include href="sub/ch2.xml\n');
        await typesTo('guide/ch1.xml', `<xi:include href="../${CURSOR}"/>`, 'glossary/', '<xi:include href="../glossary/"/>');
        const xpointer = await typesTo('guide/ch1.xml', `<xi:include href="sub/ch2.xml" xpointer="${CURSOR}"/>`, 's2', '<xi:include href="sub/ch2.xml" xpointer="s2"/>');
        assert.deepStrictEqual(labels(xpointer).filter((l) => !l.startsWith('xpath')), ['ch2', 's2']);
        await typesTo('guide/ch1.xml', `<xi:include href="sub/ch2.xml" xpointer="xmlns(db=http://docbook.org/ns/docbook) xpath(//*[@xml:id = '${CURSOR}']/*[not(self::db:title)])"/>`, 's2',
            `<xi:include href="sub/ch2.xml" xpointer="xmlns(db=http://docbook.org/ns/docbook) xpath(//*[@xml:id = 's2']/*[not(self::db:title)])"/>`);
        await typesTo('guide/ch1.xml', `<imagedata fileref="${CURSOR}"/>`, 'figures/', '<imagedata fileref="figures/"/>');
        await typesTo('guide/ch1.xml', `<imagedata fileref="figures/a${CURSOR}`, 'arch.png', '<imagedata fileref="figures/arch.png');
    });

    it('glossary items have their own kind, the term as label and the definition on the right; id items the title', async () => {
        const { list } = await complete('guide/ch1.xml', `<glossterm>${CURSOR}</glossterm>`);
        const api = list.items.find((i) => i.label === 'API')!;
        assert.notStrictEqual(api.kind, CompletionItemKind.Text, 'Text is the icon of VS Code word suggestions');
        assert.strictEqual(api.kind, CompletionItemKind.Keyword);
        assert.strictEqual(api.labelDetails?.description, 'Application programming interface.');
        const ids = (await complete('guide/ch1.xml', `<xref linkend="${CURSOR}"/>`)).list;
        const s1 = ids.items.find((i) => i.label === 's1')!;
        assert.match(s1.labelDetails!.description!, /^Section one/, 'the title comes first, so a long id elides the element, not the title');
        assert.strictEqual(s1.filterText ?? s1.label, 's1', 'the editor filters on the id');
    });

    it('a chapter in no book, out of the collection\'s reach, is offered the glossary terms of the workspace', async () => {
        assert.strictEqual(indexBehind(service).booksOf(path.join(ROOT, 'drafts-new.xml')).size, 0);
        const list = await typesTo('drafts-new.xml', `<glossterm>C${CURSOR}`, 'Compute', '<glossterm>Compute');
        assert.deepStrictEqual(labels(list), terms);
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
    const uri = pathToUri(path.join(ROOT, 'chapters/ch1.xml'));

    it('offers the ids of this book in a linkend, own file first, with element and title', async () => {
        const { service } = await serviceOn(files, { glossaryCollection: ['glossary/glossary-terms.xml'] });
        const list = await service.completion(uri, at(files, 'chapters/ch1.xml', 'linkend=""', 9));
        const labels = list.items.map((i) => i.label);
        assert.deepStrictEqual([...labels].sort(), ['ch1', 'ch2', 's1']);
        assert.ok(!labels.includes('orphan-id'), 'ids outside the book would not resolve');
        const sorted = [...list.items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((i) => i.label);
        assert.deepStrictEqual(sorted.slice(0, 2).sort(), ['ch1', 's1']);
        assert.strictEqual(list.items.find((i) => i.label === 's1')!.detail, '<section> Section one');
    });

    it('completes a word of linkends, glossary terms in glossterm text and baseform, and paths segment by segment', async () => {
        const { service } = await serviceOn(files, { glossaryCollection: ['glossary/glossary-terms.xml'] });
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

describe('completion on an editor\'s text that no file could hold', () => {
    it('answers after a URI attribute that holds a lone surrogate half (pasted; the schema walk escapes URIs)', async () => {
        const files = { 'ch.xml': `<chapter ${NS} xml:id="ch"><title>T</title>\n<mediaobject><imageobject><imagedata fileref="a.png"/></imageobject></mediaobject>\n<para>x</para>\nno\n</chapter>` };
        const { service } = await serviceOn(files);
        const uri = pathToUri(path.join(ROOT, 'ch.xml'));
        // Only the editor's text can hold it: a file's bytes decode to U+FFFD.
        await service.openDocument(uri, files['ch.xml'].replace('a.png', 'a\ud800b.png'), 2);
        const list = await service.completion(uri, at(files, 'ch.xml', '\nno\n', 3));
        assert.ok(list.items.some((i) => i.label === 'note'), `the snippets of a bare word: ${list.items.map((i) => i.label).join(', ')}`);
    });
});

describe('linkend completion in a file in no book, which sees every id of the workspace', () => {
    /** `copies` folders holding the same chapter of `names` ids, and a draft in no book that defines one of them itself. */
    function workspace(copies: number, names: number, typed: string): Record<string, string> {
        const sections = Array.from({ length: names }, (_, i) => `<section xml:id="id-${i}"><title>S${i}</title></section>`).join('\n');
        const files: Record<string, string> = { 'draft.xml': `<chapter ${NS} xml:id="id-7"><title>Draft</title><para><xref linkend="${typed}"/></para></chapter>` };
        for (let c = 0; c < copies; c++) files[`copy${c}/ch.xml`] = `<chapter ${NS} xml:id="ch"><title>C</title>\n${sections}\n</chapter>`;
        return files;
    }

    it('offers each id name once, even when the copies define more ids than a list holds', async () => {
        const files = workspace(5, 700, ''); // 3,501 definitions of 701 names
        const { service } = await serviceOn(files);
        const list = await service.completion(pathToUri(path.join(ROOT, 'draft.xml')), at(files, 'draft.xml', 'linkend=""', 9));
        const labels = list.items.map((i) => String(i.label));
        assert.strictEqual(list.isIncomplete, false);
        assert.strictEqual(new Set(labels).size, labels.length, 'one item per name');
        assert.deepStrictEqual([...labels].sort(), ['ch', ...Array.from({ length: 700 }, (_, i) => `id-${i}`)].sort());
        const own = list.items.find((i) => i.label === 'id-7')!;
        assert.ok(own.sortText!.startsWith('0') && /draft\.xml/.test(JSON.stringify(own.documentation)), 'the draft\'s own definition comes first');
        assert.ok(list.items.filter((i) => i.label !== 'id-7').every((i) => i.sortText! > own.sortText!));
    });

    it('beyond the list\'s size, offers every name that holds what is typed, and says the list is incomplete', async () => {
        const files = workspace(2, 3200, 'id-31');
        const { service } = await serviceOn(files);
        const list = await service.completion(pathToUri(path.join(ROOT, 'draft.xml')), at(files, 'draft.xml', 'linkend="id-31"', 14));
        const expected = Array.from({ length: 3200 }, (_, i) => `id-${i}`).filter((id) => id.includes('id-31'));
        assert.strictEqual(list.isIncomplete, true);
        assert.deepStrictEqual(list.items.map((i) => String(i.label)).sort(), expected.sort());
    });
});

describe('completion ranges over the real corpus, cut while half-typed', function () {
    this.timeout(240000);
    const TREES = ['training-guides', 'security-guide-2014', 'ha-guide'];
    const ATTRIBUTES = /\b(linkend|endterm|otherterm|linkends|arearefs|href|xpointer|fileref|baseform)(\s*=\s*)(?:"([^"<]*)"|'([^'<]*)')/g;
    const GLOSSTERMS = /<glossterm(?:\s[^>]*)?>([^<]*)<\/glossterm>/g;

    interface Case { state: string; text: string; offset: number }

    /**
     * Cut points inside a value: its start, its end, inside each quoted part (the ids of xpath()
     * xpointers), and its middle for the text as it is (a changed text costs an edit of the index).
     */
    const cuts = (value: string, middle: boolean): number[] =>
        [...new Set([0, value.length, ...(middle ? [Math.ceil(value.length / 2)] : []), ...[...value.matchAll(/'/g)].map((q) => q.index! + 1)])];

    function attributeCases(text: string, m: RegExpExecArray): Case[] {
        const [, name, eq] = m;
        const quote = m[3] !== undefined ? '"' : "'";
        const value = m[3] ?? m[4];
        const valueStart = m.index + name.length + eq.length + 1;
        const afterQuote = valueStart + value.length + 1;
        const tagEnd = text.indexOf('>', afterQuote);
        const out: Case[] = [];
        for (const k of cuts(value, true)) out.push({ state: 'closing quote there', text, offset: valueStart + k });
        for (const k of cuts(value, false)) {
            const at = valueStart + k;
            out.push({ state: 'no closing quote, rest of the file after', text: text.slice(0, at) + text.slice(afterQuote), offset: at });
            if (tagEnd > 0) {
                out.push({ state: 'tag unclosed, next line', text: text.slice(0, at) + '\n' + text.slice(tagEnd + 1), offset: at });
                out.push({ state: 'quote auto-closed, tag unclosed', text: text.slice(0, at) + quote + '\n' + text.slice(tagEnd + 1), offset: at });
            }
            if (name === 'linkend' || name === 'endterm') {
                const bare = text.slice(0, valueStart - 1) + value.slice(0, k) + text.slice(afterQuote);
                out.push({ state: 'no quotes yet', text: bare, offset: valueStart - 1 + k });
            }
        }
        return out;
    }

    function glosstermCases(text: string, m: RegExpExecArray): Case[] {
        const contentStart = m.index + m[0].indexOf('>') + 1;
        const term = m[1];
        const endTag = contentStart + term.length;
        const out: Case[] = [];
        for (const k of cuts(term, true)) out.push({ state: 'closed', text, offset: contentStart + k });
        for (const k of cuts(term, false)) {
            const at = contentStart + k;
            out.push({ state: 'unclosed', text: text.slice(0, endTag) + text.slice(endTag + '</glossterm>'.length), offset: at });
            const lineEnd = text.indexOf('\n', at);
            out.push({ state: 'unclosed, rest of line gone', text: text.slice(0, at) + (lineEnd < 0 ? '' : text.slice(lineEnd)), offset: at });
            const space = term.indexOf(' ');
            if (space > 0) {
                const wrapped = text.slice(0, contentStart + space) + '\n        ' + text.slice(contentStart + space + 1);
                out.push({ state: 'wrapped over two lines', text: wrapped, offset: at > contentStart + space ? at + 8 : at });
            }
        }
        return out;
    }

    for (const tree of TREES) {
        it(`${tree}: every item of every completion has its range on the cursor's line, around the cursor`, async function () {
            if (!fs.existsSync(path.join(CORPUS, tree))) this.skip();
            const root = path.join(CORPUS, tree);
            const settings: DocbookSettings = defaultSettings();
            const service = new DocbookLanguageService(new NodeWorkspace(), settings);
            await service.initialize([root], settings);
            const itemsChecked = new Map<string, number>();
            const casesWithout = new Map<string, string[]>();
            const problems: string[] = [];
            let version = 1;
            for (const file of listXml(root)) {
                const original = fs.readFileSync(file, 'utf8');
                const cases: { what: string; c: Case }[] = [];
                // Markup commented out is text: nothing to complete there.
                const comments = [...original.matchAll(/<!--[\s\S]*?-->/g)].map((c) => [c.index!, c.index! + c[0].length]);
                const commented = (at: number): boolean => comments.some(([a, b]) => a <= at && at < b);
                for (const m of original.matchAll(ATTRIBUTES)) {
                    if (!commented(m.index)) for (const c of attributeCases(original, m)) cases.push({ what: m[1], c });
                }
                for (const m of original.matchAll(GLOSSTERMS)) {
                    if (commented(m.index)) continue;
                    // The terms of a glossentry are definitions, not uses (and 668 of them would only repeat the same check).
                    if (/<glossentry\b[^>]*>\s*$/.test(original.slice(Math.max(0, m.index - 200), m.index))) continue;
                    for (const c of glosstermCases(original, m)) cases.push({ what: 'glossterm', c });
                }
                if (!cases.length) continue;
                const uri = pathToUri(file);
                // The text as it is first, from disk: only the cut texts cost an edit of the index.
                cases.sort((a, b) => Number(a.c.text !== original) - Number(b.c.text !== original));
                let current = original;
                for (const { what, c } of cases) {
                    if (c.text !== current) await service.changeDocument(uri, c.text, ++version);
                    current = c.text;
                    const cursor = lineMapOf(c.text).positionAt(c.offset);
                    const list = await service.completion(uri, cursor);
                    for (const item of list.items) {
                        const problem = rangeProblem(item, cursor);
                        if (problem) problems.push(`${path.relative(root, file)}:${cursor.line + 1}:${cursor.character + 1} ${what}, ${c.state}: ${item.label}: ${problem}`);
                    }
                    itemsChecked.set(what, (itemsChecked.get(what) ?? 0) + list.items.length);
                    if (!list.items.length) casesWithout.set(what, [...(casesWithout.get(what) ?? []), `${path.relative(root, file)}:${cursor.line + 1} ${c.state}`]);
                }
                if (current !== original) await service.closeDocument(uri);
            }
            assert.deepStrictEqual(problems.slice(0, 20), [], `${problems.length} items VS Code would drop`);
            // The cuts did reach the contexts: ids are in scope of every file, so each id value offers some.
            for (const what of ['linkend', 'linkends', 'arearefs']) assert.deepStrictEqual(casesWithout.get(what) ?? [], [], `${what} cases without items`);
            assert.ok([...itemsChecked.values()].reduce((a, b) => a + b, 0) > 1000, JSON.stringify([...itemsChecked]));
            if (tree === 'training-guides') {
                for (const what of ['href', 'xpointer', 'fileref', 'glossterm', 'baseform']) assert.ok((itemsChecked.get(what) ?? 0) > 0, `${what}: ${JSON.stringify([...itemsChecked])}`);
                assert.deepStrictEqual(casesWithout.get('glossterm') ?? [], [], 'every glossterm of training-guides has its glossary in reach');
            }
        });
    }
});
