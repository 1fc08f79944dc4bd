// `npm test`: lint, the mocha suites (unit, LSP over stdio and Neovim, headless Chromium), then the
// extension tests in a real VS Code, then the keystroke scenarios (test/keys: the same VS Code driven
// from outside with real key events). Prints one closing "N passed, N failed[, K skipped: reason]" line
// over all of them; lint counts as one test. `node scripts/run-tests.mjs unit lsp` runs those suites only.
// The corpus is $DOCBOOK_CORPUS, else shared/corpus beside the repository (as test/helpers.ts finds it):
// without it the suites that need it say so once in the closing line. `--no-cache` runs them with the
// index cache off (it is on by default, in a temporary folder of the run).
import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';

const besideRepo = path.resolve('../shared/corpus');
const CORPUS = process.env.DOCBOOK_CORPUS
    ? path.resolve(process.env.DOCBOOK_CORPUS)
    : existsSync(besideRepo) ? besideRepo : '/work/shared/corpus';
const NO_CORPUS = `corpus not found at ${CORPUS}`;

const node = process.execPath;
const mocha = (name, spec) => ({ name, args: ['node_modules/mocha/bin/mocha.js', '--reporter', 'out/test/countingReporter.js', spec] });
// The extension in a real VS Code, on each real tree: each has what the others lack
// (callouts in ha-guide; glossary, profiles and books in books in training-guides; broken entities in security-guide).
const vscode = (tree) => ({ name: 'vscode', args: ['out/test/vscode/runVscodeTests.js', path.join(CORPUS, tree)], corpus: path.join(CORPUS, tree) });
// Mocha outside VS Code driving it with key events; --no-config: .mocharc.json would add every suite.
const keys = (tree) => ({
    name: 'keys',
    args: ['node_modules/mocha/bin/mocha.js', '--no-config', '--timeout', '60000', '--reporter', 'out/test/countingReporter.js', 'out/test/keys/scenarios.test.js'],
    env: { DOCBOOK_KEYS_TREE: path.join(CORPUS, tree) },
    corpus: path.join(CORPUS, tree),
});
const suites = [
    { name: 'lint', args: ['node_modules/eslint/bin/eslint.js', '.'], passFail: true },
    mocha('unit', 'out/test/unit/**/*.test.js'),
    mocha('lsp', 'out/test/lsp/**/*.test.js'),
    mocha('browser', 'out/test/browser/**/*.test.js'),
    vscode('ha-guide'),
    vscode('training-guides'),
    vscode('security-guide-2014'),
    keys('ha-guide'),
    keys('training-guides'),
    keys('security-guide-2014'),
];
// The index cache of the bins and servers the tests start goes to a folder of this run, never ~/.cache;
// --no-cache runs everything with the cache off (every answer must be the same either way).
const noCache = process.argv.includes('--no-cache');
const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'docbook-test-cache-'));
process.on('exit', () => rmSync(cacheDir, { recursive: true, force: true }));
process.env.DOCBOOK_OPENSTACK_CACHE_DIR = cacheDir;
if (noCache) process.env.DOCBOOK_OPENSTACK_NO_CACHE = '1';
const only = process.argv.slice(2).filter((a) => a !== '--no-cache');
const unknown = only.filter((o) => !suites.some((s) => s.name === o));
if (unknown.length) {
    console.error(`run-tests: unknown suite ${unknown.join(', ')} (known: ${[...new Set(suites.map((s) => s.name))].join(', ')})`);
    process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const reasons = new Map();
const skip = (n, reason) => {
    skipped += n;
    if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
};
let exitCode = 0;
for (const s of suites) {
    if (only.length && !only.includes(s.name)) continue;
    if (s.corpus && !existsSync(s.corpus)) {
        console.log(`${s.name}: skipped (${NO_CORPUS})`);
        skip(1, NO_CORPUS);
        continue;
    }
    const run = spawnSync(node, s.args, { env: { ...process.env, ...s.env }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    process.stdout.write(run.stdout ?? '');
    if (s.passFail) {
        if (run.status === 0) passed += 1;
        else failed += 1;
        console.log(`${s.name}: ${run.status === 0 ? 'clean' : `failed (exit ${run.status})`}`);
    } else {
        const counts = [...(run.stdout ?? '').matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped(?:: (.*))?)?$/gm)].pop();
        if (counts) {
            passed += Number(counts[1]);
            failed += Number(counts[2]);
            const k = Number(counts[3] ?? 0);
            // "K skipped: reason", or "K skipped: n1 reason1; n2 reason2" (test/countingReporter.ts).
            const parts = counts[4] ? counts[4].split('; ') : [];
            let explained = 0;
            for (const part of parts) {
                const m = /^(\d+) (.*)$/.exec(part);
                const n = m && parts.length > 1 ? Number(m[1]) : k;
                skip(n, m && parts.length > 1 ? m[2] : part);
                explained += n;
            }
            skip(k - explained);
        } else {
            failed += 1;
            console.log(`${s.name}: the suite did not report its counts (exit ${run.status})`);
        }
    }
    if (run.status !== 0) exitCode = 1;
}
const why = [...reasons].map(([reason, n]) => (reasons.size === 1 && n === skipped ? reason : `${n} ${reason}`));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped${why.length ? `: ${why.join('; ')}` : ''}` : ''}`);
process.exit(exitCode || (failed ? 1 : 0));
