/**
 * Mocha entry point that VS Code runs inside the extension host (`extensionTestsPath`).
 *
 * It is loaded by test/vscode/runInCodeServer.ts through code-server's workbench URL; the
 * extension host runs on code-server's server side (a Node process on this machine), so the
 * compiled test files are plain local paths and `require` works on them, while the workbench
 * itself addresses them as vscode-remote:// URIs.
 *
 * Convention with the runner (how test output gets out of the extension host):
 * - In test mode the workbench logs everything the extension host prints as ordinary workbench
 *   log lines (`%c INFO color: #33f <text>` in the browser console), mixed with the workbench's
 *   own noise. So while the suite runs, console.log/info/warn/error/debug in the extension host are
 *   wrapped: each call is formatted (util.format) and every line of it is prefixed with
 *   `DOCBOOK-OUT ` (OUTPUT_PREFIX). The runner prints those lines, without the prefix, to stdout.
 *   This covers mocha's spec reporter, console output of tests, and of the extension under test.
 * - When the run ends the suite prints exactly one line
 *       DOCBOOK-TESTS {"passed":N,"failed":M,"pending":P,"total":T}
 *   (SUMMARY_PREFIX + JSON), which the runner turns into its closing `N passed, M failed` line.
 * - The returned promise rejects when a test failed or no test ran; the workbench then reports a
 *   non-zero code through `codeAutomationExit`, which becomes the runner's exit code.
 *
 * Test files: every `*.test.js` beside this file (compiled from `*.test.ts`), in name order.
 * Environment (set on code-server by the runner, inherited by the extension host):
 *   DOCBOOK_TEST_GREP      only run tests whose full title matches this regular expression
 *   DOCBOOK_TEST_TIMEOUT   per-test timeout in ms (default 20000)
 *   DOCBOOK_TEST_WORKSPACE absolute path of the opened workspace copy
 */
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';

export const SUMMARY_PREFIX = 'DOCBOOK-TESTS ';
export const OUTPUT_PREFIX = 'DOCBOOK-OUT ';

export interface TestSummary {
    passed: number;
    failed: number;
    pending: number;
    total: number;
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';
const METHODS: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];

function marked(print: (...data: unknown[]) => void): (...data: unknown[]) => void {
    return (...data: unknown[]): void => {
        const text = util.format(...data);
        print(text.split('\n').map((line) => OUTPUT_PREFIX + line).join('\n'));
    };
}

/**
 * Prefixes every line the extension host prints while the suite runs; returns the function that
 * undoes it. The extension host's console forwarder defines console.log & co. as getters with a
 * no-op setter (so plain assignment is ignored); the properties stay configurable, so they are
 * redefined here and their original descriptors put back afterwards. Mocha's reporters print
 * through Base.consoleLog (captured when mocha loads), which is pointed at the marked log directly.
 */
function markConsole(): () => void {
    const restore: Array<() => void> = [];
    const savedBaseLog = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = marked(console.log.bind(console));
    for (const m of METHODS) {
        const desc = Object.getOwnPropertyDescriptor(console, m);
        const original = console[m].bind(console) as (...data: unknown[]) => void;
        const wrapper = marked(original);
        try {
            Object.defineProperty(console, m, {
                configurable: true,
                enumerable: desc?.enumerable ?? true,
                get: () => wrapper,
                set: () => undefined,
            });
            restore.push(() => {
                if (desc) Object.defineProperty(console, m, desc);
            });
        } catch {
            // Not configurable: leave this method unmarked (its output is still in the browser log).
        }
    }
    return () => {
        Mocha.reporters.Base.consoleLog = savedBaseLog;
        for (const r of restore) r();
    };
}

export function run(): Promise<void> {
    const timeout = Number(process.env.DOCBOOK_TEST_TIMEOUT) || 20000;
    const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout });
    const grep = process.env.DOCBOOK_TEST_GREP;
    if (grep) {
        mocha.grep(new RegExp(grep));
    }

    const dir = __dirname;
    const files = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.test.js'))
        .sort();
    for (const f of files) {
        mocha.addFile(path.join(dir, f));
    }

    return new Promise<void>((resolve, reject) => {
        const finish = (summary: TestSummary, err?: Error): void => {
            console.log(SUMMARY_PREFIX + JSON.stringify(summary));
            if (err) reject(err);
            else resolve();
        };
        if (files.length === 0) {
            finish({ passed: 0, failed: 1, pending: 0, total: 0 }, new Error(`no *.test.js files in ${dir}`));
            return;
        }
        const unmark = markConsole();
        try {
            const runner = mocha.run((failures) => {
                unmark();
                const stats = runner.stats;
                const passed = stats?.passes ?? 0;
                const pending = stats?.pending ?? 0;
                const failed = Math.max(failures, stats?.failures ?? 0);
                const summary = { passed, failed, pending, total: passed + failed + pending };
                if (failed > 0) finish(summary, new Error(`${failed} test(s) failed`));
                else if (passed === 0) finish(summary, new Error('no test ran (check DOCBOOK_TEST_GREP)'));
                else finish(summary);
            });
        } catch (err) {
            // A test file that throws while loading ends up here.
            console.error(err);
            unmark();
            finish({ passed: 0, failed: 1, pending: 0, total: 1 }, err instanceof Error ? err : new Error(String(err)));
        }
    });
}
