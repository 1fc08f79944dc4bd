// The OpenStack gate's "niceness" checks (openstack-doc-test --check-niceness,
// verify_whitespace_niceness and verify_newline_end_of_file in os_doc_tools/doctest.py), over
// the text of one file, and the mechanical edit that fixes each finding. The gate ran Python 2
// regular expressions on byte lines: `\s` is [ \t\n\r\f\v] and `\w` is ASCII, as in JavaScript
// without the u flag.

export type NicenessCode = 'trailing-whitespace' | 'tab' | 'nbsp' | 'inner-whitespace' | 'final-newline';

export const NICENESS_CODES: readonly NicenessCode[] = ['trailing-whitespace', 'tab', 'nbsp', 'inner-whitespace', 'final-newline'];

export interface NicenessFinding {
    code: NicenessCode;
    start: number;
    end: number;
    /** inner-whitespace: the element, and whether the space follows its start tag or precedes its end tag. */
    element?: string;
    side?: 'start' | 'end';
}

/** The elements whose start and end tags the gate wants without whitespace inside them. */
export const INNER_WHITESPACE_ELEMENTS = ['listitem', 'para', 'td', 'th', 'command', 'literal', 'title', 'caption', 'filename', 'userinput', 'programlisting'];

/** What may follow `<para>` (or precede `</para>`) across the whitespace for the gate to object. */
const WORDISH = String.raw`[\w\-().:!?{}\[\]]`;
const NAMES = INNER_WHITESPACE_ELEMENTS.join('|');
// As the gate: the bare start tag (no attributes, no prefix), whitespace on the same line, then a word.
const AFTER_START = new RegExp(String.raw`<(${NAMES})>([ \t\r\f\v]+)(?=${WORDISH})`, 'g');
const BEFORE_END = new RegExp(String.raw`(?<=${WORDISH})([ \t\r\f\v]+)</(${NAMES})>`, 'g');
// Whitespace before a line break (CR LF counts as a line break, not as a trailing CR) or before the end of the file.
const TRAILING = /[ \t\f\v]+(?=\r?\n|$)/g;
const TABS = /\t+/g;
const NBSPS = /\u00a0+/g;

/** Every finding, in order of kind then offset; at most `limit` of them. */
export function findNiceness(text: string, limit = Infinity): NicenessFinding[] {
    const out: NicenessFinding[] = [];
    const scan = (re: RegExp, make: (m: RegExpExecArray) => NicenessFinding | undefined): void => {
        re.lastIndex = 0;
        for (let m = re.exec(text); m && out.length < limit; m = re.exec(text)) {
            const f = make(m);
            if (f) out.push(f);
            if (m[0].length === 0) re.lastIndex++;
        }
    };
    scan(TRAILING, (m) => m[0].length ? { code: 'trailing-whitespace', start: m.index, end: m.index + m[0].length } : undefined);
    scan(TABS, (m) => ({ code: 'tab', start: m.index, end: m.index + m[0].length }));
    scan(NBSPS, (m) => ({ code: 'nbsp', start: m.index, end: m.index + m[0].length }));
    scan(AFTER_START, (m) => {
        const start = m.index + m[1].length + 2;
        return { code: 'inner-whitespace', start, end: start + m[2].length, element: m[1], side: 'start' };
    });
    scan(BEFORE_END, (m) => ({ code: 'inner-whitespace', start: m.index, end: m.index + m[1].length, element: m[2], side: 'end' }));
    if (text.length && !text.endsWith('\n') && out.length < limit) out.push({ code: 'final-newline', start: text.length - 1, end: text.length });
    return out;
}

export interface TextReplacement { start: number; end: number; newText: string }

/** Columns a tab advances to, as `expand`, git and Gerrit show tabs. */
export const TAB_WIDTH = 8;

/**
 * The edit that removes one finding. `nbspEntity`: the file declares `&nbsp;` (the OpenStack
 * entity files do); without it a character reference keeps the file well-formed.
 */
export function nicenessFix(text: string, f: NicenessFinding, nbspEntity: boolean): TextReplacement {
    switch (f.code) {
        case 'trailing-whitespace':
        case 'inner-whitespace':
            return { start: f.start, end: f.end, newText: '' };
        case 'nbsp':
            return { start: f.start, end: f.end, newText: (nbspEntity ? '&nbsp;' : '&#160;').repeat(f.end - f.start) };
        case 'tab': {
            let column = 0;
            const lineStart = text.lastIndexOf('\n', f.start - 1) + 1;
            for (let i = lineStart; i < f.start; i++) column = text[i] === '\t' ? column + TAB_WIDTH - (column % TAB_WIDTH) : column + 1;
            let spaces = 0;
            for (let i = f.start; i < f.end; i++) {
                const step = TAB_WIDTH - ((column + spaces) % TAB_WIDTH);
                spaces += step;
            }
            return { start: f.start, end: f.end, newText: ' '.repeat(spaces) };
        }
        case 'final-newline':
            return { start: text.length, end: text.length, newText: text.includes('\r\n') ? '\r\n' : '\n' };
    }
}

/** Edits that fix every finding of `codes` in the text, in order, none overlapping another. */
export function nicenessFixes(text: string, codes: readonly NicenessCode[], nbspEntity: boolean): TextReplacement[] {
    const found = findNiceness(text).filter((f) => codes.includes(f.code));
    // Whitespace that goes is not worth expanding first: a tab inside trailing or inner whitespace is left to that edit.
    const removed = found.filter((f) => f.code === 'trailing-whitespace' || f.code === 'inner-whitespace');
    const kept = found.filter((f) => f.code !== 'tab' || !removed.some((r) => r.start <= f.start && f.end <= r.end));
    const edits = kept.map((f) => nicenessFix(text, f, nbspEntity)).sort((a, b) => a.start - b.start || a.end - b.end);
    // Trailing whitespace at the very end and the missing newline become one edit.
    const last = edits[edits.length - 1];
    const before = edits[edits.length - 2];
    if (last && before && last.start === text.length && before.end === text.length && before.newText === '') {
        edits.splice(edits.length - 2, 2, { start: before.start, end: text.length, newText: last.newText });
    }
    return edits;
}
