// Editor commands that are thin wrappers over the server: go up the XInclude tree, copy an xref
// to the section at the cursor, the server's log and restart.

import * as vscode from 'vscode';
import type { Includer } from '../../server/src/api';
import { IncludersRequest } from '../../server/src/lsp/protocol';
import { DocbookServer } from './docbookServer';

/** Elements an author means by "this section" (DocBook's sectioning and component elements). */
const SECTION_ELEMENTS = new Set([
    'section', 'simplesect', 'sect1', 'sect2', 'sect3', 'sect4', 'sect5', 'refsection', 'refsect1', 'refsect2', 'refsect3',
    'chapter', 'appendix', 'preface', 'part', 'article', 'reference', 'refentry', 'glossary', 'bibliography', 'index',
    'colophon', 'dedication', 'acknowledgements', 'topic', 'qandaset', 'qandadiv', 'book', 'set',
]);

/** Symbol `detail` as the server writes it: "section #id" (just "section" without an id). */
const DETAIL = /^([\w.-]+) #(\S+)$/;

/** The id of the innermost section-like element with an id around `position`. */
export function sectionIdAt(symbols: vscode.DocumentSymbol[], position: vscode.Position): string | undefined {
    let found: string | undefined;
    let level = symbols;
    for (;;) {
        const around = level.find((s) => s.range.contains(position));
        if (!around) return found;
        const m = DETAIL.exec(around.detail);
        if (m && SECTION_ELEMENTS.has(m[1])) found = m[2];
        level = around.children;
    }
}

export async function copyXrefToSection(editor = vscode.window.activeTextEditor): Promise<string | undefined> {
    if (!editor) return undefined;
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
        'vscode.executeDocumentSymbolProvider', editor.document.uri);
    const id = sectionIdAt(symbols ?? [], editor.selection.active);
    if (!id) {
        void vscode.window.showInformationMessage('No section with an xml:id around the cursor.');
        return undefined;
    }
    const xref = `<xref linkend="${id}"/>`;
    await vscode.env.clipboard.writeText(xref);
    void vscode.window.setStatusBarMessage(`Copied ${xref}`, 3000);
    return xref;
}

interface IncluderPick extends vscode.QuickPickItem {
    includer: Includer;
}

/** Opens the xi:include that pulls the active file in; asks which when several do. */
export async function goToIncludingFile(server: DocbookServer, editor = vscode.window.activeTextEditor): Promise<Includer | undefined> {
    if (!editor) return undefined;
    await server.whenReady();
    const includers = await server.client.sendRequest(IncludersRequest, { uri: editor.document.uri.toString() });
    let chosen: Includer | undefined;
    if (includers.length === 0) {
        void vscode.window.showInformationMessage(`No file includes ${vscode.workspace.asRelativePath(editor.document.uri)}.`);
        return undefined;
    } else if (includers.length === 1) {
        chosen = includers[0];
    } else {
        const picks: IncluderPick[] = includers.map((i) => ({
            label: i.label,
            description: `line ${i.range.start.line + 1}`,
            detail: i.books.length ? `in ${i.books.join(', ')}` : 'in no book',
            includer: i,
        }));
        chosen = (await vscode.window.showQuickPick(picks, { placeHolder: 'Files that include this one (and their books)', matchOnDetail: true }))?.includer;
    }
    if (!chosen) return undefined;
    const r = chosen.range;
    await vscode.window.showTextDocument(vscode.Uri.parse(chosen.uri), {
        selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
    });
    return chosen;
}
