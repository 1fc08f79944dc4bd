// The LSP adapter: translates between the protocol and DocbookLanguageService. No DocBook
// knowledge lives here. Started by `docbook-ls --stdio` (any editor) or by the VS Code client (IPC).

import {
    CancellationToken, CodeActionKind, CompletionItem, CompletionList, Connection, DidChangeWatchedFilesNotification, FileChangeType,
    InitializeParams, InitializeResult, LocationLink, LSPErrorCodes, ProposedFeatures, Range, ResponseError, ErrorCodes, TextDocuments,
    TextDocumentSyncKind, WorkDoneProgressReporter, createConnection,
} from 'vscode-languageserver/node';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { textEdit } from '../core/textDiff';
import { uriToPath } from '../core/uri';
import { RenameError } from '../features/rename';
import type { FileChange } from '../api';
import { cacheDisabledByEnv, defaultCacheDir } from '../index/modelCache';
import { DocbookLanguageService } from '../languageService';
import { resolveSettings } from '../settings';
import { NodeWorkspace } from '../workspace';
import { BookTreeRequest, IncludersRequest, PreviewRequest, StatusNotification, StatsRequest } from './protocol';

/** Previews (webview panels) whose last HTML the server keeps to answer with changes. */
const PREVIEW_SESSIONS_KEPT = 8;

export interface ServerOptions {
    /** `docbook-ls --no-cache`: no persistent index cache, whatever the client asks. */
    noCache?: boolean;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all), options: ServerOptions = {}): void {
    const service = new DocbookLanguageService(new NodeWorkspace());
    const documents = new TextDocuments(TextDocument);
    let folders: string[] = [];
    let linkSupport = false;
    let defaultEditRangeSupport = false;
    let lazyParts: (keyof LazyParts)[] = [];
    // The items of the last completion answers, whose documentation a resolve request asks for: a few,
    // as the list the editor shows may be older than the last answer (one it cancelled or dropped).
    const recentCompletions = new Map<number, (LazyParts | undefined)[]>();
    let completionId = 0;
    let progressSupport = false;
    let configurationSupport = false;
    let watcherRegistration = false;
    let initOptionsSettings: unknown;
    let ready: Promise<void> = new Promise(() => undefined);
    // Index updates run one after another, in the order the client sent them; a request waits for
    // the updates sent before it, so it never answers from a text older than the editor's.
    let updates: Promise<void> = Promise.resolve();
    const update = (work: () => Promise<Iterable<string> | void>, fromDocument = false): void => {
        updates = updates.then(async () => {
            await ready;
            const affected = await work();
            if (affected) schedulePublish(affected, fromDocument);
        }).catch((e) => log(`update failed: ${errorText(e)}`));
    };
    // The last HTML sent to each preview (oldest first), the base of its next answer's htmlEdit.
    const previewHtml = new Map<string, { id: number; html: string }>();
    let nextHtmlId = 1;
    // The index cache is written a moment after an indexing, not on the way to "ready" and the first diagnostics.
    let cacheTimer: NodeJS.Timeout | undefined;
    const saveCacheSoon = (): void => {
        clearTimeout(cacheTimer);
        cacheTimer = setTimeout(() => { service.saveCacheInSteps().catch((e) => log(`index cache not written: ${errorText(e)}`)); }, 1000);
    };
    const settled = async (): Promise<void> => {
        await ready;
        await updates;
    };
    // Diagnostics wait here to be published, one file per turn of the event loop. What an edit of an
    // open document touched goes first: a cold workspace's diagnostics take seconds (a schema check
    // per file), and a keystroke's must not queue behind them.
    const urgentDiagnostics = new Set<string>();
    const pendingDiagnostics = new Set<string>();
    let publishing = false;
    /**
     * What was last published for each file: an update publishes its file's includers up to the
     * books too (6 files for a keystroke in a training-guides section), and each publish costs the
     * extension host and the workbench's main thread (markers, Problems view, decorations) while
     * the author types. The same diagnostics for the same text, or none again, are not sent again.
     */
    const published = new Map<string, string>();

    const log = (message: string): void => connection.console.log(message);

    const schedulePublish = (uris: Iterable<string>, urgent = false): void => {
        for (const u of uris) {
            if (urgent) {
                urgentDiagnostics.add(u);
                pendingDiagnostics.delete(u);
            } else if (!urgentDiagnostics.has(u)) {
                pendingDiagnostics.add(u);
            }
        }
        if (publishing) return;
        publishing = true;
        void publishQueued();
    };
    const nextToPublish = (): string | undefined => {
        const queue = urgentDiagnostics.size ? urgentDiagnostics : pendingDiagnostics;
        const first = queue.values().next();
        if (first.done) return undefined;
        queue.delete(first.value);
        return first.value;
    };
    const publishQueued = async (): Promise<void> => {
        for (;;) {
            // Requests get in after every file. A request takes several turns of the event loop
            // (read, dispatch, answer), and yielding only every 10 ms made each wait 40 ms
            // (definition p50 at 2,960 files: 36 ms while publishing, 4.6 ms now; 0.4 ms after).
            await new Promise((resolve) => setImmediate(resolve));
            const uri = nextToPublish();
            if (uri === undefined) break;
            try {
                const info = service.fileInfo(uri);
                // Files outside the workspace folders (reached by an include) get no diagnostics.
                const diagnostics = info?.inWorkspace ? await service.diagnostics(uri) : [];
                // An open file's markers move with its edits until republished: the same diagnostics
                // are sent again for another text (no diagnostics stay none whatever the text).
                const key = diagnostics.length ? `${info?.open ? info.version : ''} ${JSON.stringify(diagnostics)}` : '';
                if (published.get(uri) === key) continue;
                published.set(uri, key);
                void connection.sendDiagnostics({ uri, diagnostics, version: info?.version });
            } catch (e) {
                log(`diagnostics for ${uri} failed: ${errorText(e)}`);
            }
        }
        publishing = false;
        // Schema checks done for these diagnostics are kept for the next start (nothing is written when none was new).
        saveCacheSoon();
    };

    const sendStatus = (): void => {
        const s = service.stats();
        void connection.sendNotification(StatusNotification, { state: 'ready', ...s });
    };

    connection.onInitialize((params: InitializeParams): InitializeResult => {
        const caps = params.capabilities;
        linkSupport = !!caps.textDocument?.definition?.linkSupport;
        defaultEditRangeSupport = !!caps.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange');
        const resolvable = caps.textDocument?.completion?.completionItem?.resolveSupport?.properties ?? [];
        lazyParts = LAZY_PARTS.filter((part) => resolvable.includes(part));
        progressSupport = !!caps.window?.workDoneProgress;
        configurationSupport = !!caps.workspace?.configuration;
        watcherRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
        initOptionsSettings = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
        service.useCache(cacheFolder(params.initializationOptions, options));
        folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
        if (!folders.length && params.rootUri) {
            const root = uriToPath(params.rootUri);
            if (root) folders = [root];
        }
        return {
            capabilities: {
                textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
                completionProvider: { triggerCharacters: ['"', "'", '/', ' ', '>', '='], resolveProvider: true },
                definitionProvider: true,
                referencesProvider: true,
                renameProvider: { prepareProvider: true },
                hoverProvider: true,
                documentSymbolProvider: true,
                workspaceSymbolProvider: true,
                codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
                workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
            },
            serverInfo: { name: 'docbook-ls', version: '0.1.0' },
        };
    });

    const readSettings = async () => {
        if (configurationSupport) {
            try {
                const conf: unknown = await connection.workspace.getConfiguration('docbook');
                if (conf) return resolveSettings(conf);
            } catch (e) {
                log(`could not read the docbook settings: ${errorText(e)}`);
            }
        }
        return resolveSettings(initOptionsSettings);
    };

    connection.onInitialized(() => {
        ready = (async () => {
            const started = Date.now();
            let reporter: WorkDoneProgressReporter | undefined;
            if (progressSupport) {
                reporter = await connection.window.createWorkDoneProgress();
                reporter.begin('Indexing DocBook', 0, 'listing files', false);
            }
            let lastReport = 0;
            const progress = (done: number, total: number): void => {
                const now = Date.now();
                if (now - lastReport < 100 && done < total) return;
                lastReport = now;
                reporter?.report(Math.round((done / Math.max(1, total)) * 100), `${done}/${total} files`);
                void connection.sendNotification(StatusNotification, { state: 'indexing', done, total });
            };
            const settings = await readSettings();
            const affected = await service.initialize(folders, settings, progress);
            for (const e of service.configurationErrors) connection.window.showWarningMessage(e);
            reporter?.done();
            const s = service.stats();
            log(`indexed ${s.files} files, ${s.books} books, ${s.ids} ids in ${Date.now() - started} ms`);
            sendStatus();
            schedulePublish(affected);
            // After the diagnostics of the workspace (queued first), which need the schema only for files the cache had no verdict for.
            setImmediate(() => service.preloadSchema());
            saveCacheSoon();
        })().catch((e) => log(`indexing failed: ${errorText(e)}`));

        if (watcherRegistration) {
            void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
        }
        connection.workspace.onDidChangeWorkspaceFolders((event) => update(async () => {
            const affected: string[] = [];
            for (const removed of event.removed) {
                const p = uriToPath(removed.uri);
                if (p) affected.push(...await service.removeFolder(p));
            }
            for (const added of event.added) {
                const p = uriToPath(added.uri);
                if (p) affected.push(...await service.addFolder(p));
            }
            sendStatus();
            saveCacheSoon();
            return affected;
        }));
    });

    connection.onDidChangeConfiguration(() => update(async () => {
        const settings = await readSettings();
        // Editors send this when any of their settings changes: re-index only when ours did.
        if (JSON.stringify(settings) === JSON.stringify(service.settings)) return;
        const affected = await service.configure(settings);
        sendStatus();
        saveCacheSoon();
        return affected;
    }));

    // onDidOpen is followed by a content change of the same version: the version check skips it.
    documents.onDidOpen((e) => update(() => service.openDocument(e.document.uri, e.document.getText(), e.document.version), true));
    documents.onDidChangeContent((e) => update(async () => {
        const info = service.fileInfo(e.document.uri);
        if (info?.version === e.document.version && info.open) return;
        return service.changeDocument(e.document.uri, e.document.getText(), e.document.version);
    }, true));
    documents.onDidClose((e) => update(() => service.closeDocument(e.document.uri), true));

    connection.onDidChangeWatchedFiles((params) => update(async () => {
        const changes: FileChange[] = params.changes.map((c) => ({
            uri: c.uri,
            type: c.type === FileChangeType.Deleted ? 'deleted' : c.type === FileChangeType.Created ? 'created' : 'changed',
        }));
        const affected = await service.filesChanged(changes);
        if (changes.some((c) => c.uri.endsWith('.xml'))) {
            sendStatus();
            saveCacheSoon();
        }
        return affected;
    }));

    connection.onCompletion(async (p) => {
        await settled();
        // The service built this list for this answer: the rewrites below change it in place.
        const list = await service.completion(p.textDocument.uri, p.position, p.context?.triggerCharacter);
        if (lazyParts.length) {
            recentCompletions.set(++completionId, takeLazyParts(list, completionId, lazyParts));
            recentCompletions.delete(completionId - 4);
        }
        if (defaultEditRangeSupport) useDefaultEditRange(list);
        return list;
    });
    connection.onCompletionResolve((item) => {
        const data = item.data as { completion?: number; index?: number } | undefined;
        const parts = data?.completion !== undefined && data.index !== undefined ? recentCompletions.get(data.completion)?.[data.index] : undefined;
        return parts ? { ...item, ...parts } : item;
    });
    connection.onDefinition(async (p) => {
        await settled();
        const links = service.definition(p.textDocument.uri, p.position);
        return linkSupport ? links : links.map((l: LocationLink) => ({ uri: l.targetUri, range: l.targetSelectionRange }));
    });
    connection.onReferences(async (p, token) => {
        await settled();
        return unlessCancelled(token, service.references(p.textDocument.uri, p.position, p.context.includeDeclaration, token));
    });
    connection.onHover(async (p) => { await settled(); return service.hover(p.textDocument.uri, p.position) ?? null; });
    connection.onDocumentSymbol(async (p) => { await settled(); return service.documentSymbols(p.textDocument.uri); });
    connection.onWorkspaceSymbol(async (p, token) => { await settled(); return unlessCancelled(token, service.workspaceSymbols(p.query, token)); });
    connection.onPrepareRename(async (p) => {
        await settled();
        try {
            return service.prepareRename(p.textDocument.uri, p.position);
        } catch (e) {
            throw asResponseError(e);
        }
    });
    connection.onRenameRequest(async (p, token) => {
        await settled();
        try {
            return unlessCancelled(token, await service.rename(p.textDocument.uri, p.position, p.newName, token));
        } catch (e) {
            throw asResponseError(e);
        }
    });
    connection.onCodeAction(async (p) => { await settled(); return service.codeActions(p.textDocument.uri, p.range, p.context.diagnostics, p.context.only); });

    connection.onRequest(BookTreeRequest, async (params) => { await settled(); return service.bookTree(params ?? undefined); });
    connection.onRequest(StatsRequest, async () => { await settled(); return service.stats(); });
    connection.onRequest(PreviewRequest, async ({ session, baseHtmlId, ...p }, token) => {
        const received = performance.now();
        await settled();
        const settledAt = performance.now();
        const response = await service.preview(p, token);
        const version = service.fileInfo(p.uri)?.version;
        const timings = { waitMs: settledAt - received, renderMs: performance.now() - settledAt, version };
        unlessCancelled(token, undefined);
        if (session === undefined) return { ...response, timings };
        const htmlId = nextHtmlId++;
        const base = previewHtml.get(session);
        previewHtml.delete(session);
        previewHtml.set(session, { id: htmlId, html: response.html });
        if (previewHtml.size > PREVIEW_SESSIONS_KEPT) previewHtml.delete(previewHtml.keys().next().value!);
        if (base && base.id === baseHtmlId) {
            return { ...response, html: '', htmlId, htmlEdit: { baseHtmlId, ...textEdit(base.html, response.html) }, timings };
        }
        return { ...response, htmlId, timings };
    });
    connection.onRequest(IncludersRequest, async (p) => { await settled(); return service.includers(p.uri); });

    connection.onShutdown(() => {
        clearTimeout(cacheTimer);
        service.saveCache();
    });

    documents.listen(connection);
    connection.listen();
}

/** What an item may leave for completionItem/resolve, when the client resolves it. */
interface LazyParts { documentation?: CompletionItem['documentation']; detail?: string }
const LAZY_PARTS: (keyof LazyParts)[] = ['documentation', 'detail'];

/**
 * The items' documentation and detail left for completionItem/resolve, which the client asks for the
 * item it shows: a glossary's definitions were a quarter of a ~700-item answer, and the list is read
 * whole at every completion while only one item's are ever shown. Returns what was taken from each
 * item, by index; the items keep the index in `data`.
 */
function takeLazyParts(list: CompletionList, completion: number, lazy: readonly (keyof LazyParts)[]): (LazyParts | undefined)[] {
    return list.items.map((item, index) => {
        let parts: LazyParts | undefined;
        for (const part of lazy) {
            const value = item[part];
            if (value === undefined) continue;
            (parts ??= {})[part] = value as never;
            // Set to undefined, not deleted: JSON leaves it out, and the objects keep their shape.
            item[part] = undefined;
        }
        if (parts) item.data = { completion, index };
        return parts;
    });
}

/**
 * The list's common edit range said once (LSP 3.17 item defaults) for clients that take it: the ~700
 * items of a glossary each carried the same range, a quarter of the answer's bytes, and each range
 * is one more object for the client to read and convert.
 */
function useDefaultEditRange(list: CompletionList): void {
    const first = list.items[0]?.textEdit;
    // An item without an edit of its own would take the default range too.
    if (!first || !('range' in first) || list.items.some((i) => !i.textEdit)) return;
    const range = first.range;
    const isDefault = (r: Range): boolean => r.start.line === range.start.line && r.start.character === range.start.character
        && r.end.line === range.end.line && r.end.character === range.end.character;
    for (const item of list.items) {
        const edit = item.textEdit;
        if (!edit || !('range' in edit) || !isDefault(edit.range)) continue;
        item.textEdit = undefined;
        if (edit.newText !== item.label) item.textEditText = edit.newText;
    }
    list.itemDefaults = { ...list.itemDefaults, editRange: range };
}

function errorText(e: unknown): string {
    return e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
}

/** The service answers a cancelled request early and incompletely: the client is told it was cancelled instead. */
function unlessCancelled<T>(token: CancellationToken, result: T): T {
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    return result;
}

function asResponseError(e: unknown): ResponseError<void> {
    if (e instanceof ResponseError) return e;
    if (e instanceof RenameError) return new ResponseError(ErrorCodes.InvalidRequest, e.message);
    return new ResponseError(ErrorCodes.InternalError, e instanceof Error ? e.message : String(e));
}

/**
 * The persistent index cache's folder: the one the client names (VS Code's storage for the
 * workspace), else the platform cache folder; none with --no-cache, DOCBOOK_OPENSTACK_NO_CACHE or
 * `cache.enabled: false` (the docbook.indexCache setting).
 */
function cacheFolder(initializationOptions: unknown, options: ServerOptions): string | undefined {
    const asked = (initializationOptions as { cache?: { enabled?: unknown; dir?: unknown } } | undefined)?.cache;
    if (options.noCache || cacheDisabledByEnv() || asked?.enabled === false) return undefined;
    return typeof asked?.dir === 'string' && path.isAbsolute(asked.dir) ? path.join(asked.dir, 'index-cache') : defaultCacheDir();
}
