/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Drives a real VS Code (code-server in headless Chromium) from outside, the way an author does:
// real key events into the focused editor, and what the workbench SHOWS read back from its DOM
// (suggest widget, hover, Problems panel, status bar, tabs, the preview webview, the Books view).
// Nothing here calls the VS Code API or the language server: if VS Code shows nothing, the reads
// come back empty, whatever the server answered.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { CodeServer, openWorkbench, sleep, startCodeServer } from '../vscode/codeServer';

export interface SuggestState {
    /** Labels of every row of the list, paged through (the widget only renders visible rows). */
    labels: string[];
    /** Each row's kind as its icon shows it (`property`, `snippet`, `reference`, …), in the order of `labels`. */
    kinds: string[];
    /** The widget's message instead of rows ("No suggestions.", "Loading..."), if any. */
    message?: string;
}

/** Polls until `probe` returns something truthy; fails with `what` and the last value otherwise. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10000, intervalMs = 50): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    for (;;) {
        last = await probe();
        if (last) return last;
        if (Date.now() > deadline) break;
        await sleep(intervalMs);
    }
    assert.fail(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)?.slice(0, 300)})`);
}

export class Workbench {
    private constructor(readonly server: CodeServer, readonly page: Page) {}

    get workspace(): string {
        return this.server.workspace;
    }

    /** code-server on a copy of `tree`, the workbench open with this repository's extension, the server done indexing. */
    static async start(tree: string, prepare?: (workspace: string) => void, viewport = { width: 1600, height: 1000 }): Promise<Workbench> {
        const server = await startCodeServer({
            workspaceSrc: tree,
            tmpPrefix: 'docbook-keys-',
            logTag: '[keys]',
            viewport,
            prepare,
            keep: !!process.env.DOCBOOK_KEYS_KEEP,
            settings: {
                // A test that types must not rewrite the files it types into.
                'files.autoSave': 'off',
                'workbench.editor.closeEmptyGroups': false,
                'editor.minimap.enabled': false,
                // Quick open ranks by the typed path alone, not by what was opened before.
                'workbench.quickOpen.preserveInput': false,
                'search.quickOpen.history.filterSortOrder': 'recency',
                'workbench.tips.enabled': false,
                // Word suggestions off; showWords stays on: it also hides kind Text items (glossary terms).
                'editor.wordBasedSuggestions': 'off',
                'editor.acceptSuggestionOnEnter': 'on',
                'editor.hover.delay': 100,
                'chat.commandCenter.enabled': false,
                'workbench.secondarySideBar.defaultVisibility': 'hidden',
            },
        });
        const wb = new Workbench(server, server.page);
        try {
            await openWorkbench(server);
            await wb.page.waitForSelector('.monaco-workbench .part.editor', { timeout: 60000 });
            // The extension's status bar item reads "N books · N ids" once the workspace is indexed.
            await waitFor('the DocBook status bar item to show the indexed workspace', () =>
                wb.page.evaluate(() => [...document.querySelectorAll('.statusbar-item')].some((e) => /\d+ books? · \d+ ids?/.test(e.textContent ?? ''))), 90000, 250);
        } catch (err) {
            await server.stop();
            throw err;
        }
        return wb;
    }

    async stop(): Promise<void> {
        await this.server.stop();
    }

    /** A screenshot kept after the run (the workspace's temp dir is removed): DOCBOOK_KEYS_SHOTS or the temp dir. */
    async screenshot(name: string): Promise<string> {
        const dir = process.env.DOCBOOK_KEYS_SHOTS ?? path.join(os.tmpdir(), 'docbook-keys-screenshots');
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${path.basename(this.workspace)}-${name}.png`);
        await this.page.screenshot({ path: file });
        return file;
    }

    // ---- keys ----------------------------------------------------------------------------------

    async press(key: string): Promise<void> {
        await this.page.keyboard.press(key);
    }

    async type(text: string, delay = 0): Promise<void> {
        await this.page.keyboard.type(text, { delay });
    }

    /** Runs a command by its title through F1, as a user does. */
    async command(title: string): Promise<void> {
        await this.press('F1');
        const input = await this.page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
        await input.fill(`>${title}`);
        await waitFor(`"${title}" in the command palette`, () => this.page.evaluate((t) => {
            const first = document.querySelector('.quick-input-widget .monaco-list-row[data-index="0"]');
            return first?.getAttribute('aria-label')?.startsWith(t) || undefined;
        }, title));
        await this.press('Enter');
    }

    // ---- files and cursor ----------------------------------------------------------------------

    /** Ctrl+P, the workspace-relative path, Enter; waits for the file's tab to be the active one. */
    async open(rel: string): Promise<void> {
        await this.press('Control+P');
        const input = await this.page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
        await input.fill(rel);
        const base = path.basename(rel);
        const dir = path.dirname(rel);
        // Rows read e.g. "ch_pacemaker.xml doc/high-availability-guide, file results", or with the
        // absolute folder for recently opened files: the first row must be this file in this folder.
        let first = '';
        await waitFor(`${rel} at the top of quick open`, async () => {
            first = await this.page.evaluate(() => document.querySelector('.quick-input-widget .monaco-list-row[data-index="0"]')?.getAttribute('aria-label') ?? '');
            // (then maybe "unsaved changes"): the first row must be this file in this folder.
            return (first.startsWith(`${base} `) || first.startsWith(`${base},`)) && (dir === '.' || [` ${dir},`, ` ${dir} `, `/${dir},`, `/${dir} `].some((d) => first.includes(d))) || undefined;
        }).catch((err: Error) => assert.fail(`${err.message}; the first row reads "${first}"`));
        await this.press('Enter');
        await waitFor(`the ${base} tab to be active`, async () => (await this.activeTab()) === base);
        await waitFor(`the ${base} editor to have the keyboard focus`, () => this.page.evaluate(() => !!document.activeElement?.closest('.editor-group-container.active .monaco-editor')));
    }

    /** Ctrl+G line:col (1-based), as shown in the status bar. */
    async goTo(line: number, col: number): Promise<void> {
        await this.press('Control+G');
        const input = await this.page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
        await input.fill(`:${line}:${col}`); // Ctrl+G opens quick open with ":"
        await this.press('Enter');
        await waitFor(`the cursor at Ln ${line}, Col ${col}`, async () => {
            const c = await this.cursor();
            return c.line === line && c.col === col;
        });
    }

    /** The active editor tab's file name. */
    async activeTab(): Promise<string | undefined> {
        return this.page.evaluate(() => {
            const tab = document.querySelector('.editor-group-container.active .tab.active .label-name');
            return tab?.textContent ?? undefined;
        });
    }

    async activeTabDirty(): Promise<boolean> {
        return this.page.evaluate(() => !!document.querySelector('.editor-group-container.active .tab.active.dirty'));
    }

    /** The cursor as the status bar shows it ("Ln 12, Col 5"). */
    async cursor(): Promise<{ line: number; col: number }> {
        const text = await this.page.evaluate(() => document.querySelector('#status\\.editor\\.selection')?.textContent ?? '');
        const m = /Ln (\d+), Col (\d+)/.exec(text);
        return m ? { line: Number(m[1]), col: Number(m[2]) } : { line: 0, col: 0 };
    }

    /** The text of line `line` (1-based) as the editor renders it, if it is on screen. */
    async lineText(line: number): Promise<string | undefined> {
        return this.page.evaluate((n) => {
            const editor = document.querySelector('.editor-group-container.active .monaco-editor.focused') ?? document.querySelector('.editor-group-container.active .monaco-editor');
            const top = editor?.querySelector(`.margin-view-overlays .line-numbers`);
            if (!editor || !top) return undefined;
            // Line numbers and view lines share their `top` style.
            for (const num of editor.querySelectorAll('.margin-view-overlays > div')) {
                if (num.textContent?.trim() !== String(n)) continue;
                const t = (num as HTMLElement).style.top;
                for (const l of editor.querySelectorAll('.view-lines > .view-line')) {
                    if ((l as HTMLElement).style.top === t) return (l.textContent ?? '').replace(/\u00a0/g, ' ');
                }
            }
            return undefined;
        }, line);
    }

    /** Ctrl+Z until the tab is clean again (at most `max` times), then File: Revert File if it is not. */
    async undoAll(max = 200): Promise<void> {
        for (let i = 0; i < max && (await this.activeTabDirty()); i++) {
            await this.press('Control+Z');
            if (i % 10 === 9) await sleep(20);
        }
        if (await this.activeTabDirty()) await this.command('File: Revert File');
        await waitFor('the tab to be clean', async () => !(await this.activeTabDirty()));
    }

    /** Escape twice: closes widgets (suggest, hover, rename, menus) without touching the text. */
    async escape(): Promise<void> {
        await this.press('Escape');
        await this.press('Escape');
    }

    // ---- completion ----------------------------------------------------------------------------

    /**
     * Waits for the suggest widget to show rows or a message, then pages through every row.
     * Returns with the widget still open (the first row focused again).
     */
    async suggestions(timeoutMs = 15000): Promise<SuggestState> {
        const state = await waitFor('the suggest widget to show rows or a message', () => this.page.evaluate(() => {
            const w = document.querySelector('.monaco-editor .suggest-widget.visible');
            if (!w) return undefined;
            const msg = w.querySelector('.message') as HTMLElement | null;
            const message = msg && msg.style.display !== 'none' && msg.textContent ? msg.textContent : undefined;
            const rows = w.querySelectorAll('.monaco-list-row');
            if (message && /loading/i.test(message)) return undefined;
            if (!message && rows.length === 0) return undefined;
            return { message, rows: rows.length };
        }), timeoutMs);
        if (state.message && state.rows === 0) return { labels: [], kinds: [], message: state.message };
        // Only the visible rows exist; each row knows the list's length (aria-setsize): page down,
        // waiting for the focus to move, until every index was read.
        const seen = new Map<number, [string, string]>(); // index → [label, kind]
        const read = (): Promise<{ rows: [number, [string, string]][]; total: number; focused: number }> => this.page.evaluate(() => {
            const rows = [...document.querySelectorAll('.monaco-editor .suggest-widget.visible .monaco-list-row')];
            const focused = document.querySelector('.monaco-editor .suggest-widget.visible .monaco-list-row.focused');
            const kindOf = (r: Element): string => /\bcodicon-symbol-([\w-]+)/.exec(r.querySelector('.suggest-icon')?.className ?? '')?.[1] ?? '';
            return {
                rows: rows.map((r) => [Number(r.getAttribute('data-index')), [r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '', kindOf(r)]] as [number, [string, string]]),
                total: Number(rows[0]?.getAttribute('aria-setsize') ?? 0),
                focused: Number(focused?.getAttribute('data-index') ?? -1),
            };
        });
        // Rows are re-rendered templates: a read mid-render can pair a row with another's text.
        const settled = async (v: Awaited<ReturnType<typeof read>>): Promise<Awaited<ReturnType<typeof read>>> => {
            for (;;) {
                const again = await read();
                if (JSON.stringify(again) === JSON.stringify(v)) return again;
                v = again;
            }
        };
        let view = await settled(await read());
        for (const [i, row] of view.rows) seen.set(i, row);
        while (seen.size < view.total) {
            const before = view.focused;
            await this.press('PageDown');
            view = await waitFor('the suggest list to page down', async () => {
                const v = await read();
                return v.focused !== before && v.rows.some(([i]) => i === v.focused) ? v : undefined;
            }, 3000, 10);
            view = await settled(view);
            for (const [i, row] of view.rows) seen.set(i, row);
        }
        // Back to the first row (Home would move the editor's cursor and close the list).
        while (view.focused > 0) {
            const before = view.focused;
            await this.press('PageUp');
            view = await waitFor('the suggest list to page up', async () => {
                const v = await read();
                return v.focused !== before ? v : undefined;
            }, 3000, 10);
        }
        const rows = [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
        return { labels: rows.map(([l]) => l), kinds: rows.map(([, k]) => k), message: state.message };
    }

    /** Types `text`, then (if no list popped up by itself) asks with Ctrl+Space, and reads the list. */
    async typeAndSuggest(text: string): Promise<SuggestState> {
        await this.type(text);
        const popped = await this.page.waitForSelector('.monaco-editor .suggest-widget.visible', { timeout: 1500 }).then(() => true, () => false);
        if (!popped) await this.press('Control+Space');
        return this.suggestions();
    }

    /** Focuses the row labelled `label` (typing filters the list) and accepts it with Enter. */
    async acceptSuggestion(label: string): Promise<void> {
        let reopened = 0;
        for (let i = 0; i < 400; i++) {
            const focused = await this.page.evaluate(() =>
                document.querySelector('.monaco-editor .suggest-widget.visible .monaco-list-row.focused .label-name')?.textContent ?? undefined);
            if (focused === label) {
                await this.press('Enter');
                return;
            }
            if (focused === undefined) {
                // The list closed under us (a re-render while it was paged): open it again, as a user would.
                if (reopened++ >= 3) break;
                await this.press('Control+Space');
                await this.page.waitForSelector('.monaco-editor .suggest-widget.visible .monaco-list-row.focused', { timeout: 5000 }).catch(() => undefined);
                continue;
            }
            await this.press('ArrowDown');
        }
        assert.fail(`no suggestion "${label}" to accept`);
    }

    // ---- hover, problems, navigation -----------------------------------------------------------

    /** Ctrl+K Ctrl+I (Show Hover) at the cursor; the hover's text. */
    async hover(): Promise<string> {
        await this.press('Control+K');
        await this.press('Control+I');
        return waitFor('a hover', () => this.page.evaluate(() => {
            const h = document.querySelector('.monaco-hover:not(.hidden) .monaco-hover-content');
            return h?.textContent?.trim() || undefined;
        }));
    }

    /**
     * The Problems panel's problems of the file named `fileName` (the marker rows under its file row:
     * their aria labels, "Error: MESSAGE at line N and character M. generated by SOURCE", and the
     * source and code they show) once they satisfy `ready`. The panel is filtered by the file name's text so that its
     * rows fit on screen (the list only renders visible rows).
     */
    async problemsOf(fileName: string, ready: (rows: ProblemRow[]) => boolean, timeoutMs = 20000): Promise<ProblemRow[]> {
        await this.command('View: Focus Problems (Errors, Warnings, Infos)');
        const input = await this.page.waitForSelector('.markers-panel-action-filter input, .viewpane-filter input', { timeout: 5000 });
        await input.fill(`**/${fileName}`);
        let rows: ProblemRow[] = [];
        let all: string[] = [];
        await waitFor(`the Problems panel's rows for ${fileName} as expected`, async () => {
            ({ rows, all } = await this.page.evaluate((name) => {
                const out: { label: string; source: string; code: string }[] = [];
                const seen: string[] = [];
                let inFile = false;
                for (const r of document.querySelectorAll('.markers-panel .monaco-list-row')) {
                    const label = r.getAttribute('aria-label') ?? r.textContent ?? '';
                    seen.push(label);
                    // File rows are level 1, their problems level 2.
                    if (r.getAttribute('aria-level') === '1') inFile = (r.querySelector('.label-name')?.textContent ?? '') === name;
                    else if (inFile) out.push({ label, source: r.querySelector('.marker-source')?.textContent ?? '', code: r.querySelector('.marker-code')?.textContent ?? '' });
                }
                return { rows: out, all: seen };
            }, fileName));
            return ready(rows) || undefined;
        }, timeoutMs, 250).catch((err: Error) => assert.fail(`${err.message}; rows: ${JSON.stringify(all).slice(0, 800)}; the file's: ${JSON.stringify(rows.map((r) => `${r.label.slice(0, 200)}…${r.label.slice(-80)} ${r.source}(${r.code})`))}`));
        await input.fill('');
        return rows;
    }

    async frames(): Promise<Frame[]> {
        return this.page.frames();
    }

    /** Ctrl+K V, the extension's key binding for "DocBook: Open Preview to the Side". */
    async openPreviewToSide(): Promise<void> {
        // The binding is live once the extension has marked the editor as DocBook (a moment after opening).
        for (let attempt = 0; attempt < 4; attempt++) {
            await this.press('Control+K');
            await this.press('V');
            if (await this.previewFrame(5000).then(() => true, () => false)) return;
            await this.press('Control+1');
        }
    }

    /** The preview webview's frame: the one with the preview's `#docbook-content`. */
    async previewFrame(timeoutMs = 15000): Promise<Frame> {
        return waitFor('the preview webview', async () => {
            for (const f of this.page.frames()) {
                const ok = await f.evaluate(() => !!document.getElementById('docbook-content')).catch(() => false);
                if (ok) return f;
            }
            return undefined;
        }, timeoutMs, 200);
    }

    /** The Books view's rendered rows (only the visible ones exist). */
    async booksViewRows(): Promise<BookRow[]> {
        return this.page.evaluate(() => {
            const pane = [...document.querySelectorAll('.pane')].find((p) => p.querySelector('.pane-header')?.textContent?.includes('DocBook Books'));
            if (!pane) return [];
            return [...pane.querySelectorAll('.monaco-list-row')].map((r) => ({
                index: Number(r.getAttribute('data-index')),
                label: r.querySelector('.label-name')?.textContent ?? r.getAttribute('aria-label') ?? '',
                level: Number(r.getAttribute('aria-level')),
                expanded: r.hasAttribute('aria-expanded') ? r.getAttribute('aria-expanded') === 'true' : undefined,
            }));
        });
    }

    /**
     * Scrolls the Books view with the mouse wheel from its top down until `found` holds for the rows
     * seen so far (in list order), or the list ends; returns those rows.
     */
    async booksViewScan(found: (rows: BookRow[]) => boolean): Promise<BookRow[]> {
        const box = await this.page.evaluate(() => {
            const pane = [...document.querySelectorAll('.pane')].find((p) => p.querySelector('.pane-header')?.textContent?.includes('DocBook Books'));
            const r = pane?.querySelector('.monaco-list')?.getBoundingClientRect();
            return r && r.height > 0 ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : undefined;
        });
        if (!box) return [];
        await this.page.mouse.move(box.x, box.y);
        const seen = new Map<number, BookRow>();
        const first = async (): Promise<number> => Math.min(...(await this.booksViewRows()).map((r) => r.index));
        if ((await first()) > 0) {
            // Not at the top yet after a while: the scan starts lower, and the caller asks again.
            await waitFor('the Books view at its top', async () => {
                await this.page.mouse.wheel(0, -2000);
                return (await first()) === 0 || undefined;
            }, 3000, 50).catch(() => undefined);
        }
        for (;;) {
            for (const r of await this.booksViewRows()) seen.set(r.index, r);
            const rows = [...seen.values()].sort((a, b) => a.index - b.index);
            if (found(rows)) return rows;
            const before = await first();
            await this.page.mouse.wheel(0, 200);
            const moved = await waitFor('the Books view to scroll', async () => (await first()) !== before || undefined, 1000, 20).then(() => true, () => false);
            if (!moved) return rows;
        }
    }
}

export interface ProblemRow {
    /** The row's aria label: severity, message, line and character, source. */
    label: string;
    /** The row's "source(code)", e.g. "docbook" and "schema". */
    source: string;
    code: string;
}

export interface BookRow {
    index: number;
    label: string;
    level: number;
    expanded: boolean | undefined;
}
