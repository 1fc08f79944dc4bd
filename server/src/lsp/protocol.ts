// The methods beyond LSP, shared by the server and the VS Code client. Their parameter and result
// types are the language service's, in api.ts.

import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { BookNode, BookTreeParams, Includer, IndexStats, PreviewParams, PreviewResponse, StatusParams } from '../api';
import type { TextEdit } from '../core/textDiff';

export const StatusNotification = new NotificationType<StatusParams>('docbook/status');
/** Params optional: none is every book's whole tree; `{ books: 'only' }` and `{ book }` answer a view that loads as it opens (see BookTreeParams). */
export const BookTreeRequest = new RequestType<BookTreeParams | undefined, BookNode[], void>('docbook/bookTree');
export const StatsRequest = new RequestType0<IndexStats, void>('docbook/stats');
export const IncludersRequest = new RequestType<{ uri: string }, Includer[], void>('docbook/includers');
/**
 * docbook/preview on the wire. A client that names its preview (`session`) and the HTML it holds
 * (`baseHtmlId`, from an earlier answer) gets the change from that HTML (`htmlEdit`, `html` empty)
 * instead of all of it: a keystroke changes a few hundred bytes of a chapter's hundreds of kilobytes.
 */
export interface PreviewWireParams extends PreviewParams {
    session?: string;
    baseHtmlId?: number;
}
export interface PreviewWireResponse extends PreviewResponse {
    /** Names this answer's HTML, to be passed back as `baseHtmlId` (only when a session was given). */
    htmlId?: number;
    htmlEdit?: TextEdit & { baseHtmlId: number };
}
export const PreviewRequest = new RequestType<PreviewWireParams, PreviewWireResponse, void>('docbook/preview');
