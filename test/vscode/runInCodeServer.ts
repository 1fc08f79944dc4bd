/**
 * Runs the mocha extension tests (test/vscode/suite/index.ts) inside a real VS Code on an offline
 * machine: code-server 4.100.3 (VS Code 1.100.3, installed by scripts/install-test-deps.sh
 * into .tools/code-server) serves the workbench, headless Debian Chromium driven by playwright-core
 * opens it with `extensionDevelopmentPath` / `extensionTestsPath` in the URL's `payload`, and the
 * tests run in code-server's Node extension host, as for users.
 *
 * Usage (after `tsc -p .`):
 *   node out/test/vscode/runInCodeServer.js [WORKSPACE] [--timeout SECONDS] [--grep REGEX] [--keep] [--verbose]
 *
 *   WORKSPACE   folder copied into a fresh temp dir and opened (never used in place).
 *               Default: $DOCBOOK_TEST_WORKSPACE_SRC, else the shared corpus' ha-guide
 *               (<repo>/../shared/corpus/ha-guide, else /work/shared/corpus/ha-guide).
 *   --timeout   seconds to wait for the suite to end (default 180, or $VSCODE_TEST_TIMEOUT).
 *   --grep      only tests whose full title matches (passed as DOCBOOK_TEST_GREP).
 *   --keep      keep the temp dir (workspace copy, user data, code-server.log) and print it.
 *   --verbose   forward every browser console line, not only the extension host's.
 *
 * Environment: CODE_SERVER_ENTRY overrides the code-server entry point; CHROMIUM_PATH the browser
 * (default /usr/bin/chromium).
 *
 * Reporting: the suite prints one line `DOCBOOK-TESTS {"passed":N,"failed":M,...}` via console.log
 * (see suite/index.ts); the extension host forwards it to the browser console, where this script
 * reads it. The script ends with a line `N passed, M failed` and exits with the tests' exit code
 * (1 on a timeout or a harness failure, in which case the line counts one failure).
 *
 * Environment given to code-server and so to the extension host and the tests:
 *   DOCBOOK_TEST_WORKSPACE  absolute path of the opened workspace copy
 *   DOCBOOK_TEST_GREP       from --grep
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import type { BrowserContext, ConsoleMessage } from 'playwright-core';

// Must match test/vscode/suite/index.ts.
const SUMMARY_PREFIX = 'DOCBOOK-TESTS ';
const OUTPUT_PREFIX = 'DOCBOOK-OUT ';
const REPO_ROOT = findRepoRoot(__dirname);

interface Options {
  workspaceSrc: string;
  timeoutMs: number;
  grep?: string;
  keep: boolean;
  verbose: boolean;
}

interface Summary {
  passed: number;
  failed: number;
  pending?: number;
}

function findRepoRoot(start: string): string {
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

function parseArgs(argv: string[]): Options {
  let workspaceSrc: string | undefined;
  let timeoutS = Number(process.env.VSCODE_TEST_TIMEOUT) || 180;
  let grep: string | undefined;
  let keep = false;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--timeout') {
      timeoutS = Number(argv[++i]);
      if (!(timeoutS > 0)) throw new Error('--timeout needs a number of seconds');
    } else if (a === '--grep') {
      grep = argv[++i];
      if (grep === undefined) throw new Error('--grep needs a regular expression');
    } else if (a === '--keep') {
      keep = true;
    } else if (a === '--verbose') {
      verbose = true;
    } else if (a.startsWith('--')) {
      throw new Error(`unknown option ${a}`);
    } else if (workspaceSrc === undefined) {
      workspaceSrc = path.resolve(a);
    } else {
      throw new Error(`unexpected argument ${a}`);
    }
  }
  if (workspaceSrc === undefined) {
    const candidates = [
      process.env.DOCBOOK_TEST_WORKSPACE_SRC,
      path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'ha-guide'),
      '/work/shared/corpus/ha-guide',
    ].filter((c): c is string => !!c);
    workspaceSrc = candidates.find((c) => fs.existsSync(c));
    if (!workspaceSrc) throw new Error(`no default workspace found (tried ${candidates.join(', ')})`);
  }
  if (!fs.statSync(workspaceSrc).isDirectory()) throw new Error(`${workspaceSrc} is not a folder`);
  return { workspaceSrc, timeoutMs: timeoutS * 1000, grep, keep, verbose };
}

/** Copies a tree and gives the owner write permission (the shared corpus may be read-only). */
function copyWritable(src: string, dest: string): void {
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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

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
function consoleText(msg: ConsoleMessage): string {
  return msg.text().replace(/^%c\s*(\w+) color: #[0-9a-f]{3,6} /i, '$1 ');
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
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
  const testsPath = path.join(REPO_ROOT, 'out', 'test', 'vscode', 'suite', 'index.js');
  if (!fs.existsSync(testsPath)) {
    throw new Error(`${testsPath} does not exist: compile first (npx tsc -p .)`);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-vscode-test-'));
  const workspace = path.join(tmp, 'workspace', path.basename(opts.workspaceSrc));
  const userData = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const browserProfile = path.join(tmp, 'browser-profile');
  const configFile = path.join(tmp, 'config.yaml');
  const logFile = path.join(tmp, 'code-server.log');

  let child: ChildProcess | undefined;
  let browser: BrowserContext | undefined;
  let summary: Summary | undefined;
  const workbenchErrors: string[] = [];
  let exitCode: number;
  let cleanedUp = false;

  const cleanup = async (): Promise<void> => {
    if (cleanedUp) return;
    cleanedUp = true;
    // The browser and code-server's whole group go down together; neither may hang the exit.
    await Promise.all([
      browser ? Promise.race([browser.close().catch(() => undefined), sleep(10000)]) : undefined,
      child?.pid ? killGroup(child.pid) : undefined,
    ]);
    if (opts.keep) {
      console.log(`[runInCodeServer] kept ${tmp}`);
    } else {
      fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
    }
  };
  // Playwright's own signal handlers are off (below), so these clean up everything.
  const onSignal = (sig: NodeJS.Signals): void => {
    if (cleanedUp) return;
    console.error(`[runInCodeServer] ${sig}: cleaning up`);
    console.log('0 passed, 1 failed');
    void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);

  try {
    copyWritable(opts.workspaceSrc, workspace);
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
        },
        null,
        2,
      ),
    );
    const port = await freePort();
    fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

    const env: NodeJS.ProcessEnv = { ...process.env, DOCBOOK_TEST_WORKSPACE: workspace };
    // Don't let a VS Code this runs under leak into the test instance.
    for (const k of Object.keys(env)) {
      if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
    }
    if (opts.grep) env.DOCBOOK_TEST_GREP = opts.grep;
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
    child.on('error', (err) => console.error(`[runInCodeServer] code-server: ${err.message}`));
    await waitForHealthz(port, child, 60000);
    console.log(`[runInCodeServer] code-server up on 127.0.0.1:${port} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const { chromium } = await import('playwright-core');
    // A persistent context on a fresh profile dir (playwright's way to give --user-data-dir).
    browser = await chromium.launchPersistentContext(browserProfile, {
      executablePath: chromiumPath,
      headless: true,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
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

    let resolveExit!: (code: number) => void;
    const exited = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => {
      resolveExit(typeof code === 'number' ? code : Number(code) || 0);
    });
    page.on('console', (msg) => {
      const text = consoleText(msg);
      if (opts.verbose) console.log(`[browser ${msg.type()}] ${text}`);
      for (const line of text.split('\n')) {
        const out = line.indexOf(OUTPUT_PREFIX);
        const sum = line.indexOf(SUMMARY_PREFIX);
        if (out >= 0) {
          if (!opts.verbose) console.log(line.slice(out + OUTPUT_PREFIX.length));
        } else if (sum >= 0) {
          try {
            summary = JSON.parse(line.slice(sum + SUMMARY_PREFIX.length)) as Summary;
          } catch {
            console.error(`[runInCodeServer] unreadable summary: ${line}`);
          }
        }
      }
      // Kept to explain a run that fails before the suite prints anything (shown at the end).
      if (msg.type() === 'error' && !text.includes(OUTPUT_PREFIX)) {
        workbenchErrors.push(text);
        if (workbenchErrors.length > 50) workbenchErrors.shift();
      }
    });
    page.on('pageerror', (err) => {
      if (opts.verbose) console.error(`[browser pageerror] ${err.message}`);
    });

    const authority = `127.0.0.1:${port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${REPO_ROOT}`],
      ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`],
    ];
    const url =
      `http://${authority}/?folder=${encodeURIComponent(workspace)}` +
      `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), opts.timeoutMs)));
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      console.error(`[runInCodeServer] the tests did not end within ${opts.timeoutMs / 1000} s`);
      console.error(`--- code-server.log (tail) ---\n${tail(logFile, 40)}`);
      exitCode = 1;
    } else {
      exitCode = result;
      // The summary line may arrive just after the exit call; give the console a moment.
      if (!summary) await sleep(500);
    }
  } catch (err) {
    console.error(`[runInCodeServer] ${(err as Error).stack ?? err}`);
    if (fs.existsSync(logFile)) console.error(`--- code-server.log (tail) ---\n${tail(logFile, 40)}`);
    exitCode = 1;
  } finally {
    await cleanup();
  }

  if (!summary && workbenchErrors.length > 0 && !opts.verbose) {
    console.error('--- browser console errors (offline noise such as open-vsx is harmless) ---');
    for (const e of workbenchErrors) console.error(e.split('\n').slice(0, 8).join('\n'));
  }
  if (!summary) {
    summary = { passed: 0, failed: exitCode === 0 ? 0 : 1 };
    if (exitCode === 0) {
      console.error('[runInCodeServer] the suite ended with code 0 but printed no DOCBOOK-TESTS summary');
      exitCode = 1;
      summary.failed = 1;
    }
  } else if (exitCode !== 0 && summary.failed === 0) {
    summary.failed = 1; // the run failed outside any test (e.g. the suite threw)
  }
  console.log(`[runInCodeServer] wall time ${((Date.now() - started) / 1000).toFixed(1)} s, exit code ${exitCode}`);
  const pending = summary.pending ? `, ${summary.pending} skipped` : '';
  console.log(`${summary.passed} passed, ${summary.failed} failed${pending}`);
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[runInCodeServer] ${(err as Error).stack ?? err}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
