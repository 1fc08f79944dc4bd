// Benchmark of the language server (not a test: it prints figures).
//   node out/test/bench/benchIndex.js [--scale N]
// 1. Parsers on the corpus XML: this project's tolerant parser beside sax and saxes (MB/s), and
//    the gate's niceness scan that follows the parse.
// 2. docbook-ls over stdio on the three corpus trees: initialize -> index ready, peak RSS,
//    definition / completion p50/p95, edit -> diagnostics published; xmllint --noout --loaddtd
//    over the same files in the same run; docbook/bookTree whole, books alone and one book at a time.
// 3. With --scale N: the same on N copies of the corpus (N*296 files), to show growth.
// First, the goals of issue 10 (goals.ts): cold and cached start of docbook-ls and docbook-check vs
// xmllint, docbook-render vs xsltproc, RSS and Node's start floor, on the corpus and scaled.
// --runs N: runs per goal figure (default 3).

import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { findNiceness } from '../../server/src/core/niceness';
import { parseXml } from '../../server/src/core/xmlParser';
import { CORPUS, LspClient, uri } from '../lsp/lspClient';
import { listXml } from '../helpers';
import { askOverLsp, bookTreeFigures } from './bookTreeFigures';
import { ms, percentile } from './figures';
import { benchGoals, benchRender } from './goals';

function positionOf(text: string, offset: number): { line: number; character: number } {
    const before = text.slice(0, offset).split(/\r\n|\r|\n/);
    return { line: before.length - 1, character: before[before.length - 1].length };
}

function peakRssMb(pid: number): number {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
}

function benchParsers(files: string[]): void {
    const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
    const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
    const time = (fn: (t: string) => void): number => {
        for (const t of texts) fn(t); // warm-up
        const start = performance.now();
        for (let r = 0; r < 5; r++) for (const t of texts) fn(t);
        return (performance.now() - start) / 5;
    };
    const rows: [string, number][] = [['tolerant parser (this project)', time((t) => parseXml(t))]];
    // Runs after the parse on every keystroke: it must stay a small fraction of it.
    rows.push(['gate niceness scan (this project)', time((t) => findNiceness(t))]);
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: the comparison is skipped without them
        const sax = require('sax');
        rows.push(['sax', time((t) => { const p = sax.parser(true, { xmlns: true, position: true }); p.onerror = () => { p.error = null; p.resume(); }; p.write(t).close(); })]);
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: the comparison is skipped without them
        const { SaxesParser } = require('saxes');
        rows.push(['saxes', time((t) => { const p = new SaxesParser({ xmlns: true, position: true }); p.on('error', () => undefined); try { p.write(t).close(); } catch { /* fatal */ } })]);
    } catch {
        console.log('  (sax/saxes not installed: parser comparison skipped)');
    }
    console.log(`Parsers over ${files.length} files, ${mb.toFixed(1)} MB:`);
    for (const [name, t] of rows) console.log(`  ${name.padEnd(32)} ${ms(t).padStart(8)}  ${(mb / (t / 1000)).toFixed(0)} MB/s`);
}

function timeXmllint(files: string[]): number | undefined {
    if (spawnSync('xmllint', ['--version']).error) return undefined;
    const start = performance.now();
    // Several files per process, as a build would run it; its exit code reports the broken files.
    for (let i = 0; i < files.length; i += 500) spawnSync('xmllint', ['--noout', '--loaddtd', '--nonet', ...files.slice(i, i + 500)], { stdio: 'ignore' });
    return performance.now() - start;
}

async function benchServer(folders: string[], label: string): Promise<void> {
    const files = folders.flatMap(listXml);
    const client = new LspClient();
    // Completion as VS Code asks for it (vscode-languageclient's capabilities): the list's common parts said once, documentation resolved per item.
    await client.start(folders, {
        completionItem: { snippetSupport: true, labelDetailsSupport: true, insertReplaceSupport: true, resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
        completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    });
    const bootMs = client.initializedAt - client.spawnedAt;
    const indexMs = performance.now() - client.initializedAt;
    const stats = await client.request<{ files: number; books: number; ids: number }>('docbook/stats', undefined);
    const xmllintMs = timeXmllint(files);

    // Definition at every linkend/arearefs value of the workspace (bounded for big runs).
    const definitionTimes: number[] = [];
    const completionTimes: number[] = [];
    const sample = files.filter((_, i) => i % Math.max(1, Math.floor(files.length / 300)) === 0);
    for (const file of sample) {
        const text = fs.readFileSync(file, 'utf8');
        for (const m of text.matchAll(/\b(?:linkend|arearefs)="([^"\s]+)/g)) {
            const position = positionOf(text, m.index! + m[0].length - 1);
            const t0 = performance.now();
            await client.request('textDocument/definition', { textDocument: { uri: uri(file) }, position });
            definitionTimes.push(performance.now() - t0);
        }
    }
    // Completion in linkend values and inside glossterms of documents just opened (the request waits for the open).
    for (const file of sample.slice(0, 60)) {
        const text = fs.readFileSync(file, 'utf8');
        await client.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'xml', version: 1, text } });
        for (const m of text.matchAll(/\blinkend="|<glossterm>/g)) {
            const position = positionOf(text, m.index! + m[0].length);
            const t0 = performance.now();
            await client.request('textDocument/completion', { textDocument: { uri: uri(file) }, position });
            completionTimes.push(performance.now() - t0);
        }
        await client.notify('textDocument/didClose', { textDocument: { uri: uri(file) } });
    }
    // Keystrokes: an edit that breaks, then fixes, a linkend in the largest chapter with one; time to
    // publishDiagnostics. Once while the workspace's diagnostics are still being published (a cold
    // start at scale takes seconds), once after.
    const withRef = files.filter((f) => /\blinkend="/.test(fs.readFileSync(f, 'utf8'))).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
    const editTimes: number[] = [];
    const quietEditTimes: number[] = [];
    const keystrokeCompletionTimes: number[] = [];
    let publishingDuringEdits = false;
    if (withRef) {
        const text = fs.readFileSync(withRef, 'utf8');
        const u = uri(withRef);
        await client.notify('textDocument/didOpen', { textDocument: { uri: u, languageId: 'xml', version: 1, text } });
        await client.waitForDiagnostics(u);
        const at = positionOf(text, text.indexOf('linkend="') + 'linkend="'.length);
        let v = 1;
        const typeAndMeasure = async (times: number[]): Promise<void> => {
            for (let k = 0; k < 40; k++) {
                const broken = ++v % 2 === 0;
                const t0 = performance.now();
                const published = client.waitForDiagnostics(u, (d) => d.some((x) => x.code === 'unresolved-id' && x.range.start.line === at.line) === broken);
                // Type an "x" into the id (now unresolved), then delete it again.
                const change = broken
                    ? { range: { start: at, end: at }, text: 'x' }
                    : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
                await client.notify('textDocument/didChange', { textDocument: { uri: u, version: v }, contentChanges: [change] });
                await published;
                times.push(performance.now() - t0);
            }
        };
        const publishedBefore = new Set(client.published).size;
        await typeAndMeasure(editTimes);
        publishingDuringEdits = new Set(client.published).size > publishedBefore;
        // Quiet: no diagnostics published for a second.
        for (let last = -1; last !== client.published.length;) {
            last = client.published.length;
            await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        await typeAndMeasure(quietEditTimes);
        // Keystroke -> completion, as the editor sends them: the change, then at once the completion
        // request at the cursor (which waits for the change): a character typed into the linkend value.
        for (let k = 0; k < 40; k++) {
            const typing = ++v % 2 === 0;
            const change = typing
                ? { range: { start: at, end: at }, text: 'x' }
                : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
            await client.notify('textDocument/didChange', { textDocument: { uri: u, version: v }, contentChanges: [change] });
            const t0 = performance.now();
            await client.request('textDocument/completion', { textDocument: { uri: u }, position: typing ? { line: at.line, character: at.character + 1 } : at });
            keystrokeCompletionTimes.push(performance.now() - t0);
            await new Promise((resolve) => setTimeout(resolve, 30));
        }
    }
    // The same in the words of the largest file (the 275 KB glossary in the corpus): a letter typed
    // into a para and deleted again, each followed at once by a completion at the cursor.
    const largest = [...files].sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
    const wordsCompletionTimes: number[] = [];
    const largestText = largest ? fs.readFileSync(largest, 'utf8') : '';
    const para = largestText.indexOf('<para>', largestText.length >> 1);
    if (para >= 0) {
        const u = uri(largest);
        await client.notify('textDocument/didOpen', { textDocument: { uri: u, languageId: 'xml', version: 1, text: largestText } });
        await client.waitForDiagnostics(u);
        const at = positionOf(largestText, largestText.indexOf(' ', para + 6) + 1);
        for (let k = 0; k < 40; k++) {
            const typing = k % 2 === 0;
            const change = typing
                ? { range: { start: at, end: at }, text: 'x' }
                : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
            await client.notify('textDocument/didChange', { textDocument: { uri: u, version: k + 2 }, contentChanges: [change] });
            const t0 = performance.now();
            await client.request('textDocument/completion', { textDocument: { uri: u }, position: typing ? { line: at.line, character: at.character + 1 } : at });
            wordsCompletionTimes.push(performance.now() - t0);
            await new Promise((resolve) => setTimeout(resolve, 30));
        }
        await client.notify('textDocument/didClose', { textDocument: { uri: u } });
    }
    const rss = client.pid ? peakRssMb(client.pid) : NaN;
    // After the peak RSS: the whole tree's megabytes at scale are not what the other figures hold.
    const bookTreeLines = await bookTreeFigures(askOverLsp(client));
    await client.stop();

    console.log(`\n${label}: ${stats.files} files, ${stats.books} books, ${stats.ids} ids`);
    console.log(`  process start -> initialize answered ${ms(bootMs)} (Node and module loading)`);
    console.log(`  initialize -> index ready      ${ms(indexMs)}${xmllintMs !== undefined ? `   (xmllint --noout --loaddtd, same files: ${ms(xmllintMs)}; ratio ${(indexMs / xmllintMs).toFixed(2)}x)` : ''}`);
    console.log(`  definition  p50 ${ms(percentile(definitionTimes, 50))}  p95 ${ms(percentile(definitionTimes, 95))}  (${definitionTimes.length} requests)`);
    console.log(`  completion  p50 ${ms(percentile(completionTimes, 50))}  p95 ${ms(percentile(completionTimes, 95))}  (${completionTimes.length} requests, each file just opened)`);
    if (editTimes.length) {
        const when = publishingDuringEdits ? 'while the workspace\'s diagnostics are published' : 'after the workspace\'s diagnostics';
        console.log(`  edit -> diagnostics p50 ${ms(percentile(editTimes, 50))}  p95 ${ms(percentile(editTimes, 95))}  (${editTimes.length} edits in ${path.basename(withRef)}, ${when})`);
        console.log(`  edit -> diagnostics p50 ${ms(percentile(quietEditTimes, 50))}  p95 ${ms(percentile(quietEditTimes, 95))}  (${quietEditTimes.length} edits, once nothing else is published)`);
        console.log(`  keystroke -> completion p50 ${ms(percentile(keystrokeCompletionTimes, 50))}  p95 ${ms(percentile(keystrokeCompletionTimes, 95))}  (${keystrokeCompletionTimes.length} characters typed into the linkend, each followed by a completion request, 30 ms apart)`);
    }
    if (wordsCompletionTimes.length) {
        const p50 = ms(percentile(wordsCompletionTimes, 50));
        const p95 = ms(percentile(wordsCompletionTimes, 95));
        console.log(`  keystroke -> completion p50 ${p50}  p95 ${p95}  (${wordsCompletionTimes.length} characters typed into a para of ${path.basename(largest)}, ${Math.round(largestText.length / 1024)} KB, 30 ms apart)`);
    }
    for (const line of bookTreeLines) console.log(`  bookTree ${line}`);
    console.log(`  server peak RSS ${rss.toFixed(0)} MB`);
}

async function main(): Promise<void> {
    // The servers started here keep their index cache in a folder of this run, never in ~/.cache nor in a
    // folder the environment names (a warm cache of another run would make "cold" figures warm).
    // goals.ts gives each of its docbook-ls runs a folder of its own, and the CLIs --cache-dir.
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cache-'));
    process.env.DOCBOOK_OPENSTACK_CACHE_DIR = cacheDir;
    delete process.env.DOCBOOK_OPENSTACK_NO_CACHE;
    process.on('exit', () => fs.rmSync(cacheDir, { recursive: true, force: true }));
    const scaleArg = process.argv.indexOf('--scale');
    const scale = scaleArg > 0 ? Number(process.argv[scaleArg + 1]) : 0;
    const trees = ['training-guides', 'security-guide-2014', 'ha-guide'].map((t) => path.join(CORPUS, t));
    const runsArg = process.argv.indexOf('--runs');
    const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1]) || 3) : 3;
    console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    await benchGoals(trees, 'corpus (3 trees)', runs);
    benchRender(CORPUS, runs);
    benchParsers(trees.flatMap(listXml));
    await benchServer(trees, 'Corpus (3 trees)');
    if (scale > 0) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-scale-'));
        try {
            for (let i = 0; i < scale; i++) for (const t of trees) fs.cpSync(t, path.join(dir, `copy${i}`, path.basename(t)), { recursive: true });
            await benchGoals([dir], `scaled corpus (${scale} copies in one folder)`, 1);
            await benchServer([dir], `Scaled corpus (${scale} copies in one folder)`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    try {
        console.log(`\n(xmllint: ${execFileSync('xmllint', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0] || 'present'})`);
    } catch { /* xmllint prints its version on stderr */ }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
