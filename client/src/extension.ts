// The VS Code side of the DocBook language server: starts the bundled server when the workspace
// (or an opened file) is DocBook, and adds what LSP has no words for: the status bar item, the
// book view, the live preview and a few commands. Everything about DocBook is in the server.

import * as vscode from 'vscode';
import { PREVIEW_STYLE } from '../../server/src/features/preview/style';
import { BookItem, BookTreeProvider, registerBookView } from './bookView';
import { copyXrefToSection, goToIncludingFile } from './commands';
import { isDocbookDocument, workspaceHasDocbook } from './docbookDocuments';
import { DocbookServer, ReadyStatus } from './docbookServer';
import { RenderedState } from './preview/messages';
import { PreviewManager } from './preview/previewManager';
import { RenderTiming } from './preview/timings';
import { DocbookStatusBar, SHOW_SERVER_LOG_COMMAND } from './statusBar';

/** What activate() returns: for other extensions and for the tests in real VS Code. */
export interface DocbookExtensionApi {
    /** Resolves once the server has indexed the workspace (after a restart: again). */
    whenReady(): Promise<ReadyStatus>;
    /** Whether the server was started (the workspace or an opened file is DocBook). */
    readonly serving: boolean;
    readonly bookTree: BookTreeProvider;
    readonly bookView: vscode.TreeView<BookItem>;
    statusBarText(): string;
    previews: PreviewManager;
    /** The HTML the preview of this file shows right now (read back from the webview's DOM); undefined while it shows another. */
    previewHtmlFor(uri: vscode.Uri): Promise<string | undefined>;
    /** The same, with the preview's scroll position and the source line at its top. */
    previewStateFor(uri: vscode.Uri): Promise<RenderedState | undefined>;
    /**
     * The preview of this file's latest renders, from the edit to the webview's paint (see
     * preview/timings.ts: stagesOf, stageSummary); [] when no preview shows it.
     */
    previewTimingsFor(uri: vscode.Uri): readonly RenderTiming[];
    /** Milliseconds spent in activate(), and from activate() to: the server started, the first index ready. */
    readonly timings: { activate?: number; serverStarted?: number; indexReady?: number };
}

let activeServer: DocbookServer | undefined;

const IS_DOCBOOK_EDITOR = 'docbook.isDocbookEditor';
const SERVING = 'docbook.serving';

export function activate(context: vscode.ExtensionContext): DocbookExtensionApi {
    const activated = Date.now();
    const timings: DocbookExtensionApi['timings'] = {};
    const server = new DocbookServer(context);
    activeServer = server;
    const statusBar = new DocbookStatusBar(server);
    const bookTree = new BookTreeProvider(server);
    // A preview restored after a reload starts the server through serve() like any other.
    const previews = new PreviewManager(context.extensionUri, server, PREVIEW_STYLE, () => serve());
    context.subscriptions.push(server, statusBar, bookTree, previews);
    const bookView = registerBookView(bookTree, context.subscriptions);

    context.subscriptions.push(server.onStatus((s) => { if (s.state === 'ready') timings.indexReady ??= Date.now() - activated; }));
    let serving = false;
    const serve = async (): Promise<void> => {
        if (serving) return;
        serving = true;
        void vscode.commands.executeCommand('setContext', SERVING, true);
        statusBar.reveal();
        await server.start();
        timings.serverStarted ??= Date.now() - activated;
    };
    const serveIfDocbook = (document: vscode.TextDocument): void => {
        if (!serving && isDocbookDocument(document)) void serve();
    };

    const updateEditorContext = (editor: vscode.TextEditor | undefined): void => {
        const docbook = !!editor && isDocbookDocument(editor.document);
        void vscode.commands.executeCommand('setContext', IS_DOCBOOK_EDITOR, docbook);
        if (editor && docbook) serveIfDocbook(editor.document);
    };
    updateEditorContext(vscode.window.activeTextEditor);
    context.subscriptions.push(
        vscode.window.onDidChangeActiveTextEditor(updateEditorContext),
        vscode.workspace.onDidOpenTextDocument(serveIfDocbook),
    );
    void workspaceHasDocbook().then((yes) => { if (yes) return serve(); }).catch((e) => server.client.error('could not look for DocBook files', e));

    /** The DocBook editor a command applies to, starting the server for it if needed. */
    const docbookEditor = async (): Promise<vscode.TextEditor | undefined> => {
        const editor = vscode.window.activeTextEditor;
        if (!editor || !isDocbookDocument(editor.document)) {
            void vscode.window.showInformationMessage('Open a DocBook XML file first.');
            return undefined;
        }
        await serve();
        return editor;
    };
    const showPreview = async (toSide: boolean, locked: boolean, uri?: unknown) => {
        // From the explorer's context menu the argument is the file; else the active editor's.
        const document = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
        if (!document || !isDocbookDocument(document)) {
            void vscode.window.showInformationMessage('Open a DocBook XML file to preview it.');
            return undefined;
        }
        await serve();
        return previews.show(document.uri, { toSide, locked });
    };

    context.subscriptions.push(
        vscode.commands.registerCommand('docbook.showPreview', (uri?: vscode.Uri) => showPreview(false, false, uri)),
        vscode.commands.registerCommand('docbook.showPreviewToSide', (uri?: vscode.Uri) => showPreview(true, false, uri)),
        vscode.commands.registerCommand('docbook.showLockedPreviewToSide', (uri?: vscode.Uri) => showPreview(true, true, uri)),
        vscode.commands.registerCommand('docbook.preview.toggleLock', () => {
            const preview = previews.activePreview();
            if (!preview) return;
            // Like Markdown: one unlocked preview at most; unlocking another retires the current one.
            if (preview.locked) for (const other of previews.previews) if (other !== preview && !other.locked) other.dispose();
            preview.setLocked(!preview.locked);
        }),
        vscode.commands.registerCommand('docbook.preview.refresh', () => previews.refreshAll()),
        vscode.commands.registerCommand('docbook.preview.showSource', async () => {
            const preview = previews.activePreview();
            if (preview) await vscode.window.showTextDocument(preview.source, { viewColumn: vscode.ViewColumn.One });
        }),
        vscode.commands.registerCommand('docbook.goToIncludingFile', async () => {
            const editor = await docbookEditor();
            return editor ? goToIncludingFile(server, editor) : undefined;
        }),
        vscode.commands.registerCommand('docbook.copyXrefToSection', async () => {
            const editor = await docbookEditor();
            return editor ? copyXrefToSection(editor) : undefined;
        }),
        vscode.commands.registerCommand('docbook.books.refresh', () => bookTree.refresh()),
        vscode.commands.registerCommand(SHOW_SERVER_LOG_COMMAND, () => server.client.outputChannel.show(true)),
        vscode.commands.registerCommand('docbook.restartServer', async () => {
            serving = true;
            void vscode.commands.executeCommand('setContext', SERVING, true);
            statusBar.reveal();
            await server.restart();
        }),
    );

    timings.activate = Date.now() - activated;
    const api: DocbookExtensionApi = {
        whenReady: () => server.whenReady(),
        get serving() { return serving; },
        bookTree,
        bookView,
        statusBarText: () => statusBar.text,
        previews,
        previewStateFor: async (uri) => {
            const state = await previews.previewOf(uri)?.renderedState();
            return state?.source === uri.toString() ? state : undefined;
        },
        previewHtmlFor: async (uri) => (await api.previewStateFor(uri))?.html,
        previewTimingsFor: (uri) => previews.previewOf(uri)?.timings ?? [],
        timings,
    };
    return api;
}

export function deactivate(): Promise<void> | undefined {
    // Returned so that VS Code waits for the server to shut down cleanly.
    return activeServer?.client.isRunning() ? activeServer.client.stop() : undefined;
}
