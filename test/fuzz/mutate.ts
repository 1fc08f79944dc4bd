// Mutations of real DocBook files, as authors and broken tools leave them: truncation inside every
// kind of markup, random bytes, unclosed and misnested tags, unquoted attributes, duplicated chunks,
// CRLF line ends, astral characters. Each mutation is a plain record so that fast-check can
// generate and shrink it; applying it is deterministic.

import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';

import { CORPUS } from '../helpers';

export { CORPUS };

/** Every place a truncation can land that a parser treats differently. */
export const BOUNDARY_KINDS = [
    'tag-name', 'attribute-name', 'between-attributes', 'attribute-value', 'end-tag', 'comment', 'cdata',
    'doctype', 'doctype-subset', 'entity-ref', 'pi', 'text',
] as const;
export type BoundaryKind = typeof BOUNDARY_KINDS[number];

export type Mutation =
    | { op: 'truncate'; kind: BoundaryKind; pick: number }
    | { op: 'insert'; at: number; chars: string }
    | { op: 'delete'; at: number; length: number }
    | { op: 'unclose'; pick: number }
    | { op: 'misnest'; pick: number }
    | { op: 'unquote'; pick: number }
    | { op: 'duplicate'; at: number; length: number; to: number }
    | { op: 'lineEnds'; style: '\r\n' | '\r' }
    | { op: 'astral'; pick: number };

export interface CorpusFile { path: string; text: string }

let corpusCache: CorpusFile[] | undefined;

/** The XML files of the real corpus (read-only), in a stable order. */
export function corpusFiles(): CorpusFile[] {
    if (corpusCache) return corpusCache;
    const out: CorpusFile[] = [];
    const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.isFile() && e.name.endsWith('.xml')) out.push({ path: p, text: fs.readFileSync(p, 'utf8') });
        }
    };
    if (fs.existsSync(CORPUS)) walk(CORPUS);
    corpusCache = out;
    return out;
}

interface Range { start: number; end: number }

function matches(text: string, re: RegExp, group = 0): Range[] {
    const out: Range[] = [];
    for (const m of text.matchAll(re)) {
        const start = m.index! + (group ? m[0].indexOf(m[group]) : 0);
        out.push({ start, end: start + m[group].length });
    }
    return out;
}

/** Ranges of the text whose inside is a boundary of the given kind (truncating inside one lands in it). */
export function boundaries(text: string, kind: BoundaryKind): Range[] {
    switch (kind) {
        case 'tag-name': return matches(text, /<([A-Za-z_][\w.:-]*)/g, 1);
        case 'attribute-name': return matches(text, /\s([A-Za-z_][\w.:-]*)\s*=\s*["']/g, 1);
        case 'between-attributes': return matches(text, /(["'])(\s+)[A-Za-z_]/g, 2);
        case 'attribute-value': return matches(text, /=\s*"([^"<]*)"/g, 1);
        case 'end-tag': return matches(text, /<\/[A-Za-z_][\w.:-]*\s*>/g);
        case 'comment': return matches(text, /<!--[\s\S]*?-->/g);
        case 'cdata': return matches(text, /<!\[CDATA\[[\s\S]*?\]\]>/g);
        case 'doctype': return matches(text, /<!DOCTYPE[^[>]*/g);
        case 'doctype-subset': return matches(text, /<!DOCTYPE[^[>]*\[([\s\S]*?)\]\s*>/g, 1);
        case 'entity-ref': return matches(text, /&[#A-Za-z_][\w.:-]*;/g);
        case 'pi': return matches(text, /<\?[\s\S]*?\?>/g);
        case 'text': return matches(text, />([^<]+)</g, 1);
    }
}

/** Something of the given kind to put into a file that has none, so that every kind can be cut. */
const INJECTIONS: Record<BoundaryKind, string> = {
    'tag-name': '<emphasis role="bold">inserted</emphasis>',
    'attribute-name': '<xref linkend="inserted-ref" xrefstyle="select: title"/>',
    'between-attributes': '<link linkend="a" xlink:href="b">x</link>',
    'attribute-value': '<xref linkend="inserted-ref"/>',
    'end-tag': '<literal>inserted</literal>',
    'comment': '<!-- a <comment> with -- and linkend="x" -->',
    'cdata': '<![CDATA[ if (a < b && c > d) { <xref linkend="no"/> } ]]>',
    'doctype': '',
    'doctype-subset': '',
    'entity-ref': '&amp;&#x1F600;&product;',
    'pi': '<?dbhtml stop-chunking?>',
    'text': 'inserted text',
};
const DOCTYPE = '<!DOCTYPE section [\n<!ENTITY product "OpenStack">\n<!ENTITY % local SYSTEM "local.ent">\n%local;\n]>\n';

function injectionPoint(text: string): number {
    // After the first start tag of the root's content: inside an element, where content may go.
    const root = /<[A-Za-z_][^>]*>/g;
    let m: RegExpExecArray | null;
    while ((m = root.exec(text))) {
        if (!m[0].startsWith('<?') && !m[0].startsWith('<!') && !m[0].endsWith('/>')) return m.index + m[0].length;
    }
    return text.length;
}

function inject(text: string, kind: BoundaryKind): string {
    if (kind === 'doctype' || kind === 'doctype-subset') {
        const decl = /^(\uFEFF?<\?xml[^>]*\?>\s*)/.exec(text);
        const at = decl ? decl[1].length : 0;
        return text.slice(0, at) + DOCTYPE + text.slice(at);
    }
    const at = injectionPoint(text);
    return text.slice(0, at) + INJECTIONS[kind] + text.slice(at);
}

function pickOf<T>(list: readonly T[], pick: number): T | undefined {
    return list.length ? list[pick % list.length] : undefined;
}

export function applyMutation(text: string, m: Mutation): string {
    switch (m.op) {
        case 'truncate': {
            let ranges = boundaries(text, m.kind);
            if (!ranges.length) {
                text = inject(text, m.kind);
                ranges = boundaries(text, m.kind);
            }
            const r = pickOf(ranges, m.pick);
            if (!r) return text.slice(0, m.pick % (text.length + 1));
            // Strictly inside the construct when it has an inside; at its start otherwise.
            const width = r.end - r.start;
            const cut = width > 1 ? r.start + 1 + ((m.pick >>> 3) % (width - 1)) : r.start;
            return text.slice(0, cut);
        }
        case 'insert': {
            const at = m.at % (text.length + 1);
            return text.slice(0, at) + m.chars + text.slice(at);
        }
        case 'delete': {
            const at = m.at % (text.length + 1);
            return text.slice(0, at) + text.slice(at + m.length);
        }
        case 'unclose': {
            const r = pickOf(boundaries(text, 'end-tag'), m.pick);
            return r ? text.slice(0, r.start) + text.slice(r.end) : text;
        }
        case 'misnest': {
            // Swap an end tag with the next one: <a><b></b></a> -> <a><b></a></b>.
            const ends = boundaries(text, 'end-tag');
            if (ends.length < 2) return text;
            const i = m.pick % (ends.length - 1);
            const a = ends[i];
            const b = ends[i + 1];
            return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
        }
        case 'unquote': {
            const values = matches(text, /=\s*("([^"<]*)")/g, 1);
            const r = pickOf(values, m.pick);
            return r ? text.slice(0, r.start) + text.slice(r.start + 1, r.end - 1) + text.slice(r.end) : text;
        }
        case 'duplicate': {
            const at = m.at % (text.length + 1);
            const chunk = text.slice(at, at + m.length);
            const to = m.to % (text.length + 1);
            return text.slice(0, to) + chunk + text.slice(to);
        }
        case 'lineEnds':
            return text.replace(/\r\n|\r|\n/g, m.style);
        case 'astral': {
            // Before a reference on the same line, so its UTF-16 column moves by two per character.
            const refs = matches(text, /<[^<>]*\b(?:linkend|xml:id|href)\s*=/g);
            const r = pickOf(refs, m.pick);
            const at = r ? r.start : m.pick % (text.length + 1);
            return text.slice(0, at) + '😀𝔘' + text.slice(at);
        }
    }
}

export function applyMutations(text: string, ms: readonly Mutation[]): string {
    let out = text;
    for (const m of ms) out = applyMutation(out, m);
    return out;
}

/** Characters that break parsers: markup, quotes, NUL, lone and paired surrogates, CR, BOM, U+FFFF. */
const NASTY = ['<', '>', '&', '"', "'", '/', '=', ';', '[', ']', '!', '?', '-', '\0', '\r', '\n', '\t', ' ', '\uD800', '\uDC00', '😀', '\uFEFF', '\uFFFF', '\u2028', 'é', '<!--', ']]>', '<![CDATA[', '</', '/>', '&#', '&#x', '%', ':', 'xml:id="', 'linkend="'];

export const charsArb: fc.Arbitrary<string> = fc.array(
    fc.oneof(fc.constantFrom(...NASTY), fc.integer({ min: 0, max: 0x10ffff }).map((c) => (c >= 0xd800 && c <= 0xdfff ? '\uFFFD' : String.fromCodePoint(c)))),
    { minLength: 1, maxLength: 12 },
).map((parts) => parts.join(''));

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('truncate' as const), kind: fc.constantFrom(...BOUNDARY_KINDS), pick: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), chars: charsArb }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('unclose' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('misnest' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('unquote' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 2000 }), to: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('lineEnds' as const), style: fc.constantFrom('\r\n' as const, '\r' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('astral' as const), pick: fc.nat() }) },
);

/** A few mutations, the truncation (if any) last, as a half-typed file ends. */
export const mutationsArb: fc.Arbitrary<Mutation[]> = fc.array(mutationArb, { minLength: 1, maxLength: 4 })
    .map((ms) => [...ms.filter((m) => m.op !== 'truncate'), ...ms.filter((m) => m.op === 'truncate').slice(0, 1)]);
