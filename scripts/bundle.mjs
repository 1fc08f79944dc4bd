// Bundles the VS Code client and the language server into dist/ with esbuild, so the .vsix
// carries two self-contained files and no node_modules.
import { build } from 'esbuild';
import { existsSync } from 'fs';

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, minify: process.argv.includes('--minify'), logLevel: 'warning' };
const entries = [
    { entryPoints: ['server/src/cli/serverEntry.ts'], outfile: 'dist/server.js' },
    { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
];
for (const e of entries) {
    if (!existsSync(e.entryPoints[0])) continue;
    await build({ ...common, ...e });
}
