// The language service's vocabulary: the requests it answers and the answers it gives, beyond the
// vscode-languageserver-types values. Types only, importing nothing of the server: the service,
// the features, the LSP adapter (lsp/protocol.ts names the methods) and the VS Code client share it.

import type { Diagnostic, Range } from 'vscode-languageserver-types';

/**
 * Asked between files by the requests that can take long (workspace symbols, references, rename,
 * diagnostics of many files, the preview of a book). A cancelled request returns early with an
 * incomplete answer that the caller discards. vscode-jsonrpc's CancellationToken is one.
 */
export interface CancellationToken {
    readonly isCancellationRequested: boolean;
}

export type FileChange = { uri: string; type: 'created' | 'changed' | 'deleted' };

export interface IndexStats { files: number; books: number; ids: number }

/** What the editor's status shows: indexing progress, then the index's size. */
export type StatusParams = { state: 'indexing'; done: number; total: number } | ({ state: 'ready' } & IndexStats);

/** What the index knows of one file, for the adapter and the command-line tools. */
export interface FileInfo {
    uri: string;
    /** Inside a workspace folder (files reached only by an include are not). */
    inWorkspace: boolean;
    /** The editor's version while the file is open in it. */
    version?: number;
    open: boolean;
    /** Why the file could not be read as XML text (binary, too large, unreadable). */
    readError?: string;
    /** Local name of the root element; undefined when there is none (not XML). */
    rootElement?: string;
    isDocbook: boolean;
    /** A book or set. */
    isBook: boolean;
    title?: string;
}

/** The problems of one file (see DocbookLanguageService.diagnosticsOfFiles). */
export interface FileDiagnostics { uri: string; diagnostics: Diagnostic[] }

/** Where a rename applies and the name it starts from. */
export interface RenameRange { range: Range; placeholder: string }

/** A node of the book view: a book, a file's division, or a leaf standing for a failed include. */
export interface BookNode {
    label: string;
    element: string;
    uri: string;
    range: Range;
    id?: string;
    /** Set on a leaf that stands for an include the build cannot resolve. */
    problem?: 'missing' | 'remote' | 'cycle' | 'unresolved-xpointer' | 'invalid' | 'outside-workspace';
    /** The URL of a remote include (its label is the file name). */
    url?: string;
    children: BookNode[];
    /**
     * Only in a books-only answer (`{ books: 'only' }`), on each book: true when the book has outline
     * children or includes, to be asked for with `{ book: uri }` (its `children` are empty); false when
     * it has none.
     */
    childrenToFetch?: boolean;
}

/**
 * What `docbook/bookTree` answers. No params (or none of these fields): every book with its whole
 * tree. `{ books: 'only' }`: the books alone, children empty and `childrenToFetch` set; with `holding`
 * too, only the books that hold (part of) that file (the file's own book node included if it is a book).
 * `{ book: uri }`: that book's node with its whole tree, as in the full answer; [] for a uri that is no
 * book of the index. The 20,000-node cap applies per request.
 */
export interface BookTreeParams {
    books?: 'only';
    holding?: string;
    book?: string;
}

export interface Includer {
    /** The including file and the range of its xi:include element. */
    uri: string;
    range: Range;
    label: string;
    /** Titles of the books the including file belongs to. */
    books: string[];
}

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

/**
 * A file's text as the service reads XML (and text includes), or why it was not read. Every reader
 * (the index, the preview, the CLIs) gets the same answer for the same file.
 */
export type XmlRead =
    /** `invalidBytes`: bytes not valid in the file's encoding (U+FFFD in the text), a well-formedness error. */
    | { kind: 'text'; text: string; invalidBytes?: { at: number; encoding: string } }
    /** The file is there but is not XML text the index takes: over the size limit, binary, an unknown encoding. */
    | { kind: 'not-text'; reason: string }
    /** Missing, a folder, a device or fifo, or no permission: nothing was read. */
    | { kind: 'unreadable'; reason: string }
    /** Outside every allowed folder: not read, not even looked at. */
    | { kind: 'outside-workspace'; reason: string };

/** A link inside the workspace folders that leads outside them (reported as outside-workspace, not followed). */
export interface OutsideLink {
    uri: string;
    /** The real path it leads to. */
    target: string;
}
