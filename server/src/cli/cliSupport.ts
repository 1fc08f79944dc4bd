// What the command-line tools share: their output streams, usage errors and file-error wording.

import * as v8 from 'v8';

/** A problem with how the tool was called or with what it was given: one line, exit 2. */
export class UsageError extends Error {}

export interface Output {
    out(text: string): void;
    err(text: string): void;
}

export const processOutput: Output = {
    out: (text) => { process.stdout.write(text); },
    err: (text) => { process.stderr.write(text); },
};

/**
 * V8 lets the heap grow to up to 4× what survived the last full collection. A cold check of 10,064
 * files keeps ~120 MB alive but parses and validates file after file, so the heap grew to ~550 MB
 * and the process to 650-700 MB resident; at 2× it peaks at ~390 MB, with no measured CPU cost
 * (50 % growth cost 10-35 % more CPU). Read by V8 at each collection, so setting it at start is enough.
 * bin/built.js sets the same flag before compiling the bundle: V8 takes a code cache only under the
 * flags it was made with.
 */
export function boundHeapGrowth(): void {
    v8.setFlagsFromString('--heap-growing-percent=100');
}

/** `docbook-check | head` closes the pipe early: that is the reader's choice, not a failure. */
export function exitQuietlyOnClosedPipe(io: Output): void {
    if (io !== processOutput) return;
    for (const stream of [process.stdout, process.stderr]) stream.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(); });
}

export function describeFsError(e: unknown): string {
    switch ((e as NodeJS.ErrnoException)?.code) {
        case 'ENOENT': return 'no such file or folder';
        case 'EACCES': case 'EPERM': return 'permission denied';
        case 'ENOTDIR': return 'a part of the path is not a folder';
        case 'EISDIR': return 'is a folder';
        case 'ELOOP': return 'too many levels of symbolic links';
        case 'EIO': return 'input/output error';
        default: return e instanceof Error ? e.message : String(e);
    }
}
