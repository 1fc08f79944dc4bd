// The methods beyond LSP, shared by the server and the VS Code client. Their parameter and result
// types are the language service's, in api.ts.

import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { BookNode, Includer, IndexStats, PreviewParams, PreviewResponse, StatusParams } from '../api';

export const StatusNotification = new NotificationType<StatusParams>('docbook/status');
export const BookTreeRequest = new RequestType0<BookNode[], void>('docbook/bookTree');
export const StatsRequest = new RequestType0<IndexStats, void>('docbook/stats');
export const IncludersRequest = new RequestType<{ uri: string }, Includer[], void>('docbook/includers');
export const PreviewRequest = new RequestType<PreviewParams, PreviewResponse, void>('docbook/preview');
