// The DocBook snippets, offered by completion where they fit. VS Code's static snippets were offered
// by word match anywhere and replaced only the word: `<no` + "note" gave `<<note>`, and the
// whole-file "section" template came up inside a para. Here the whole-file templates come only where
// the document has no root element yet, and the element snippets only for a bare word in element
// content where the schema takes the element (completion.ts asks the schema).
//
// LSP has no TM_ variables: `${TM_FILENAME_BASE}` in a template is the file's base name, filled in
// by the server.

import * as path from 'path';
import { CompletionItem, CompletionItemKind, InsertTextFormat, Range } from 'vscode-languageserver-types';
import { DOCBOOK_NS } from '../core/docbookModel';

export const XINCLUDE_NS = 'http://www.w3.org/2001/XInclude';

export interface Snippet {
    /** What the author types (VS Code filters on it) and the list shows. */
    label: string;
    description: string;
    /** LSP snippet syntax: $1, ${1:default}, $0. */
    body: string;
}

/** A snippet that inserts one element, offered where the schema takes that element. */
export interface ElementSnippet extends Snippet {
    ns: string;
    local: string;
}

const FILE_BASE = '${TM_FILENAME_BASE}';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

function fileTemplate(root: string, what: string, inside: string[]): Snippet {
    return {
        label: root,
        description: `A DocBook 5 ${what} file (namespaces, version 5.0, xml:id from the file name)`,
        body: XML_DECLARATION + [
            `<${root} xmlns="${DOCBOOK_NS}"`,
            `  xmlns:xi="${XINCLUDE_NS}"`,
            '  xmlns:xlink="http://www.w3.org/1999/xlink"',
            '  version="5.0"',
            `  xml:id="\${1:${FILE_BASE}}">`,
            ...inside.map((l) => `  ${l}`),
            `</${root}>`,
        ].join('\n'),
    };
}

/** Whole-file templates: where the document has no root element yet. */
export const FILE_TEMPLATES: readonly Snippet[] = [
    fileTemplate('book', 'book', ['<title>${2:Book title}</title>', '<xi:include href="${3:ch_example.xml}"/>$0']),
    fileTemplate('chapter', 'chapter', ['<title>${2:Chapter title}</title>', '<para>$0</para>']),
    fileTemplate('section', 'section', ['<title>${2:Section title}</title>', '<para>$0</para>']),
];

function element(label: string, description: string, lines: string[], local = label, ns = DOCBOOK_NS): ElementSnippet {
    return { label, description, body: lines.join('\n'), ns, local };
}

const admonition = (name: string): ElementSnippet => element(name, `Admonition: ${name}`, [`<${name}>`, '  <para>$0</para>', `</${name}>`]);

/** Element snippets: for a bare word in element content, where the schema takes the element. */
export const ELEMENT_SNIPPETS: readonly ElementSnippet[] = [
    element('subsection', 'A section inside a chapter or section',
        ['<section xml:id="${1:section-id}">', '  <title>${2:Section title}</title>', '  <para>$0</para>', '</section>'], 'section'),
    element('xi:include', 'Include another DocBook file', ['<xi:include href="${1:section_file.xml}"/>$0'], 'include', XINCLUDE_NS),
    element('xi:include-xpointer', 'Include the children of one element of another file, except its title (the training guides\' idiom)',
        ['<xi:include href="${1:file.xml}" xpointer="xmlns(db=http://docbook.org/ns/docbook) xpath(//*[@xml:id = \'${2:id}\']/*[not(self::db:title)])"/>$0'],
        'include', XINCLUDE_NS),
    ...['note', 'tip', 'important', 'warning', 'caution'].map(admonition),
    element('procedure', 'A procedure with a title and two steps', [
        '<procedure>', '  <title>${1:Procedure title}</title>',
        '  <step>', '    <para>${2:First step.}</para>', '  </step>',
        '  <step>', '    <para>$0</para>', '  </step>', '</procedure>',
    ]),
    element('itemizedlist', 'A bulleted list with two items', [
        '<itemizedlist>',
        '  <listitem>', '    <para>${1:First item.}</para>', '  </listitem>',
        '  <listitem>', '    <para>$0</para>', '  </listitem>', '</itemizedlist>',
    ]),
    element('glossentry', 'A glossary entry (linked from glossterm by its exact text)', [
        '<glossentry>', '  <glossterm>${1:term}</glossterm>', '  <glossdef>', '    <para>$0</para>', '  </glossdef>', '</glossentry>',
    ]),
];

/** The characters of a bare word an author types (element names, `xi:include-xpointer`). */
const WORD_BEFORE = /[\w.:-]*$/;
const WORD_AFTER = /^[\w.:-]*/;

/**
 * The bare word at `offset` in content (the caller knows the cursor is after a `>` or before any
 * markup): its span, or undefined inside a comment, a CDATA section, an entity reference or a word
 * glued to other text.
 */
export function bareWordAt(text: string, offset: number): [number, number] | undefined {
    const start = offset - WORD_BEFORE.exec(text.slice(Math.max(0, offset - 100), offset))![0].length;
    const end = offset + WORD_AFTER.exec(text.slice(offset, offset + 100))![0].length;
    if (start > 0 && !/[\s>]/.test(text[start - 1])) return undefined;
    if (inside(text, start, '<!--', '-->') || inside(text, start, '<![CDATA[', ']]>')) return undefined;
    return [start, end];
}

/** Whether `offset` is after an `open` whose `close` does not come before it. */
function inside(text: string, offset: number, open: string, close: string): boolean {
    const opened = text.lastIndexOf(open, offset - open.length);
    if (opened < 0) return false;
    const closed = text.indexOf(close, opened + open.length);
    return closed < 0 || closed + close.length > offset;
}

/** Skips whitespace, comments and processing instructions from `i`; where something else starts. */
function skipMisc(text: string, i: number, end: number): number {
    for (;;) {
        while (i < end && /\s/.test(text[i])) i++;
        const close = text.startsWith('<!--', i) ? text.indexOf('-->', i + 4) + 3 : text.startsWith('<?', i) ? text.indexOf('?>', i + 2) + 2 : -1;
        if (close < i) return i;
        i = close;
    }
}

/** Whether the text around the word `[start, end)` holds no element: nothing but the XML declaration, comments, PIs and whitespace. */
export function beforeRootElement(text: string, start: number, end: number): boolean {
    const head = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    return skipMisc(text, head, start) === start && skipMisc(text, end, text.length) === text.length;
}

/** The whole-file templates, for the file `file`, with the cursor's word in `range`. */
export function templateItems(file: string, text: string, range: Range): CompletionItem[] {
    const base = path.basename(file, path.extname(file));
    // Escaped for the attribute, then for the snippet syntax.
    const id = base.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/[$}\\]/g, '\\$&');
    const declared = /^\uFEFF?\s*<\?xml\s/.test(text);
    return FILE_TEMPLATES.map((t, i) => ({
        label: t.label,
        kind: CompletionItemKind.Snippet,
        detail: t.description,
        sortText: String(i),
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range, newText: (declared ? t.body.slice(XML_DECLARATION.length) : t.body).split(FILE_BASE).join(id) },
    }));
}

/**
 * Whether VS Code could show `label` for the typed word: its first letter where the label or one of
 * its parts starts (`xi:include-xpointer`: x, i, x), the rest in order after it. VS Code's filter is
 * no looser, so nothing it would show is left out; most words of prose are, before any schema work.
 */
export function couldMatch(label: string, typed: string): boolean {
    const l = label.toLowerCase();
    const t = typed.toLowerCase();
    if (!t) return true;
    for (let start = 0; start < l.length; start++) {
        if (l[start] !== t[0] || (start > 0 && !/[:.\-_]/.test(l[start - 1]))) continue;
        let i = start + 1;
        let all = true;
        for (const c of t.slice(1)) {
            i = l.indexOf(c, i) + 1;
            if (i === 0) { all = false; break; }
        }
        if (all) return true;
    }
    return false;
}

/**
 * The element snippets among `candidates` for the word in `range`. `declareXi` is the declaration an
 * xi:include needs where the prefix `xi` is not bound to XInclude ('' where it is). DocBook 4
 * names ids `id`, not `xml:id`.
 */
export function elementSnippetItems(candidates: readonly ElementSnippet[], range: Range, declareXi: string, docbook4 = false): CompletionItem[] {
    return candidates.map((s) => {
        let body = s.ns === XINCLUDE_NS && declareXi ? s.body.replace('<xi:include ', `<xi:include ${declareXi} `) : s.body;
        if (docbook4) body = body.replace(/ xml:id="/g, ' id="');
        return {
            label: s.label, kind: CompletionItemKind.Snippet, detail: s.description,
            insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText: body },
        };
    });
}
