// A real LSP client for tests: starts `docbook-ls --stdio` as a child process and talks JSON-RPC
// over its stdin/stdout, as an editor does.

import { ChildProcess, spawn } from 'child_process';
import { performance } from 'perf_hooks';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export { CORPUS } from '../helpers';

export function uri(file: string): string {
    return pathToFileURL(file).href;
}

export interface Diag { range: { start: { line: number; character: number } }; code?: string; message: string; severity?: number }

export class LspClient {
    readonly connection: MessageConnection;
    readonly diagnostics = new Map<string, Diag[]>();
    /** The URI of every publishDiagnostics received, in order. */
    readonly published: string[] = [];
    readonly progress: unknown[] = [];
    readonly stderr: string[] = [];
    private readonly child: ChildProcess;
    private readyResolve!: () => void;
    readonly ready: Promise<void>;
    /** performance.now() when the process was spawned and when it answered initialize. */
    readonly spawnedAt = performance.now();
    initializedAt = 0;
    private diagnosticWaiters: { uri: string; pred: (d: Diag[]) => boolean; resolve: (d: Diag[]) => void }[] = [];

    constructor(private readonly settings: unknown = undefined) {
        this.child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/docbook-ls.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
        this.child.stderr!.on('data', (d: Buffer) => this.stderr.push(d.toString()));
        this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
        this.ready = new Promise((r) => (this.readyResolve = r));
        this.connection.onNotification('docbook/status', (p: { state: string }) => { if (p.state === 'ready') this.readyResolve(); });
        this.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diag[] }) => {
            this.diagnostics.set(p.uri, p.diagnostics);
            this.published.push(p.uri);
            this.diagnosticWaiters = this.diagnosticWaiters.filter((w) => {
                if (w.uri === p.uri && w.pred(p.diagnostics)) { w.resolve(p.diagnostics); return false; }
                return true;
            });
        });
        this.connection.onRequest('window/workDoneProgress/create', () => null);
        this.connection.onNotification('$/progress', (p: unknown) => { this.progress.push(p); });
        this.connection.onRequest('client/registerCapability', () => null);
        this.connection.onNotification('window/logMessage', () => undefined);
        this.connection.listen();
    }

    /** `completion`: the client's textDocument.completion capabilities (none by default). */
    async start(folders: string[], completion?: unknown): Promise<unknown> {
        const result = await this.connection.sendRequest('initialize', {
            processId: process.pid,
            rootUri: null,
            workspaceFolders: folders.map((f) => ({ uri: uri(f), name: path.basename(f) })),
            initializationOptions: { settings: this.settings },
            capabilities: {
                window: { workDoneProgress: true },
                textDocument: { definition: { linkSupport: true }, rename: { prepareSupport: true }, publishDiagnostics: {}, completion },
                workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
            },
        });
        this.initializedAt = performance.now();
        await this.connection.sendNotification('initialized', {});
        await this.ready;
        return result;
    }

    request<R>(method: string, params: unknown): Promise<R> {
        return this.connection.sendRequest(method, params) as Promise<R>;
    }

    notify(method: string, params: unknown): Promise<void> {
        return this.connection.sendNotification(method, params);
    }

    /** Resolves with the next diagnostics published for `fileUri` that satisfy `pred`. */
    waitForDiagnostics(fileUri: string, pred: (d: Diag[]) => boolean = () => true, timeoutMs = 10_000): Promise<Diag[]> {
        const current = this.diagnostics.get(fileUri);
        return new Promise((resolve, reject) => {
            if (current && pred(current)) { resolve(current); return; }
            const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${fileUri} within ${timeoutMs} ms`)), timeoutMs);
            this.diagnosticWaiters.push({ uri: fileUri, pred, resolve: (d) => { clearTimeout(timer); resolve(d); } });
        });
    }

    get pid(): number | undefined { return this.child.pid; }
    get exited(): boolean { return this.child.exitCode !== null || this.child.signalCode !== null; }

    async stop(): Promise<void> {
        try {
            await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
            await this.connection.sendNotification('exit');
            // The server exits by itself after 'exit' (and only then runs its exit handlers): give it a moment.
            if (!this.exited) await Promise.race([new Promise((r) => this.child.once('exit', r)), new Promise((r) => setTimeout(r, 1000))]);
        } catch { /* already gone */ }
        this.connection.dispose();
        if (!this.exited) this.child.kill();
    }
}
