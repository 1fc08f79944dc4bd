// The snippets as completion offers them (features/snippets.ts): whole-file templates only where the
// document has no root element yet, element snippets only for a bare word in element content where
// the schema takes the element, never after `<` (where VS Code's static snippets gave `<<note>`).

import * as assert from 'assert';
import { CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat } from 'vscode-languageserver-types';
import { lineMapOf } from '../helpers';
import { parseXml } from '../../server/src/core/xmlParser';
import { DocbookLanguageService } from '../../server/src/languageService';
import { CURSOR_MARK as CURSOR, cursorIn, NS, serviceOn } from '../fixtures';

const XI = 'xmlns:xi="http://www.w3.org/2001/XInclude"';

describe('snippets in completion', () => {
    let service: DocbookLanguageService;
    let uriOf: (rel: string) => string;
    let version = 1;
    before(async () => {
        const fixtures = await serviceOn({
            'ch_install.xml': '',
            'section_x.xml': `<section ${NS} xml:id="x"><title>X</title><para>x</para></section>`,
            'db4.xml': '<!DOCTYPE chapter PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "docbookx.dtd">\n<chapter><title>T</title><para>x</para></chapter>',
            'other.xml': '<config><item>x</item></config>',
        });
        service = fixtures.service;
        uriOf = fixtures.uri;
    });

    /** The items offered with the cursor at the mark in `marked`, made the text of `rel`. */
    async function offered(rel: string, marked: string, triggerCharacter?: string): Promise<{ list: CompletionList; text: string; offset: number }> {
        const { text, offset, position } = cursorIn(marked);
        await service.changeDocument(uriOf(rel), text, ++version);
        return { list: await service.completion(uriOf(rel), position, triggerCharacter), text, offset };
    }
    const snippets = (list: CompletionList): CompletionItem[] => list.items.filter((i) => i.kind === CompletionItemKind.Snippet);
    const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label).sort();
    const newText = (item: CompletionItem): string => item.textEdit!.newText;
    /** The text after accepting `item` with every placeholder at its default. */
    function accept(text: string, item: CompletionItem): string {
        const edit = item.textEdit!;
        assert.ok('range' in edit);
        const map = lineMapOf(text);
        let inserted = edit.newText;
        for (let before = ''; before !== inserted;) {
            before = inserted;
            inserted = inserted.replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '');
        }
        return text.slice(0, map.offsetAt(edit.range.start)) + inserted + text.slice(map.offsetAt(edit.range.end));
    }
    const wellFormed = (xml: string): void => assert.deepStrictEqual(parseXml(xml).problems.map((p) => p.message), [], xml);

    const SECTION = (content: string): string => `<section ${NS} xml:id="x"><title>X</title>\n<para>One.</para>\n${content}\n<para>Two.</para>\n</section>`;

    it('an empty file: the whole-file templates, xml:id the file\'s base name, each a well-formed DocBook 5 file', async () => {
        const { list, text } = await offered('ch_install.xml', CURSOR);
        assert.deepStrictEqual(labels(list.items), ['book', 'chapter', 'section']);
        for (const item of list.items) {
            assert.strictEqual(item.kind, CompletionItemKind.Snippet);
            assert.strictEqual(item.insertTextFormat, InsertTextFormat.Snippet);
            assert.ok(!newText(item).includes('TM_'), 'LSP has no TM_ variables: the server fills in the name');
            const xml = accept(text, item);
            wellFormed(xml);
            assert.match(xml, new RegExp(`^<\\?xml [^>]*\\?>\\n<${item.label} xmlns="http://docbook.org/ns/docbook"`));
            assert.match(xml, /version="5\.0"/);
            assert.match(xml, /xml:id="ch_install"/);
        }
    });

    it('after an XML declaration and a comment, a typed word: the templates without a second declaration', async () => {
        const { list, text } = await offered('ch_install.xml', `<?xml version="1.0" encoding="UTF-8"?>\n<!-- Draft -->\ncha${CURSOR}\n`);
        const chapter = list.items.find((i) => i.label === 'chapter');
        assert.ok(chapter, labels(list.items).join(', '));
        const xml = accept(text, chapter);
        wellFormed(xml);
        assert.strictEqual(xml.match(/<\?xml /g)!.length, 1, xml);
    });

    it('no template in a file that has a root element, before, in or after it', async () => {
        for (const marked of [`sec${CURSOR}\n<section ${NS}><title>X</title><para>x</para></section>`, SECTION(`sec${CURSOR}`), `<section ${NS}><title>X</title><para>x</para></section>\nsec${CURSOR}`]) {
            const { list } = await offered('section_x.xml', marked);
            const templates = list.items.filter((i) => newText(i).includes('<?xml') || newText(i).includes('version="5.0"'));
            assert.deepStrictEqual(labels(templates), [], marked);
        }
    });

    it('"no" in section content: the note snippet, its range the word, accepted a well-formed note', async () => {
        const { list, text, offset } = await offered('section_x.xml', SECTION(`  no${CURSOR}`));
        const note = list.items.find((i) => i.label === 'note');
        assert.ok(note, labels(list.items).join(', '));
        assert.strictEqual(note.kind, CompletionItemKind.Snippet);
        assert.strictEqual(note.insertTextFormat, InsertTextFormat.Snippet);
        const map = lineMapOf(text);
        assert.ok(note.textEdit && 'range' in note.textEdit);
        assert.deepStrictEqual(note.textEdit.range, { start: map.positionAt(offset - 2), end: map.positionAt(offset) }, 'the range is the word');
        const xml = accept(text, note);
        assert.ok(xml.includes('\n  <note>\n  <para></para>\n</note>\n'), xml);
        wellFormed(xml);
    });

    it('the cursor inside a word: the range is the whole word, on the cursor\'s line', async () => {
        const { list, text, offset } = await offered('section_x.xml', SECTION(`  ti${CURSOR}px`));
        const tip = list.items.find((i) => i.label === 'tip')!;
        assert.ok(tip, labels(list.items).join(', '));
        const map = lineMapOf(text);
        assert.deepStrictEqual((tip.textEdit as { range: unknown }).range, { start: map.positionAt(offset - 2), end: map.positionAt(offset + 2) });
    });

    it('"<no": the schema\'s element items only, no snippet', async () => {
        const { list } = await offered('section_x.xml', SECTION(`  <no${CURSOR}`));
        assert.ok(list.items.some((i) => i.label === 'note' && i.kind === CompletionItemKind.Property), labels(list.items).join(', '));
        assert.deepStrictEqual(labels(snippets(list)), []);
        assert.ok(list.items.every((i) => !newText(i).startsWith('<')), 'an item after < that starts with < makes <<');
    });

    it('Ctrl+Space in section content: the element snippets the schema takes there, not a glossentry; in a glossary, the glossentry', async () => {
        const { list } = await offered('section_x.xml', SECTION(`  ${CURSOR}`));
        assert.deepStrictEqual(labels(snippets(list)),
            ['caution', 'important', 'itemizedlist', 'note', 'procedure', 'subsection', 'tip', 'warning', 'xi:include', 'xi:include-xpointer']);
        const glossary = await offered('section_x.xml', `<glossary ${NS}><title>G</title>\n  glo${CURSOR}\n</glossary>`);
        assert.deepStrictEqual(labels(snippets(glossary.list)), ['glossentry']);
        const entry = glossary.list.items[0];
        wellFormed(accept(glossary.text, entry));
    });

    it('inside a para: the blocks a para takes (note), not the ones it forbids (a section); in an emphasis or a simpara no block', async () => {
        const para = await offered('section_x.xml', SECTION(`  <para>Then no${CURSOR}</para>`));
        assert.ok(labels(para.list.items).includes('note'), labels(para.list.items).join(', '));
        const sub = await offered('section_x.xml', SECTION(`  <para>Then sub${CURSOR}</para>`));
        assert.ok(!labels(sub.list.items).includes('subsection'), 'a para takes no section');
        for (const inline of [`<para>Then <emphasis>no${CURSOR}</emphasis></para>`, `<simpara>Then no${CURSOR}</simpara>`]) {
            const { list } = await offered('section_x.xml', SECTION(`  ${inline}`));
            assert.deepStrictEqual(labels(list.items).filter((l) => l !== 'xi:include' && l !== 'xi:include-xpointer'), [], inline);
        }
    });

    it('a space typed between words asks for nothing; a word in a comment, an attribute value or glued to text neither', async () => {
        const space = await offered('section_x.xml', SECTION(`  <para>Then ${CURSOR}</para>`), ' ');
        assert.deepStrictEqual(labels(space.list.items), []);
        for (const content of [`<!-- no${CURSOR} -->`, `<para xml:id="no${CURSOR}">x</para>`, `<para>x(no${CURSOR}</para>`, `<para>&no${CURSOR}</para>`]) {
            const { list } = await offered('section_x.xml', SECTION(content));
            assert.deepStrictEqual(labels(snippets(list)), [], content);
        }
    });

    it('an xi:include where xi is not declared brings its declaration', async () => {
        const { list, text } = await offered('section_x.xml', `<section xmlns="http://docbook.org/ns/docbook" version="5.0"><title>X</title>\n  xi${CURSOR}\n</section>`);
        const include = list.items.find((i) => i.label === 'xi:include');
        assert.ok(include, labels(list.items).join(', '));
        const xml = accept(text, include);
        assert.ok(xml.includes(`<xi:include ${XI} href="section_file.xml"/>`), xml);
        wellFormed(xml);
    });

    it('DocBook 4 (no schema): element snippets inside the root, not before it; other XML: none', async () => {
        const inside = await offered('db4.xml', `<!DOCTYPE chapter PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "docbookx.dtd">\n<chapter><title>T</title>\n  no${CURSOR}\n</chapter>`);
        assert.ok(labels(inside.list.items).includes('note'), labels(inside.list.items).join(', '));
        // A DocBook 4 section has an id, not an xml:id.
        const section = await offered('db4.xml', `<!DOCTYPE chapter PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "docbookx.dtd">\n<chapter><title>T</title>\n  subs${CURSOR}\n</chapter>`);
        const subsection = section.list.items.find((i) => i.label === 'subsection');
        assert.ok(subsection, labels(section.list.items).join(', '));
        assert.match(newText(subsection), /<section id="/);
        assert.ok(!newText(subsection).includes('xml:id'), newText(subsection));
        const before = await offered('db4.xml', `<!DOCTYPE chapter PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "docbookx.dtd">\nno${CURSOR}\n<chapter><title>T</title></chapter>`);
        assert.deepStrictEqual(labels(before.list.items), []);
        const other = await offered('other.xml', `<config>\n  no${CURSOR}\n</config>`);
        assert.deepStrictEqual(labels(other.list.items), []);
    });
});
