// Snippets and settings: the snippets the server offers expand to well-formed DocBook, each where it
// fits (the file templates in an empty file, the element snippets in a chapter's content); the
// settings' defaults are the server's.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { SaxesParser } from 'saxes';
import { defaultSettings } from '../../../server/src/settings';
import { closeAll, EXTENSION_ID, extensionApi, insertText, labelOf, openEditor, waitFor, workspaceRoot, xmlFiles } from './helpers';

/** The snippet items VS Code gets from the server at `offset` of `editor`'s document (asked as Ctrl+Space asks). */
async function snippetsAt(editor: vscode.TextEditor, offset: number): Promise<vscode.CompletionItem[]> {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider', editor.document.uri, editor.document.positionAt(offset));
    return list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet);
}

function bodyOf(item: vscode.CompletionItem): string {
    return typeof item.insertText === 'string' ? item.insertText : item.insertText?.value ?? labelOf(item);
}

/** The text a snippet inserts when every placeholder keeps its default. */
function expand(body: string): string {
    let text = body;
    // Innermost first: ${1:${2:x}} nests.
    for (let before = ''; before !== text;) {
        before = text;
        text = text.replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '');
    }
    return text;
}

function parseErrors(xml: string): string[] {
    const errors: string[] = [];
    const parser = new SaxesParser({ xmlns: true });
    parser.on('error', (e) => errors.push(e.message));
    let root: string | undefined;
    parser.on('opentag', (t) => { root ??= `{${t.uri}}${t.local}`; });
    parser.write(xml).close();
    return errors.length ? errors : root ? [] : ['no element'];
}

describe('Snippets and settings', () => {
    // Files this suite adds to the workspace copy, removed after it.
    const added: string[] = [];
    const addFile = (name: string, text: string): string => {
        const file = path.join(workspaceRoot(), name);
        fs.writeFileSync(file, text);
        added.push(file);
        return file;
    };
    afterEach(closeAll);
    after(() => {
        for (const f of added) fs.rmSync(f, { force: true });
    });

    it('offers the snippets the authors need where they fit, each well-formed', async () => {
        await (await extensionApi()).whenReady();
        // The file templates, in an empty file.
        const empty = await openEditor(addFile('ch_example.xml', ''));
        const templates = await waitFor('the file templates in an empty file', async () => {
            const items = await snippetsAt(empty, 0);
            return items.length ? items : undefined;
        });
        // The element snippets, on an empty line of a chapter's content and of a glossary.
        const chapter = xmlFiles().find((f) => f.root === 'chapter' && f.text.includes('</title>'));
        assert.ok(chapter);
        const inChapter = await openEditor(chapter.path);
        const at = chapter.text.indexOf('</title>') + '</title>'.length;
        await insertText(inChapter, at, '\n');
        const elements = await snippetsAt(inChapter, at + 1);
        const glossary = await openEditor(addFile('glossary_example.xml',
            '<glossary xmlns="http://docbook.org/ns/docbook" version="5.0"><title>Glossary</title>\n\n</glossary>\n'));
        const entries = await waitFor('the glossentry snippet in a glossary', async () => {
            const items = await snippetsAt(glossary, glossary.document.getText().indexOf('\n') + 1);
            return items.length ? items : undefined;
        });
        const snippets = [...templates, ...elements, ...entries];
        const labels = snippets.map(labelOf);
        for (const p of ['chapter', 'section', 'subsection', 'xi:include', 'note', 'tip', 'important', 'warning', 'caution', 'procedure', 'itemizedlist', 'glossentry']) {
            assert.ok(labels.includes(p), `no "${p}" snippet among ${labels.join(', ')}`);
        }
        for (const s of snippets) {
            let xml = expand(bodyOf(s));
            // Fragments are checked inside a DocBook element that declares the XInclude prefix.
            if (!xml.startsWith('<?xml')) xml = `<section xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude">${xml}</section>`;
            assert.deepStrictEqual(parseErrors(xml), [], `${labelOf(s)}:\n${xml}`);
        }
        for (const p of ['chapter', 'section']) {
            const xml = expand(bodyOf(templates.find((s) => labelOf(s) === p)!));
            assert.match(xml, new RegExp(`<${p} xmlns="http://docbook.org/ns/docbook"`));
            assert.match(xml, /version="5\.0"/);
            assert.match(xml, /xml:id="ch_example"/);
        }
        // Only where they fit: no file template in a chapter, no element snippet in an empty file.
        assert.deepStrictEqual(elements.map(labelOf).filter((l) => l === 'chapter' || l === 'section'), []);
        assert.deepStrictEqual(templates.map(labelOf).filter((l) => l === 'note'), []);
    });

    it('offers the procedure snippet for a word typed in a chapter, and no snippet after <', async () => {
        await (await extensionApi()).whenReady();
        const chapter = xmlFiles().find((f) => f.root === 'chapter' && f.text.includes('</title>'));
        assert.ok(chapter);
        const editor = await openEditor(chapter.path);
        const at = chapter.text.indexOf('</title>') + '</title>'.length;
        await insertText(editor, at, '\nproc');
        const snippets = (await snippetsAt(editor, at + '\nproc'.length)).map(labelOf);
        assert.ok(snippets.includes('procedure'), `snippets offered: ${snippets.join(', ')}`);
        await insertText(editor, at + 1, '<');
        const afterLt = (await snippetsAt(editor, at + '\n<proc'.length)).map(labelOf);
        assert.deepStrictEqual(afterLt, [], 'after < the schema\'s element items insert the element: a snippet there makes <<');
    });

    it('documents every setting the server reads, with the server\'s defaults', () => {
        const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
            contributes: { configuration: { properties: Record<string, { default: unknown; markdownDescription?: string; description?: string }> } };
        };
        const properties = manifest.contributes.configuration.properties;
        const server = defaultSettings() as unknown as Record<string, unknown>;
        // A group such as wellFormedness: { allXml } is contributed as one setting per field (docbook.wellFormedness.allXml).
        const leaves = Object.entries(server).flatMap(([name, value]): [string, unknown][] => properties[`docbook.${name}`] || !value || typeof value !== 'object'
            ? [[name, value]] : Object.entries(value).map(([k, v]) => [`${name}.${k}`, v]));
        for (const [name, value] of leaves) {
            const p = properties[`docbook.${name}`];
            assert.ok(p, `docbook.${name} is not contributed`);
            assert.deepStrictEqual(p.default, value, `docbook.${name}'s default differs from the server's`);
            assert.ok((p.markdownDescription ?? p.description ?? '').length > 20, `docbook.${name} is not documented`);
        }
        // And VS Code hands the server those same values.
        const configured = vscode.workspace.getConfiguration('docbook');
        for (const [name, value] of Object.entries(server)) assert.deepStrictEqual(configured.get(name), value, name);
    });
});
