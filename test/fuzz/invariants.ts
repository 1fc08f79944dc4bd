// What must hold for any input, however broken: the checks the fuzz suites run on every case.

import * as assert from 'assert';
import { Range as LspRange } from 'vscode-languageserver-types';
import { FileModel, OutlineNode } from '../../server/src/core/docbookModel';
import { computeLineStarts, offsetAt, positionAt } from '../../server/src/core/lineMap';
import { uriToPath } from '../../server/src/core/uri';
import { XmlDocument, XmlNode } from '../../server/src/core/xmlParser';
import { DocbookLanguageService } from '../../server/src/languageService';
import { RenameError } from '../../server/src/features/rename';
import { locate } from '../../server/src/features/locate';
import { indexBehind } from '../helpers';

/**
 * No request on hostile input may take longer than this, in process or over LSP. A guard against
 * work that grows faster than the input (100,000 nested levels handled quadratically take minutes),
 * not a speed measurement: those are `npm run bench`'s, and a loaded 2-core machine triples times.
 */
export const REQUEST_BUDGET_MS = 3000;

function inText(len: number, start: number, end: number, what: string): void {
    assert.ok(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= len, `${what}: [${start}, ${end}) outside the text of length ${len}`);
}

/** Every node of the parse tree lies inside the text, children inside their parent, without recursion. */
export function checkParseTree(doc: XmlDocument): void {
    const len = doc.text.length;
    const stack: { node: XmlNode; lo: number; hi: number }[] = doc.children.map((node) => ({ node, lo: 0, hi: len }));
    while (stack.length) {
        const { node, lo, hi } = stack.pop()!;
        inText(len, node.start, node.end, `${node.kind} node`);
        assert.ok(node.start >= lo && node.end <= hi, `${node.kind} node [${node.start}, ${node.end}) outside its parent [${lo}, ${hi})`);
        if (node.kind === 'element') {
            assert.ok(node.start <= node.startTagEnd && node.startTagEnd <= node.contentEnd && node.contentEnd <= node.end, `<${node.name}> offsets out of order`);
            for (const a of node.attrs) {
                if (a.valueStart >= 0) {
                    inText(len, a.valueStart, a.valueEnd, `attribute ${a.name}`);
                    assert.strictEqual(doc.text.slice(a.valueStart, a.valueEnd), a.value, `attribute ${a.name} value is the text at its offsets`);
                }
            }
            // Elements past the depth limit are attached flat and end at their start tag.
            for (const c of node.children) stack.push({ node: c, lo: node.start, hi: Math.max(node.end, c.end) });
        }
    }
    for (const p of doc.problems) inText(len, p.start, p.end, `problem "${p.message}"`);
}

/** Every span of the file model is an exact offset into the text that was parsed. */
export function checkModel(text: string, model: FileModel): void {
    const len = text.length;
    assert.strictEqual(model.textLength, len);
    assert.deepStrictEqual(model.lineStarts, computeLineStarts(text));
    for (const d of model.ids) {
        inText(len, d.start, d.end, `id ${d.id}`);
        assert.strictEqual(text.slice(d.start, d.end), d.id, 'an id span holds exactly the id');
        inText(len, d.elementStart, d.elementEnd, `element of id ${d.id}`);
        assert.ok(d.elementStart <= d.start && d.end <= d.elementEnd, `id ${d.id} inside its element`);
        inText(len, Math.min(d.afterTitle, d.contentEnd), Math.max(d.afterTitle, d.contentEnd), `content of id ${d.id}`);
    }
    for (const r of model.refs) {
        inText(len, r.start, r.end, `reference ${r.id}`);
        assert.strictEqual(text.slice(r.start, r.end), r.id, 'a reference span holds exactly the id');
    }
    for (const inc of model.includes) {
        inText(len, inc.start, inc.end, `include ${inc.href}`);
        if (inc.hrefSpan) {
            inText(len, inc.hrefSpan.start, inc.hrefSpan.end, 'href');
            assert.strictEqual(text.slice(inc.hrefSpan.start, inc.hrefSpan.end).trim(), inc.href);
        }
        if (inc.xpointerSpan) assert.strictEqual(text.slice(inc.xpointerSpan.start, inc.xpointerSpan.end), inc.xpointer);
        if (inc.pointer) assert.strictEqual(text.slice(inc.pointer.span.start, inc.pointer.span.end), inc.pointer.id);
        if (inc.fallback) inText(len, inc.fallback.start, inc.fallback.end, 'fallback');
    }
    for (const img of model.images) {
        inText(len, img.start, img.end, `image ${img.fileref}`);
        assert.strictEqual(text.slice(img.start, img.end).trim(), img.fileref);
    }
    for (const g of model.glossTerms) {
        inText(len, g.start, g.end, 'glossterm');
        inText(len, g.textSpan.start, g.textSpan.end, 'glossterm text');
        if (g.baseformSpan) assert.strictEqual(text.slice(g.baseformSpan.start, g.baseformSpan.end), g.baseform);
    }
    for (const g of model.glossEntries) {
        inText(len, g.entryStart, g.entryEnd, 'glossentry');
        inText(len, g.termSpan.start, g.termSpan.end, 'glossentry term');
    }
    for (const u of model.entityUses) {
        inText(len, u.start, u.end, `entity ${u.name}`);
        assert.strictEqual(text.slice(u.start, u.end), `&${u.name};`);
    }
    for (const p of model.profiling) inText(len, p.start, p.end, `profiling ${p.attribute}`);
    for (const p of model.problems) inText(len, p.start, p.end, `problem ${p.message}`);
    const outline: OutlineNode[] = [...model.outline];
    while (outline.length) {
        const n = outline.pop()!;
        inText(len, n.start, n.end, `outline <${n.element}>`);
        inText(len, n.selection.start, n.selection.end, `outline selection <${n.element}>`);
        outline.push(...n.children);
    }
}

/** offset -> position -> offset is the identity, and positions count UTF-16 units per line. */
export function checkLineMap(text: string, offsets: Iterable<number>): void {
    const starts = computeLineStarts(text);
    for (const o of offsets) {
        const p = positionAt(starts, o);
        assert.strictEqual(offsetAt(starts, p, text.length), o, `offset ${o} round-trips`);
        const lineText = text.slice(starts[p.line], o);
        assert.ok(!/[\r\n]/.test(lineText.replace(/\r$/, '')), `offset ${o}: no line break between the line start and the offset`);
        assert.strictEqual(p.character, lineText.length);
    }
}

/** Offsets worth probing: random ones, both ends, and around every line break and surrogate pair. */
export function interestingOffsets(text: string, random: number[]): number[] {
    const out = new Set<number>([0, text.length]);
    for (const r of random) out.add(r % (text.length + 1));
    let specials = 0;
    for (let i = 0; i < text.length && specials < 200; i++) {
        const c = text.charCodeAt(i);
        if (c === 13 || c === 10 || (c >= 0xd800 && c <= 0xdfff)) {
            out.add(i);
            out.add(i + 1);
            specials++;
        }
    }
    return [...out];
}

export type TextOf = (uri: string) => string | undefined;

/** Line starts of the last few texts checked: a document's symbols are checked by the thousand. */
const lineStartsCache = new Map<string, Uint32Array>();
function lineStartsOf(text: string): Uint32Array {
    let starts = lineStartsCache.get(text);
    if (!starts) {
        if (lineStartsCache.size >= 8) lineStartsCache.clear();
        starts = computeLineStarts(text);
        lineStartsCache.set(text, starts);
    }
    return starts;
}

function checkRange(range: LspRange, text: string | undefined, what: string): void {
    assert.ok(range && range.start && range.end, `${what}: has a range`);
    if (text === undefined) return;
    const starts = lineStartsOf(text);
    for (const p of [range.start, range.end]) {
        assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0, `${what}: position ${JSON.stringify(p)} is not a valid position`);
        assert.ok(p.line < starts.length, `${what}: line ${p.line} beyond the ${starts.length} lines of the text`);
        const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
        assert.ok(starts[p.line] + p.character <= lineEnd, `${what}: character ${p.character} beyond line ${p.line}`);
    }
    assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `${what}: start after end`);
}

function sliceOf(text: string, range: LspRange): string {
    const starts = lineStartsOf(text);
    return text.slice(offsetAt(starts, range.start, text.length), offsetAt(starts, range.end, text.length));
}

export interface ExerciseStats { requests: number; slowestMs: number; slowest: string }

/**
 * Every request of the service at `offset` of the document: none may throw (rename may refuse with a
 * RenameError), none may take more than the budget, every range must lie in its file's current text,
 * and ranges that name an id must hold exactly that id.
 */
export async function exerciseAt(
    service: DocbookLanguageService, uri: string, text: string, offset: number, textOf: TextOf, stats: ExerciseStats,
): Promise<void> {
    const starts = computeLineStarts(text);
    const position = positionAt(starts, offset);
    const timed = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
        const started = performance.now();
        const result = await work();
        const ms = performance.now() - started;
        stats.requests++;
        if (ms > stats.slowestMs) { stats.slowestMs = ms; stats.slowest = `${name} at ${offset}`; }
        assert.ok(ms < REQUEST_BUDGET_MS, `${name} at offset ${offset} took ${ms.toFixed(0)} ms`);
        return result;
    };
    const file = uriToPath(uri);
    const entry = file ? indexBehind(service).get(file) : undefined;
    const here = entry ? locate(entry, offset) : undefined;
    const idHere = here?.kind === 'ref' ? here.ref.id : here?.kind === 'id' ? here.def.id : undefined;

    const completion = await timed('completion', () => service.completion(uri, position));
    for (const item of completion.items) {
        const edit = item.textEdit;
        if (edit && 'range' in edit) checkRange(edit.range, text, 'completion edit');
    }

    const links = await timed('definition', () => service.definition(uri, position));
    for (const l of links) {
        checkRange(l.targetSelectionRange, textOf(l.targetUri), 'definition target');
        checkRange(l.targetRange, textOf(l.targetUri), 'definition target element');
        if (l.originSelectionRange) checkRange(l.originSelectionRange, text, 'definition origin');
        const targetText = textOf(l.targetUri);
        if (here?.kind === 'ref' && targetText !== undefined) assert.strictEqual(sliceOf(targetText, l.targetSelectionRange), here.ref.id, 'definition lands exactly on the id');
    }

    const refs = await timed('references', () => service.references(uri, position, true));
    for (const r of refs) {
        const t = textOf(r.uri);
        checkRange(r.range, t, 'reference');
        if (idHere !== undefined && t !== undefined) assert.strictEqual(sliceOf(t, r.range), idHere, 'a reference range holds exactly the id');
    }

    const hover = await timed('hover', () => service.hover(uri, position));
    if (hover?.range) checkRange(hover.range, text, 'hover');

    try {
        const prepared = await timed('prepareRename', () => service.prepareRename(uri, position));
        checkRange(prepared.range, text, 'prepareRename');
        assert.strictEqual(sliceOf(text, prepared.range), prepared.placeholder);
        const edit = await timed('rename', () => service.rename(uri, position, 'fuzz_renamed'));
        for (const change of edit.documentChanges ?? []) {
            if (!('edits' in change)) continue;
            const t = textOf(change.textDocument.uri);
            for (const e of change.edits) {
                checkRange(e.range, t, 'rename edit');
                if (t !== undefined) assert.strictEqual(sliceOf(t, e.range), prepared.placeholder, 'a rename edit replaces exactly the old id');
            }
        }
    } catch (e) {
        if (!(e instanceof RenameError)) throw e;
        assert.ok(e.message.length > 0);
    }
}

/** Requests that concern the whole document or workspace, not a position. */
export async function exerciseDocument(service: DocbookLanguageService, uri: string, text: string, textOf: TextOf, stats: ExerciseStats): Promise<void> {
    const timed = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
        const started = performance.now();
        const result = await work();
        const ms = performance.now() - started;
        stats.requests++;
        if (ms > stats.slowestMs) { stats.slowestMs = ms; stats.slowest = name; }
        assert.ok(ms < REQUEST_BUDGET_MS, `${name} took ${ms.toFixed(0)} ms`);
        return result;
    };
    const symbols = await timed('documentSymbols', () => service.documentSymbols(uri));
    const stack = [...symbols];
    while (stack.length) {
        const s = stack.pop()!;
        checkRange(s.range, text, 'symbol');
        checkRange(s.selectionRange, text, 'symbol selection');
        stack.push(...(s.children ?? []));
    }
    const diagnostics = await timed('diagnostics', () => service.diagnostics(uri));
    for (const d of diagnostics) {
        checkRange(d.range, text, `diagnostic ${String(d.code)}`);
        for (const r of d.relatedInformation ?? []) checkRange(r.location.range, textOf(r.location.uri), 'related information');
    }
    const lineCount = computeLineStarts(text).length;
    const whole: LspRange = { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } };
    const actions = await timed('codeActions', () => service.codeActions(uri, whole, diagnostics));
    for (const a of actions) {
        for (const change of a.edit?.documentChanges ?? []) {
            if ('edits' in change) for (const e of change.edits) checkRange(e.range, textOf(change.textDocument.uri), 'code action edit');
        }
        for (const [u, edits] of Object.entries(a.edit?.changes ?? {})) for (const e of edits) checkRange(e.range, textOf(u), 'code action edit');
    }
    await timed('workspaceSymbols', () => service.workspaceSymbols('a'));
    const tree = await timed('bookTree', () => service.bookTree());
    // The view's lazy requests show the same tree: the books alone, then each book's. The full answer
    // shares one node budget among its books (a prefix of them when it runs out); each request has its own.
    const booksOnly = await timed('bookTree books only', () => service.bookTree({ books: 'only' }));
    assert.deepStrictEqual(booksOnly.slice(0, tree.length).map(({ childrenToFetch: _, ...n }) => n), tree.map((n) => ({ ...n, children: [] })), 'books-only answer vs full');
    if (tree.length) assert.deepStrictEqual(await timed('bookTree of a book', () => service.bookTree({ book: tree[0].uri })), [tree[0]], 'one book\'s tree vs full');
    await timed('includers', () => service.includers(uri));
}
