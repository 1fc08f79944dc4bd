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
