// The speed goals of issue 10, measured against the C tools of the real build in one run (used by
// benchIndex.ts, `npm run bench`): docbook-ls spawn -> index ready (cold, with an empty index cache,
// and warm, from the cache) and docbook-check cold and cached, each beside `xmllint --noout --loaddtd`
// on the same files; docbook-render of whole books beside xmllint --xinclude + xsltproc with
// docbook-xsl-ns; peak RSS; Node's own start (`node -e 0`), the floor of every figure.
// Wall times are medians of alternating runs; CPU (user+sys) and peak RSS come from /usr/bin/time
// when it is installed. On a machine shared with other work, compare ratios, not absolute times.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { listXml } from '../helpers';
import { LspClient } from '../lsp/lspClient';
import { BUILD_PARAMS, hasXsltproc, referenceCopyOf, STYLESHEET, TREES } from '../xsltprocReference';
import { median } from './figures';

const REPO = path.resolve(__dirname, '../../..');
const CHECK = path.join(REPO, 'bin/docbook-check.js');
const RENDER = path.join(REPO, 'bin/docbook-render.js');
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Sample { wall: number; cpu?: number; rssMb?: number }

/** One run of a command: wall time, and CPU and peak RSS when /usr/bin/time is there. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Sample {
    const report = path.join(os.tmpdir(), `bench-time-${process.pid}.txt`);
    const t0 = performance.now();
    const r = GNU_TIME
        ? spawnSync(GNU_TIME, ['-f', '%e %U %S %M', '-o', report, command, ...args], { env, stdio: 'ignore' })
        : spawnSync(command, args, { env, stdio: 'ignore' });
    const wall = performance.now() - t0;
    if (r.error) throw r.error;
    if (!GNU_TIME) return { wall };
    const last = fs.readFileSync(report, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    fs.rmSync(report, { force: true });
    return { wall, cpu: (last[1] + last[2]) * 1000, rssMb: last[3] / 1024 };
}

/** Same as benchIndex: several files per xmllint process, as a build runs it. */
function xmllint(files: string[]): Sample {
    const samples: Sample[] = [];
    for (let i = 0; i < files.length; i += 500) samples.push(run('xmllint', ['--noout', '--loaddtd', '--nonet', ...files.slice(i, i + 500)]));
    const cpu = samples.every((s) => s.cpu !== undefined) ? samples.reduce((n, s) => n + s.cpu!, 0) : undefined;
    return { wall: samples.reduce((n, s) => n + s.wall, 0), cpu };
}

function cpuMsOf(pid: number): number | undefined {
    try {
        const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
    } catch {
        return undefined;
    }
}

function peakRssMb(pid: number): number | undefined {
    try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) / 1024 : undefined;
    } catch {
        return undefined;
    }
}

/** docbook-ls: process spawned -> `docbook/status` ready (the end of the indexing progress). */
async function serverReady(folders: string[], cacheDir: string): Promise<Sample> {
    const saved = process.env.DOCBOOK_OPENSTACK_CACHE_DIR;
    process.env.DOCBOOK_OPENSTACK_CACHE_DIR = cacheDir;
    try {
        const client = new LspClient();
        await client.start(folders);
        const wall = performance.now() - client.spawnedAt;
        const pid = client.pid!;
        const sample = { wall, cpu: cpuMsOf(pid), rssMb: peakRssMb(pid) };
        // The server writes the cache a second after indexing: let it, so that the next run is the cached one.
        const written = (): boolean => fs.existsSync(cacheDir) && fs.readdirSync(cacheDir).some((name) => name.endsWith('.bin'));
        for (let waited = 0; waited < 60_000 && !written(); waited += 100) {
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await client.stop();
        return sample;
    } finally {
        if (saved === undefined) delete process.env.DOCBOOK_OPENSTACK_CACHE_DIR;
        else process.env.DOCBOOK_OPENSTACK_CACHE_DIR = saved;
    }
}

function fmt(s: Sample[]): string {
    const wall = median(s.map((x) => x.wall));
    const cpu = s.every((x) => x.cpu !== undefined) ? median(s.map((x) => x.cpu!)) : undefined;
    return `${wall.toFixed(0).padStart(6)} ms${cpu !== undefined ? ` (cpu ${cpu.toFixed(0)} ms)` : ''}`;
}

function ratio(a: Sample[], b: Sample[]): string {
    const wall = median(a.map((x) => x.wall)) / median(b.map((x) => x.wall));
    const cpuA = a.every((x) => x.cpu !== undefined) ? median(a.map((x) => x.cpu!)) : undefined;
    const cpuB = b.every((x) => x.cpu !== undefined) ? median(b.map((x) => x.cpu!)) : undefined;
    return `${wall.toFixed(1)}x${cpuA !== undefined && cpuB ? ` (cpu ${(cpuA / cpuB).toFixed(1)}x)` : ''}`;
}

function rss(s: Sample[]): string {
    return s.every((x) => x.rssMb !== undefined) ? `${Math.max(...s.map((x) => x.rssMb!)).toFixed(0)} MB` : '?';
}

/** The goals table for `folders` (the corpus trees, or one folder of N copies of them). */
export async function benchGoals(folders: string[], label: string, runs: number): Promise<void> {
    const files = folders.flatMap(listXml);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-goals-'));
    try {
        const coldServer: Sample[] = [];
        const warmServer: Sample[] = [];
        const coldCheck: Sample[] = [];
        const warmCheck: Sample[] = [];
        const lint: Sample[] = [];
        const node: Sample[] = [];
        const bundle: Sample[] = [];
        for (let i = 0; i < runs; i++) {
            const serverCache = path.join(tmp, `server-${i}`);
            coldServer.push(await serverReady(folders, serverCache));
            warmServer.push(await serverReady(folders, serverCache));
            const checkCache = path.join(tmp, `check-${i}`);
            coldCheck.push(run(process.execPath, [CHECK, '--format', 'json', '--cache-dir', checkCache, ...folders]));
            warmCheck.push(run(process.execPath, [CHECK, '--format', 'json', '--cache-dir', checkCache, ...folders]));
            lint.push(xmllint(files));
            node.push(run(process.execPath, ['-e', '0']));
            bundle.push(run(process.execPath, ['-e', `require(${JSON.stringify(path.join(REPO, 'dist/docbook-check.js'))})`]));
        }
        const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
        console.log(`\nGoals (issue 10), ${label}: ${files.length} XML files, ${(bytes / 1048576).toFixed(1)} MB; median of ${runs} alternating runs, ${os.cpus().length} cores`);
        console.log(`  xmllint --noout --loaddtd           ${fmt(lint)}`);
        console.log(`  node -e 0 (the floor)               ${fmt(node)}`);
        console.log(`  node loading docbook-check's bundle ${fmt(bundle)}   (no work: the floor of the CLI)`);
        console.log(`  docbook-ls spawn -> ready, cold     ${fmt(coldServer)}   ${ratio(coldServer, lint)} xmllint   (goal <= 2x)   peak RSS ${rss(coldServer)}`);
        console.log(`  docbook-ls spawn -> ready, cached   ${fmt(warmServer)}   ${ratio(warmServer, lint)} xmllint   (goal <= 1x)   peak RSS ${rss(warmServer)} (goal <= 100 MB)`);
        console.log(`  docbook-check --format json, cold   ${fmt(coldCheck)}   ${ratio(coldCheck, lint)} xmllint   (goal <= 2x)   peak RSS ${rss(coldCheck)}`);
        console.log(`  docbook-check --format json, cached ${fmt(warmCheck)}   ${ratio(warmCheck, lint)} xmllint   peak RSS ${rss(warmCheck)}`);
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** docbook-render of whole books (cold and cached) vs xmllint --xinclude + xsltproc docbook-xsl-ns. */
export function benchRender(corpus: string, runs: number): void {
    if (!hasXsltproc()) {
        console.log('\n  docbook-render vs xsltproc: skipped (apt-get install -y xsltproc libxml2-utils docbook-xsl-ns)');
        return;
    }
    const books: [string, string][] = [
        ['security-guide-2014', 'security-guide/bk-openstack-sec-guide.xml'],
        ['training-guides', 'doc/training-guides/operator-guide/bk_operator-training-guide.xml'],
        ['ha-guide', 'doc/high-availability-guide/bk-ha-guide.xml'],
    ];
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-render-'));
    console.log(`\ndocbook-render of a whole book (new process: index, render, write) vs xmllint --xinclude + xsltproc docbook-xsl-ns; median of ${runs} alternating runs (goal <= 0.25x)`);
    try {
        for (const [tree, book] of books) {
            const copy = referenceCopyOf(TREES.find((t) => t.name === tree)!, tmp);
            const original = path.join(corpus, tree, book);
            const cold: Sample[] = [];
            const warm: Sample[] = [];
            const theirs: Sample[] = [];
            const out = path.join(tmp, 'out.html');
            for (let i = 0; i < runs; i++) {
                const cache = path.join(tmp, `cache-${i}`);
                cold.push(run(process.execPath, [RENDER, original, '-o', out, '--cache-dir', cache]));
                warm.push(run(process.execPath, [RENDER, original, '-o', out, '--cache-dir', cache]));
                const assembled = path.join(tmp, 'assembled', 'assembled.xml');
                fs.mkdirSync(path.dirname(assembled), { recursive: true });
                const t0 = performance.now();
                const x = spawnSync('xmllint', ['--xinclude', '--noent', '--nonet', path.join(copy, book)], { maxBuffer: 1 << 30 });
                fs.writeFileSync(assembled, x.stdout);
                spawnSync('xsltproc', ['--nonet', ...BUILD_PARAMS, '-o', path.join(tmp, 'theirs.html'), STYLESHEET, assembled], { stdio: 'ignore' });
                theirs.push({ wall: performance.now() - t0 });
            }
            console.log(`  ${path.join(tree, book)}: cold ${fmt(cold)} ${ratio(cold, theirs)}, cached ${fmt(warm)} ${ratio(warm, theirs)} of xsltproc's ${fmt(theirs)}; peak RSS ${rss(cold)}`);
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}
