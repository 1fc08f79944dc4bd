// The preview webview's script (client/media/preview.js) in headless Chromium, fed the updates the
// extension sends while an author types into the largest corpus chapter: each keystroke's HTML as
// a change from the previous one. After every update the DOM must be exactly what parsing the
// whole new HTML gives, and a word typed inside a paragraph must be applied by re-parsing that one
// block (the cheap path that keeps the preview within a frame of the keystroke).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { textEdit } from '../../server/src/core/textDiff';
import { providePreview } from '../../server/src/features/preview';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { CORPUS, contextOf, requireCorpus, skipBecause } from '../helpers';

const CHROMIUM = '/usr/bin/chromium';
const PREVIEW_JS = path.resolve(__dirname, '../../../client/media/preview.js');

interface Rendered { type: string; version: number; patch: string }

/** A page holding the webview's shell and script, with acquireVsCodeApi recording what it posts. */
async function webviewPage(browser: Browser): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
    await page.setContent(`<!DOCTYPE html><html><body>
<header id="docbook-toolbar" hidden></header><main id="docbook-content"></main>
<template id="docbook-lock-icon"><svg></svg></template></body></html>`);
    await page.evaluate(`window.__posted = []; window.acquireVsCodeApi = () => ({
        postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => undefined });`);
    await page.addScriptTag({ content: fs.readFileSync(PREVIEW_JS, 'utf8') });
    return page;
}

/** Sends an update and waits for the webview to report it on screen. */
async function sendUpdate(page: Page, message: Record<string, unknown>): Promise<Rendered> {
    await page.evaluate((m) => window.postMessage(m, '*'), message);
    await page.waitForFunction((v) => (window as unknown as { __posted: Rendered[] }).__posted.some((p) => p.type === 'rendered' && p.version === v), message.version, { timeout: 10_000 });
    return page.evaluate((v) => (window as unknown as { __posted: Rendered[] }).__posted.find((p) => p.type === 'rendered' && p.version === v)!, message.version);
}

/** Whether the webview's body is exactly the DOM that parsing `html` afresh gives (attribute order aside). */
function showsExactly(page: Page, html: string): Promise<boolean> {
    return page.evaluate((h) => {
        const fresh = document.createElement('template');
        fresh.innerHTML = h;
        const shown = [...document.getElementById('docbook-content')!.childNodes];
        const expected = [...fresh.content.childNodes];
        return shown.length === expected.length && shown.every((n, i) => n.isEqualNode(expected[i]));
    }, html);
}

/** Where the `k`-th paragraph with a run of text starts its text in `text`, 6 characters in. */
function inParagraph(text: string, k: number): number {
    const found = [...text.matchAll(/<para>[^<\n]{12,}/g)];
    return found[Math.min(k, found.length - 1)].index! + '<para>'.length + 6;
}

describe('preview updates in headless Chromium', function () {
    this.timeout(180_000);
    let browser: Browser;

    before(async function () {
        if (!fs.existsSync(CHROMIUM)) skipBecause(this, `${CHROMIUM} missing (apt-get install -y chromium)`);
        requireCorpus(this);
        browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    });

    after(async () => {
        await browser?.close();
    });

    it('applies each keystroke of an author typing into a chapter as the whole new HTML would show, a word in a paragraph by re-parsing that block', async () => {
        const tree = path.join(CORPUS, 'training-guides');
        const index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
        await index.addFolder(tree);
        // The chapter is a shell; its text is in the files it includes: type into the one with the
        // most paragraphs, the chapter previewed (as the benchmarks do).
        const chapter = path.join(tree, 'doc/training-guides/associate-guide/ch_associate-controller-node.xml');
        const paragraphCount = (t: string): number => [...t.matchAll(/<para>[^<\n]{12,}/g)].length;
        const typedInto = (await providePreview(contextOf(index), { file: chapter })).sourceMap.files
            .map((f) => ({ f, n: paragraphCount(fs.readFileSync(f, 'utf8')) })).sort((a, b) => b.n - a.n)[0].f;
        const original = fs.readFileSync(typedInto, 'utf8');
        const render = async (text: string, version: number): Promise<string> => {
            await index.setOpenDocument(typedInto, text, version);
            return (await providePreview(contextOf(index), { file: chapter })).html;
        };

        const page = await webviewPage(browser);
        const base = { type: 'update', source: 'file:///chapter.xml', locked: false, profile: {}, book: undefined, title: 'Chapter', books: [], profileValues: {}, files: [] };
        let version = 1;
        let text = original;
        let html = await render(text, version);
        assert.strictEqual((await sendUpdate(page, { ...base, version, html })).patch, 'replace');
        assert.ok(await showsExactly(page, html), 'the first render shows the whole HTML');

        /** Edits the source, renders it, sends the change and checks the DOM; returns how the webview patched. */
        const step = async (edit: (t: string) => string): Promise<string> => {
            text = edit(text);
            version++;
            const next = await render(text, version);
            const rendered = await sendUpdate(page, { ...base, version, html: '', htmlEdit: { baseVersion: version - 1, ...textEdit(html, next) } });
            html = next;
            assert.ok(await showsExactly(page, html), `update ${version} shows exactly the new HTML (${rendered.patch})`);
            return rendered.patch;
        };

        // Words typed a character at a time into paragraphs spread over the chapter.
        const count = paragraphCount(original);
        assert.ok(count >= 5, 'the chapter has paragraphs to type into');
        const patches: string[] = [];
        for (const k of [0, Math.floor(count / 2), count - 1]) {
            const at = inParagraph(text, k);
            for (const [i, ch] of [...' typed'].entries()) patches.push(await step((t) => t.slice(0, at + i) + ch + t.slice(at + i)));
        }
        assert.deepStrictEqual(patches.filter((p) => p !== 'block'), [], 'every character typed in a paragraph re-parsed just its block');

        // A fast typist's updates that arrive within one frame are applied together: only the last
        // is put on screen (and reported), still by re-parsing one block.
        const burst: Record<string, unknown>[] = [];
        const burstAt = inParagraph(text, 1);
        for (const ch of 'abc') {
            text = text.slice(0, burstAt) + ch + text.slice(burstAt);
            version++;
            const next = await render(text, version);
            burst.push({ ...base, version, html: '', htmlEdit: { baseVersion: version - 1, ...textEdit(html, next) } });
            html = next;
        }
        // Dispatched in one task, so that no frame can come between them.
        await page.evaluate((ms) => { for (const m of ms) window.dispatchEvent(new MessageEvent('message', { data: m })); }, burst);
        await page.waitForFunction((v) => (window as unknown as { __posted: Rendered[] }).__posted.some((p) => p.type === 'rendered' && p.version === v), version);
        const reported = await page.evaluate((vs) => (window as unknown as { __posted: Rendered[] }).__posted.filter((p) => p.type === 'rendered' && vs.includes(p.version)), burst.map((m) => m.version as number));
        assert.deepStrictEqual(reported.map((r) => [r.version, r.patch]), [[version, 'block']], 'one patch for the three updates');
        assert.ok(await showsExactly(page, html), 'the burst shows exactly the last HTML');

        // Edits whose HTML changes across blocks: a new line (every later data-line moves), a title
        // (its text shows in the table of contents too), a new paragraph, an unclosed tag, and back.
        const title = /<title>([^<]+)<\/title>/.exec(original)!;
        await step((t) => t.slice(0, inParagraph(t, 1)) + '\n' + t.slice(inParagraph(t, 1)));
        await step((t) => t.replace(`<title>${title[1]}</title>`, `<title>${title[1]} renamed</title>`));
        await step((t) => t.slice(0, inParagraph(t, 2) - 12) + '<para>A new paragraph.</para>\n' + t.slice(inParagraph(t, 2) - 12));
        await step((t) => t.slice(0, inParagraph(t, 3)) + '<emphasis>half typed' + t.slice(inParagraph(t, 3)));
        await step(() => original);
        await page.close();
    });
});
