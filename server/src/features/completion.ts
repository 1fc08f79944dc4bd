// Completion where DocBook needs knowledge of the workspace: ids in linkend-like values, paths in
// xi:include/@href and imagedata/@fileref (one segment at a time), ids of the target file in
// xpointer, glossary terms in <glossterm> and glossterm/@baseform. Everything else (element and
// attribute names) is left to a generic XML extension, so the two never offer the same items.
//
// The context is read from the text before the cursor, not from the parse tree: while an author
// types, the tag around the cursor is usually not well-formed yet.

import * as path from 'path';
import { CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat, MarkupKind, Range } from 'vscode-languageserver-types';
import { LIST_REF_ATTRIBUTES, SINGLE_REF_ATTRIBUTES } from '../core/docbookModel';
import { offsetAt, Position, positionAt } from '../core/lineMap';
import { IdLocation, WorkspaceIndex } from '../index/workspaceIndex';
import { Workspace } from '../workspace';
import type { FeatureContext } from './context';

/** More candidates than this are filtered by the typed prefix on the server, and the list is marked incomplete. */
const MAX_ITEMS = 3000;

export type CompletionContext =
    | { kind: 'id'; prefix: string; replace: [number, number] }
    | { kind: 'path'; prefix: string; replace: [number, number]; attribute: 'href' | 'fileref'; textInclude: boolean }
    | { kind: 'xpointer'; prefix: string; replace: [number, number]; href: string | undefined; wrapped: boolean }
    | { kind: 'glossterm'; prefix: string; replace: [number, number] }
    | { kind: 'baseform'; prefix: string; replace: [number, number] };

/** Finds what kind of value the cursor is in. `offset` is an offset into `text`. */
export function completionContext(text: string, offset: number): CompletionContext | undefined {
    const lt = text.lastIndexOf('<', offset - 1);
    const gt = text.lastIndexOf('>', offset - 1);
    if (lt > gt) return attributeContext(text, lt, offset);
    if (gt < 0) return undefined;
    // In element content: directly inside <glossterm …>?
    const tagStart = text.lastIndexOf('<', gt);
    const m = /^<(?:[\w.-]+:)?glossterm(?=[\s>])/.exec(text.slice(tagStart, gt + 1));
    if (!m || text[gt - 1] === '/') return undefined;
    let end = text.indexOf('<', offset);
    if (end < 0) end = text.length;
    // Start after leading whitespace, so that the editor filters by the words typed.
    let start = gt + 1;
    while (start < offset && /\s/.test(text[start])) start++;
    return { kind: 'glossterm', prefix: text.slice(start, offset), replace: [start, end] };
}

function attributeContext(text: string, lt: number, offset: number): CompletionContext | undefined {
    const head = text.slice(lt, offset);
    const tag = /^<([\w.:-]+)/.exec(head);
    if (!tag) return undefined;
    // Skip the complete attributes, then see whether the cursor sits in an open value.
    const complete = /\s*[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*')/y;
    let i = tag[0].length;
    for (complete.lastIndex = i; complete.exec(head); complete.lastIndex = i) i = complete.lastIndex;
    const value = /^\s*([\w.:-]+)\s*=\s*(["'])([\s\S]*)$/.exec(head.slice(i));
    if (!value || value[3].includes(value[2])) return undefined;
    const attribute = value[1];
    const quote = value[2];
    const typed = value[3];
    const valueStart = offset - typed.length;
    let valueEnd = text.indexOf(quote, offset);
    const nextLt = text.indexOf('<', offset);
    if (valueEnd < 0 || (nextLt >= 0 && nextLt < valueEnd)) valueEnd = offset;
    const element = tag[1].replace(/^.*:/, '');
    if (SINGLE_REF_ATTRIBUTES.has(attribute)) {
        return { kind: 'id', prefix: typed.trim(), replace: [valueStart, valueEnd] };
    }
    if (LIST_REF_ATTRIBUTES.has(attribute)) {
        const wordStart = offset - (/\S*$/.exec(typed)?.[0].length ?? 0);
        const rest = /^\S*/.exec(text.slice(offset, valueEnd))?.[0].length ?? 0;
        return { kind: 'id', prefix: text.slice(wordStart, offset), replace: [wordStart, offset + rest] };
    }
    const tagText = wholeTag(text, lt);
    if (element === 'include' && attribute === 'href') {
        const segmentStart = valueStart + typed.lastIndexOf('/') + 1;
        const segmentEnd = segmentStart + (/^[^/"']*/.exec(text.slice(segmentStart, valueEnd))?.[0].length ?? 0);
        return { kind: 'path', prefix: typed, replace: [segmentStart, Math.min(segmentEnd, valueEnd)], attribute: 'href', textInclude: /\sparse\s*=\s*["']text["']/.test(tagText) };
    }
    if (attribute === 'fileref') {
        const segmentStart = valueStart + typed.lastIndexOf('/') + 1;
        const segmentEnd = segmentStart + (/^[^/"']*/.exec(text.slice(segmentStart, valueEnd))?.[0].length ?? 0);
        return { kind: 'path', prefix: typed, replace: [segmentStart, Math.min(segmentEnd, valueEnd)], attribute: 'fileref', textInclude: true };
    }
    if (element === 'include' && attribute === 'xpointer') {
        const href = /\shref\s*=\s*(["'])([^"']*)\1/.exec(tagText)?.[2];
        // Inside the quotes of @xml:id = '…' (the xpath()/xpointer() forms): complete just that id.
        const inner = /@(?:xml:)?id\s*=\s*(')([^']*)$/.exec(typed) ?? /\bid\(\s*(')([^']*)$/.exec(typed);
        if (inner) {
            const idStart = offset - inner[2].length;
            const idEnd = idStart + (/^[^']*/.exec(text.slice(idStart, valueEnd))?.[0].length ?? 0);
            return { kind: 'xpointer', prefix: inner[2], replace: [idStart, idEnd], href, wrapped: true };
        }
        return { kind: 'xpointer', prefix: typed, replace: [valueStart, valueEnd], href, wrapped: false };
    }
    if (element === 'glossterm' && attribute === 'baseform') {
        return { kind: 'baseform', prefix: typed, replace: [valueStart, valueEnd] };
    }
    return undefined;
}

/** The text of the tag starting at `lt`, up to its `>` (or a bounded stretch when unclosed). */
function wholeTag(text: string, lt: number): string {
    const gt = text.indexOf('>', lt);
    return text.slice(lt, gt < 0 ? Math.min(text.length, lt + 2000) : gt + 1);
}

/** `text` is the file's current text; `lineStarts` are the line starts of the index's model of it. */
export interface CompletionParams { file: string; text: string; position: Position; lineStarts: Uint32Array }

export async function provideCompletions({ index, workspace }: FeatureContext, { file, text, position, lineStarts }: CompletionParams): Promise<CompletionList> {
    const offset = offsetAt(lineStarts, position, text.length);
    const context = completionContext(text, offset);
    const empty: CompletionList = { isIncomplete: false, items: [] };
    if (!context) return empty;
    const range: Range = { start: positionAt(lineStarts, context.replace[0]), end: positionAt(lineStarts, context.replace[1]) };
    switch (context.kind) {
        case 'id': return idCompletions(index, file, context.prefix, range);
        case 'path': return pathCompletions(workspace, file, context, range);
        case 'xpointer': return xpointerCompletions(index, file, context, range);
        case 'glossterm': case 'baseform': return glossaryCompletions(index, file, range);
    }
}

function relative(from: string, to: string): string {
    return path.relative(path.dirname(from), to).split(path.sep).join('/');
}

function idCompletions(index: WorkspaceIndex, file: string, prefix: string, range: Range): CompletionList {
    let candidates = index.idsInScope(file);
    let isIncomplete = false;
    if (candidates.length > MAX_ITEMS) {
        const p = prefix.toLowerCase();
        candidates = candidates.filter((c) => c.def.id.toLowerCase().includes(p)).slice(0, MAX_ITEMS);
        isIncomplete = true;
    }
    // The innermost book (fewest files) is "this book"; a set that includes it comes after.
    const books = [...index.booksOf(file)].sort((a, b) => index.filesOfBook(a).size - index.filesOfBook(b).size);
    const ownBook = books[0];
    const seen = new Set<string>();
    const items: CompletionItem[] = [];
    for (const c of candidates) {
        const rank = c.file === file ? 0 : ownBook && index.isInBook(c.file, c.def.start, ownBook) ? 1 : 2;
        // One item per id name: duplicates are a diagnostic's business, not completion's.
        const key = c.def.id;
        if (seen.has(key)) continue;
        seen.add(key);
        items.push(idItem(c, file, rank, range));
    }
    return { isIncomplete, items };
}

function idItem(c: IdLocation, file: string, rank: number, range: Range): CompletionItem {
    const title = c.def.title;
    return {
        label: c.def.id,
        kind: CompletionItemKind.Reference,
        labelDetails: { description: title ? `${c.def.element}: ${title}` : c.def.element },
        detail: title ? `<${c.def.element}> ${title}` : `<${c.def.element}>`,
        documentation: { kind: MarkupKind.Markdown, value: `\`${relative(file, c.file) || path.basename(c.file)}\`` },
        sortText: `${rank}${c.def.id}`,
        filterText: c.def.id,
        textEdit: { range, newText: c.def.id },
    };
}

async function pathCompletions(workspace: Workspace, file: string, context: Extract<CompletionContext, { kind: 'path' }>, range: Range): Promise<CompletionList> {
    const typed = context.prefix;
    if (/^[a-z][a-z0-9+.-]*:/i.test(typed)) return { isIncomplete: false, items: [] }; // a URL: nothing local to list
    const dirPart = typed.slice(0, typed.lastIndexOf('/') + 1);
    const dir = path.resolve(path.dirname(file), dirPart || '.');
    const entries = await workspace.readDirectory(dir);
    const items: CompletionItem[] = [];
    for (const [name, type] of entries) {
        if (name.startsWith('.')) continue;
        if (type === 'directory') {
            items.push({
                label: name + '/',
                kind: CompletionItemKind.Folder,
                sortText: `0${name}`,
                textEdit: { range, newText: name + '/' },
                // Re-open the list in the folder just entered, like VS Code's own path completion.
                command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
            });
        } else if (context.textInclude || name.toLowerCase().endsWith('.xml')) {
            const full = path.join(dir, name);
            if (full === file) continue;
            items.push({ label: name, kind: CompletionItemKind.File, sortText: `1${name}`, textEdit: { range, newText: name } });
        }
    }
    if (!dirPart || dirPart.startsWith('../') || dirPart === './') {
        items.push({ label: '../', kind: CompletionItemKind.Folder, sortText: '2..', textEdit: { range, newText: '../' }, command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } });
    }
    return { isIncomplete: false, items };
}

function xpointerCompletions(index: WorkspaceIndex, file: string, context: Extract<CompletionContext, { kind: 'xpointer' }>, range: Range): CompletionList {
    const target = context.href === undefined || context.href === '' ? { kind: 'file' as const, path: file } : index.resolveHref(context.href, file);
    if (target.kind !== 'file') return { isIncomplete: false, items: [] };
    const entry = index.get(target.path);
    if (!entry) return { isIncomplete: false, items: [] };
    const items: CompletionItem[] = entry.model.ids.map((def, i) => ({
        label: def.id,
        kind: CompletionItemKind.Reference,
        labelDetails: { description: def.title ? `${def.element}: ${def.title}` : def.element },
        detail: `<${def.element}>${def.title ? ' ' + def.title : ''}`,
        sortText: String(i).padStart(6, '0'),
        textEdit: { range, newText: def.id },
    }));
    if (!context.wrapped && context.prefix === '') {
        // The form the OpenStack books use: the element's children without its title.
        for (const def of entry.model.ids) {
            if (!def.title) continue;
            items.push({
                label: `xpath(…'${def.id}'…/*[not(self::db:title)])`,
                kind: CompletionItemKind.Snippet,
                detail: `Children of <${def.element}> ${def.title}, without its title`,
                sortText: `z${def.id}`,
                filterText: def.id,
                insertTextFormat: InsertTextFormat.PlainText,
                textEdit: { range, newText: `xmlns(db=http://docbook.org/ns/docbook) xpath(//*[@xml:id = '${def.id}']/*[not(self::db:title)])` },
            });
        }
    }
    return { isIncomplete: false, items };
}

function glossaryCompletions(index: WorkspaceIndex, file: string, range: Range): CompletionList {
    const items: CompletionItem[] = [];
    const seen = new Set<string>();
    for (const g of index.glossaryInScope(file)) {
        if (seen.has(g.entry.term)) continue;
        seen.add(g.entry.term);
        items.push({
            label: g.entry.term,
            kind: CompletionItemKind.Text,
            detail: `Glossary: ${path.basename(g.file)}`,
            documentation: g.entry.definition ? { kind: MarkupKind.Markdown, value: g.entry.definition } : undefined,
            textEdit: { range, newText: g.entry.term },
        });
    }
    return { isIncomplete: false, items };
}
