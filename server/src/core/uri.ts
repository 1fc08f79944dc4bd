// File paths inside the service, URIs at its edge (LSP and VS Code speak URIs).

import { URI } from 'vscode-uri';
import { Range } from 'vscode-languageserver-types';
import { positionAt } from './lineMap';

export function pathToUri(file: string): string {
    return URI.file(file).toString();
}

export function uriToPath(uri: string): string | undefined {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? parsed.fsPath : undefined;
}

export function rangeOf(lineStarts: Uint32Array, start: number, end: number): Range {
    return { start: positionAt(lineStarts, start), end: positionAt(lineStarts, end) };
}
