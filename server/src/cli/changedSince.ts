// docbook-check --changed-since REF: what changed in the git checkout since REF, as the OpenStack
// gate looked at one change (openstack-doc-test ran on `git diff --name-only HEAD~1 HEAD`).
// Changed: files that differ between REF and the working tree (committed since, staged or not)
// plus untracked files that git does not ignore; deleted: files of REF that the working tree no
// longer has. Renames count as a deletion and an addition (the old path may still be included).

import { execFile } from 'child_process';
import * as path from 'path';
import { UsageError } from './cliSupport';

export interface GitChanges {
    /** The checkout's top folder. */
    top: string;
    /** Absolute paths of files added or modified since the ref (untracked ones too). */
    changed: string[];
    /** Absolute paths of files deleted since the ref. */
    deleted: string[];
}

/**
 * Output of a read-only git command: no optional locks (git must not even refresh its index), and
 * no lazy fetch of missing objects in a partial clone (nothing is fetched).
 */
function git(cwd: string, args: string[]): Promise<string> {
    const env = { ...process.env, GIT_NO_LAZY_FETCH: '1', GIT_TERMINAL_PROMPT: '0' };
    return new Promise((resolve, reject) => {
        execFile('git', ['--no-optional-locks', ...args], { cwd, env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
            if (error) reject(new Error((stderr || error.message).trim().split('\n')[0]));
            else resolve(stdout);
        });
    });
}

function paths(top: string, zList: string): string[] {
    return zList.split('\0').filter(Boolean).map((rel) => path.resolve(top, rel));
}

/** The files changed and deleted since `ref` in the git checkout around `folder`. */
export async function changesSince(folder: string, ref: string): Promise<GitChanges> {
    let top: string;
    try {
        // The top as reached from `folder` (not git's real path), so paths match the index's when a symlink leads there.
        top = path.resolve(folder, (await git(folder, ['rev-parse', '--show-cdup'])).replace(/\n$/, '') || '.');
    } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : (e as Error).message;
        throw new UsageError(`--changed-since needs a git checkout: ${folder}: ${why}`);
    }
    try {
        await git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    } catch {
        throw new UsageError(`--changed-since: "${ref}" is not a commit of ${top}`);
    }
    // `--` ends the revisions: a ref is never taken for a path, nor a path for a ref.
    const [changed, untracked, deleted] = await Promise.all([
        git(top, ['diff', '--name-only', '--no-renames', '-z', '--diff-filter=ACMRT', ref, '--']),
        git(top, ['ls-files', '--others', '--exclude-standard', '-z']),
        git(top, ['diff', '--name-only', '--no-renames', '-z', '--diff-filter=D', ref, '--']),
    ]);
    return { top, changed: [...new Set([...paths(top, changed), ...paths(top, untracked)])].sort(), deleted: paths(top, deleted).sort() };
}
