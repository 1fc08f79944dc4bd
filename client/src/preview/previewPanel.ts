// One preview webview: renders a DocBook file through the server's `docbook/preview` request and
// hands the HTML to its script by postMessage, so an update replaces the body in place (no reload,
// no flicker, scroll kept) instead of resetting `webview.html`.

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { applyTextEdit, textEdit } from '../../../server/src/core/textDiff';
import { PreviewRequest, PreviewWireResponse } from '../../../server/src/lsp/protocol';
import { DocbookServer } from '../docbookServer';
import { FromWebview, PreviewState, RenderedState, ToWebview } from './messages';
import { RenderTiming } from './timings';

export const PREVIEW_VIEW_TYPE = 'docbook.preview';

/**
 * Delay before rendering an edit. Zero still groups the change events of one tick (and lets the
 * language client send its didChange first); edits made while a render is in flight are rendered
 * once when it ends, so renders never pile up.
 */
const UPDATE_DELAY_MS = 0;

const TIMINGS_KEPT = 500;
/**
 * A render that is stale when it arrives (the source was edited again meanwhile) is still shown
 * when nothing was shown for this long, so that the preview moves while someone keeps typing.
 */
const STALE_UPDATE_INTERVAL_MS = 150;
/** After this long without a 'rendered' from the webview, the next update is sent anyway. */
const PATCH_TIMEOUT_MS = 3000;
/** The bench (bench:typing) reads each update's stages in the webview: they ride along with the update. */
const TRACE = !!process.env.DOCBOOK_BENCH_TRACE;

export interface PreviewHost {
    readonly extensionUri: vscode.Uri;
    readonly server: DocbookServer;
    ensureServing(): Promise<void>;
    /** Stylesheet of the renderer, inlined (its classes belong to the renderer's HTML). */
    readonly rendererCss: string;
    openSource(file: vscode.Uri, line: number, preview: PreviewPanel): Promise<void>;
    openTarget(file: vscode.Uri, line: number, preview: PreviewPanel): Promise<void>;
    openId(id: string, preview: PreviewPanel): Promise<void>;
    revealLineInEditors(file: vscode.Uri, line: number): void;
}

export class PreviewPanel implements vscode.Disposable {
    private readonly disposeEmitter = new vscode.EventEmitter<void>();
    readonly onDidDispose = this.disposeEmitter.event;
    private readonly subscriptions: vscode.Disposable[] = [];
    private webviewReady = false;
    private lastMessage: ToWebview | undefined;
    /** The HTML of the last update sent to the webview (the base of the next one's htmlEdit). */
    private webviewHtml: { version: number; source: string; html: string } | undefined;
    /** Names this panel to the server, which then answers with changes from `serverHtml`. */
    private readonly session = crypto.randomUUID();
    private serverHtml: { id: number; html: string } | undefined;
    /** The updates the webview is putting on screen (posted, not yet reported rendered), and since when. */
    private webviewPatching: { version: number; since: number }[] = [];
    /** An update arrived while the webview was busy: lastMessage goes out when it reports the last one rendered. */
    private updateWaiting = false;
    /** When the last update went to the webview. */
    private lastPostAt = 0;
    private inFlight = false;
    private dirty = false;
    private timer: NodeJS.Timeout | undefined;
    private version = 0;
    private renderedVersion = 0;
    private readonly stateRequests = new Map<number, (state: RenderedState | undefined) => void>();
    private nextRequestId = 1;
    private pendingScrollLine: number | undefined;
    private disposed = false;
    /** When the source was last edited, if no render has been requested since. */
    private lastEditAt: number | undefined;
    /** When the source was last edited (for the bench's trace). */
    private lastEditEventAt: number | undefined;
    private readonly pendingTimings = new Map<number, RenderTiming>();
    /** The latest renders' timings, oldest first (at most TIMINGS_KEPT). */
    readonly timings: RenderTiming[] = [];
    /** Source files of the blocks on screen (URIs): an edit to any of them re-renders. */
    files: string[] = [];

    static create(host: PreviewHost, source: vscode.Uri, column: vscode.ViewColumn, state: Omit<PreviewState, 'source'>): PreviewPanel {
        const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Preview', { viewColumn: column, preserveFocus: true }, {
            enableScripts: true,
            enableFindWidget: true,
            localResourceRoots: PreviewPanel.resourceRoots(host.extensionUri),
        });
        return new PreviewPanel(host, panel, { ...state, source: source.toString() });
    }

    static revive(host: PreviewHost, panel: vscode.WebviewPanel, state: PreviewState): PreviewPanel {
        panel.webview.options = { enableScripts: true, localResourceRoots: PreviewPanel.resourceRoots(host.extensionUri) };
        return new PreviewPanel(host, panel, state);
    }

    private static resourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
        return [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri), vscode.Uri.joinPath(extensionUri, 'client', 'media')];
    }

    source: vscode.Uri;
    locked: boolean;
    profile: Record<string, string>;
    book: string | undefined;

    private constructor(private readonly host: PreviewHost, readonly panel: vscode.WebviewPanel, state: PreviewState) {
        this.source = vscode.Uri.parse(state.source);
        this.locked = state.locked;
        this.profile = state.profile ?? {};
        this.book = state.book;
        this.pendingScrollLine = state.scrollLine;
        panel.webview.html = this.shellHtml();
        this.subscriptions.push(
            panel.webview.onDidReceiveMessage((m: FromWebview) => this.onMessage(m)),
            panel.onDidDispose(() => this.dispose()),
            // A hidden webview is torn down (no retainContextWhenHidden): post nothing until its
            // script says 'ready' again, then it gets the last render.
            panel.onDidChangeViewState((e) => {
                if (e.webviewPanel.visible) return;
                this.webviewReady = false;
                this.webviewPatching = [];
                this.webviewHtml = undefined;
            }),
        );
        this.updateTitle();
        this.requestUpdate(0);
    }

    get isActive(): boolean {
        return this.panel.active;
    }

    /** The version of the last update the webview has put on screen (0: none yet). */
    get currentRenderedVersion(): number {
        return this.renderedVersion;
    }

    /** Shows another file, scrolled to source line `scrollLine` (its editor's first visible line) once rendered. */
    setSource(source: vscode.Uri, scrollLine?: number): void {
        if (source.toString() === this.source.toString()) return;
        this.source = source;
        this.book = undefined;
        this.files = [];
        this.pendingScrollLine = scrollLine;
        this.updateTitle();
        this.requestUpdate(0);
    }

    setLocked(locked: boolean): void {
        this.locked = locked;
        this.updateTitle();
        if (this.lastMessage?.type === 'update') this.post({ ...this.lastMessage, locked });
    }

    /** Builds with these profiling values ({} = unprofiled), as the toolbar's pickers do. */
    setProfile(profile: Record<string, string>): void {
        this.profile = profile;
        this.requestUpdate(0);
    }

    /** Takes numbers and xref texts from this book (its URI; undefined = the first that includes the file). */
    setBook(book: string | undefined): void {
        this.book = book;
        this.requestUpdate(0);
    }

    shows(uri: vscode.Uri): boolean {
        const u = uri.toString();
        return u === this.source.toString() || this.files.includes(u);
    }

    /** The source (or a file shown in it) was edited: render again. */
    sourceEdited(): void {
        this.lastEditAt = Date.now();
        this.lastEditEventAt = this.lastEditAt;
        this.requestUpdate();
    }

    /** Renders again, soon; at most one request in flight. */
    requestUpdate(delay = UPDATE_DELAY_MS): void {
        if (this.disposed) return;
        if (this.inFlight) {
            this.dirty = true;
            return;
        }
        if (this.timer) return;
        // Even at 0 the timer lets the language client send the edit's didChange first.
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.update();
        }, delay);
    }

    scrollToLine(file: vscode.Uri, line: number): void {
        this.post({ type: 'scrollToLine', file: file.toString(), line });
    }

    /** A click or double-click on an element of the preview, through the webview's own handlers (for tests). */
    dispatchMouse(selector: string, kind: 'click' | 'dblclick'): void {
        this.post({ type: 'dispatchMouse', selector, kind });
    }

    /** What the webview shows right now (its DOM, read back through its script). */
    renderedState(timeoutMs = 5000): Promise<RenderedState | undefined> {
        if (!this.webviewReady) return Promise.resolve(undefined);
        const requestId = this.nextRequestId++;
        return new Promise((resolve) => {
            const timer = setTimeout(() => { this.stateRequests.delete(requestId); resolve(undefined); }, timeoutMs);
            this.stateRequests.set(requestId, (state) => { clearTimeout(timer); resolve(state); });
            void this.panel.webview.postMessage({ type: 'getHtml', requestId } satisfies ToWebview);
        });
    }

    private async update(): Promise<void> {
        if (this.disposed) return;
        this.inFlight = true;
        this.dirty = false;
        const source = this.source.toString();
        const version = ++this.version;
        const timing: RenderTiming = { version, editAt: this.lastEditAt, requestAt: Date.now() };
        this.lastEditAt = undefined;
        try {
            await this.host.ensureServing();
            const response = await this.host.server.client.sendRequest(PreviewRequest, {
                uri: source,
                profile: Object.keys(this.profile).length ? this.profile : undefined,
                book: this.book,
                resourcePrefix: this.panel.webview.asWebviewUri(vscode.Uri.file('/')).toString().replace(/\/$/, ''),
                session: this.session,
                baseHtmlId: this.serverHtml?.id,
            });
            timing.responseAt = Date.now();
            const html = this.htmlOf(response);
            if (html === undefined) {
                // The server answered with a change from HTML this panel no longer has: ask for all of it.
                this.serverHtml = undefined;
                this.dirty = true;
                return;
            }
            timing.serverWaitMs = response.timings?.waitMs;
            timing.serverRenderMs = response.timings?.renderMs;
            timing.documentVersion = response.timings?.version;
            if (this.disposed || source !== this.source.toString()) return;
            this.files = response.files;
            if (this.book && !response.books.some((b) => b.uri === this.book)) this.book = undefined;
            const message: ToWebview = {
                type: 'update', source, version, locked: this.locked, profile: this.profile, book: this.book,
                html, title: response.title, books: response.books, profileValues: response.profileValues, files: response.files,
            };
            if (this.dirty && Date.now() - this.lastPostAt < STALE_UPDATE_INTERVAL_MS) {
                // Typed over already: the render of the newer text follows at once, and the webview
                // would still be busy with this one when it comes.
                this.lastMessage = message;
                return;
            }
            this.recordTiming(timing);
            // The text on screen once this is painted is the editor's: it goes at once, even while
            // the webview patches an older one (it queues right behind it; waiting for that one's
            // report would add a round trip through the workbench to the last keystroke's latency).
            this.post(message, !this.dirty);
        } catch (e) {
            if (!this.disposed) this.post({ type: 'error', source, message: e instanceof Error ? e.message : String(e) });
        } finally {
            this.inFlight = false;
            if (this.dirty) this.requestUpdate();
        }
    }

    /** The whole HTML of a preview answer (which may be a change from the last one). */
    private htmlOf(response: PreviewWireResponse): string | undefined {
        let html = response.html;
        if (response.htmlEdit) {
            if (response.htmlEdit.baseHtmlId !== this.serverHtml?.id) return undefined;
            html = applyTextEdit(this.serverHtml.html, response.htmlEdit);
        }
        this.serverHtml = response.htmlId === undefined ? undefined : { id: response.htmlId, html };
        return html;
    }

    private post(message: ToWebview, latest = false): void {
        if (message.type === 'update' || message.type === 'error') this.lastMessage = message;
        if (!this.webviewReady) return;
        if (message.type === 'update') {
            // A stale render goes only to an idle webview (only the latest waiting): every message
            // to it passes the workbench's main thread, which a fast typist's keystrokes keep busy.
            // The render of the editor's current text goes at once however many are on their way:
            // at 30 ms per key the last keystroke's render waited up to 90-150 ms (p95) for the
            // webview's reports when it could go only second, more than the busier messages cost.
            // The webview reports each update once, painted (a report when it is in the DOM was
            // one more message through the workbench per update, and now only a stale one waits).
            const busy = this.webviewPatching.length && Date.now() - this.webviewPatching[0].since < PATCH_TIMEOUT_MS ? this.webviewPatching.length : 0;
            if (busy && !latest) {
                this.updateWaiting = true;
                return;
            }
            this.updateWaiting = false;
            if (!busy) this.webviewPatching = [];
            this.webviewPatching.push({ version: message.version, since: Date.now() });
            this.lastPostAt = Date.now();
            const timing = this.pendingTimings.get(message.version);
            if (timing) timing.postAt = Date.now();
            const base = this.webviewHtml;
            this.webviewHtml = { version: message.version, source: message.source, html: message.html };
            const trace = TRACE ? { trace: this.traceOf(message.version) } : {};
            if (base && base.source === message.source) {
                void this.panel.webview.postMessage({ ...message, ...trace, html: '', htmlEdit: { baseVersion: base.version, ...textEdit(base.html, message.html) } } satisfies ToWebview);
            } else {
                void this.panel.webview.postMessage({ ...message, ...trace });
            }
        } else {
            void this.panel.webview.postMessage(message);
        }
        if (message.type === 'update' && this.pendingScrollLine !== undefined) {
            void this.panel.webview.postMessage({ type: 'scrollToLine', file: message.source, line: this.pendingScrollLine } satisfies ToWebview);
            this.pendingScrollLine = undefined;
        }
    }

    private webviewRendered(version: number): void {
        const before = this.webviewPatching.length;
        this.webviewPatching = this.webviewPatching.filter((p) => p.version > version);
        if (this.webviewPatching.length === before || this.webviewPatching.length) return;
        if (this.updateWaiting && this.lastMessage) {
            this.updateWaiting = false;
            this.post(this.lastMessage);
        }
    }

    private onMessage(m: FromWebview): void {
        switch (m.type) {
            case 'ready':
                // Also after VS Code recreated a hidden webview: give it the last render again.
                this.webviewReady = true;
                this.webviewPatching = [];
                this.updateWaiting = false;
                this.webviewHtml = undefined;
                if (this.lastMessage) this.post(this.lastMessage);
                break;
            case 'rendered': {
                this.renderedVersion = Math.max(this.renderedVersion, m.version);
                const timing = this.pendingTimings.get(m.version);
                this.pendingTimings.delete(m.version);
                if (timing) Object.assign(timing, { receivedAt: m.receivedAt, patchMs: m.patchMs, patch: m.patch, paintedAt: m.paintedAt });
                this.webviewRendered(m.version);
                break;
            }
            case 'resync':
                this.webviewHtml = undefined;
                this.webviewPatching = [];
                if (this.lastMessage) this.post(this.lastMessage);
                break;
            case 'html':
                this.stateRequests.get(m.requestId)?.({ source: m.source, html: m.html, scrollY: m.scrollY, top: m.top });
                this.stateRequests.delete(m.requestId);
                break;
            case 'revealLine':
                this.host.revealLineInEditors(vscode.Uri.parse(m.file), m.line);
                break;
            case 'openSource':
                void this.host.openSource(vscode.Uri.parse(m.file), m.line, this);
                break;
            case 'openTarget':
                void this.host.openTarget(vscode.Uri.parse(m.file), m.line, this);
                break;
            case 'openId':
                void this.host.openId(m.id, this);
                break;
            case 'openLink':
                if (/^(https?|mailto):/i.test(m.href)) void vscode.env.openExternal(vscode.Uri.parse(m.href));
                break;
            case 'setProfile':
                this.setProfile(m.profile);
                break;
            case 'setBook':
                this.setBook(m.book);
                break;
        }
    }

    private traceOf(version: number): Record<string, number | string | undefined> {
        const t = this.pendingTimings.get(version) ?? this.timings.find((x) => x.version === version);
        return { ...t, postAt: Date.now(), lastEditEventAt: this.lastEditEventAt };
    }

    private recordTiming(timing: RenderTiming): void {
        this.timings.push(timing);
        if (this.timings.length > TIMINGS_KEPT) this.timings.shift();
        this.pendingTimings.set(timing.version, timing);
        // Updates the webview never painted (hidden, replaced) are not waited for forever.
        for (const v of this.pendingTimings.keys()) if (v < timing.version - 10) this.pendingTimings.delete(v);
    }

    private updateTitle(): void {
        const name = path.posix.basename(this.source.path);
        this.panel.title = this.locked ? `[Preview] ${name}` : `Preview ${name}`;
    }

    private shellHtml(): string {
        const webview = this.panel.webview;
        const nonce = crypto.randomBytes(16).toString('base64');
        const media = (file: string): string => webview.asWebviewUri(vscode.Uri.joinPath(this.host.extensionUri, 'client', 'media', file)).toString();
        const csp = [
            `default-src 'none'`,
            `img-src ${webview.cspSource} https: data:`,
            `style-src ${webview.cspSource} 'unsafe-inline'`,
            `script-src 'nonce-${nonce}'`,
        ].join('; ');
        return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('preview.css')}">
<style>${this.host.rendererCss}</style>
</head>
<body>
<header id="docbook-toolbar" class="docbook-toolbar" hidden></header>
<main id="docbook-content" class="docbook-preview"></main>
<template id="docbook-lock-icon">${lockIcon(this.host.extensionUri)}</template>
<script nonce="${nonce}" src="${media('preview.js')}"></script>
</body>
</html>`;
    }

    dispose(): void {
        if (this.disposed) return;
        this.disposed = true;
        if (this.timer) clearTimeout(this.timer);
        for (const resolve of this.stateRequests.values()) resolve(undefined);
        this.stateRequests.clear();
        this.disposeEmitter.fire();
        this.disposeEmitter.dispose();
        for (const s of this.subscriptions) s.dispose();
        this.panel.dispose();
    }
}

let lockSvg: string | undefined;

/** The codicon "lock" as inline SVG (client/media/codicons: CC-BY-4.0, see NOTICE there): no font or emoji needed, nothing to load. */
function lockIcon(extensionUri: vscode.Uri): string {
    lockSvg ??= fs.readFileSync(path.join(extensionUri.fsPath, 'client', 'media', 'codicons', 'lock.svg'), 'utf8').trim();
    return lockSvg;
}
