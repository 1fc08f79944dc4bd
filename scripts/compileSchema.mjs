// Compiles schemas/docbookxi.rng to salve's JSON form (schemas/compiled/docbookxi.json), run by
// `npm run build` after tsc. Compiling takes seconds; loading the result a fraction of one, so the
// server and docbook-check never compile the built-in schema. Skipped when the output was made from
// the same schema by the same salve version.
import { createHash } from 'crypto';
import { performance } from 'perf_hooks';
import { createRequire } from 'module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const source = join(root, 'schemas', 'docbookxi.rng');
const target = join(root, 'schemas', 'compiled', 'docbookxi.json');
const salveVersion = require('salve-annos/package.json').version;
const { compileRngFile, COMPILED_FORMAT } = require(join(root, 'out', 'server', 'src', 'schema', 'grammar.js'));
const stamp = `${createHash('sha256').update(readFileSync(source)).digest('hex')} salve-annos ${salveVersion} format ${COMPILED_FORMAT}`;

if (existsSync(target)) {
    try {
        if (JSON.parse(readFileSync(target, 'utf8')).stamp === stamp) process.exit(0);
    } catch { /* recompile */ }
}
const started = performance.now();
const { compiled } = await compileRngFile(source);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, JSON.stringify({ stamp, ...compiled }));
console.log(`compiled ${source} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
