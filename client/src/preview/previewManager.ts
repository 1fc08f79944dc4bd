// The preview commands and the wiring of previews to editors, as VS Code's Markdown preview does
// it: an unlocked preview follows the active DocBook editor, edits re-render, scrolling syncs both
// ways, and previews come back after a reload (webview serializer).

import * as vscode from 'vscode';
import { isDocbookDocument } from '../docbookDocuments';
import { DocbookServer } from '../docbookServer';
import { PreviewState } from './messages';
import { PREVIEW_VIEW_TYPE, PreviewHost, PreviewPanel } from './previewPanel';

interface PreviewConfig {
    profile: Record<string, string>;
    scrollPreviewWithEditor: boolean;
    scrollEditorWithPreview: boolean;
    doubleClickToSwitchToEditor: boolean;
}

function previewConfig(): PreviewConfig {
    const c = vscode.workspace.getConfiguration('docbook.preview');
    const profile = c.get<Record<string, unknown>>('profile') ?? {};
    return {
        profile: Object.fromEntries(Object.entries(profile).filter(([, v]) => typeof v === 'string' && v)) as Record<string, string>,
        scrollPreviewWithEditor: c.get<boolean>('scrollPreviewWithEditor', true),
        scrollEditorWithPreview: c.get<boolean>('scrollEditorWithPreview', true),
        doubleClickToSwitchToEditor: c.get<boolean>('doubleClickToSwitchToEditor', true),
    };
}

export class PreviewManager implements PreviewHost, vscode.Disposable {
    private readonly panels = new Set<PreviewPanel>();
    private readonly subscriptions: vscode.Disposable[] = [];
    /** Editor scrolls we caused from the preview, not to be echoed back to it. */
    private readonly ownEditorScrolls = new Map<string, number>();

    constructor(
        readonly extensionUri: vscode.Uri,
        readonly server: DocbookServer,
        readonly rendererCss: string,
        readonly ensureServing: () => Promise<void>,
    ) {
        this.subscriptions.push(
            vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
                deserializeWebviewPanel: async (panel, state: PreviewState | undefined) => {
                    if (!state?.source) {
                        panel.dispose();
                        return;
                    }
                    this.track(PreviewPanel.revive(this, panel, state));
                },
            }),
            vscode.workspace.onDidChangeTextDocument((e) => {
                if (e.contentChanges.length === 0) return;
                for (const p of this.panels) if (p.shows(e.document.uri)) p.sourceEdited();
            }),
            vscode.window.onDidChangeActiveTextEditor((editor) => {
                if (!editor || !isDocbookDocument(editor.document)) return;
                for (const p of this.panels) if (!p.locked) p.setSource(editor.document.uri, this.firstVisibleLine(editor.document.uri));
            }),
            vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.editorScrolled(e)),
            vscode.workspace.onDidChangeConfiguration((e) => {
                if (e.affectsConfiguration('docbook')) this.refreshAll();
            }),
            // A re-index (a saved include, a new book) can change numbers and xref texts.
            server.onStatus((s) => { if (s.state === 'ready') this.refreshAll(); }),
        );
    }

    get previews(): ReadonlySet<PreviewPanel> {
        return this.panels;
    }

    /** Opens (or re-targets) the unlocked preview for a document. */
    async show(uri: vscode.Uri, options: { toSide: boolean; locked?: boolean }): Promise<PreviewPanel> {
        await this.ensureServing();
        const active = vscode.window.activeTextEditor;
        const column = options.toSide
            ? vscode.ViewColumn.Beside
            : active?.viewColumn ?? vscode.ViewColumn.Active;
        if (!options.locked) {
            const existing = [...this.panels].find((p) => !p.locked);
            if (existing) {
                existing.setSource(uri, this.firstVisibleLine(uri));
                existing.panel.reveal(options.toSide ? existing.panel.viewColumn : column, true);
                return existing;
            }
        }
        const config = previewConfig();
        const preview = PreviewPanel.create(this, uri, column, { locked: !!options.locked, profile: config.profile, scrollLine: this.firstVisibleLine(uri) });
        this.track(preview);
        return preview;
    }

    /** The preview the user is looking at: the active panel, else the only one. */
    activePreview(): PreviewPanel | undefined {
        const all = [...this.panels];
        return all.find((p) => p.isActive) ?? (all.length === 1 ? all[0] : undefined);
    }

    previewOf(uri: vscode.Uri): PreviewPanel | undefined {
        const u = uri.toString();
        return [...this.panels].find((p) => p.source.toString() === u);
    }

    refreshAll(): void {
        for (const p of this.panels) p.requestUpdate(0);
    }

    async openSource(file: vscode.Uri, line: number, preview: PreviewPanel): Promise<void> {
        if (!previewConfig().doubleClickToSwitchToEditor) return;
        await this.openAt(file, new vscode.Range(line, 0, line, 0), preview);
    }

    async openTarget(file: vscode.Uri, line: number, preview: PreviewPanel): Promise<void> {
        await this.openAt(file, new vscode.Range(line, 0, line, 0), preview);
    }

    /** An xref whose target is not in the preview and unknown to the renderer: ask the index. */
    async openId(id: string, preview: PreviewPanel): Promise<void> {
        const symbols = await vscode.commands.executeCommand<vscode.SymbolInformation[] | undefined>('vscode.executeWorkspaceSymbolProvider', id);
        // The server names id symbols "id — title" (or just "id").
        const target = (symbols ?? []).find((s) => s.name === id || s.name.startsWith(`${id} — `));
        if (!target) {
            void vscode.window.showWarningMessage(`No element has the id "${id}".`);
            return;
        }
        await this.openAt(target.location.uri, target.location.range, preview);
    }

    private async openAt(file: vscode.Uri, range: vscode.Range, preview: PreviewPanel): Promise<void> {
        const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === file.toString());
        const previewColumn = preview.panel.viewColumn;
        const column = visible?.viewColumn
            ?? vscode.window.visibleTextEditors.find((e) => e.viewColumn !== previewColumn)?.viewColumn
            ?? (previewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
        const editor = await vscode.window.showTextDocument(file, { viewColumn: column, selection: range });
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }

    revealLineInEditors(file: vscode.Uri, line: number): void {
        if (!previewConfig().scrollEditorWithPreview) return;
        for (const editor of vscode.window.visibleTextEditors) {
            if (editor.document.uri.toString() !== file.toString()) continue;
            const top = Math.max(0, Math.min(Math.floor(line), editor.document.lineCount - 1));
            // Already there (give or take the rounding between the two views): leave it.
            if (editor.visibleRanges.length && Math.abs(editor.visibleRanges[0].start.line - top) <= 1) continue;
            this.ownEditorScrolls.set(file.toString(), Date.now());
            editor.revealRange(new vscode.Range(top, 0, top, 0), vscode.TextEditorRevealType.AtTop);
        }
    }

    /** Where a preview of `uri` opens: the first line its editor shows (the active one first), if synced. */
    private firstVisibleLine(uri: vscode.Uri): number | undefined {
        if (!previewConfig().scrollPreviewWithEditor) return undefined;
        const u = uri.toString();
        const active = vscode.window.activeTextEditor;
        const editor = active?.document.uri.toString() === u ? active : vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === u);
        return editor?.visibleRanges[0]?.start.line;
    }

    private editorScrolled(e: vscode.TextEditorVisibleRangesChangeEvent): void {
        const uri = e.textEditor.document.uri;
        const own = this.ownEditorScrolls.get(uri.toString());
        if (own !== undefined && Date.now() - own < 300) return;
        if (!e.visibleRanges.length || !previewConfig().scrollPreviewWithEditor) return;
        const line = e.visibleRanges[0].start.line;
        for (const p of this.panels) if (p.shows(uri)) p.scrollToLine(uri, line);
    }

    private track(preview: PreviewPanel): void {
        this.panels.add(preview);
        preview.onDidDispose(() => this.panels.delete(preview));
    }

    dispose(): void {
        for (const p of [...this.panels]) p.dispose();
        for (const s of this.subscriptions) s.dispose();
    }
}
