/**
 * `npm run test:vscode`: the extension tests (test/vscode/suite) in a real VS Code, on a copy of a tree.
 *
 * Usage: node out/test/vscode/runVscodeTests.js [WORKSPACE] [runInCodeServer options]
 *
 * With VSCODE_EXECUTABLE set to a VS Code binary (desktop VS Code, Insiders, VSCodium), the tests run
 * in it through @vscode/test-electron, which is given that binary and so downloads nothing. Otherwise
 * they run in the bundled code-server (runInCodeServer.ts), the way CI and this offline machine do.
 * Either way the run ends with a line `N passed, M failed`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// Must match test/vscode/suite/index.ts.
const SUMMARY_PREFIX = 'DOCBOOK-TESTS ';
const OUTPUT_PREFIX = 'DOCBOOK-OUT ';
const REPO_ROOT = path.resolve(__dirname, '../../..');

async function inElectron(executable: string, workspaceSrc: string, grep: string | undefined): Promise<number> {
    const { runTests } = await import('@vscode/test-electron');
    if (!fs.existsSync(executable)) throw new Error(`VSCODE_EXECUTABLE ${executable} does not exist`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-vscode-electron-'));
    const workspace = path.join(tmp, path.basename(workspaceSrc));
    fs.cpSync(workspaceSrc, workspace, { recursive: true });
    // The tests edit files: make the copy of a read-only corpus writable.
    const writable = (p: string): void => {
        const st = fs.lstatSync(p);
        if (st.isSymbolicLink()) return;
        fs.chmodSync(p, st.mode | 0o200);
        if (st.isDirectory()) for (const e of fs.readdirSync(p)) writable(path.join(p, e));
    };
    writable(workspace);
    // VS Code prints what the extension host logs; the suite marks its own lines and ends with a summary.
    let summary: { passed: number; failed: number; pending?: number } | undefined;
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        const text = String(chunk);
        const at = text.indexOf(SUMMARY_PREFIX);
        if (at >= 0) summary = JSON.parse(text.slice(at + SUMMARY_PREFIX.length).split('\n')[0]);
        return write(text.split(OUTPUT_PREFIX).join(''), ...rest);
    }) as typeof process.stdout.write;
    let code: number;
    try {
        code = await runTests({
            vscodeExecutablePath: executable,
            extensionDevelopmentPath: REPO_ROOT,
            extensionTestsPath: path.join(REPO_ROOT, 'out/test/vscode/suite/index.js'),
            launchArgs: [workspace, '--disable-extensions', '--user-data-dir', path.join(tmp, 'user-data')],
            extensionTestsEnv: { DOCBOOK_TEST_WORKSPACE: workspace, ...(grep ? { DOCBOOK_TEST_GREP: grep } : {}) },
        });
    } catch (err) {
        console.error(`[runVscodeTests] ${(err as Error).message}`);
        code = 1;
    } finally {
        process.stdout.write = write;
        fs.rmSync(tmp, { recursive: true, force: true });
    }
    const passed = summary?.passed ?? 0;
    const failed = summary ? summary.failed + (code && !summary.failed ? 1 : 0) : 1;
    console.log(`${passed} passed, ${failed} failed${summary?.pending ? `, ${summary.pending} skipped` : ''}`);
    return code || (failed ? 1 : 0);
}

async function main(): Promise<number> {
    const args = process.argv.slice(2);
    const executable = process.env.VSCODE_EXECUTABLE;
    if (!executable) {
        // code-server: the runner takes the same arguments and prints the same closing line.
        return spawnSync(process.execPath, [path.join(__dirname, 'runInCodeServer.js'), ...args], { stdio: 'inherit' }).status ?? 1;
    }
    const grepAt = args.indexOf('--grep');
    const grep = grepAt >= 0 ? args[grepAt + 1] : undefined;
    const workspace = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--grep');
    if (!workspace) throw new Error('give the workspace folder to open (e.g. ../shared/corpus/ha-guide)');
    return inElectron(executable, path.resolve(workspace), grep);
}

main().then(
    (code) => process.exit(code),
    (err) => {
        console.error(`[runVscodeTests] ${(err as Error).message}`);
        console.log('0 passed, 1 failed');
        process.exit(1);
    },
);
