// Requests and notifications beyond LSP, shared by the server and the VS Code client.

import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Range } from 'vscode-languageserver-types';
import type { BookNode } from '../features/bookTree';
import type { IndexStats } from '../languageService';

export type { BookNode, IndexStats };

export type StatusParams = { state: 'indexing'; done: number; total: number } | ({ state: 'ready' } & IndexStats);
export const StatusNotification = new NotificationType<StatusParams>('docbook/status');

export const BookTreeRequest = new RequestType0<BookNode[], void>('docbook/bookTree');
export const StatsRequest = new RequestType0<IndexStats, void>('docbook/stats');

export interface Includer {
    /** The including file and the range of its xi:include element. */
    uri: string;
    range: Range;
    label: string;
    /** Titles of the books the including file belongs to. */
    books: string[];
}
export const IncludersRequest = new RequestType<{ uri: string }, Includer[], void>('docbook/includers');

export interface PreviewParams {
    uri: string;
    /** Profiling values to build with, e.g. { os: 'ubuntu' }; none = unprofiled. */
    profile?: Record<string, string>;
    /** URI of the book that gives context (numbers, xref texts); default: the first book that includes the file. */
    book?: string;
    /**
     * Prefix that turns an absolute file path into a URL the preview can load (the webview's
     * asWebviewUri(Uri.file('/')) without its trailing slash); default: file:// URLs.
     */
    resourcePrefix?: string;
}

export interface PreviewResponse {
    /** Body fragment: safe HTML (no script, no event handlers), blocks carry data-line and data-file. */
    html: string;
    title: string;
    /** Books that include the file, to choose the context from. */
    books: { uri: string; title: string }[];
    /** Values of os, audience, arch, condition… found in the book, for the profile picker. */
    profileValues: Record<string, string[]>;
    /** Source files of the rendered blocks: data-file="N" indexes this list (URIs). */
    files: string[];
    /**
     * Where the server's time went (set by the LSP server): waiting for the edits sent before the
     * request to be indexed, and rendering; `version` is the previewed document's version rendered.
     */
    timings?: { waitMs: number; renderMs: number; version?: number };
}
export const PreviewRequest = new RequestType<PreviewParams, PreviewResponse, void>('docbook/preview');
