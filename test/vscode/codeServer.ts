/**
 * A real VS Code on an offline machine: code-server 4.100.3 (installed by
 * scripts/install-test-deps.sh into .tools/code-server) on a copy of a workspace, and headless
 * Debian Chromium driven by playwright-core opening its workbench with this repository loaded as
 * the extension under development. Used by runInCodeServer.ts (mocha inside the extension host)
 * and by the keystroke suite test/keys (mocha outside, driving the page with real key events).
 *
 * Environment: CODE_SERVER_ENTRY overrides the code-server entry point; CHROMIUM_PATH the browser
 * (default /usr/bin/chromium).
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';

export const REPO_ROOT = findRepoRoot(__dirname);

export interface CodeServerOptions {
    /** Folder copied into a fresh temp dir and opened (never used in place). */
    workspaceSrc: string;
    /** Prefix of the temp dir's name. */
    tmpPrefix?: string;
    /** User settings on top of the quiet defaults. */
    settings?: Record<string, unknown>;
    /** Extra environment for code-server (and so the extension host). */
    env?: NodeJS.ProcessEnv;
    /** Called with the workspace copy before code-server starts (to add files to it). */
    prepare?: (workspace: string) => void;
    /** Name of an environment variable that gets the workspace copy's path. */
    workspaceEnv?: string;
    /** Keep the temp dir (workspace copy, user data, code-server.log) and print it on stop. */
    keep?: boolean;
    /** Prefix of the lines this module prints. */
    logTag?: string;
    /** The page's size (playwright's default, 1280×720, otherwise). */
    viewport?: { width: number; height: number };
}

export interface CodeServer {
    port: number;
    authority: string;
    tmp: string;
    /** The opened workspace copy. */
    workspace: string;
    logFile: string;
    browser: BrowserContext;
    page: Page;
    /** Closes the browser, kills code-server's process group, removes the temp dir unless kept. */
    stop(): Promise<void>;
}

export function findRepoRoot(start: string): string {
    let dir = start;
    for (;;) {
        const pkg = path.join(dir, 'package.json');
        if (fs.existsSync(pkg)) {
            try {
                if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'docbook-openstack') {
                    return dir;
                }
            } catch {
                // not ours; keep looking
            }
        }
        const parent = path.dirname(dir);
        if (parent === dir) {
            throw new Error(`cannot find the repository root (package.json "docbook-openstack") above ${start}`);
        }
        dir = parent;
    }
}

/** The shared corpus tree `name` (<repo>/../shared/corpus/NAME, else /work/shared/corpus/NAME). */
export function corpusTree(name: string): string | undefined {
    return [path.resolve(REPO_ROOT, '..', 'shared', 'corpus', name), `/work/shared/corpus/${name}`].find((c) => fs.existsSync(c));
}

/** Copies a tree and gives the owner write permission (the shared corpus may be read-only). */
export function copyWritable(src: string, dest: string): void {
    fs.cpSync(src, dest, { recursive: true, dereference: false });
    const walk = (p: string): void => {
        const st = fs.lstatSync(p);
        if (st.isSymbolicLink()) return;
        fs.chmodSync(p, st.mode | 0o200);
        if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
    };
    walk(dest);
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const addr = srv.address();
            const port = typeof addr === 'object' && addr ? addr.port : 0;
            srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
        });
    });
}

/** Stop functions of the code-servers started and not yet stopped (for a signal during any stage). */
const live = new Set<() => Promise<void>>();
let signalsHandled = false;

/**
 * Ctrl+C (or SIGTERM/SIGHUP) stops every code-server and browser this process started, even one
 * still starting: both run in their own process groups, so the terminal's signal never reaches
 * them. Then the process exits with 128 + the signal's number.
 */
function handleSignals(tag: string): void {
    if (signalsHandled) return;
    signalsHandled = true;
    const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
    for (const sig of Object.keys(codes) as NodeJS.Signals[]) {
        process.on(sig, () => {
            console.error(`${tag} ${sig}: stopping ${live.size} code-server(s)`);
            void Promise.all([...live].map((stop) => stop().catch(() => undefined))).finally(() => process.exit(codes[sig]));
        });
    }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitForHealthz(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastErr = '';
    while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null) {
            throw new Error(`code-server exited early (code ${child.exitCode}, signal ${child.signalCode})`);
        }
        try {
            const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
            if (res.ok) return;
            lastErr = `HTTP ${res.status}`;
        } catch (err) {
            lastErr = String((err as Error).message ?? err);
        }
        await sleep(250);
    }
    throw new Error(`code-server did not answer /healthz within ${timeoutMs / 1000} s (${lastErr})`);
}

function groupAlive(pid: number): boolean {
    try {
        process.kill(-pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** Kills code-server's whole process group (server, extension host, file watcher, pty host). */
async function killGroup(pid: number): Promise<void> {
    try {
        process.kill(-pid, 'SIGTERM');
    } catch {
        return; // already gone
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && groupAlive(pid)) await sleep(100);
    if (groupAlive(pid)) {
        try {
            process.kill(-pid, 'SIGKILL');
        } catch {
            // gone in between
        }
    }
}

/**
 * The browser console text of a workbench log line: `%c INFO color: #33f <message>` (or ` ERR`,
 * `WARN`, ...); without the styling, e.g. `INFO <message>`.
 */
export function consoleText(msg: ConsoleMessage): string {
    return msg.text().replace(/^%c\s*(\w+) color: #[0-9a-f]{3,6} /i, '$1 ');
}

export function tail(file: string, lines: number): string {
    try {
        return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
        return '';
    }
}

/**
 * Starts code-server on a copy of `workspaceSrc` and a headless Chromium with a blank page. The
 * page is not yet on the workbench: set up listeners (exposeFunction, console) first, then
 * `openWorkbench`. On failure everything started so far is stopped before the error is thrown.
 */
export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
    const tag = opts.logTag ?? '[codeServer]';
    const started = Date.now();
    const entry =
        process.env.CODE_SERVER_ENTRY ??
    path.join(REPO_ROOT, '.tools', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
    if (!fs.existsSync(entry)) {
        throw new Error(`code-server not found at ${entry}: run scripts/install-test-deps.sh`);
    }
    const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    if (!fs.existsSync(chromiumPath)) {
        throw new Error(`Chromium not found at ${chromiumPath}: run scripts/install-test-deps.sh`);
    }

    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), opts.tmpPrefix ?? 'docbook-vscode-test-'));
    const workspace = path.join(tmp, 'workspace', path.basename(opts.workspaceSrc));
    const userData = path.join(tmp, 'user-data');
    const extensionsDir = path.join(tmp, 'extensions');
    const browserProfile = path.join(tmp, 'browser-profile');
    const configFile = path.join(tmp, 'config.yaml');
    const logFile = path.join(tmp, 'code-server.log');

    let child: ChildProcess | undefined;
    let browser: BrowserContext | undefined;
    let stopped = false;
    const stop = async (): Promise<void> => {
        if (stopped) return;
        stopped = true;
        live.delete(stop);
        // The browser and code-server's whole group go down together; neither may hang the exit.
        await Promise.all([
            browser ? Promise.race([browser.close().catch(() => undefined), sleep(10000)]) : undefined,
            child?.pid ? killGroup(child.pid) : undefined,
        ]);
        if (opts.keep) {
            console.log(`${tag} kept ${tmp}`);
        } else {
            fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
        }
    };

    live.add(stop);
    handleSignals(tag);
    try {
        copyWritable(opts.workspaceSrc, workspace);
        opts.prepare?.(workspace);
        fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
        fs.mkdirSync(extensionsDir, { recursive: true });
        fs.mkdirSync(browserProfile, { recursive: true });
        fs.writeFileSync(
            path.join(userData, 'User', 'settings.json'),
            JSON.stringify(
                {
                    'workbench.startupEditor': 'none',
                    'workbench.enableExperiments': false,
                    'telemetry.telemetryLevel': 'off',
                    'extensions.autoUpdate': false,
                    'extensions.autoCheckUpdates': false,
                    'update.mode': 'none',
                    'git.enabled': false,
                    'security.workspace.trust.enabled': false,
                    ...opts.settings,
                },
                null,
                2,
            ),
        );
        const port = await freePort();
        fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

        const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
        if (opts.workspaceEnv) env[opts.workspaceEnv] = workspace;
        // Don't let a VS Code this runs under leak into the test instance.
        for (const k of Object.keys(env)) {
            if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
        }
        const logFd = fs.openSync(logFile, 'a');
        child = spawn(
            process.execPath,
            [
                entry,
                '--config', configFile,
                '--user-data-dir', userData,
                '--extensions-dir', extensionsDir,
                '--disable-telemetry',
                '--disable-update-check',
                '--disable-workspace-trust',
                '--disable-getting-started-override',
            ],
            { cwd: tmp, env, detached: true, stdio: ['ignore', logFd, logFd] },
        );
        fs.closeSync(logFd);
        // A signal between here and the next await still finds the child (stop reads `child`).
        child.on('error', (err) => console.error(`${tag} code-server: ${err.message}`));
        await waitForHealthz(port, child, 60000);
        console.log(`${tag} code-server up on 127.0.0.1:${port} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

        const { chromium } = await import('playwright-core');
        // A persistent context on a fresh profile dir (playwright's way to give --user-data-dir).
        browser = await chromium.launchPersistentContext(browserProfile, {
            executablePath: chromiumPath,
            headless: true,
            handleSIGINT: false,
            handleSIGTERM: false,
            handleSIGHUP: false,
            ...(opts.viewport ? { viewport: opts.viewport } : {}),
            args: [
                '--no-sandbox',
                '--disable-gpu',
                '--disable-quic',
                '--no-first-run',
                '--disable-background-networking',
                '--disable-component-update',
                '--disable-sync',
            ],
        });
        const page = browser.pages()[0] ?? (await browser.newPage());
        return { port, authority: `127.0.0.1:${port}`, tmp, workspace, logFile, browser, page, stop };
    } catch (err) {
        if (fs.existsSync(logFile)) console.error(`--- code-server.log (tail) ---\n${tail(logFile, 40)}`);
        await stop();
        throw err;
    }
}

/**
 * Opens the workbench on the workspace with this repository as the extension under development;
 * with `extensionTestsPath`, VS Code runs those tests in the extension host and reports their exit
 * code through `window.codeAutomationExit`.
 */
export async function openWorkbench(server: CodeServer, extensionTestsPath?: string): Promise<void> {
    // DOCBOOK_EXTENSION_PATH: another build of the extension (e.g. an old commit's worktree) under the same tests.
    const extension = path.resolve(process.env.DOCBOOK_EXTENSION_PATH ?? REPO_ROOT);
    const payload = [['extensionDevelopmentPath', `vscode-remote://${server.authority}${extension}`]];
    if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${server.authority}${extensionTestsPath}`]);
    const url =
        `http://${server.authority}/?folder=${encodeURIComponent(server.workspace)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await server.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
}
