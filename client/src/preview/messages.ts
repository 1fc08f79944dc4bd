// Messages between the extension and the preview's script (client/media/preview.js, which
// mirrors these shapes by hand: it is plain browser JavaScript).

import type { PreviewResponse } from '../../../server/src/api';

export type ToWebview =
    | ({ type: 'update'; source: string; version: number; locked: boolean; profile: Record<string, string>; book: string | undefined }
        & Pick<PreviewResponse, 'html' | 'title' | 'books' | 'profileValues' | 'files'>
        /**
         * Instead of `html` (then empty): the change from the HTML of update `baseVersion`, which the
         * webview shows. An edit changes a few hundred bytes of a chapter's hundreds of kilobytes.
         */
        & { htmlEdit?: { baseVersion: number; start: number; end: number; text: string } }
        /** The update's stages so far (extension host clock), only for bench:typing (DOCBOOK_BENCH_TRACE). */
        & { trace?: Record<string, number | string | undefined> })
    | { type: 'error'; source: string; message: string }
    | { type: 'scrollToLine'; file: string; line: number }
    | { type: 'getHtml'; requestId: number }
    /** Dispatches a mouse event on the first element matching `selector`, as a user's click would (for tests). */
    | { type: 'dispatchMouse'; selector: string; kind: 'click' | 'dblclick' };

/** How the webview updated its DOM: one block re-parsed, the whole body re-parsed and merged, or replaced (another file). */
export type PatchKind = 'block' | 'morph' | 'replace';

export type FromWebview =
    | { type: 'ready' }
    /** An htmlEdit came for another base than the webview's HTML: send the whole HTML. */
    | { type: 'resync' }
    /** An update is on screen: when it arrived, how long the DOM patch took, when the next frame was painted (webview clock). */
    | { type: 'rendered'; version: number; receivedAt: number; patchMs: number; patch: PatchKind; paintedAt: number }
    | ({ type: 'html'; requestId: number } & RenderedState)
    | { type: 'revealLine'; file: string; line: number }
    /** A double-click on a block (subject to docbook.preview.doubleClickToSwitchToEditor). */
    | { type: 'openSource'; file: string; line: number }
    /** An xref whose target is outside the preview, where the renderer knows it is defined. */
    | { type: 'openTarget'; file: string; line: number }
    | { type: 'openId'; id: string }
    | { type: 'openLink'; href: string }
    | { type: 'setProfile'; profile: Record<string, string> }
    | { type: 'setBook'; book: string | undefined };

/** What the webview keeps with vscode.setState, handed back when VS Code restores the panel. */
export interface PreviewState {
    source: string;
    locked: boolean;
    profile: Record<string, string>;
    book?: string;
    scrollLine?: number;
}

/** What the webview shows, read back from its DOM: the toolbar and body HTML, and where it is scrolled. */
export interface RenderedState {
    /** The document on screen (an update for another one may be on its way). */
    source: string | undefined;
    html: string;
    scrollY: number;
    /** The source line at the top of the view (fractional between blocks), if any block is there. */
    top?: { file: string; line: number };
}
