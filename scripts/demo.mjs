// `npm run demo`: the packaged extension (docbook-openstack.vsix, made by `npm run package`) in a
// browser VS Code — the tests' code-server in .tools/ (scripts/install-test-deps.sh) — on a copy of
// the bundled sample book. Prints the URL to open and runs until Ctrl+C.
// Usage: node scripts/demo.mjs [--port PORT] [FOLDER]   (default port 8080, default folder sample/)
import { spawn, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const portAt = args.indexOf('--port');
const port = portAt >= 0 ? Number(args.splice(portAt, 2)[1]) : 8080;
const folder = path.resolve(args[0] ?? path.join(repo, 'sample'));
const entry = process.env.CODE_SERVER_ENTRY ?? path.join(repo, '.tools/code-server/node_modules/code-server/out/node/entry.js');
const vsix = path.join(repo, 'docbook-openstack.vsix');
for (const [file, fix] of [[entry, 'bash scripts/install-test-deps.sh'], [vsix, 'npm run package'], [folder, 'give an existing folder']]) {
    if (!fs.existsSync(file)) {
        console.error(`demo: ${file} is missing: ${fix}`);
        process.exit(2);
    }
}
if (!(port > 0 && port < 65536)) {
    console.error('demo: --port needs a port number');
    process.exit(2);
}

// Everything code-server writes goes to a temp folder: the user's own VS Code and the repository stay untouched.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-demo-'));
const workspace = path.join(tmp, path.basename(folder));
fs.cpSync(folder, workspace, { recursive: true });
const userData = path.join(tmp, 'user-data');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false, 'update.mode': 'none', 'git.enabled': false, 'security.workspace.trust.enabled': false,
}, null, 2));
fs.writeFileSync(path.join(tmp, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
const codeServer = [entry, '--config', path.join(tmp, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions')];

const installed = spawnSync(process.execPath, [...codeServer, '--install-extension', vsix], { encoding: 'utf8' });
if (installed.status !== 0) {
    console.error(`demo: code-server could not install ${vsix}:\n${installed.stdout}${installed.stderr}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(1);
}
const logFile = path.join(tmp, 'code-server.log');
const log = fs.openSync(logFile, 'a');
// Its own process group, so that Ctrl+C ends code-server's helpers (file watcher, extension host) too.
const server = spawn(process.execPath, [...codeServer, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override'], { detached: true, stdio: ['ignore', log, log] });

let stopping = false;
const stop = (code) => {
    if (stopping) return;
    stopping = true;
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    setTimeout(() => {
        try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ }
        fs.rmSync(tmp, { recursive: true, force: true });
        process.exit(code);
    }, 1000);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(0));
server.on('exit', (code) => {
    if (stopping) return;
    console.error(`demo: code-server stopped (exit ${code}); its log:\n${fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')}`);
    stop(1);
});

const deadline = Date.now() + 60_000;
for (;;) {
    try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
        console.error(`demo: code-server did not answer on port ${port} within 60 s (log: ${logFile})`);
        stop(1);
        await new Promise(() => {}); // stop() exits
    }
    await new Promise((r) => setTimeout(r, 250));
}
console.log(`DocBook extension demo on ${workspace} (a copy of ${path.relative(process.cwd(), folder) || folder}).`);
console.log(`Open http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
console.log('Press Ctrl+C to stop.');
