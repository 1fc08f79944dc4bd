// `npm test`: the mocha suites (unit, LSP over stdio, Neovim, browser), then the extension tests in a
// real VS Code, then the keystroke scenarios in the same VS Code driven from outside. Prints one closing "N passed, N failed" line over all of them.
import { spawnSync } from 'child_process';

const suites = [
    { name: 'mocha', cmd: process.execPath, args: ['node_modules/mocha/bin/mocha.js', '--reporter', 'out/test/countingReporter.js'] },
    // The extension in a real VS Code, on each real tree: each has what the others lack
    // (callouts in ha-guide; glossary, profiles and books in books in training-guides; broken entities in security-guide).
    { name: 'vscode', cmd: process.execPath, args: ['out/test/vscode/runInCodeServer.js'] },
    { name: 'vscode', cmd: process.execPath, args: ['out/test/vscode/runInCodeServer.js', '../shared/corpus/training-guides'] },
    { name: 'vscode', cmd: process.execPath, args: ['out/test/vscode/runInCodeServer.js', '../shared/corpus/security-guide-2014'] },
    // The same VS Code driven from outside with real key events (test/keys), on each tree.
    ...['ha-guide', 'training-guides', 'security-guide-2014'].map((tree) => ({
        name: 'keys', cmd: process.execPath,
        args: ['node_modules/mocha/bin/mocha.js', '--no-config', '--timeout', '60000', '--reporter', 'out/test/countingReporter.js', 'out/test/keys/scenarios.test.js'],
        env: { ...process.env, DOCBOOK_KEYS_TREE: `../shared/corpus/${tree}` },
    })),
];
const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
let exitCode = 0;
for (const s of suites) {
    if (only.length && !only.includes(s.name)) continue;
    const run = spawnSync(s.cmd, s.args, { env: s.env ?? process.env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    process.stdout.write(run.stdout ?? '');
    const counts = [...(run.stdout ?? '').matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed/gm)].pop();
    if (counts) {
        passed += Number(counts[1]);
        failed += Number(counts[2]);
    } else {
        failed += 1;
        console.log(`${s.name}: the suite did not report its counts (exit ${run.status})`);
    }
    if (run.status !== 0) exitCode = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode || (failed ? 1 : 0));
