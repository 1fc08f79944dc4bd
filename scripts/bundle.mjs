// Bundles the VS Code client, the language server and the two commands into dist/ with esbuild, so
// the .vsix carries two self-contained files and no node_modules, and the bins load one file each
// (loading out/ as ~40 CommonJS modules cost ~50 ms of every docbook-check run).
// --minify: for the package. --watch (`npm run watch`): `tsc -w` (out/, type errors) and esbuild
// (dist/) both rebuild on change until Ctrl+C; esbuild prints "[esbuild] build started/finished" and
// "[esbuild] file:line:col: error: message" lines for the problem matcher of .vscode/tasks.json.
import { spawn } from 'child_process';
import { build, context } from 'esbuild';
import { existsSync } from 'fs';

const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, minify: process.argv.includes('--minify'), logLevel: 'warning' };
const entries = [
    { entryPoints: ['server/src/cli/serverEntry.ts'], outfile: 'dist/server.js' },
    { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
    { entryPoints: ['server/src/cli/docbookCheck.ts'], outfile: 'dist/docbook-check.js' },
    { entryPoints: ['server/src/cli/docbookRender.ts'], outfile: 'dist/docbook-render.js' },
].filter((e) => existsSync(e.entryPoints[0]));

// One "started … finished" pair over both bundles, so that a task waiting for "finished" has both.
let building = 0;
const reportForWatch = {
    name: 'report-for-watch',
    setup(b) {
        b.onStart(() => {
            if (building++ === 0) console.log('[esbuild] build started');
        });
        b.onEnd((result) => {
            for (const { text, location } of result.errors) {
                if (location) console.log(`[esbuild] ${location.file}:${location.line}:${location.column + 1}: error: ${text}`);
                else console.log(`[esbuild] error: ${text}`);
            }
            if (--building === 0) console.log('[esbuild] build finished');
        });
    },
};

if (watch) {
    const tsc = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '-w', '--preserveWatchOutput'], { stdio: 'inherit' });
    tsc.on('exit', (code) => process.exit(code ?? 1));
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => tsc.kill(signal));
    for (const e of entries) {
        const ctx = await context({ ...common, ...e, logLevel: 'silent', plugins: [reportForWatch] });
        await ctx.watch();
    }
} else {
    for (const e of entries) await build({ ...common, ...e });
}
