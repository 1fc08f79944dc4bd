// The change between two versions of a long text, as one replacement: what goes over the wire
// between the preview's server, extension and webview instead of the whole HTML.

import { commonPrefixLength, commonSuffixLength } from './strings';

export interface TextEdit {
    /** Offsets in the old text: [start, end) is replaced by `text`. */
    start: number;
    end: number;
    text: string;
}

/** The one replacement that turns `from` into `to`: everything between their common prefix and suffix. */
export function textEdit(from: string, to: string): TextEdit {
    const max = Math.min(from.length, to.length);
    const start = commonPrefixLength(from, to, max);
    const suffix = commonSuffixLength(from, to, max - start);
    return { start, end: from.length - suffix, text: to.slice(start, to.length - suffix) };
}

/** `from` with `edit` applied. */
export function applyTextEdit(from: string, edit: TextEdit): string {
    return from.slice(0, edit.start) + edit.text + from.slice(edit.end);
}
