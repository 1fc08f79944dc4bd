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
import * as fs from 'fs';
import * as path from 'path';
import { CodeServer, consoleText, openWorkbench, REPO_ROOT, sleep, startCodeServer, tail } from './codeServer';

// Must match test/vscode/suite/index.ts.
const SUMMARY_PREFIX = 'DOCBOOK-TESTS ';
const OUTPUT_PREFIX = 'DOCBOOK-OUT ';

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

async function main(): Promise<number> {
    const opts = parseArgs(process.argv.slice(2));
    const started = Date.now();
    const testsPath = path.join(REPO_ROOT, 'out', 'test', 'vscode', 'suite', 'index.js');
    if (!fs.existsSync(testsPath)) {
        throw new Error(`${testsPath} does not exist: compile first (npx tsc -p .)`);
    }

    let server: CodeServer | undefined;
    let summary: Summary | undefined;
    const workbenchErrors: string[] = [];
    let exitCode: number;
    let cleanedUp = false;

    const cleanup = async (): Promise<void> => {
        if (cleanedUp) return;
        cleanedUp = true;
        await server?.stop();
    };
    // startCodeServer stops everything it started on a signal (also mid-start) and exits; this only
    // makes the run count as failed.
    const onSignal = (): void => {
        if (!cleanedUp) console.log('0 passed, 1 failed');
    };
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);

    try {
        server = await startCodeServer({
            workspaceSrc: opts.workspaceSrc,
            keep: opts.keep,
            logTag: '[runInCodeServer]',
            env: opts.grep ? { DOCBOOK_TEST_GREP: opts.grep } : {},
            workspaceEnv: 'DOCBOOK_TEST_WORKSPACE',
        });
        const page = server.page;

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

        await openWorkbench(server, testsPath);

        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), opts.timeoutMs)));
        const result = await Promise.race([exited, timedOut]);
        clearTimeout(timer);
        if (result === 'timeout') {
            console.error(`[runInCodeServer] the tests did not end within ${opts.timeoutMs / 1000} s`);
            console.error(`--- code-server.log (tail) ---\n${tail(server.logFile, 40)}`);
            exitCode = 1;
        } else {
            exitCode = result;
            // The summary line may arrive just after the exit call; give the console a moment.
            if (!summary) await sleep(500);
        }
    } catch (err) {
        console.error(`[runInCodeServer] ${(err as Error).stack ?? err}`);
        if (server) console.error(`--- code-server.log (tail) ---\n${tail(server.logFile, 40)}`);
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
