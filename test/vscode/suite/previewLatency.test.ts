// Typing into a chapter with its preview open, at a slow and a fast typist's pace, and where the
// time goes between each edit and the webview's paint (the panel's per-render timings).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { RenderTiming, stagesOf, stageSummary } from '../../../client/src/preview/timings';
import { closeTextEditors, extensionApi, includedFiles, openEditor, sleep, waitFor, xmlFiles, XmlFile } from './helpers';

/** Bytes of a file and of everything it includes (relative hrefs), as a stand-in for its rendered size. */
function sizeWithIncludes(file: string, seen = new Set<string>()): number {
    if (seen.has(file) || !fs.existsSync(file)) return 0;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    let size = text.length;
    for (const m of text.matchAll(/<xi:include\s[^>]*?href="((?![a-z]+:)[^"]+)"/g)) size += sizeWithIncludes(path.resolve(path.dirname(file), m[1]), seen);
    return size;
}

/** The biggest chapter of a book with a paragraph of its own to type into. */
function biggestChapter(): XmlFile {
    const inBooks = includedFiles();
    const chapters = xmlFiles().filter((f) => f.root === 'chapter' && inBooks.has(f.path) && /<para>/.test(f.text));
    assert.ok(chapters.length, 'no chapter with a paragraph');
    return chapters.map((c) => ({ c, size: sizeWithIncludes(c.path) })).sort((a, b) => b.size - a.size)[0].c;
}

interface WordResult {
    /** Renders made while the word was typed and until it showed. */
    renders: RenderTiming[];
    /** The render that showed the whole word. */
    last: RenderTiming;
    /** When the word's last key was typed. */
    lastKeyAt: number;
}

/** Types `word` one character every `intervalMs` at the cursor, then waits for the preview to paint it. */
async function typeWord(editor: vscode.TextEditor, timings: RenderTiming[], word: string, intervalMs: number): Promise<WordResult> {
    const from = timings.length;
    let lastKeyAt = 0;
    for (const ch of word) {
        const started = Date.now();
        await vscode.commands.executeCommand('type', { text: ch });
        lastKeyAt = Date.now();
        await sleep(Math.max(0, intervalMs - (Date.now() - started)));
    }
    const version = editor.document.version;
    assert.ok(editor.document.getText().includes(word), `"${word}" was not typed into the editor`);
    const last = await waitFor(`a painted render of document version ${version}`,
        () => timings.slice(from).find((t) => (t.documentVersion ?? 0) >= version && t.paintedAt !== undefined), 20000, 5);
    return { renders: timings.slice(from, timings.indexOf(last) + 1), last, lastKeyAt };
}

function table(title: string, timings: RenderTiming[]): string {
    const summary = stageSummary(timings);
    if (!summary) return `${title}: no finished render`;
    return `${title} (${timings.length} renders), ms p50/p95: ` + Object.entries(summary).map(([k, v]) => `${k} ${v.p50}/${v.p95}`).join(', ');
}

describe('Preview latency while typing', () => {
    before(async function () {
        this.timeout(60000);
        await (await extensionApi()).whenReady();
        await vscode.workspace.getConfiguration('workbench.editor').update('closeEmptyGroups', false, vscode.ConfigurationTarget.Global);
    });
    afterEach(closeTextEditors);

    for (const intervalMs of [150, 30]) {
        it(`shows each word typed ${intervalMs} ms per key, rendering at most one stale text after the last key`, async function () {
            this.timeout(180000);
            const api = await extensionApi();
            const chapter = biggestChapter();
            const editor = await openEditor(chapter.path);
            // code-server sometimes never loads a webview opened right after another one closed (its
            // service worker hands over; desktop VS Code does not): open it again rather than wait forever.
            for (let attempt = 1; ; attempt++) {
                await vscode.commands.executeCommand('docbook.showPreviewToSide');
                const preview = await waitFor('the preview', () => api.previews.previewOf(editor.document.uri));
                try {
                    await waitFor('a first render', async () => (await api.previewHtmlFor(editor.document.uri))?.includes('data-line'), 15000);
                    break;
                } catch (e) {
                    if (attempt === 3) throw e;
                    preview.dispose();
                    await sleep(500);
                }
            }
            // Into the chapter's first paragraph; the editor keeps the focus (the preview opened beside it).
            const at = editor.document.positionAt(editor.document.getText().indexOf('<para>') + '<para>'.length);
            await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
            editor.selection = new vscode.Selection(at, at);

            const words = process.env.DOCBOOK_LATENCY_WORDS ? Number(process.env.DOCBOOK_LATENCY_WORDS) : 6;
            const results: WordResult[] = [];
            for (let i = 0; i < words; i++) {
                results.push(await typeWord(editor, api.previewTimingsFor(editor.document.uri) as RenderTiming[], `qzx${String.fromCharCode(97 + i)}wordy `, intervalMs));
                await sleep(200);
            }
            const all = results.flatMap((r) => r.renders);
            console.log(`      ${path.basename(chapter.path)}, ${intervalMs} ms per key:`);
            console.log(`        ${table('every render', all)}`);
            console.log(`        ${table('the render showing the last key', results.map((r) => r.last))}`);
            // Never more than one render behind: after the last key, at most one render of an older
            // text goes to the webview (the one that was in flight), then the latest.
            for (const r of results) {
                const stale = r.renders.filter((t) => t.version < r.last.version && t.postAt !== undefined && t.postAt > r.lastKeyAt);
                assert.ok(stale.length <= 1, `${stale.length} renders of older text were sent after the last key of "${r.last.version}"`);
            }
            for (const r of results) {
                const stages = stagesOf(r.last);
                assert.ok(stages, `the render of version ${r.last.documentVersion} reported no timings: ${JSON.stringify(r.last)}`);
                for (const [stage, ms] of Object.entries(stages)) assert.ok(ms >= -5 && ms < 60000, `${stage}: ${ms} ms`);
            }
        });
    }
});
