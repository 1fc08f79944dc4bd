// Activation in a real VS Code on a copy of a real tree: the extension starts the bundled server,
// which indexes the workspace; the status bar reports what the files hold.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { HEAD_LENGTH, isDocbookText } from '../../../client/src/docbookDetect';
import { bookFiles, closeAll, EXTENSION_ID, extensionApi, openEditor, sleep, workspaceRoot, xmlFiles } from './helpers';

describe('Activation', () => {
    it('activates for the workspace and serves it', async function () {
        this.timeout(60000);
        const ext = vscode.extensions.getExtension(EXTENSION_ID);
        assert.ok(ext, 'the extension is not installed');
        // workspaceContains:**/bk-*.xml (or st-*) activates it without any editor open.
        await ext.activate();
        assert.ok(ext.isActive);
        const api = await extensionApi();
        const ready = await api.whenReady();
        assert.ok(api.serving, 'the server was not started for a workspace of books');
        console.log(`      activate() ${api.timings.activate} ms; activation → server started ${api.timings.serverStarted} ms, → index ready ${api.timings.indexReady} ms (${ready.files} files)`);
        const xml = xmlFiles().length;
        // Every XML file of the tree is indexed (none is over the size limit).
        assert.strictEqual(ready.files, xml, `indexed ${ready.files} files, the tree has ${xml} XML files`);
    });

    it('counts the books of the tree in the status bar', async () => {
        const api = await extensionApi();
        const ready = await api.whenReady();
        const books = bookFiles().length;
        assert.ok(books > 0, 'the tree has no book');
        assert.strictEqual(ready.books, books, 'books the server found vs. book/set roots in the tree');
        const text = api.statusBarText();
        assert.match(text, new RegExp(`\\b${books} books? · ${ready.ids} ids?$`));
    });

    it('tells DocBook from other XML by the root namespace or a DocBook DOCTYPE', () => {
        const cases: [string, boolean][] = [
            ['<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion></project>', false],
            ['<?xml version="1.0"?>\n<!-- see http://docbook.org/ns/docbook -->\n<chapter xmlns="urn:other"/>', false],
            ['<?xml version="1.0"?>\n<!DOCTYPE book PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "http://www.oasis-open.org/docbook/xml/4.5/docbookx.dtd">\n<book/>', true],
            ['<!DOCTYPE article SYSTEM "/usr/share/xml/docbook/schema/dtd/4.2/docbookx.dtd"><article/>', true],
            ['<db:book xmlns:db="http://docbook.org/ns/docbook" version="5.0"/>', true],
            ['<db:book xmlns="http://docbook.org/ns/docbook" xmlns:db="urn:not-docbook"/>', false],
            ['<!DOCTYPE section [ <!ENTITY a "x > y"> <!-- it\'s > here --> <!ENTITY % e SYSTEM "../e.ent"> %e; ]>\n<section xmlns="http://docbook.org/ns/docbook" xml:id="s"/>', true],
        ];
        for (const [text, expected] of cases) assert.strictEqual(isDocbookText(text), expected, text);
        // Every file of the tree whose root start tag declares the DocBook namespace is recognised.
        for (const f of xmlFiles()) {
            const rootTag = /<(?![?!])[^>]*>/.exec(f.text.replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\]\s*)?>/, '').replace(/<!--[\s\S]*?-->/g, ''))?.[0] ?? '';
            const expected = /\sxmlns="http:\/\/docbook\.org\/ns\/docbook"/.test(rootTag);
            assert.strictEqual(isDocbookText(f.text.slice(0, HEAD_LENGTH)), expected, f.path);
        }
    });

    it('leaves generic XML alone: no preview, no DocBook diagnostics', async () => {
        const api = await extensionApi();
        await api.whenReady();
        const pom = path.join(workspaceRoot(), 'pom.xml');
        fs.writeFileSync(pom, '<?xml version="1.0"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <link linkend="nowhere"/>\n</project>\n');
        try {
            await openEditor(pom);
            const previewsBefore = api.previews.previews.size;
            const shown = await vscode.commands.executeCommand('docbook.showPreview');
            assert.strictEqual(shown, undefined, 'a preview was opened for a Maven POM');
            assert.strictEqual(api.previews.previews.size, previewsBefore);
            // A request is answered after the server has taken the open file in.
            await vscode.commands.executeCommand('vscode.executeDefinitionProvider', vscode.Uri.file(pom), new vscode.Position(2, 20));
            await sleep(300);
            const ours = vscode.languages.getDiagnostics(vscode.Uri.file(pom)).filter((d) => d.source === 'docbook');
            assert.deepStrictEqual(ours.map((d) => d.message), []);
        } finally {
            await closeAll();
            fs.rmSync(pom);
        }
    });
});
