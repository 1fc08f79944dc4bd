// The one shape of a feature entry point:
//
//     provideX(ctx: FeatureContext, params: XParams, token?: CancellationToken): X
//
// `ctx` is what every feature answers from, `params` what this request asks (a position is
// already an offset into an indexed file), and `token` is taken by the requests that can take
// long and asked between files. A request without input (the book tree) takes `ctx` alone.

import type { IndexedFile, WorkspaceIndex } from '../index/workspaceIndex';
import type { Workspace } from '../workspace';

export type { CancellationToken } from '../api';

export interface FeatureContext {
    readonly index: WorkspaceIndex;
    /** The files on disk (or in memory), for what the index does not hold: folder listings. */
    readonly workspace: Workspace;
}

/** A place in an indexed file. */
export interface FilePosition {
    readonly entry: IndexedFile;
    readonly offset: number;
}
