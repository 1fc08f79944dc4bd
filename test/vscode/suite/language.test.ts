// The language features through VS Code's own API (what the editor calls): completion of ids and
// glossary terms, definition across XIncludes, diagnostics in the Problems list.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
    closeAll, extensionApi, idDefinitions, includedFiles, insertText, labelOf,
    openEditor, plainText, waitFor, xmlFiles,
} from './helpers';

interface CrossFileRef { file: string; offset: number; id: string; target: { file: string; offset: number } }

/** linkend/arearefs values defined exactly once, in another file, both files part of a book. */
function crossFileReferences(): CrossFileRef[] {
    const defs = idDefinitions();
    const inBooks = includedFiles();
    const out: CrossFileRef[] = [];
    for (const f of xmlFiles()) {
        if (!inBooks.has(f.path)) continue;
        for (const m of f.text.matchAll(/\s(?:linkend|arearefs)\s*=\s*"([^"\s]+)"/g)) {
            const d = defs.get(m[1]);
            if (d?.length === 1 && d[0].file !== f.path && inBooks.has(d[0].file)) {
                out.push({ file: f.path, offset: m.index! + m[0].indexOf('"') + 1, id: m[1], target: d[0] });
            }
        }
    }
    return out;
}

function targetOf(l: vscode.Location | vscode.LocationLink): { uri: vscode.Uri; range: vscode.Range } {
    return 'targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange ?? l.targetRange } : { uri: l.uri, range: l.range };
}

describe('Language features in VS Code', () => {
    before(async function () {
        this.timeout(60000);
        await (await extensionApi()).whenReady();
    });
    afterEach(closeAll);

    it('completes ids in a linkend value with the ids of the book', async () => {
        const ref = crossFileReferences()[0];
        assert.ok(ref, 'the tree has no linkend to another file of a book');
        const editor = await openEditor(ref.file);
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
            'vscode.executeCompletionItemProvider', editor.document.uri, editor.document.positionAt(ref.offset));
        const labels = list.items.filter((i) => i.kind !== vscode.CompletionItemKind.Snippet).map(labelOf);
        assert.ok(labels.includes(ref.id), `the id used there (${ref.id}) is not offered: ${labels.slice(0, 20).join(', ')}…`);
        const ids = idDefinitions();
        const notIds = labels.filter((l) => !ids.has(l));
        assert.deepStrictEqual(notIds, [], 'offered values that no xml:id defines');
    });

    it('completes a glossterm with the terms of the glossary collection', async function () {
        const glossary = xmlFiles().find((f) => path.basename(f.path) === 'glossary-terms.xml');
        if (!glossary) {
            console.log('      (this tree has no glossary collection: glossterm completion not checked here)');
            this.skip();
        }
        const terms = new Set([...glossary.text.matchAll(/<glossentry\b[\s\S]*?<glossterm>([\s\S]*?)<\/glossterm>/g)].map((m) => plainText(m[1])));
        assert.ok(terms.size > 100, `only ${terms.size} glossary terms found`);
        // A real glossterm of a chapter in a book whose text is a term; else one typed into a chapter.
        const inBooks = includedFiles();
        let file: string | undefined;
        let offset = -1;
        let expected: string | undefined;
        for (const f of xmlFiles()) {
            if (!inBooks.has(f.path) || f.path === glossary.path) continue;
            const m = [...f.text.matchAll(/<glossterm>([^<]+)<\/glossterm>/g)].find((g) => terms.has(plainText(g[1])));
            if (m) {
                file = f.path;
                offset = m.index! + '<glossterm>'.length;
                expected = plainText(m[1]);
                break;
            }
        }
        let editor: vscode.TextEditor;
        if (file) {
            editor = await openEditor(file);
        } else {
            const chapter = xmlFiles().find((f) => f.root === 'chapter' && inBooks.has(f.path) && f.text.includes('<para>'));
            assert.ok(chapter, 'no chapter with a para in a book');
            editor = await openEditor(chapter.path);
            const at = chapter.text.indexOf('<para>') + '<para>'.length;
            await insertText(editor, at, '<glossterm></glossterm> ');
            offset = at + '<glossterm>'.length;
        }
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
            'vscode.executeCompletionItemProvider', editor.document.uri, editor.document.positionAt(offset));
        const labels = new Set(list.items.filter((i) => i.kind !== vscode.CompletionItemKind.Snippet).map(labelOf));
        if (expected) assert.ok(labels.has(expected), `the term used there ("${expected}") is not offered`);
        const missing = [...terms].filter((t) => !labels.has(t));
        assert.deepStrictEqual(missing.slice(0, 10), [], `${missing.length} of ${terms.size} glossary terms are not offered`);
    });

    it('goes from a linkend to the element with that id in another file', async () => {
        const ref = crossFileReferences()[0];
        assert.ok(ref);
        const editor = await openEditor(ref.file);
        const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
            'vscode.executeDefinitionProvider', editor.document.uri, editor.document.positionAt(ref.offset + 1));
        assert.strictEqual(found.length, 1, `expected one definition of ${ref.id}, got ${found.length}`);
        const { uri, range } = targetOf(found[0]);
        assert.strictEqual(uri.fsPath, ref.target.file);
        const target = await vscode.workspace.openTextDocument(uri);
        const idAt = target.positionAt(ref.target.offset);
        assert.ok(range.contains(idAt), `the target range ${JSON.stringify(range)} does not hold xml:id="${ref.id}" at ${JSON.stringify(idAt)}`);
        assert.ok(target.getText(range).includes(ref.id));
    });

    it('goes from an xi:include href to the included file', async () => {
        // The first include of a book whose target exists.
        const include = xmlFiles().filter((f) => f.root === 'book' || f.root === 'set').flatMap((f) =>
            [...f.text.matchAll(/<xi:include\s[^>]*?href="((?![a-z]+:)[^"]+\.xml)"/g)].map((m) => ({ book: f, m })))
            .find(({ book, m }) => fs.existsSync(path.resolve(path.dirname(book.path), m[1])));
        assert.ok(include, 'no book includes an existing file');
        const { book, m } = include;
        const offset = m.index! + m[0].length - m[1].length - 1 + 2;
        const editor = await openEditor(book.path);
        const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
            'vscode.executeDefinitionProvider', editor.document.uri, editor.document.positionAt(offset));
        assert.deepStrictEqual(found.map((l) => targetOf(l).uri.fsPath), [path.resolve(path.dirname(book.path), m[1])]);
    });

    it('reports a linkend typed to a missing id in the Problems list, and clears it when fixed', async function () {
        this.timeout(30000);
        const inBooks = includedFiles();
        const chapter = xmlFiles().find((f) => f.root === 'chapter' && inBooks.has(f.path) && f.text.includes('<para>'));
        assert.ok(chapter, 'no chapter with a para in a book');
        const editor = await openEditor(chapter.path);
        const uri = editor.document.uri;
        const missing = `no-such-id-${Date.now()}`;
        const at = chapter.text.indexOf('<para>') + '<para>'.length;
        const typed = `<xref linkend="${missing}"/>`;
        await insertText(editor, at, typed);
        const valueAt = editor.document.positionAt(at + typed.indexOf(missing) + 1);
        const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.range.contains(valueAt));
        const [diagnostic] = await waitFor(`a diagnostic at ${missing}`, () => { const d = ours(); return d.length ? d : undefined; });
        const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
        assert.strictEqual(code, 'unresolved-id');
        assert.strictEqual(diagnostic.source, 'docbook');
        assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
        assert.ok(diagnostic.message.includes(missing), diagnostic.message);
        // Defining the id (a real fix) clears it.
        const titleEnd = editor.document.getText().indexOf('</title>') + '</title>'.length;
        await insertText(editor, titleEnd, `<para xml:id="${missing}">target</para>`);
        await waitFor('the diagnostic to go', () => {
            const shifted = editor.document.positionAt(editor.document.getText().indexOf(`linkend="${missing}"`) + 10);
            return vscode.languages.getDiagnostics(uri).some((d) => d.range.contains(shifted)) ? undefined : true;
        });
    });
});
