// Benchmark of docbook-check (not a test: it prints figures).
//   node out/test/bench/benchCheck.js [--runs N] [--scale N] [FOLDER]
// Wall time of `docbook-check --format json FOLDER` (the bin, a fresh process each run, as a
// pre-commit hook runs it) beside `xmllint --noout --loaddtd` over the same *.xml files, the
// in-process split (index / diagnostics), and what the check found per code.
// FOLDER defaults to the corpus; --scale N checks N copies of it (XML copied, images hard-linked).

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { provideDiagnostics } from '../../server/src/features/diagnostics';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { CORPUS, listXml, contextOf } from '../helpers';
import { median } from './figures';

const BIN = path.resolve(__dirname, '../../../bin/docbook-check.js');

function copyTree(from: string, to: string): void {
    fs.mkdirSync(to, { recursive: true });
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
        const src = path.join(from, e.name);
        const dst = path.join(to, e.name);
        if (e.isDirectory()) copyTree(src, dst);
        else if (/\.(xml|ent)$/.test(e.name)) fs.copyFileSync(src, dst);
        else {
            try { fs.linkSync(src, dst); } catch { fs.copyFileSync(src, dst); }
        }
    }
}

function timed(command: string, args: string[], runs: number): { ms: number[]; status: number | null; stdout: string } {
    const ms: number[] = [];
    let last = { status: null as number | null, stdout: '' };
    for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
        ms.push(performance.now() - t0);
        if (r.error) throw r.error;
        last = { status: r.status, stdout: r.stdout };
    }
    return { ms, ...last };
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const option = (name: string, fallback: number): number => {
        const i = args.indexOf(name);
        if (i < 0) return fallback;
        const v = Number(args[i + 1]);
        args.splice(i, 2);
        return v > 0 ? v : fallback;
    };
    const runs = option('--runs', 5);
    const scale = option('--scale', 1);
    let folder = path.resolve(args[0] ?? CORPUS);
    let tmp: string | undefined;
    if (scale > 1) {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-check-'));
        for (let i = 0; i < scale; i++) copyTree(folder, path.join(tmp, `copy-${i}`));
        folder = tmp;
    }
    try {
        const files = listXml(folder);
        const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
        console.log(`docbook-check benchmark: ${folder} — ${files.length} XML files, ${(bytes / 1048576).toFixed(1)} MB, ${runs} runs each (median, min)`);

        const check = timed(process.execPath, [BIN, '--format', 'json', folder], runs);
        console.log(`  docbook-check --format json     ${median(check.ms).toFixed(0).padStart(6)} ms  (min ${Math.min(...check.ms).toFixed(0)} ms, exit ${check.status})`);

        const xmllintFound = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
        if (xmllintFound.error) {
            console.log('  xmllint --noout --loaddtd       not installed (apt-get install -y libxml2-utils)');
        } else {
            // One process over every file, as `xmllint --noout --loaddtd $(find … -name '*.xml')` does.
            const lint = timed('xmllint', ['--noout', '--loaddtd', ...files], runs);
            console.log(`  xmllint --noout --loaddtd       ${median(lint.ms).toFixed(0).padStart(6)} ms  (min ${Math.min(...lint.ms).toFixed(0)} ms, exit ${lint.status}; well-formedness and entities only: no XInclude, ids, images or glossary)`);
        }
        const node = timed(process.execPath, ['-e', ''], runs);
        console.log(`  (node start-up alone            ${median(node.ms).toFixed(0).padStart(6)} ms)`);

        // Where the time goes, in this process.
        const t0 = performance.now();
        const index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
        await index.configure(defaultSettings());
        await index.addFolder(folder);
        const t1 = performance.now();
        let count = 0;
        for (const f of index.allFiles()) count += provideDiagnostics(contextOf(index), { file: f.path }).length;
        const t2 = performance.now();
        console.log(`  in process: index ${(t1 - t0).toFixed(0)} ms, diagnostics of ${index.fileCount} files ${(t2 - t1).toFixed(0)} ms (${count} diagnostics)`);

        const report = JSON.parse(check.stdout) as { diagnostics: { code: string; severity: string }[]; summary: Record<string, number> };
        const perCode = new Map<string, { n: number; severity: string }>();
        for (const d of report.diagnostics) {
            const e = perCode.get(d.code) ?? { n: 0, severity: d.severity };
            e.n++;
            perCode.set(d.code, e);
        }
        console.log('  found per code:');
        for (const [code, e] of [...perCode].sort((a, b) => b[1].n - a[1].n)) console.log(`    ${code.padEnd(22)} ${String(e.n).padStart(5)}  (${e.severity})`);
        console.log(`  summary: ${JSON.stringify(report.summary)}`);
    } finally {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
});
