// Benchmark of the schema check and the schema completion (not a test: it prints figures).
//   node out/test/bench/benchSchema.js [--edits N] [--compile] [FILE]
// On a ~100 KB DocBook 5 chapter of the corpus (FILE): loading the compiled DocBook schema, one
// validation of the chapter, an edit → diagnostics through the language service (the path of a
// keystroke: re-index the file, schema check, diagnostics), and completion after `<` typed at
// points spread over the file, and of a bare word there (the snippets) (goal: edit → diagnostics
// p95 ≤ 50 ms, completion p95 ≤ 15 ms).
// --compile also times compiling docbookxi.rng (what `npm run build` does once).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { pathToUri } from '../../server/src/core/uri';
import { parseXml } from '../../server/src/core/xmlParser';
import { DocbookLanguageService } from '../../server/src/languageService';
import { builtinSchemaPath, CompiledSchemaFile, compileRngFile, loadCompiled } from '../../server/src/schema/grammar';
import { validateDocument } from '../../server/src/schema/validate';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { CORPUS, lineMapOf, textPointsOf } from '../helpers';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
};
const FILE = args.find((a) => a.endsWith('.xml')) ?? path.join(CORPUS, 'training-guides/doc/training-guides/common/section_overview-horizon-cli.xml');
const EDITS = option('--edits', 60);

function percentile(values: number[], p: number): number {
    const s = [...values].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

function report(what: string, ms: number[]): void {
    console.log(`${what.padEnd(48)} n=${String(ms.length).padStart(3)}  p50 ${percentile(ms, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(ms, 95).toFixed(1).padStart(7)} ms  max ${Math.max(...ms).toFixed(1).padStart(7)} ms`);
}

async function main(): Promise<void> {
    const text = fs.readFileSync(FILE, 'utf8');
    console.log(`file: ${path.relative(CORPUS, FILE)} (${(text.length / 1024).toFixed(0)} KB); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);

    if (args.includes('--compile')) {
        const t = performance.now();
        await compileRngFile(path.resolve(__dirname, '../../../schemas/docbookxi.rng'));
        console.log(`compile docbookxi.rng (build time): ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }

    const compiledPath = builtinSchemaPath();
    if (!compiledPath) throw new Error('schemas/compiled/docbookxi.json missing: npm run build');
    const loads: number[] = [];
    let schema;
    for (let i = 0; i < 5; i++) {
        const t = performance.now();
        schema = loadCompiled('docbookxi', JSON.parse(fs.readFileSync(compiledPath, 'utf8')) as CompiledSchemaFile);
        loads.push(performance.now() - t);
    }
    report('load compiled schema (read + JSON + salve)', loads);

    const validations: number[] = [];
    for (let i = 0; i < 20; i++) {
        const t = performance.now();
        validateDocument(parseXml(text), schema!);
        validations.push(performance.now() - t);
    }
    report('parse + validate the chapter', validations.slice(3));

    // A keystroke through the service: the file is open; each edit types a character in a text node.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-schema-'));
    try {
        const file = path.join(dir, path.basename(FILE));
        fs.writeFileSync(file, text);
        const settings = defaultSettings();
        const service = new DocbookLanguageService(new NodeWorkspace(), settings);
        await service.initialize([dir], settings);
        const uri = pathToUri(file);
        let version = 1;
        await service.openDocument(uri, text, version);
        const points = textPointsOf(text);
        const step = Math.max(1, Math.floor(points.length / EDITS));
        const chosen = points.filter((_p, i) => i % step === 0).slice(0, EDITS);
        const edits: number[] = [];
        let current = text;
        for (const p of chosen) {
            current = current.slice(0, p) + 'x' + current.slice(p + 1);
            const t = performance.now();
            await service.changeDocument(uri, current, ++version);
            const diagnostics = await service.diagnostics(uri);
            edits.push(performance.now() - t);
            if (diagnostics.some((d) => d.code === 'schema')) throw new Error('a text edit made a schema error');
        }
        console.log(`  (first edit, which validates the whole file the first time: ${edits[0].toFixed(1)} ms)`);
        report('edit → diagnostics (schema check included)', edits);

        // Completion after `<` at the same points, as typed: `<` then `<e`.
        const completions: number[] = [];
        const coldCompletions: number[] = [];
        let count = 0;
        for (const p of chosen) {
            for (const typed of ['<', '<e']) {
                const body = current.slice(0, p) + typed + current.slice(p);
                await service.changeDocument(uri, body, ++version);
                const t = performance.now();
                const list = await service.completion(uri, lineMapOf(body).positionAt(p + typed.length));
                (typed === '<' ? coldCompletions : completions).push(performance.now() - t);
                count += list.items.length;
            }
        }
        report('completion after < (first in a new place)', coldCompletions);
        report('completion after <e (typing on)', completions);
        console.log(`items offered: ${(count / (2 * chosen.length)).toFixed(0)} on average`);

        // A bare word at the same points (the snippets the schema takes there), as typed: `n`, then `no`.
        const wordCold: number[] = [];
        const wordOn: number[] = [];
        let snippets = 0;
        for (const p of chosen) {
            for (const typed of ['n', 'no']) {
                const body = current.slice(0, p) + typed + ' ' + current.slice(p);
                await service.changeDocument(uri, body, ++version);
                const t = performance.now();
                const list = await service.completion(uri, lineMapOf(body).positionAt(p + typed.length));
                (typed === 'n' ? wordCold : wordOn).push(performance.now() - t);
                snippets += list.items.length;
            }
        }
        report('completion of a word n (snippets; new place)', wordCold);
        report('completion of a word no (typing on)', wordOn);
        console.log(`snippets offered: ${(snippets / (2 * chosen.length)).toFixed(1)} on average`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
