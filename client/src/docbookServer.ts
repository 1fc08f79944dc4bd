// The bundled language server (dist/server.js) as VS Code sees it: an LSP client over IPC, the
// server's `docbook/status` notifications as an event, and "ready" as a promise for those who
// must wait for the index (book view, tests).

import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import type { StatusParams } from '../../server/src/api';
import { StatusNotification } from '../../server/src/lsp/protocol';

export type ReadyStatus = Extract<StatusParams, { state: 'ready' }>;

export class DocbookServer implements vscode.Disposable {
    readonly client: LanguageClient;
    private readonly statusEmitter = new vscode.EventEmitter<StatusParams>();
    /** Every status the server reports: indexing progress, then ready (again after each re-index). */
    readonly onStatus = this.statusEmitter.event;
    private latest: StatusParams | undefined;
    private starting: Promise<void> | undefined;
    private readyWaiters: ((s: ReadyStatus) => void)[] = [];

    constructor(context: vscode.ExtensionContext) {
        // bin/docbook-ls.js loads dist/server.js with V8's code cache kept beside the index cache.
        const module = context.asAbsolutePath('bin/docbook-ls.js');
        const cacheEnabled = vscode.workspace.getConfiguration('docbook').get<boolean>('indexCache', true);
        const storage = (context.storageUri ?? context.globalStorageUri)?.fsPath;
        // The server keeps its index cache in storage/index-cache (server.ts cacheFolder); the code cache goes beside it.
        const args = cacheEnabled && storage ? ['--code-cache-dir', path.join(storage, 'index-cache')] : ['--no-cache'];
        const serverOptions: ServerOptions = {
            run: { module, transport: TransportKind.ipc, args },
            debug: { module, transport: TransportKind.ipc, args, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
        };
        const clientOptions: LanguageClientOptions = {
            // Files only: the server resolves includes on disk. Red Hat's XML extension keeps
            // element/attribute completion; this server answers only where DocBook needs the workspace.
            documentSelector: [{ scheme: 'file', language: 'xml' }],
            synchronize: { configurationSection: 'docbook' },
            // The index cache lives in the extension's storage for this workspace, never in the workspace.
            initializationOptions: {
                cache: { enabled: cacheEnabled, dir: storage },
            },
            diagnosticCollectionName: 'docbook',
        };
        this.client = new LanguageClient('docbook', 'DocBook Language Server', serverOptions, clientOptions);
        this.client.onNotification(StatusNotification, (status) => this.report(status));
        // A crashed server restarts with an empty index: forget the old "ready".
        this.client.onDidChangeState((e) => { if (e.newState !== State.Running) this.latest = undefined; });
    }

    get started(): boolean {
        return this.starting !== undefined;
    }

    get status(): StatusParams | undefined {
        return this.latest;
    }

    start(): Promise<void> {
        this.starting ??= this.client.start();
        return this.starting;
    }

    async restart(): Promise<void> {
        if (this.starting) {
            await this.starting.catch(() => undefined);
            if (this.client.isRunning()) await this.client.stop();
        }
        this.latest = undefined;
        this.starting = this.client.start();
        await this.starting;
    }

    /** The index stats once the server has indexed the workspace (now, if it already has). */
    whenReady(): Promise<ReadyStatus> {
        if (this.latest?.state === 'ready') return Promise.resolve(this.latest);
        return new Promise((resolve) => this.readyWaiters.push(resolve));
    }

    private report(status: StatusParams): void {
        this.latest = status;
        if (status.state === 'ready') {
            const waiters = this.readyWaiters;
            this.readyWaiters = [];
            for (const w of waiters) w(status);
        }
        this.statusEmitter.fire(status);
    }

    dispose(): void {
        this.statusEmitter.dispose();
        void this.client.dispose();
    }
}
