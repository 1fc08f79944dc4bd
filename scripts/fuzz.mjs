// `npm run fuzz`: the long fuzz and fault run (DOCBOOK_FUZZ_LONG=1): every corpus file at more
// boundaries, thousands of mutations with a fresh seed (printed; DOCBOOK_FUZZ_SEED=<n> replays one),
// case counts, the slowest case and the server's peak memory at the end of each suite.
import { spawnSync } from 'child_process';

const suites = ['out/test/unit/fuzz.test.js', 'out/test/unit/nothingLost.test.js', 'out/test/lsp/faults.test.js'];
const run = spawnSync(process.execPath, ['node_modules/mocha/bin/mocha.js', '--no-config', '--timeout', '0', ...suites, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, DOCBOOK_FUZZ_LONG: '1' },
});
process.exit(run.status ?? 1);
