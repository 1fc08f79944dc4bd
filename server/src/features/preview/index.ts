// Live preview: a DocBook file as an HTML fragment, assembled as the build assembles it (XIncludes
// expanded with their xpointers, entities resolved, profiled per distribution) and numbered in the
// context of the book that includes it. This module is the preview's only import surface; it adapts
// the workspace index to the narrow PreviewLookup the renderer depends on.
//
// Layout: snapshot.ts (files of one render, parse cache) -> assembler.ts (includes, xpointer,
// profiling) -> numbering.ts (labels, ids) -> render/ (core walk and combinators, element renderers
// by family, registry.ts) ; gentext.ts holds docbook-xsl's tables, page.ts and style.ts the page.

import { positionAt } from '../../core/lineMap';
import { glossEntriesFor } from '../../core/glossary';
import { WorkspaceIndex } from '../../index/workspaceIndex';
import { diskReadProblem } from '../../workspace';
import type { CancellationToken, FeatureContext } from '../context';
import { PreviewLookup } from './lookup';
import { renderWithLookup } from './renderFile';
import { PreviewOptions, PreviewResult } from './result';

export { PICKER_PROFILING_ATTRIBUTES, PreviewOptions, PreviewResult, PreviewSourceMap } from './result';
export { escapeHtml, safeHref } from './html';
export { renderStandalonePage } from './page';
export { PREVIEW_STYLE } from './style';
export { PreviewLookup } from './lookup';
export { renderWithLookup } from './renderFile';

export interface FilePreviewParams extends PreviewOptions { file: string }

export async function providePreview({ index }: FeatureContext, { file, ...options }: FilePreviewParams, token?: CancellationToken): Promise<PreviewResult> {
    return renderWithLookup(lookupOf(index), file, options, token);
}

const lookups = new WeakMap<WorkspaceIndex, PreviewLookup>();

/** One lookup per index: the preview's parse cache is kept per lookup. */
function lookupOf(index: WorkspaceIndex): PreviewLookup {
    let lookup = lookups.get(index);
    if (!lookup) {
        lookup = adaptIndex(index);
        lookups.set(index, lookup);
    }
    return lookup;
}

/** The index as the preview sees it. */
export function adaptIndex(index: WorkspaceIndex): PreviewLookup {
    return {
        get resolutionKey() { return index.currentSettings; },
        indexed: (file) => index.get(file),
        readText: async (file) => {
            // Read as the index reads: never outside the workspace boundary, over the size limit, or a device.
            const read = await index.readXml(file);
            if (read.kind === 'text') return { text: read.text };
            if (read.kind !== 'unreadable') return { unreadable: read.reason };
            const problem = diskReadProblem(file, index.currentSettings.maxFileSize); // a device, or missing
            return problem ? { unreadable: problem } : undefined;
        },
        resolveHref: (href, fromFile, xmlBase) => index.resolveHref(href, fromFile, xmlBase),
        exists: (file) => index.exists(file),
        existsOnDisk: (file) => index.existsOnDisk(file),
        booksOf: (file) => orderBooks(index, file),
        titleOfId: (file, id) => index.resolveId(file, id)[0]?.def.title,
        glossEntry: (file, text, baseform) => {
            const entry = glossEntriesFor(text, baseform, (term) => index.glossEntriesInScope(file, term))[0];
            if (!entry) return undefined;
            const model = index.get(entry.file)?.model;
            return { file: entry.file, definition: entry.entry.definition, line: model ? positionAt(model.lineStarts, entry.entry.entryStart).line : undefined };
        },
        profilingOf: (file) => index.get(file)?.model.profiling ?? [],
    };
}

/** Books that include the file, the most specific first: the file itself if it is a book, books before sets, smaller first. */
function orderBooks(index: WorkspaceIndex, file: string): string[] {
    const books = [...index.booksOf(file)];
    const rank = (b: string): [number, number, number, string] => [
        b === file ? 0 : 1,
        index.get(b)?.model.rootElement === 'set' ? 1 : 0,
        index.filesOfBook(b).size,
        b,
    ];
    return books.sort((a, b) => {
        const ra = rank(a);
        const rb = rank(b);
        for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] < rb[i] ? -1 : 1;
        return 0;
    });
}
