// What the cursor is on, in terms of the file model: the shared first step of definition,
// references, rename and hover. A cursor just after the last character still counts (VS Code
// places it there after a double-click or at the end of a word).

import { EntityUse, GlossEntryDef, GlossTermUse, IdDefinition, IdReference, ImageRef, Span, XInclude } from '../core/docbookModel';
import { offsetAt, Position } from '../core/lineMap';
import { IndexedFile } from '../index/workspaceIndex';

export type Located =
    | { kind: 'ref'; ref: IdReference; span: Span }
    | { kind: 'id'; def: IdDefinition; span: Span }
    | { kind: 'href'; include: XInclude; index: number; span: Span }
    | { kind: 'xpointer'; include: XInclude; index: number; span: Span }
    | { kind: 'glossterm'; use: GlossTermUse; term: string; span: Span }
    | { kind: 'glossentry'; entry: GlossEntryDef; span: Span }
    | { kind: 'image'; image: ImageRef; index: number; span: Span }
    | { kind: 'entity'; use: EntityUse; span: Span };

function within(span: Span | undefined, offset: number): span is Span {
    return !!span && offset >= span.start && offset <= span.end;
}

export function offsetOf(entry: IndexedFile, position: Position): number {
    return offsetAt(entry.model.lineStarts, position, entry.model.textLength);
}

export function locate(entry: IndexedFile, offset: number): Located | undefined {
    const m = entry.model;
    for (const ref of m.refs) if (within(ref, offset)) return { kind: 'ref', ref, span: ref };
    for (const def of m.ids) if (within(def, offset)) return { kind: 'id', def, span: def };
    for (let i = 0; i < m.includes.length; i++) {
        const inc = m.includes[i];
        if (offset < inc.start || offset > inc.end) continue;
        if (inc.pointer && within(inc.pointer.span, offset)) return { kind: 'xpointer', include: inc, index: i, span: inc.pointer.span };
        if (within(inc.hrefSpan, offset)) return { kind: 'href', include: inc, index: i, span: inc.hrefSpan };
    }
    for (let i = 0; i < m.images.length; i++) if (within(m.images[i], offset)) return { kind: 'image', image: m.images[i], index: i, span: m.images[i] };
    for (const use of m.glossTerms) {
        if (use.baseform !== undefined && within(use.baseformSpan, offset)) return { kind: 'glossterm', use, term: use.baseform, span: use.baseformSpan };
        if (within(use.textSpan, offset)) return { kind: 'glossterm', use, term: use.text, span: use.textSpan };
    }
    for (const entry of m.glossEntries) if (within(entry.termSpan, offset)) return { kind: 'glossentry', entry, span: entry.termSpan };
    for (const use of m.entityUses) if (within(use, offset)) return { kind: 'entity', use, span: use };
    return undefined;
}
