// Benchmark of a keystroke in process (not a test: it prints figures).
//   node out/test/bench/benchKeystroke.js [--keystrokes N]
// A DocbookLanguageService over the three corpus trees; in the 275 KB glossary and in a ~20 KB
// chapter, N alternating insertions and deletions of one letter inside a <para>, each followed by
// the file's diagnostics and a completion (at a linkend value, or in a glossterm): the time of
// changeDocument, of diagnostics, of the completion and of all three, p50 and p95.
// DOCBOOK_OPENSTACK_NO_INCREMENTAL=1: every keystroke parsed and modelled from scratch, for comparison.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { computeLineStarts, positionAt } from '../../server/src/core/lineMap';
import { pathToUri } from '../../server/src/core/uri';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { CORPUS } from '../helpers';
import { percentile } from './figures';

const TREES = ['ha-guide', 'training-guides', 'security-guide-2014'];
const FILES: { rel: string; completeAfter: string }[] = [
    { rel: 'ha-guide/doc/glossary/glossary-terms.xml', completeAfter: '<glossterm>' },
    { rel: 'training-guides/doc/training-guides/basic-install-guide/section_ceilometer-controller.xml', completeAfter: 'linkend="' },
];

function figure(name: string, values: number[]): string {
    return `${name} p50 ${percentile(values, 50).toFixed(2)} ms p95 ${percentile(values, 95).toFixed(2)} ms`;
}

async function main(): Promise<void> {
    const at = process.argv.indexOf('--keystrokes');
    const keystrokes = at > 0 ? Number(process.argv[at + 1]) : 200;
    const service = new DocbookLanguageService(new NodeWorkspace());
    await service.initialize(TREES.map((t) => path.join(CORPUS, t)), defaultSettings());
    console.log(`load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const { rel, completeAfter } of FILES) {
        const file = path.join(CORPUS, rel);
        const uri = pathToUri(file);
        const original = fs.readFileSync(file, 'utf8');
        await service.openDocument(uri, original, 1);
        await service.diagnostics(uri);
        // Inside the words of a para in the middle of the file.
        const para = original.indexOf('<para>', original.length >> 1);
        const typeAt = original.indexOf(' ', para + 6) + 1;
        const completeAt = original.indexOf(completeAfter) + completeAfter.length + 1;
        const change: number[] = [];
        const diagnostics: number[] = [];
        const completion: number[] = [];
        const total: number[] = [];
        for (let k = 0; k < keystrokes; k++) {
            const text = k % 2 === 0 ? original.slice(0, typeAt) + 'x' + original.slice(typeAt) : original;
            const t0 = performance.now();
            await service.changeDocument(uri, text, k + 2);
            const t1 = performance.now();
            await service.diagnostics(uri);
            const t2 = performance.now();
            const shift = k % 2 === 0 && completeAt > typeAt ? 1 : 0;
            await service.completion(uri, positionAt(computeLineStarts(text), completeAt + shift));
            const t3 = performance.now();
            change.push(t1 - t0);
            diagnostics.push(t2 - t1);
            completion.push(t3 - t2);
            total.push(t3 - t0);
        }
        console.log(`${path.basename(rel)} (${(original.length / 1024).toFixed(0)} KB), ${keystrokes} keystrokes: ${figure('changeDocument', change)}; `
            + `${figure('diagnostics', diagnostics)}; ${figure('completion', completion)}; ${figure('all three', total)}`);
    }
    console.log(`load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

void main();
