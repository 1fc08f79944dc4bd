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

const INNER_NAMES = new Set(INNER_WHITESPACE_ELEMENTS);

/** [\w\-().:!?{}\[\]] of the gate's expressions: what may follow `<para>` (or precede `</para>`) across the whitespace for the gate to object. */
function isWordish(c: number): boolean {
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f
        || c === 0x2d || c === 0x28 || c === 0x29 || c === 0x2e || c === 0x3a || c === 0x21 || c === 0x3f
        || c === 0x7b || c === 0x7d || c === 0x5b || c === 0x5d;
}

/** Whitespace within a line, as Python 2's \s less the line feed: space, tab, CR, form feed, vertical tab. */
function isLineSpace(c: number): boolean {
    return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0c || c === 0x0b;
}

function isNameChar(c: number): boolean {
    return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/**
 * Every finding, by kind (trailing whitespace, tabs, no-break spaces, whitespace after start tags,
 * before end tags, the final newline), each kind in order of offset; at most `limit` of them.
 * It runs on every keystroke and on files of any size: each kind jumps from one candidate
 * character to the next with indexOf.
 */
export function findNiceness(text: string, limit = Infinity): NicenessFinding[] {
    const out: NicenessFinding[] = [];
    const n = text.length;
    const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0c || c === 0x0b;
    // Trailing whitespace: blanks before each line feed (CR LF is a line break: the blanks before its CR), and at the end.
    for (let lf = text.indexOf('\n'); out.length < limit; lf = text.indexOf('\n', lf + 1)) {
        let end = lf < 0 ? n : lf;
        if (lf > 0 && text.charCodeAt(lf - 1) === 0x0d) end--;
        let start = end;
        while (start > 0 && isBlank(text.charCodeAt(start - 1))) start--;
        if (start < end) out.push({ code: 'trailing-whitespace', start, end });
        if (lf < 0) break;
    }
    const runs = (ch: string, code: 'tab' | 'nbsp'): void => {
        const c = ch.charCodeAt(0);
        for (let i = text.indexOf(ch); i >= 0 && out.length < limit; i = text.indexOf(ch, i + 1)) {
            const start = i;
            while (i + 1 < n && text.charCodeAt(i + 1) === c) i++;
            out.push({ code, start, end: i + 1 });
        }
    };
    runs('\t', 'tab');
    runs('\u00a0', 'nbsp');
    const ends: NicenessFinding[] = [];
    for (let lt = text.indexOf('<'); lt >= 0 && out.length + ends.length < limit; lt = text.indexOf('<', lt + 1)) {
        const closing = text.charCodeAt(lt + 1) === 0x2f;
        // Most tags have no blank on the side that matters: skip them before reading their name.
        if (closing && !(lt > 0 && isLineSpace(text.charCodeAt(lt - 1)))) continue;
        const nameStart = closing ? lt + 2 : lt + 1;
        let gt = nameStart;
        while (gt < n && isNameChar(text.charCodeAt(gt))) gt++;
        if (gt === nameStart || gt - nameStart > 14 || text.charCodeAt(gt) !== 0x3e) continue;
        if (!closing && !isLineSpace(text.charCodeAt(gt + 1))) continue;
        const name = text.slice(nameStart, gt);
        if (!INNER_NAMES.has(name)) continue;
        if (closing) {
            let k = lt;
            while (k > 0 && isLineSpace(text.charCodeAt(k - 1))) k--;
            if (k < lt && k > 0 && isWordish(text.charCodeAt(k - 1))) ends.push({ code: 'inner-whitespace', start: k, end: lt, element: name, side: 'end' });
        } else {
            let k = gt + 1;
            while (k < n && isLineSpace(text.charCodeAt(k))) k++;
            if (k > gt + 1 && k < n && isWordish(text.charCodeAt(k))) out.push({ code: 'inner-whitespace', start: gt + 1, end: k, element: name, side: 'start' });
        }
    }
    out.push(...ends);
    if (n && text.charCodeAt(n - 1) !== 0x0a) out.push({ code: 'final-newline', start: n - 1, end: n });
    return out.length > limit ? out.slice(0, limit) : out;
}

/**
 * findNiceness of a text after an edit within one line (`removed` at `start` of the old text replaced
 * by `inserted`, no line feed in either), from the findings before it: every finding lies within one
 * line and depends on that line alone, so the edited line is scanned again and the others are kept
 * (moved). Undefined when it cannot be exact that way (a line feed edited, the last line, `limit` reached).
 */
export function nicenessAfterEdit(
    before: readonly NicenessFinding[], text: string, start: number, removed: string, inserted: string, limit: number,
): NicenessFinding[] | undefined {
    if (before.length >= limit || inserted.includes('\n') || removed.includes('\n')) return undefined;
    const delta = inserted.length - removed.length;
    // (lastIndexOf from -1 searches from 0.)
    const lineStart = start === 0 ? 0 : text.lastIndexOf('\n', start - 1) + 1;
    const lineFeed = text.indexOf('\n', start + inserted.length);
    if (lineFeed < 0) return undefined;
    const oldLineFeed = lineFeed - delta;
    const line = findNiceness(text.slice(lineStart, lineFeed + 1), limit);
    // Kinds in findNiceness' order; within a kind, by offset.
    const group = (f: NicenessFinding): number => NICENESS_CODES.indexOf(f.code) + (f.code === 'final-newline' || f.side === 'end' ? 1 : 0);
    const out: NicenessFinding[] = [];
    let i = 0;
    for (let g = 0; g <= NICENESS_CODES.length; g++) {
        while (i < before.length && group(before[i]) === g && before[i].start < lineStart) out.push(before[i++]);
        for (const f of line) if (group(f) === g) out.push({ ...f, start: f.start + lineStart, end: f.end + lineStart });
        while (i < before.length && group(before[i]) === g && before[i].start <= oldLineFeed) i++;
        for (; i < before.length && group(before[i]) === g; i++) out.push({ ...before[i], start: before[i].start + delta, end: before[i].end + delta });
    }
    return i === before.length && out.length < limit ? out : undefined;
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

/**
 * Whether a finding has a mechanical fix: a no-break space inside CDATA has none (a reference
 * there is literal text; whether a space or a no-break space is meant is the author's call).
 */
export function isFixable(text: string, f: NicenessFinding): boolean {
    if (f.code !== 'nbsp') return true;
    const open = text.lastIndexOf('<![CDATA[', f.start);
    return open < 0 || text.lastIndexOf(']]>', f.start) > open;
}

/** Edits that fix every fixable finding of `codes` in the text, in order, none overlapping another. */
export function nicenessFixes(text: string, codes: readonly NicenessCode[], nbspEntity: boolean): TextReplacement[] {
    const found = findNiceness(text).filter((f) => codes.includes(f.code) && isFixable(text, f));
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
