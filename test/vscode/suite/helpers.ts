// Shared by the extension tests: the extension's API, polling, and facts about the opened
// workspace copy read straight from its files (so expectations never come from the code under test).

import { rootElement } from '../../helpers';
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DocbookExtensionApi } from '../../../client/src/extension';

export const EXTENSION_ID = 'openstack-docs-tools.docbook-openstack';

export function workspaceRoot(): string {
    const root = process.env.DOCBOOK_TEST_WORKSPACE;
    assert.ok(root, 'DOCBOOK_TEST_WORKSPACE is not set (run through runInCodeServer)');
    return root;
}

export async function extensionApi(): Promise<DocbookExtensionApi> {
    const ext = vscode.extensions.getExtension<DocbookExtensionApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
    return ext.isActive ? ext.exports : ext.activate();
}

/** Polls until `probe` returns something truthy; fails with `what` and the last value otherwise. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15000, intervalMs = 50): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    while (Date.now() < deadline) {
        last = await probe();
        if (last) return last;
        await sleep(intervalMs);
    }
    assert.fail(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 500)})`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function openEditor(file: string, column = vscode.ViewColumn.One): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(file);
    return vscode.window.showTextDocument(document, { viewColumn: column, preview: false });
}

async function revertAll(): Promise<void> {
    for (const document of vscode.workspace.textDocuments) {
        if (!document.isDirty) continue;
        await vscode.window.showTextDocument(document);
        await vscode.commands.executeCommand('workbench.action.files.revert');
    }
}

/** Reverts and closes every editor, so that edits of one test never leak into the next. */
export async function closeAll(): Promise<void> {
    await revertAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Reverts and closes the text editors but keeps webviews open. code-server serves every webview
 * from one origin, and a webview created right after another was closed sometimes waits forever
 * for the previous one's service worker to hand over; keeping the preview open avoids that.
 */
export async function closeTextEditors(): Promise<void> {
    await revertAll();
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText);
    await vscode.window.tabGroups.close(tabs);
}

export async function insertText(editor: vscode.TextEditor, offset: number, text: string): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(editor.document.uri, editor.document.positionAt(offset), text);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied');
}

// ---- facts about the workspace, from its files --------------------------------------------------

export interface XmlFile {
    path: string;
    text: string;
    /** Name of the root element (prefix stripped). */
    root: string | undefined;
}

let cached: XmlFile[] | undefined;

export function xmlFiles(): XmlFile[] {
    if (cached) return cached;
    const out: XmlFile[] = [];
    const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            if (e.name === '.git' || e.name === 'node_modules' || e.name === 'target') continue;
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith('.xml')) {
                const text = fs.readFileSync(p, 'utf8');
                out.push({ path: p, text, root: rootElement(text) });
            }
        }
    };
    walk(workspaceRoot());
    cached = out.sort((a, b) => a.path.localeCompare(b.path));
    return cached;
}

/** Text content with tags dropped and whitespace normalised, as a title reads. */
export function plainText(xml: string): string {
    return xml.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
}

/** The first <title> of a file (the root's, in these books). */
export function firstTitle(text: string): string | undefined {
    const m = /<title(?:\s[^>]*)?>([\s\S]*?)<\/title>/.exec(text);
    return m ? plainText(m[1]) : undefined;
}

export function idDefinitions(): Map<string, { file: string; offset: number }[]> {
    const ids = new Map<string, { file: string; offset: number }[]>();
    for (const f of xmlFiles()) {
        for (const m of f.text.matchAll(/\sxml:id\s*=\s*"([^"]+)"/g)) {
            const list = ids.get(m[1]) ?? [];
            list.push({ file: f.path, offset: m.index! + m[0].indexOf('"') + 1 });
            ids.set(m[1], list);
        }
    }
    return ids;
}

export function bookFiles(): XmlFile[] {
    return xmlFiles().filter((f) => f.root === 'book' || f.root === 'set');
}

/** Files that an xi:include of some other file names (relative hrefs only). */
export function includedFiles(): Set<string> {
    const out = new Set<string>();
    for (const f of xmlFiles()) {
        for (const m of f.text.matchAll(/<xi:include\s[^>]*?href\s*=\s*"([^"]+)"/g)) {
            if (/^[a-z]+:/i.test(m[1])) continue;
            out.add(path.resolve(path.dirname(f.path), m[1]));
        }
    }
    return out;
}

export function offsetToPosition(text: string, offset: number): vscode.Position {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}

export function labelOf(item: vscode.CompletionItem): string {
    return typeof item.label === 'string' ? item.label : item.label.label;
}

type PreviewOf = NonNullable<ReturnType<DocbookExtensionApi['previews']['previewOf']>>;

/**
 * Opens the preview of `editor`'s document to the side and waits until it shows HTML that `shows`
 * accepts. code-server sometimes never loads a webview opened right after another one closed (its
 * service worker hands over; desktop VS Code does not): the preview is opened again, up to three
 * times, rather than waited for forever.
 */
export async function openPreviewBeside(
    editor: vscode.TextEditor, what: string, shows: (html: string) => boolean,
): Promise<{ preview: PreviewOf; html: string }> {
    const api = await extensionApi();
    for (let attempt = 1; ; attempt++) {
        await vscode.commands.executeCommand('docbook.showPreviewToSide');
        const preview = await waitFor('the preview', () => api.previews.previewOf(editor.document.uri));
        try {
            const html = await waitFor(what, async () => {
                const h = await api.previewHtmlFor(editor.document.uri);
                return h !== undefined && shows(h) ? h : undefined;
            }, 10000);
            return { preview, html };
        } catch (e) {
            if (attempt === 3) throw e;
            preview.dispose();
            await sleep(500);
            await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
        }
    }
}
