// The DocBook language service: everything the editor asks, answered from the workspace index.
// It knows nothing of LSP connections or VS Code: it takes URIs and positions and returns
// vscode-languageserver-types values, so tests drive it on in-memory files and the LSP adapter
// (lsp/server.ts) stays a thin translation layer.

import { CodeAction, CompletionList, Diagnostic, DocumentSymbol, Hover, Location, LocationLink, Position, Range, SymbolInformation, WorkspaceEdit } from 'vscode-languageserver-types';
import * as path from 'path';
import type { BookNode, BookTreeParams, CancellationToken, FileChange, FileDiagnostics, FileInfo, Includer, IndexStats, OutsideLink, PreviewParams, PreviewResponse, RenameRange, XmlRead } from './api';
import { pathToUri, rangeOf, uriToPath } from './core/uri';
import { provideBookTree } from './features/bookTree';
import { provideCodeActions } from './features/codeActions';
import { DOCBOOK_NS } from './core/docbookModel';
import { builtinSchemaInTurns } from './schema/grammar';
import { provideCompletions } from './features/completion';
import type { FeatureContext } from './features/context';
import { provideDefinition } from './features/definition';
import { diagnosticsWantText, includeChainDependents, provideDiagnostics } from './features/diagnostics';
import { provideHover } from './features/hover';
import { offsetOf } from './features/locate';
import { PreviewOptions, PreviewResult, providePreview, renderStandalonePage } from './features/preview';
import { provideReferences } from './features/references';
import { provideRenameEdits, provideRenameRange } from './features/rename';
import { provideDocumentSymbols, provideWorkspaceSymbols } from './features/symbols';
import type { ModelCacheStats } from './index/modelCache';
import { FolderListing, IndexedFile, inRegion, Region, WorkspaceIndex } from './index/workspaceIndex';
import { DocbookSettings, defaultSettings } from './settings';
import { Workspace } from './workspace';

export type * from './api';

export class DocbookLanguageService {
    private readonly index: WorkspaceIndex;
    private readonly ctx: FeatureContext;

    constructor(readonly workspace: Workspace, settings: DocbookSettings = defaultSettings()) {
        this.index = new WorkspaceIndex(workspace, settings);
        this.ctx = { index: this.index, workspace };
    }

    /** Keeps file models between runs in this folder (the persistent index cache); undefined: off. Call before initialize. */
    useCache(dir: string | undefined): void {
        this.index.useCache(dir);
    }

    /** One-shot commands over a bounded set of files: read and parse each file once (WorkspaceIndex.keepDiskTexts). Call before initialize. */
    keepDiskTexts(): void {
        this.index.keepDiskTexts();
    }

    /** Hits and misses of the persistent cache, and why it was ignored if it was. */
    get cacheStats(): ModelCacheStats | undefined { return this.index.cacheStats; }

    /** Writes the persistent cache if models were built since it was read (after the answer is out). */
    saveCache(): void {
        this.index.saveCache();
    }

    /** saveCache in steps, with `pause` between them (a turn of the event loop by default), for a process that keeps serving. */
    saveCacheInSteps(pause?: () => Promise<void>): Promise<void> {
        return this.index.saveCacheInSteps(pause);
    }

    // ---- workspace lifecycle: each returns the URIs whose diagnostics may have changed ----------

    async initialize(folders: string[], settings: DocbookSettings, progress?: (done: number, total: number) => void): Promise<string[]> {
        await this.index.configure(settings, folders[0]);
        const affected = new Set<string>();
        for (const folder of folders) for (const f of await this.index.addFolder(folder, progress)) affected.add(f);
        return this.uris(affected);
    }

    /**
     * Reads the DocBook schema (~70 ms, in steps between which requests are answered) if the workspace
     * has DocBook 5 files, so that the first keystroke does not wait for it. The server calls it once
     * the index is ready, not before: the cached schema problems need no schema, and "ready" should
     * not wait for what may not be used.
     */
    preloadSchema(): void {
        if (this.settings.diagnostics.schema === false) return;
        if ([...this.index.allFiles()].some((f) => f.model.rootNamespace === DOCBOOK_NS)) void builtinSchemaInTurns();
    }

    async configure(settings: DocbookSettings, progress?: (done: number, total: number) => void): Promise<string[]> {
        await this.index.configure(settings);
        return this.uris(await this.index.reindexAll(progress));
    }

    async addFolder(folder: string, progress?: (done: number, total: number) => void): Promise<string[]> {
        return this.uris(await this.index.addFolder(folder, progress));
    }

    /** Adds `folder` as a workspace folder but indexes only `files` and what they include (and their books' glossaries). */
    /** The *.xml files the last walk of a workspace folder found (unreadable ones are not indexed) and the folders it could not read. */
    folderListing(folder: string): FolderListing | undefined {
        return this.index.folderListing(folder);
    }

    async addClosure(folder: string, files: string[]): Promise<string[]> {
        return this.uris(await this.index.addClosure(folder, files));
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

    // ---- queries on the index --------------------------------------------------------------------

    /** The settings in force (the last ones given to initialize or configure). */
    get settings(): DocbookSettings {
        return this.index.currentSettings;
    }

    /** Problems with the settings (unreadable catalogs), to show the user once. */
    get configurationErrors(): readonly string[] {
        return this.index.configurationErrors;
    }

    /** What the index knows of a file; undefined when it does not hold it. */
    fileInfo(uri: string): FileInfo | undefined {
        const entry = this.entry(uri);
        if (!entry) return undefined;
        const m = entry.model;
        return {
            uri, inWorkspace: entry.folder !== undefined, version: entry.version, open: entry.openText !== undefined,
            readError: entry.readError, rootElement: m.rootElement, isDocbook: m.isDocbook, isBook: m.isBook,
        };
    }

    /** Whether the settings (or a folder like .git) leave a file or folder of the workspace out. */
    isExcluded(uri: string): boolean {
        const file = uriToPath(uri);
        return !!file && this.index.isExcluded(file);
    }

    /** Indexed files inside the workspace folders (not those only reached by an include). */
    workspaceFiles(): string[] {
        const out: string[] = [];
        for (const f of this.index.allFiles()) if (f.folder !== undefined) out.push(pathToUri(f.path));
        return out;
    }

    /**
     * A file's text as the index reads it (the editor's when open), or why it is not read: outside
     * the workspace folders and docbook.allowedRoots, a device or fifo, over the size limit, not text.
     */
    readXml(uri: string): Promise<XmlRead> {
        const file = uriToPath(uri);
        return file ? this.index.readXml(file) : Promise.resolve({ kind: 'unreadable', reason: `${uri} is not a file URI` });
    }

    /** Links (folders or files) inside the workspace folders that lead outside them: not followed. */
    outsideLinks(): OutsideLink[] {
        return [...this.index.outsideLinks()].map(([link, target]) => ({ uri: pathToUri(link), target }));
    }

    /** The books and sets that include a file, or are it. */
    booksOf(uri: string): string[] {
        const file = uriToPath(uri);
        return file ? [...this.index.booksOf(file)].map(pathToUri) : [];
    }

    /** The files that include a file, show it as an image or load it as an entity file. */
    usersOf(uri: string): string[] {
        const file = uriToPath(uri);
        return file ? [...this.index.usersOf(file)].map(pathToUri) : [];
    }

    /** The files a book takes, whole or in part. */
    filesOfBook(uri: string): string[] {
        const file = uriToPath(uri);
        return file ? [...this.index.filesOfBook(file).keys()].map(pathToUri) : [];
    }

    // ---- features --------------------------------------------------------------------------------

    /** `triggerCharacter`: the character whose typing asked, if one did (LSP's completion context). */
    async completion(uri: string, position: Position, triggerCharacter?: string): Promise<CompletionList> {
        const entry = this.entry(uri);
        if (!entry) return { isIncomplete: false, items: [] };
        const text = await this.index.readText(entry.path);
        if (text === undefined) return { isIncomplete: false, items: [] };
        return provideCompletions(this.ctx, { file: entry.path, text, position, lineStarts: entry.model.lineStarts, triggerCharacter });
    }

    definition(uri: string, position: Position): LocationLink[] {
        const entry = this.entry(uri);
        return entry ? provideDefinition(this.ctx, { entry, offset: offsetOf(entry, position) }) : [];
    }

    references(uri: string, position: Position, includeDeclaration: boolean, token?: CancellationToken): Location[] {
        const entry = this.entry(uri);
        return entry ? provideReferences(this.ctx, { entry, offset: offsetOf(entry, position), includeDeclaration }, token) : [];
    }

    /** Throws RenameError with a message for the user when the position cannot be renamed. */
    prepareRename(uri: string, position: Position): RenameRange {
        const entry = this.requireEntry(uri);
        return provideRenameRange(this.ctx, { entry, offset: offsetOf(entry, position) });
    }

    /** A cancelled rename edits nothing. */
    rename(uri: string, position: Position, newName: string, token?: CancellationToken): Promise<WorkspaceEdit> {
        const entry = this.requireEntry(uri);
        return provideRenameEdits(this.ctx, { entry, offset: offsetOf(entry, position), newName }, token);
    }

    hover(uri: string, position: Position): Hover | undefined {
        const entry = this.entry(uri);
        return entry ? provideHover(this.ctx, { entry, offset: offsetOf(entry, position) }) : undefined;
    }

    documentSymbols(uri: string): DocumentSymbol[] {
        const entry = this.entry(uri);
        return entry ? provideDocumentSymbols(this.ctx, { entry }) : [];
    }

    workspaceSymbols(query: string, token?: CancellationToken): SymbolInformation[] {
        return provideWorkspaceSymbols(this.ctx, { query }, token);
    }

    /** The book view's tree: every book's, the books alone, or one book's (see BookTreeParams). */
    bookTree(params?: BookTreeParams): BookNode[] {
        return provideBookTree(this.ctx, params);
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
                out.push({
                    uri: pathToUri(inc),
                    range: rangeOf(entry.model.lineStarts, el.start, el.end),
                    label: path.relative(path.dirname(file), inc) || path.basename(inc),
                    books,
                });
            }
        }
        return out;
    }

    /** Problems of one file of the workspace ([] for files outside every workspace folder). */
    async diagnostics(uri: string): Promise<Diagnostic[]> {
        const file = uriToPath(uri);
        return file ? this.diagnosticsOfFile(file) : [];
    }

    /**
     * Problems of many files, in their order. With `book`, only those in the part of each file the
     * book takes (problems of the whole file, such as well-formedness, always).
     */
    async diagnosticsOfFiles(uris: readonly string[], options: { book?: string } = {}, token?: CancellationToken): Promise<FileDiagnostics[]> {
        const book = options.book !== undefined ? uriToPath(options.book) : undefined;
        const regions = book !== undefined ? this.index.filesOfBook(book) : undefined;
        const out: FileDiagnostics[] = [];
        for (const uri of uris) {
            if (token?.isCancellationRequested) break;
            const file = uriToPath(uri);
            if (!file) continue;
            const region = regions?.get(file);
            let diagnostics = await this.diagnosticsOfFile(file);
            if (region) diagnostics = diagnostics.filter((d) => this.inBookRegion(file, region, d));
            out.push({ uri, diagnostics });
        }
        return out;
    }

    /** The chapter or book at `params.uri` as safe HTML, in its book's context. */
    async preview(params: PreviewParams, token?: CancellationToken): Promise<PreviewResponse> {
        const result = await this.render(params, token);
        return {
            html: result.html,
            title: result.title,
            books: result.books.map((b) => ({ uri: pathToUri(b), title: this.index.get(b)?.model.title ?? path.basename(b) })),
            profileValues: result.profileValues,
            files: result.sourceMap.files.map(pathToUri),
        };
    }

    /** The preview as a standalone HTML page (strict Content-Security-Policy, no script), as docbook-render writes it. */
    async previewPage(params: PreviewParams, token?: CancellationToken): Promise<string> {
        return renderStandalonePage(await this.render(params, token), {});
    }

    /** `only`: the kinds asked for (LSP `context.only`); `source.fixAll` gives the whole file's mechanical fixes. */
    codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
        const file = uriToPath(uri);
        return file ? provideCodeActions(this.ctx, { file, range, diagnostics, only }) : Promise.resolve([]);
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

    private async diagnosticsOfFile(file: string): Promise<Diagnostic[]> {
        await this.index.ensureSchemaChecked(file);
        const text = diagnosticsWantText(this.index, file) ? await this.index.readText(file) : undefined;
        return provideDiagnostics(this.ctx, { file, text });
    }

    /** Parse-level problems concern the whole file; the others only the part the book takes. */
    private inBookRegion(file: string, region: Region, d: Diagnostic): boolean {
        if (region === 'all' || d.code === 'not-well-formed' || d.code === 'namespace-error' || d.code === 'undefined-entity' || d.code === 'unreadable-file') return true;
        const lineStarts = this.index.get(file)?.model.lineStarts;
        if (!lineStarts) return true;
        return inRegion(region, (lineStarts[d.range.start.line] ?? 0) + d.range.start.character);
    }

    private async render(params: PreviewParams, token?: CancellationToken): Promise<PreviewResult> {
        const file = uriToPath(params.uri);
        if (!file || !this.index.get(file)) throw new Error(`${params.uri} is not an indexed DocBook file`);
        const prefix = params.resourcePrefix;
        const options: PreviewOptions = {
            profile: params.profile,
            book: params.book ? uriToPath(params.book) : undefined,
            // Webview resource URIs keep the file path: prefix + the path, each segment encoded.
            resourceUri: prefix ? (p) => prefix + p.split(path.sep).map(encodeURIComponent).join('/') : undefined,
        };
        return providePreview(this.ctx, { file, ...options }, token);
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
