// The DocBook language service: everything the editor asks, answered from the workspace index.
// It knows nothing of LSP connections or VS Code: it takes URIs and positions and returns
// vscode-languageserver-types values, so tests drive it on in-memory files and the LSP adapter
// (lsp/server.ts) stays a thin translation layer.

import { CodeAction, CompletionList, Diagnostic, DocumentSymbol, Hover, Location, LocationLink, Position, Range, SymbolInformation, WorkspaceEdit } from 'vscode-languageserver-types';
import * as path from 'path';
import { pathToUri, rangeOf, uriToPath } from './core/uri';
import { BookNode, getBookTree } from './features/bookTree';
import type { Includer, PreviewParams, PreviewResponse } from './lsp/protocol';
import { renderPreview } from './features/preview';
import { getCompletions } from './features/completion';
import { getDefinition } from './features/definition';
import { computeCodeActions } from './features/codeActions';
import { computeDiagnostics, diagnosticsWantText, includeChainDependents } from './features/diagnostics';
import { getHover } from './features/hover';
import { offsetOf } from './features/locate';
import { getReferences } from './features/references';
import { prepareRename, rename } from './features/rename';
import { getDocumentSymbols, getWorkspaceSymbols } from './features/symbols';
import { IndexedFile, WorkspaceIndex } from './index/workspaceIndex';
import { DocbookSettings, defaultSettings } from './settings';
import { Workspace } from './workspace';

export type FileChange = { uri: string; type: 'created' | 'changed' | 'deleted' };

export interface IndexStats { files: number; books: number; ids: number }

export class DocbookLanguageService {
    readonly index: WorkspaceIndex;

    constructor(readonly workspace: Workspace, settings: DocbookSettings = defaultSettings()) {
        this.index = new WorkspaceIndex(workspace, settings);
    }

    // ---- workspace lifecycle: each returns the URIs whose diagnostics may have changed ----------

    async initialize(folders: string[], settings: DocbookSettings, progress?: (done: number, total: number) => void): Promise<string[]> {
        await this.index.configure(settings);
        const affected = new Set<string>();
        for (const folder of folders) for (const f of await this.index.addFolder(folder, progress)) affected.add(f);
        return this.uris(affected);
    }

    async configure(settings: DocbookSettings, progress?: (done: number, total: number) => void): Promise<string[]> {
        await this.index.configure(settings);
        return this.uris(await this.index.reindexAll(progress));
    }

    async addFolder(folder: string, progress?: (done: number, total: number) => void): Promise<string[]> {
        return this.uris(await this.index.addFolder(folder, progress));
    }

    async removeFolder(folder: string): Promise<string[]> {
        return this.uris(await this.index.removeFolder(folder));
    }

    async openDocument(uri: string, text: string, version: number): Promise<string[]> {
        const file = uriToPath(uri);
        return file ? this.uris(this.withIncluders(file, await this.index.setOpenDocument(file, text, version))) : [];
    }

    changeDocument(uri: string, text: string, version: number): Promise<string[]> {
        return this.openDocument(uri, text, version);
    }

    async closeDocument(uri: string): Promise<string[]> {
        const file = uriToPath(uri);
        return file ? this.uris(await this.index.closeDocument(file)) : [];
    }

    async filesChanged(changes: FileChange[]): Promise<string[]> {
        const affected = new Set<string>();
        for (const c of changes) {
            const file = uriToPath(c.uri);
            if (!file) continue;
            const result = c.type === 'deleted' ? await this.index.fileDeletedOnDisk(file) : await this.index.fileChangedOnDisk(file);
            for (const a of this.withIncluders(file, result)) affected.add(a);
        }
        return this.uris(affected);
    }

    stats(): IndexStats {
        return { files: this.index.fileCount, books: this.index.books().length, ids: this.index.idCount };
    }

    // ---- features --------------------------------------------------------------------------------

    async completion(uri: string, position: Position): Promise<CompletionList> {
        const entry = this.entry(uri);
        if (!entry) return { isIncomplete: false, items: [] };
        const text = await this.index.readText(entry.path);
        if (text === undefined) return { isIncomplete: false, items: [] };
        return getCompletions(this.index, this.workspace, entry.path, text, position, entry.model.lineStarts);
    }

    definition(uri: string, position: Position): LocationLink[] {
        const entry = this.entry(uri);
        return entry ? getDefinition(this.index, entry, offsetOf(entry, position)) : [];
    }

    references(uri: string, position: Position, includeDeclaration: boolean): Location[] {
        const entry = this.entry(uri);
        return entry ? getReferences(this.index, entry, offsetOf(entry, position), includeDeclaration) : [];
    }

    /** Throws RenameError with a message for the user when the position cannot be renamed. */
    prepareRename(uri: string, position: Position): { range: Range; placeholder: string } {
        const entry = this.requireEntry(uri);
        return prepareRename(this.index, entry, offsetOf(entry, position));
    }

    rename(uri: string, position: Position, newName: string): Promise<WorkspaceEdit> {
        const entry = this.requireEntry(uri);
        return rename(this.index, entry, offsetOf(entry, position), newName);
    }

    hover(uri: string, position: Position): Hover | undefined {
        const entry = this.entry(uri);
        return entry ? getHover(this.index, entry, offsetOf(entry, position)) : undefined;
    }

    documentSymbols(uri: string): DocumentSymbol[] {
        const entry = this.entry(uri);
        return entry ? getDocumentSymbols(entry) : [];
    }

    workspaceSymbols(query: string): SymbolInformation[] {
        return getWorkspaceSymbols(this.index, query);
    }

    bookTree(): BookNode[] {
        return getBookTree(this.index);
    }

    /** The xi:include elements that pull this file in, for "go to including file". */
    includers(uri: string): Includer[] {
        const file = uriToPath(uri);
        if (!file) return [];
        const out: Includer[] = [];
        for (const inc of this.index.includersOf(file)) {
            const entry = this.index.get(inc);
            if (!entry) continue;
            const books = [...this.index.booksOf(inc)].map((b) => this.index.get(b)?.model.title ?? path.basename(b));
            for (const i of this.index.includesOf(inc, file)) {
                const el = entry.model.includes[i];
                out.push({ uri: pathToUri(inc), range: rangeOf(entry.model.lineStarts, el.start, el.end), label: path.relative(path.dirname(file), inc) || path.basename(inc), books });
            }
        }
        return out;
    }

    /** Problems of one file of the workspace ([] for files outside every workspace folder). */
    async diagnostics(uri: string): Promise<Diagnostic[]> {
        const file = uriToPath(uri);
        if (!file) return [];
        const text = diagnosticsWantText(this.index, file) ? await this.index.readText(file) : undefined;
        return computeDiagnostics(this.index, file, text);
    }

    /** The chapter or book at `params.uri` as safe HTML, in its book's context. */
    async preview(params: PreviewParams): Promise<PreviewResponse> {
        const file = uriToPath(params.uri);
        if (!file || !this.index.get(file)) throw new Error(`${params.uri} is not an indexed DocBook file`);
        const prefix = params.resourcePrefix;
        const result = await renderPreview(this.index, file, {
            profile: params.profile,
            book: params.book ? uriToPath(params.book) : undefined,
            // Webview resource URIs keep the file path: prefix + the path, each segment encoded.
            resourceUri: prefix ? (p) => prefix + p.split(path.sep).map(encodeURIComponent).join('/') : undefined,
        });
        return {
            html: result.html,
            title: result.title,
            books: result.books.map((b) => ({ uri: pathToUri(b), title: this.index.get(b)?.model.title ?? path.basename(b) })),
            profileValues: result.profileValues,
            files: result.sourceMap.files.map(pathToUri),
        };
    }

    codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
        const file = uriToPath(uri);
        return file ? computeCodeActions(this.index, file, range, diagnostics) : Promise.resolve([]);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private entry(uri: string): IndexedFile | undefined {
        const file = uriToPath(uri);
        return file ? this.index.get(file) : undefined;
    }

    private requireEntry(uri: string): IndexedFile {
        const entry = this.entry(uri);
        if (!entry) throw new Error(`${uri} is not an indexed DocBook file`);
        return entry;
    }

    /** An include cycle through `file` is reported on every file of the chain, not only direct includers. */
    private withIncluders(file: string, affected: Set<string>): Set<string> {
        for (const f of includeChainDependents(this.index, file)) affected.add(f);
        return affected;
    }

    private uris(files: Set<string>): string[] {
        return [...files].map(pathToUri);
    }
}
