// The status bar item: indexing progress, then "N books · M ids"; a click shows the server's log.

import * as vscode from 'vscode';
import type { StatusParams } from '../../server/src/api';
import { DocbookServer } from './docbookServer';

export const SHOW_SERVER_LOG_COMMAND = 'docbook.showServerLog';

export function statusText(status: StatusParams): string {
    if (status.state === 'indexing') return `$(sync~spin) DocBook: indexing ${status.done}/${status.total}`;
    return `$(book) ${plural(status.books, 'book')} · ${plural(status.ids, 'id')}`;
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export class DocbookStatusBar implements vscode.Disposable {
    private readonly item = vscode.window.createStatusBarItem('docbook.status', vscode.StatusBarAlignment.Left, 10);
    private readonly subscription: vscode.Disposable;

    constructor(server: DocbookServer) {
        this.item.name = 'DocBook';
        this.item.command = SHOW_SERVER_LOG_COMMAND;
        this.item.text = '$(sync~spin) DocBook: starting';
        this.item.tooltip = 'DocBook language server: click to show its log';
        this.subscription = server.onStatus((s) => this.show(s));
    }

    get text(): string {
        return this.item.text;
    }

    /** Shown once the server starts serving this workspace. */
    reveal(): void {
        this.item.show();
    }

    private show(status: StatusParams): void {
        this.item.text = statusText(status);
        this.item.tooltip = status.state === 'ready'
            ? `DocBook: ${plural(status.files, 'file')} indexed. Click to show the server log.`
            : `DocBook: indexing the workspace. Click to show the server log.`;
        this.item.show();
    }

    dispose(): void {
        this.subscription.dispose();
        this.item.dispose();
    }
}
