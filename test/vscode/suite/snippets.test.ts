// Snippets and settings as contributed: the snippets expand to well-formed DocBook and VS Code
// offers them in XML; the settings' defaults are the server's.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { SaxesParser } from 'saxes';
import { defaultSettings } from '../../../server/src/settings';
import { closeAll, EXTENSION_ID, extensionApi, insertText, labelOf, openEditor, xmlFiles } from './helpers';

interface Snippet { prefix: string; body: string | string[]; description: string }

const extensionPath = (): string => vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;

function contributedSnippets(): Record<string, Snippet> {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { snippets: { language: string; path: string }[] } };
    const entry = manifest.contributes.snippets.find((s) => s.language === 'xml');
    assert.ok(entry, 'no snippets contributed for xml');
    return JSON.parse(fs.readFileSync(path.join(extensionPath(), entry.path), 'utf8')) as Record<string, Snippet>;
}

/** The text a snippet inserts when every placeholder keeps its default. */
function expand(body: string | string[], fileBase: string): string {
    let text = Array.isArray(body) ? body.join('\n') : body;
    text = text.replace(/\$TM_FILENAME_BASE|\$\{TM_FILENAME_BASE\}/g, fileBase);
    // Innermost first: ${1:${2:x}} and ${1:$VAR} nest.
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
    afterEach(closeAll);

    it('has the snippets the authors need, each well-formed', () => {
        const snippets = Object.values(contributedSnippets());
        const prefixes = snippets.map((s) => s.prefix);
        for (const p of ['chapter', 'section', 'xi:include', 'note', 'tip', 'important', 'warning', 'caution', 'procedure', 'itemizedlist', 'glossentry']) {
            assert.ok(prefixes.includes(p), `no "${p}" snippet`);
        }
        for (const s of snippets) {
            let xml = expand(s.body, 'ch_example');
            // Fragments are checked inside a DocBook element that declares the XInclude prefix.
            if (!xml.startsWith('<?xml')) xml = `<section xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude">${xml}</section>`;
            assert.deepStrictEqual(parseErrors(xml), [], `${s.prefix}:\n${xml}`);
        }
        for (const p of ['chapter', 'section']) {
            const xml = expand(snippets.find((s) => s.prefix === p)!.body, 'ch_example');
            assert.match(xml, new RegExp(`<${p} xmlns="http://docbook.org/ns/docbook"`));
            assert.match(xml, /version="5\.0"/);
            assert.match(xml, /xml:id="ch_example"/);
        }
    });

    it('offers the snippets in a DocBook file', async () => {
        await (await extensionApi()).whenReady();
        const chapter = xmlFiles().find((f) => f.root === 'chapter' && f.text.includes('</title>'));
        assert.ok(chapter);
        const editor = await openEditor(chapter.path);
        const at = chapter.text.indexOf('</title>') + '</title>'.length;
        await insertText(editor, at, '\nproc');
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
            'vscode.executeCompletionItemProvider', editor.document.uri, editor.document.positionAt(at + '\nproc'.length));
        const snippets = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map(labelOf);
        assert.ok(snippets.includes('procedure'), `snippets offered: ${snippets.join(', ')}`);
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
