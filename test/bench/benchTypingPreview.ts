// Typing → preview latency in a real VS Code (code-server + headless Chromium, test/keys/driver):
// the largest chapter of a tree (by the size of what its preview renders: the chapter and what it
// includes) open with its preview beside it; words typed with real key events at 150 ms and at
// 30 ms per key; for each word, the time from its last keydown (a listener in the workbench page)
// to the preview's DOM holding the word (a MutationObserver in the webview's frame). Both stamps
// are Date.now() of the same browser on the same machine clock. Prints p50/p95/max per speed.
// A script that prints figures, not a test.
//
// With DOCBOOK_BENCH_TRACE set, the extension sends each update's stages along and the bench prints,
// per word, where its time went (keydown → edit event in the extension host → request → answer →
// post → received in the webview → patched).
//
// Usage: node out/test/bench/benchTypingPreview.js [TREE] [--words N] [--delays 150,30]   (npm run bench:typing)

/// <reference lib="dom" />
import * as path from 'path';
import { corpusTree } from '../vscode/codeServer';
import { waitFor, Workbench } from '../keys/driver';
import { TreeFacts } from '../keys/treeFacts';

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const wordsAt = args.indexOf('--words');
    const count = wordsAt >= 0 ? Number(args[wordsAt + 1]) : 20;
    const delaysAt = args.indexOf('--delays');
    const delays = delaysAt >= 0 ? args[delaysAt + 1].split(',').map(Number) : [150, 30];
    const trace = !!process.env.DOCBOOK_BENCH_TRACE;
    const tree = path.resolve(args.find((a, i) => !a.startsWith('--') && !['--words', '--delays'].includes(args[i - 1])) ?? corpusTree('training-guides') ?? 'training-guides');
    const facts = new TreeFacts(tree);
    const inBooks = facts.inBooks();
    const rendered = (p: string): number => [...facts.closureOf(p)].reduce((n, f) => n + (facts.file(f)?.text.length ?? 0), 0);
    const chapter = facts.files
        .filter((f) => inBooks.has(f.path) && f.root === 'chapter' && facts.paragraphLineIn(f))
        .sort((a, b) => rendered(b.path) - rendered(a.path))[0];
    if (!chapter) throw new Error(`no chapter with a paragraph in a book of ${tree}`);
    console.log(`chapter: ${chapter.rel} (${facts.closureOf(chapter.path).size} files, ${rendered(chapter.path)} characters with its includes)`);

    const wb = await Workbench.start(tree);
    try {
        await wb.open(chapter.rel);
        const spot = facts.paragraphLineIn(chapter)!;
        await wb.openPreviewToSide();
        const frame = await wb.previewFrame(30000);
        await waitFor('the preview to render', () => frame.evaluate(() => document.querySelectorAll('[data-line]').length > 0), 30000);
        await wb.press('Control+1');
        await wb.goTo(spot.line, spot.endCol);

        await wb.page.evaluate(() => {
            const w = window as unknown as { lastKeyAt: number };
            w.lastKeyAt = 0;
            window.addEventListener('keydown', () => (w.lastKeyAt = Date.now()), true);
        });
        await frame.evaluate(() => {
            const w = window as unknown as { target: string; seenAt: number };
            w.target = '';
            w.seenAt = 0;
            const content = document.getElementById('docbook-content')!;
            new MutationObserver((records) => {
                if (!w.target || w.seenAt) return;
                for (const r of records) {
                    const nodes = r.type === 'characterData' ? [r.target] : [...r.addedNodes];
                    if (nodes.some((n) => n.textContent?.includes(w.target))) {
                        w.seenAt = Date.now();
                        return;
                    }
                }
            }).observe(content, { childList: true, subtree: true, characterData: true });
        });

        for (const delay of delays) {
            const latencies: number[] = [];
            for (let i = 0; i < count; i++) {
                const word = `Bench${delay}x${String.fromCharCode(97 + (i % 26))}${i}q`;
                await frame.evaluate((w) => {
                    const g = window as unknown as { target: string; seenAt: number };
                    g.target = w;
                    g.seenAt = 0;
                }, word);
                await wb.type(` ${word}`, delay);
                const seenAt = await waitFor(`"${word}" in the preview`, () => frame.evaluate(() => (window as unknown as { seenAt: number }).seenAt || undefined), 10000, 5);
                const lastKeyAt = await wb.page.evaluate(() => (window as unknown as { lastKeyAt: number }).lastKeyAt);
                latencies.push(seenAt - lastKeyAt);
                if (trace) {
                    const t = await frame.evaluate(() => (window as unknown as { docbookTrace?: Record<string, number> }).docbookTrace);
                    if (t) {
                        const d = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '?' : String(b - a));
                        console.log(`  ${word}: ${seenAt - lastKeyAt} ms = key→edit ${d(lastKeyAt, t.lastEditEventAt)} (rendered edit ${d(lastKeyAt, t.editAt)})`
                            + ` request ${d(t.editAt, t.requestAt)} server ${d(t.requestAt, t.responseAt)} (wait ${t.serverWaitMs?.toFixed(0)} render ${t.serverRenderMs?.toFixed(0)})`
                            + ` post ${d(t.responseAt, t.postAt)} message ${d(t.postAt, t.receivedAt)} frame ${d(t.receivedAt, t.flushAt)} (batch ${t.batch}) patch→seen ${d(t.flushAt, seenAt)}`);
                    }
                }
                await new Promise((r) => setTimeout(r, 300));
            }
            const sorted = [...latencies].sort((a, b) => a - b);
            console.log(`${delay} ms per key, ${count} words: p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms, max ${sorted[sorted.length - 1]} ms  (all: ${latencies.join(' ')})`);
        }
        await wb.undoAll(2000);
    } finally {
        await wb.stop();
    }
}

main().then(() => process.exit(0), (err) => {
    console.error(err);
    process.exit(1);
});
