// Which editors and workspaces are DocBook, for the language client, the preview and the
// `docbook.isDocbookEditor` context key (keybindings, editor-title icon).

import * as fs from 'fs';
import * as vscode from 'vscode';
import { HEAD_LENGTH, isDocbookText } from './docbookDetect';

export function isDocbookDocument(document: vscode.TextDocument): boolean {
    if (document.languageId !== 'xml' || document.uri.scheme !== 'file') return false;
    const end = document.positionAt(HEAD_LENGTH);
    return isDocbookText(document.getText(new vscode.Range(new vscode.Position(0, 0), end)));
}

async function fileHead(uri: vscode.Uri): Promise<string> {
    const handle = await fs.promises.open(uri.fsPath, 'r');
    try {
        const buffer = Buffer.alloc(HEAD_LENGTH);
        const { bytesRead } = await handle.read(buffer, 0, HEAD_LENGTH, 0);
        return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
        await handle.close();
    }
}

const SKIPPED = '**/{node_modules,.git,target,out,dist}/**';
/** How many XML files to sniff before deciding a workspace without books has no DocBook. */
const SNIFF_LIMIT = 200;

/**
 * Whether the workspace holds DocBook: an open DocBook editor, a book file, or any XML file with
 * a DocBook root among the first few hundred.
 */
export async function workspaceHasDocbook(): Promise<boolean> {
    if (vscode.workspace.textDocuments.some(isDocbookDocument)) return true;
    const sniff = async (uris: vscode.Uri[]): Promise<boolean> => {
        for (const uri of uris) {
            try {
                if (isDocbookText(await fileHead(uri))) return true;
            } catch {
                // unreadable: not evidence either way
            }
        }
        return false;
    };
    const books = await vscode.workspace.findFiles('**/{bk-,bk_,st-}*.xml', SKIPPED, 20);
    if (await sniff(books)) return true;
    return sniff(await vscode.workspace.findFiles('**/*.xml', SKIPPED, SNIFF_LIMIT));
}
