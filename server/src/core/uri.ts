// File paths inside the service, URIs at its edge (LSP and VS Code speak URIs).

import { URI } from 'vscode-uri';
import { Range } from 'vscode-languageserver-types';
import { positionAt } from './lineMap';

/**
 * An absolute path of unreserved characters and slashes only (nearly every path of a docs tree),
 * not starting with two slashes (an authority): its URI is "file://" + path, as vscode-uri writes
 * it, and back. Conversions run for every file of a check (~30 us each through vscode-uri).
 */
const PLAIN_PATH = /^\/(?!\/)[A-Za-z0-9._~/-]*$/;
/** Windows paths have drive letters and backslashes: always through vscode-uri. */
const PLAIN_PATHS_ARE_URIS = process.platform !== 'win32';

export function pathToUri(file: string): string {
    if (PLAIN_PATHS_ARE_URIS && PLAIN_PATH.test(file)) return 'file://' + file;
    return URI.file(file).toString();
}

export function uriToPath(uri: string): string | undefined {
    if (PLAIN_PATHS_ARE_URIS && uri.startsWith('file:///') && PLAIN_PATH.test(uri.slice(7))) return uri.slice(7);
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}

export function rangeOf(lineStarts: Uint32Array, start: number, end: number): Range {
    return { start: positionAt(lineStarts, start), end: positionAt(lineStarts, end) };
}
