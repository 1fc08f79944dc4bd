// What a preview is asked for and what it returns.

export interface PreviewOptions {
    /** Profiling values, e.g. { os: 'ubuntu' }: elements whose attribute lacks the value are dropped, as in a profiled build. */
    profile?: Record<string, string>;
    /** Book (path) that gives chapter numbers and xref texts; default: the first book that includes the file. Ignored when it does not include the file (the result's `book` says which was used). */
    book?: string;
    /** Maps a local image file to a URL the page may load; default: a file: URL. */
    resourceUri?: (absPath: string) => string;
}

export interface PreviewSourceMap {
    /** `data-file="N"` on a block names files[N]; `data-line` is the 0-based line in that file. */
    files: string[];
}

export interface PreviewResult {
    /** Body fragment, wrapped in `<div class="docbook-preview">`. */
    html: string;
    title: string;
    /** Books that include the file, the one used for context first. */
    books: string[];
    /** The book the numbers and xref texts come from; undefined when the file is rendered on its own. */
    book?: string;
    /** Values of the profiling attributes (os, audience, arch, condition, …) used in the book. */
    profileValues: Record<string, string[]>;
    sourceMap: PreviewSourceMap;
    /** Every URL the HTML loads (images), for the page's Content-Security-Policy. */
    resources: string[];
}

/** The profiling attributes the preview offers as pickers, reported even when unused. */
export const PICKER_PROFILING_ATTRIBUTES = ['os', 'audience', 'arch', 'condition'];
