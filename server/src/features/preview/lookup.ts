// What the preview needs from the workspace index, and nothing more: the caller adapts its index to
// this (see adaptIndex in index.ts), so the renderer can be read, tested and changed without the index.

import { ProfilingUse } from '../../core/docbookModel';
import { EntityTable } from '../../core/entities';
import { Resolved } from '../../core/resolver';
import type { XmlDocument } from '../../core/xmlParser';

/** A file as the index holds it. A new object whenever the index re-reads the file: parses are cached by its identity. */
export interface IndexedSource {
    /** The editor's text of an open file. */
    readonly openText?: string;
    /** Why the index could not read the file (too large, binary, bad encoding). */
    readonly readError?: string;
    readonly entities: EntityTable;
    /** The model of the text indexed (its line starts are the open text's). */
    readonly model?: { readonly textLength: number; readonly lineStarts: Uint32Array };
    /** One-shot commands: the text read from disk that the model was built from, and its parse if the index parsed it. */
    readonly diskRead?: { readonly text: string };
    readonly diskDoc?: XmlDocument;
}

/** A file read for the preview: its text, or why it was not read (a device, a folder, over the size limit). */
export type SourceText = { text: string } | { unreadable: string } | undefined;

/** Where a glossary entry is defined, for a glossterm's pop-up and link. */
export interface GlossTarget { file: string; line: number | undefined; definition: string }

export interface PreviewLookup {
    /** Changes (by identity) when settings that change href resolution change (catalogs, URL mappings). */
    readonly resolutionKey: object;
    indexed(file: string): IndexedSource | undefined;
    /** A file's text through the workspace, refused before reading when it cannot be text (devices, folders, over the size limit). */
    readText(file: string): Promise<SourceText>;
    resolveHref(href: string, fromFile: string, xmlBase: readonly string[]): Resolved;
    /** Whether a file exists as far as the index knows; existsOnDisk asks the workspace. */
    exists(file: string): boolean;
    existsOnDisk(file: string): Promise<boolean>;
    /** Books that include the file, the most specific first. */
    booksOf(file: string): string[];
    /** The title of an element with this id that a reference in `file` can see, when the index knows one. */
    titleOfId(file: string, id: string): string | undefined;
    /** The glossary entry a glossterm in `file` links to (the build's rule: its text, then its baseform). */
    glossEntry(file: string, text: string, baseform: string | undefined): GlossTarget | undefined;
    /** Profiling attribute values used in a file. */
    profilingOf(file: string): readonly ProfilingUse[];
}
