// Benchmark of the preview renderer (not a test: it prints figures).
//   node out/test/bench/benchPreview.js [--keystrokes N] [--runs N]
// 1. Keystroke -> preview updated, on the largest chapter of the corpus (the chapter whose assembled
//    preview is biggest): each keystroke is an edit through index.setOpenDocument followed by
//    providePreview, as the language server does; p50/p95/max. Also typing in the biggest file that
//    chapter includes, with the preview kept on the chapter.
// 2. docbook-render (the real command, a new process each time) of whole books beside the real
//    toolchain on the same books in the same run: xmllint --xinclude, then xsltproc with Debian's
//    docbook-xsl-ns (`xsltproc --xinclude` alone writes nothing when one include fails, and every
//    book here has a remote or missing include). Medians of N alternating runs.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { providePreview } from '../../server/src/features/preview';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { copyWithXpointerScheme, CORPUS, contextOf } from '../helpers';

const REPO = path.resolve(__dirname, '../../..');
const STYLESHEET = '/usr/share/xml/docbook/stylesheet/docbook-xsl-ns/xhtml/docbook.xsl';
const BUILD_PARAMS = ['--stringparam', 'section.autolabel', '1', '--stringparam', 'section.label.includes.component.label', '1'];
const TREES = ['training-guides', 'security-guide-2014', 'ha-guide'];

function arg(name: string, fallback: number): number {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function ms(n: number): string {
    return `${n.toFixed(n < 10 ? 1 : 0)} ms`;
}

async function indexTree(tree: string): Promise<WorkspaceIndex> {
    const index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
    await index.addFolder(path.join(CORPUS, tree));
    return index;
}

/** Where a keystroke lands: inside the text of the file's first paragraph. */
function typingOffset(text: string): number {
    const m = /<para>[^<]{10,}/.exec(text);
    return m ? m.index + '<para>'.length + 5 : Math.floor(text.length / 2);
}

async function keystrokes(index: WorkspaceIndex, previewed: string, edited: string, count: number): Promise<number[]> {
    const original = fs.readFileSync(edited, 'utf8');
    let text = original;
    let at = typingOffset(text);
    const times: number[] = [];
    await index.setOpenDocument(edited, text, 1);
    await providePreview(contextOf(index), { file: previewed });
    for (let i = 0; i < count; i++) {
        const typed = 'word '[i % 5];
        text = text.slice(0, at) + typed + text.slice(at);
        at++;
        const start = performance.now();
        await index.setOpenDocument(edited, text, i + 2);
        const result = await providePreview(contextOf(index), { file: previewed });
        times.push(performance.now() - start);
        if (result.html.length === 0) throw new Error('empty preview');
    }
    await index.closeDocument(edited);
    return times;
}

function median(values: number[]): number {
    return percentile(values, 50);
}

function timed(command: string, args: string[], stdoutFile?: string): number {
    const start = performance.now();
    const r = spawnSync(command, args, { maxBuffer: 512 * 1024 * 1024, encoding: 'buffer' });
    const elapsed = performance.now() - start;
    if (stdoutFile) fs.writeFileSync(stdoutFile, r.stdout);
    if (!r.stdout || (r.status !== 0 && r.stdout.length === 0)) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr?.toString().slice(0, 300)}`);
    return elapsed;
}

/** The tree as libxml2 can assemble it: xpath() xpointers in the xpointer() scheme, the one missing entity file supplied (see previewXsltproc.test.ts). */
function xsltprocCopy(tree: string, tmp: string): string {
    const dest = path.join(tmp, tree);
    copyWithXpointerScheme(path.join(CORPUS, tree), dest);
    if (tree === 'security-guide-2014') {
        fs.mkdirSync(path.join(dest, 'common/entities'), { recursive: true });
        fs.copyFileSync(path.join(CORPUS, 'training-guides/doc/training-guides/openstack.ent'), path.join(dest, 'common/entities/openstack.ent'));
    }
    return dest;
}

async function main(): Promise<void> {
    const count = arg('--keystrokes', 300);
    const runs = arg('--runs', 5);
    console.log(`Preview benchmark on ${CORPUS} (${os.cpus().length} CPUs, Node ${process.version})\n`);

    // ---- 1. keystroke -> preview ----
    let largest: { tree: string; file: string; html: number; files: number } | undefined;
    for (const tree of TREES) {
        const index = await indexTree(tree);
        for (const f of index.allFiles()) {
            if (!['chapter', 'appendix', 'preface'].includes(f.model.rootElement ?? '') || !index.booksOf(f.path).size) continue;
            const r = await providePreview(contextOf(index), { file: f.path });
            if (!largest || r.html.length > largest.html) largest = { tree, file: f.path, html: r.html.length, files: r.sourceMap.files.length };
        }
    }
    if (!largest) throw new Error('no chapter in the corpus');
    const index = await indexTree(largest.tree);
    const first = await providePreview(contextOf(index), { file: largest.file });
    const words = first.html.replace(/<[^>]*>/g, ' ').match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    console.log(`Largest chapter: ${path.relative(CORPUS, largest.file)}`);
    console.log(`  assembled from ${largest.files} files, ${(largest.html / 1024).toFixed(0)} KB of HTML, ${words} words; book context: ${path.relative(CORPUS, first.book ?? '(none)')}`);
    const inChapter = await keystrokes(index, largest.file, largest.file, count);
    console.log(`  ${count} keystrokes in the chapter file -> preview updated: p50 ${ms(percentile(inChapter, 50))}, p95 ${ms(percentile(inChapter, 95))}, max ${ms(Math.max(...inChapter))}`);
    const included = first.sourceMap.files.filter((f) => f !== largest!.file && f.endsWith('.xml'))
        .map((f) => ({ f, size: fs.existsSync(f) ? fs.statSync(f).size : 0 })).sort((a, b) => b.size - a.size)[0];
    if (included) {
        const inInclude = await keystrokes(index, largest.file, included.f, count);
        console.log(`  ${count} keystrokes in its biggest include (${path.relative(CORPUS, included.f)}, ${(included.size / 1024).toFixed(0)} KB), chapter previewed: p50 ${ms(percentile(inInclude, 50))}, p95 ${ms(percentile(inInclude, 95))}, max ${ms(Math.max(...inInclude))}`);
    }

    // ---- 2. docbook-render vs xsltproc ----
    console.log(`\nWhole books: docbook-render (new process, index + render + write) vs xmllint --xinclude + xsltproc docbook-xsl-ns; median of ${runs} alternating runs`);
    if (!fs.existsSync(STYLESHEET)) {
        console.log('  (skipped: apt-get install -y xsltproc libxml2-utils docbook-xsl-ns)');
        return;
    }
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dbp-bench-'));
    const render = path.join(REPO, 'bin/docbook-render.js');
    const books: [string, string][] = [
        ['training-guides', 'doc/training-guides/st-training-guides.xml'],
        ['training-guides', 'doc/training-guides/operator-guide/bk_operator-training-guide.xml'],
        ['security-guide-2014', 'security-guide/bk-openstack-sec-guide.xml'],
        ['ha-guide', 'doc/high-availability-guide/bk-ha-guide.xml'],
    ];
    try {
        const copies = new Map<string, string>();
        for (const [tree, book] of books) {
            if (!copies.has(tree)) copies.set(tree, xsltprocCopy(tree, tmp));
            const original = path.join(CORPUS, tree, book);
            const copy = path.join(copies.get(tree)!, book);
            const ours: number[] = [];
            const theirs: number[] = [];
            const xincluded: number[] = [];
            for (let i = 0; i < runs; i++) {
                ours.push(timed(process.execPath, [render, original, '-o', path.join(tmp, 'ours.html')]));
                const assembled = path.join(tmp, 'assembled.xml');
                const a = timed('xmllint', ['--xinclude', '--noent', '--nonet', copy], assembled);
                const b = timed('xsltproc', ['--nonet', ...BUILD_PARAMS, '-o', path.join(tmp, 'theirs.html'), STYLESHEET, assembled]);
                xincluded.push(a);
                theirs.push(a + b);
            }
            const o = median(ours);
            const t = median(theirs);
            const size = fs.statSync(path.join(tmp, 'ours.html')).size;
            console.log(`  ${path.join(tree, book)}: docbook-render ${ms(o)} (${(size / 1024).toFixed(0)} KB), xmllint+xsltproc ${ms(t)} (xmllint ${ms(median(xincluded))}) -> ${(o / t).toFixed(2)} of xsltproc's time`);
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
});
