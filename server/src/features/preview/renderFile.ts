// One render: load the file and its book, number the book, walk the file.

import * as path from 'path';
import type { CancellationToken } from '../../api';
import { PROFILING_ATTRIBUTES, titleOf } from '../../core/docbookModel';
import { Assembler } from './assembler';
import { escapeHtml } from './html';
import { PreviewLookup } from './lookup';
import { numberDocument } from './numbering';
import { Renderer } from './render/core';
import { ELEMENT_RENDERERS } from './render/registry';
import { PICKER_PROFILING_ATTRIBUTES, PreviewOptions, PreviewResult } from './result';
import { Snapshot } from './snapshot';

/** A file as HTML, assembled and numbered in the context of a book that includes it. */
export async function renderWithLookup(lookup: PreviewLookup, file: string, options: PreviewOptions = {}, token?: CancellationToken): Promise<PreviewResult> {
    file = path.resolve(file);
    const books = lookup.booksOf(file);
    const wanted = options.book !== undefined ? path.resolve(options.book) : undefined;
    const book = wanted !== undefined && books.includes(wanted) ? wanted : books[0];
    const snapshot = new Snapshot(lookup);
    await snapshot.loadTree(file, token);
    if (book && book !== file) await snapshot.loadTree(book, token);
    if (token?.isCancellationRequested) return { html: '', title: path.basename(file), books, book, profileValues: {}, sourceMap: { files: [] }, resources: [] };
    const pf = snapshot.files.get(file) ?? undefined;
    const ordered = book ? [book, ...books.filter((b) => b !== book)] : books;
    if (!pf) {
        return {
            html: `<div class="docbook-preview"><div class="dbp-problem">${escapeHtml(`Cannot read ${file}`)}</div></div>`,
            title: path.basename(file), books: ordered, book, profileValues: profileValuesOf(lookup, snapshot), sourceMap: { files: [file] }, resources: [],
        };
    }
    const contextPf = book ? snapshot.files.get(book) ?? pf : pf;
    const numbering = numberDocument(new Assembler(snapshot, options.profile), contextPf);
    const renderer = new Renderer(lookup, new Assembler(snapshot, options.profile), snapshot, numbering, ELEMENT_RENDERERS, options.resourceUri);
    const html = renderer.renderDocument(pf);
    snapshot.evictStale();
    const title = (pf.doc.root && titleOf(pf.doc.root, pf.text, pf.entities)) || path.basename(file);
    return {
        html, title, books: ordered, book, profileValues: profileValuesOf(lookup, snapshot),
        sourceMap: { files: renderer.files }, resources: [...renderer.resources],
    };
}

/** Profiling values used by the files this preview assembled (the book's files when in a book), read from the index models. */
function profileValuesOf(lookup: PreviewLookup, snapshot: Snapshot): Record<string, string[]> {
    const values: Record<string, Set<string>> = {};
    for (const a of PICKER_PROFILING_ATTRIBUTES) values[a] = new Set();
    for (const [file, pf] of snapshot.files) {
        if (!pf) continue;
        for (const use of lookup.profilingOf(file)) {
            if (!PROFILING_ATTRIBUTES.has(use.attribute)) continue;
            (values[use.attribute] ??= new Set());
            for (const v of use.values) values[use.attribute].add(v);
        }
    }
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [...v].sort()]));
}
