// The structure of every book, in include order: book -> chapters -> sections by title, with
// includes expanded (xpointer regions honoured) and failed includes shown as marked leaves.
// At scale the whole answer is megabytes: a view asks for the books alone, then for each book it opens.

import * as path from 'path';
import { OutlineNode } from '../core/docbookModel';
import { DEFAULT_TITLES } from '../core/gentext';
import { pathToUri, rangeOf, uriToPath } from '../core/uri';
import { inRegion, Region, WorkspaceIndex } from '../index/workspaceIndex';
import type { BookNode, BookTreeParams } from '../api';
import type { FeatureContext } from './context';

/** The file name a URL ends in, else the URL. */
function urlFileName(url: string): string {
    try {
        return path.posix.basename(new URL(url).pathname) || url;
    } catch {
        return url;
    }
}

const MAX_NODES = 20_000;
/** Levels of the tree (outlines and includes nest): a deeper answer overflows JSON.stringify. */
const MAX_DEPTH = 64;
/** Includes followed through files without outline of their own (each a call deeper, no level deeper). */
const MAX_INCLUDE_DEPTH = 256;

export function provideBookTree({ index }: FeatureContext, params: BookTreeParams = {}): BookNode[] {
    const budget = { left: MAX_NODES };
    // A book included by another book (a set) is shown inside it, and also on its own for quick access.
    const books = index.books().filter((b) => index.get(b)?.folder).sort();
    const bookNode = (b: string): BookNode | undefined => fileNodes(index, b, 'all', [b], budget, 0)[0];
    if (params.book !== undefined) {
        const file = uriToPath(params.book);
        const node = file !== undefined && books.includes(file) ? bookNode(file) : undefined;
        return node ? [node] : [];
    }
    if (params.books === 'only') {
        const holding = params.holding !== undefined ? uriToPath(params.holding) : undefined;
        if (params.holding !== undefined && holding === undefined) return [];
        const holders = holding !== undefined ? index.booksOf(holding) : undefined;
        return books
            .filter((b) => !holders || b === holding || holders.has(b))
            .map((b) => bookRoot(index, b)).filter((n): n is BookNode => !!n);
    }
    return books.map(bookNode).filter((n): n is BookNode => !!n);
}

/** A book's node as in the full tree, without its children: whether it has any is told, not built. */
function bookRoot(index: WorkspaceIndex, book: string): BookNode | undefined {
    const entry = index.get(book);
    const root = entry?.model.outline[0];
    if (!entry || !root) return undefined;
    const includes = entry.model.includes.some((inc, i) => inc.parse === 'xml' && inc.start >= root.start && inc.start < root.end && index.isIncludeActive(entry, i));
    return { ...outlineNode(root, pathToUri(book), entry.model.lineStarts, []), childrenToFetch: root.children.length > 0 || includes };
}

function outlineNode(n: OutlineNode, uri: string, lineStarts: Uint32Array, children: BookNode[]): BookNode {
    return { label: n.title || DEFAULT_TITLES[n.element] || `<${n.element}>`, element: n.element, uri, id: n.id, range: rangeOf(lineStarts, n.selection.start, n.selection.end), children };
}

function fileNodes(index: WorkspaceIndex, file: string, region: Region, stack: string[], budget: { left: number }, depth: number): BookNode[] {
    const entry = index.get(file);
    if (!entry) return [];
    const ls = entry.model.lineStarts;
    const uri = pathToUri(file);
    const includes = entry.model.includes
        .map((inc, i) => ({ inc, i }))
        .filter(({ inc, i }) => inc.parse === 'xml' && inRegion(region, inc.start) && index.isIncludeActive(entry, i));

    const expandInclude = (i: number, depth: number): BookNode[] => {
        const inc = entry.model.includes[i];
        const status = index.includeStatus(entry, i);
        if (status.kind === 'ok' && stack.includes(status.path) && !(status.path === file && inc.pointer)) {
            return [leaf(`${inc.href} (include cycle)`, 'cycle')];
        }
        if (status.kind === 'remote') return [{ ...leaf(urlFileName(status.url), 'remote'), url: status.url }];
        if (status.kind !== 'ok') return [leaf(status.kind === 'invalid' ? inc.href : path.basename(status.path), status.kind)];
        if (stack.length >= MAX_INCLUDE_DEPTH) return [];
        const target = index.get(status.path)!;
        let targetRegion: Region = 'all';
        if (inc.pointer) {
            const def = target.model.ids.find((d) => d.id === inc.pointer!.id)!;
            targetRegion = inc.pointer.mode === 'children' ? [{ start: def.afterTitle, end: def.contentEnd }] : [{ start: def.elementStart, end: def.elementEnd }];
        }
        return fileNodes(index, status.path, targetRegion, [...stack, status.path], budget, depth);
    };
    const leaf = (label: string, problem: BookNode['problem']): BookNode => {
        const inc = includes[0]?.inc;
        return { label, element: 'include', uri, range: rangeOf(ls, inc?.start ?? 0, inc?.start ?? 0), problem, children: [] };
    };

    const build = (nodes: OutlineNode[], from: number, to: number, depth: number): BookNode[] => {
        const items: { offset: number; nodes: BookNode[] }[] = [];
        if (depth >= MAX_DEPTH) return [];
        for (const n of nodes) {
            if (budget.left-- <= 0) break;
            if (inRegion(region, n.start)) {
                items.push({ offset: n.start, nodes: [outlineNode(n, uri, ls, build(n.children, n.start, n.end, depth + 1))] });
            } else if (region !== 'all' && region.some((s) => s.start < n.end && s.end > n.start)) {
                // The region lies inside this node (xpointer to its children): take what is inside.
                items.push({ offset: n.start, nodes: build(n.children, n.start, n.end, depth) });
            }
        }
        for (const { inc, i } of includes) {
            if (inc.start < from || inc.start >= to) continue;
            if (nodes.some((n) => inc.start >= n.start && inc.start < n.end)) continue; // belongs to a child node
            const expanded = expandInclude(i, depth).map((n) => (n.problem ? { ...n, range: rangeOf(ls, inc.start, inc.start) } : n));
            items.push({ offset: inc.start, nodes: expanded });
        }
        return items.sort((a, b) => a.offset - b.offset).flatMap((x) => x.nodes);
    };
    return build(entry.model.outline, 0, Number.MAX_SAFE_INTEGER, depth);
}
