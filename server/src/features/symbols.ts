// Document symbols: the chapter/section/… tree by titles. Workspace symbols: ids and titles.

import * as path from 'path';
import { DocumentSymbol, SymbolInformation, SymbolKind } from 'vscode-languageserver-types';
import { OutlineNode } from '../core/docbookModel';
import { pathToUri, rangeOf } from '../core/uri';
import { IndexedFile } from '../index/workspaceIndex';
import type { CancellationToken, FeatureContext } from './context';

const MAX_WORKSPACE_SYMBOLS = 1000;

export function symbolKindOf(element: string): SymbolKind {
    switch (element) {
        case 'set': case 'book': return SymbolKind.Package;
        case 'part': case 'chapter': case 'appendix': case 'preface': case 'article': case 'reference': return SymbolKind.Module;
        case 'figure': case 'table': case 'example': case 'equation': case 'sidebar': return SymbolKind.Object;
        case 'procedure': return SymbolKind.Function;
        case 'glossary': case 'bibliography': case 'index': case 'qandaset': case 'qandadiv': return SymbolKind.Array;
        default: return SymbolKind.Namespace;
    }
}

export function provideDocumentSymbols(_ctx: FeatureContext, { entry }: { entry: IndexedFile }): DocumentSymbol[] {
    const ls = entry.model.lineStarts;
    const convert = (n: OutlineNode): DocumentSymbol => {
        const range = rangeOf(ls, n.start, Math.max(n.end, n.start));
        const selectionRange = rangeOf(ls, n.selection.start, n.selection.end);
        return {
            name: n.title || `<${n.element}>`,
            detail: n.id ? `${n.element} #${n.id}` : n.element,
            kind: symbolKindOf(n.element),
            range,
            selectionRange,
            children: n.children.map(convert),
        };
    };
    return entry.model.outline.map(convert);
}

/** Case-insensitive subsequence match, as VS Code filters symbols. */
function matches(query: string, text: string): boolean {
    if (!query) return true;
    const q = query.toLowerCase();
    const t = text.toLowerCase();
    let j = 0;
    for (let i = 0; i < t.length && j < q.length; i++) if (t[i] === q[j]) j++;
    return j === q.length;
}

export function provideWorkspaceSymbols({ index }: FeatureContext, { query }: { query: string }, token?: CancellationToken): SymbolInformation[] {
    const out: SymbolInformation[] = [];
    for (const entry of index.allFiles()) {
        if (token?.isCancellationRequested) break;
        if (!entry.folder) continue;
        const ls = entry.model.lineStarts;
        for (const def of entry.model.ids) {
            const label = def.title ? `${def.id} — ${def.title}` : def.id;
            if (!matches(query, label)) continue;
            out.push({
                name: label,
                kind: symbolKindOf(def.element),
                location: { uri: pathToUri(entry.path), range: rangeOf(ls, def.start, def.end) },
                containerName: path.basename(entry.path),
            });
            if (out.length >= MAX_WORKSPACE_SYMBOLS) return out;
        }
    }
    return out;
}
