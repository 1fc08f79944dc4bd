// The DocBook Books view and the commands that walk the XInclude tree, against what the book
// files themselves say (titles and include order read from the XML here).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BookItem } from '../../../client/src/bookView';
import { bookFiles, closeAll, extensionApi, firstTitle, offsetToPosition, openEditor, waitFor, xmlFiles, XmlFile } from './helpers';

interface ExpectedChild { label: string; problem?: 'remote' | 'missing'; }

/**
 * What a book's top level must list when its root holds only a title, info and plain includes
 * (no xpointer, no fallback): one node per include, in order.
 */
function expectedTopLevel(book: XmlFile): ExpectedChild[] | undefined {
    const body = book.text.replace(/<info>[\s\S]*?<\/info>/, '').replace(/<!--[\s\S]*?-->/g, '');
    const inner = /<(?:book|set)\b[^>]*>([\s\S]*)<\/(?:book|set)>/.exec(body)?.[1];
    if (!inner) return undefined;
    const rest = inner.replace(/<title>[\s\S]*?<\/title>/, '').replace(/<xi:include\s[^>]*\/>/g, '').trim();
    if (rest !== '' || /xpointer=|<xi:fallback/.test(inner)) return undefined;
    return [...inner.matchAll(/<xi:include\s[^>]*?href="([^"]+)"[^>]*\/>/g)].map((m) => {
        const href = m[1];
        if (/^https?:/.test(href)) return { label: path.posix.basename(new URL(href).pathname), problem: 'remote' };
        const target = path.resolve(path.dirname(book.path), href);
        if (!fs.existsSync(target)) return { label: path.basename(target), problem: 'missing' };
        return { label: firstTitle(fs.readFileSync(target, 'utf8')) ?? '' };
    });
}

describe('Book view and commands', () => {
    before(async function () {
        this.timeout(60000);
        await (await extensionApi()).whenReady();
    });
    afterEach(closeAll);

    it('lists every book by title', async () => {
        const api = await extensionApi();
        const roots = await api.bookTree.getChildren();
        const labels = roots.map((r) => r.node.label).sort();
        const expected = bookFiles().map((b) => firstTitle(b.text) ?? '').sort();
        assert.deepStrictEqual(labels, expected);
        for (const r of roots) assert.match(r.node.element, /^(book|set)$/);
    });

    it('lists a book\'s parts and chapters in include order, marking remote and missing includes', async function () {
        const api = await extensionApi();
        const roots = await api.bookTree.getChildren();
        const simple = bookFiles().map((b) => ({ b, expected: expectedTopLevel(b) })).find((x) => x.expected && x.expected.length > 1);
        if (!simple) {
            console.log('      (no book here is a plain list of includes: include order not checked in this tree)');
            this.skip();
        }
        const root = roots.find((r) => vscode.Uri.parse(r.node.uri).fsPath === simple.b.path);
        assert.ok(root, `no tree node for ${simple.b.path}`);
        const children = await api.bookTree.getChildren(root);
        assert.deepStrictEqual(children.map((c) => ({ label: c.node.label, ...(c.node.problem ? { problem: c.node.problem } : {}) })), simple.expected);
        for (const c of children) {
            const item = api.bookTree.getTreeItem(c);
            if (c.node.problem === 'remote') assert.match(String(item.description), /remote/);
            if (c.node.problem === 'missing') assert.match(String(item.description), /missing/);
            if (!c.node.problem) assert.ok(item.collapsibleState !== undefined);
        }
    });

    it('names remote includes by their file name (the URL in the tooltip) and untitled glossaries "Glossary"', async function () {
        const api = await extensionApi();
        const all: BookItem[] = [];
        const walk = async (items: BookItem[]): Promise<void> => {
            for (const i of items) { all.push(i); await walk(await api.bookTree.getChildren(i)); }
        };
        await walk(await api.bookTree.getChildren());
        const remoteHrefs = new Set(xmlFiles().flatMap((f) => [...f.text.matchAll(/<xi:include\s[^>]*?href="(https?:[^"]+)"/g)].map((m) => m[1])));
        const untitledGlossaries = xmlFiles().filter((f) => /<glossary\b[^>]*\/>/.test(f.text) && bookFiles().some((b) => b.path === f.path));
        if (!remoteHrefs.size && !untitledGlossaries.length) {
            console.log('      (no remote include and no untitled glossary in this tree)');
            this.skip();
        }
        const remotes = all.filter((i) => i.node.problem === 'remote');
        assert.strictEqual(remotes.length > 0, remoteHrefs.size > 0, 'remote includes in the files but not in the view, or the reverse');
        for (const r of remotes) {
            const tooltip = String(api.bookTree.getTreeItem(r).tooltip);
            const url = [...remoteHrefs].find((h) => tooltip.includes(h));
            assert.ok(url, `the tooltip of "${r.node.label}" names no included URL: ${tooltip}`);
            assert.strictEqual(r.node.label, path.posix.basename(new URL(url).pathname));
        }
        assert.deepStrictEqual(all.filter((i) => /^</.test(i.node.label)).map((i) => i.node.label), [], 'untitled elements shown as tags');
        if (untitledGlossaries.length) assert.ok(all.some((i) => i.node.element === 'glossary' && i.node.label === 'Glossary'), 'no glossary titled "Glossary"');
    });

    it('opens the element when an item is clicked', async () => {
        const api = await extensionApi();
        const [book] = await api.bookTree.getChildren();
        const chapter = (await api.bookTree.getChildren(book)).find((c) => !c.node.problem);
        assert.ok(chapter, 'the first book has no resolved child');
        const item = api.bookTree.getTreeItem(chapter);
        assert.ok(item.command);
        await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
        const editor = await waitFor('the chapter to open', () => {
            const e = vscode.window.activeTextEditor;
            return e && e.document.uri.toString() === vscode.Uri.parse(chapter.node.uri).toString() ? e : undefined;
        });
        const r = chapter.node.range;
        assert.ok(editor.selection.isEqual(new vscode.Selection(r.start.line, r.start.character, r.end.line, r.end.character)), 'the selection is not the node\'s range');
        // That range is on the element: between its start tag and the end of its title.
        const text = editor.document.getText();
        const start = editor.document.offsetAt(new vscode.Position(r.start.line, r.start.character));
        const tagStart = text.lastIndexOf(`<${chapter.node.element}`, start);
        const titleEnd = text.indexOf('</title>', tagStart);
        assert.ok(tagStart >= 0 && start <= titleEnd, `range at offset ${start}, <${chapter.node.element} at ${tagStart}, </title> at ${titleEnd}`);
        assert.ok(text.slice(tagStart, titleEnd).includes(chapter.node.label.split(' ')[0]), 'the title there is not the node\'s label');
    });

    it('reveals the active file in the view', async function () {
        this.timeout(20000);
        const api = await extensionApi();
        await vscode.commands.executeCommand('docbook.books.focus');
        await waitFor('the view to be visible', () => api.bookView.visible || undefined);
        // The first node, in book order, of the first file a book includes: what "reveal" selects.
        const order: BookItem[] = [];
        const walk = async (items: BookItem[]): Promise<void> => { for (const i of items) { order.push(i); await walk(await api.bookTree.getChildren(i)); } };
        await walk(await api.bookTree.getChildren());
        const rootOf = (i: BookItem): BookItem => (i.parent ? rootOf(i.parent) : i);
        const included = order.find((i) => !i.node.problem && i.node.uri !== rootOf(i).node.uri);
        assert.ok(included, 'no book includes a file');
        const chapter = order.find((i) => !i.node.problem && i.node.uri === included.node.uri)!;
        await openEditor(vscode.Uri.parse(chapter.node.uri).fsPath);
        const selected = await waitFor('the chapter to be selected in the view', () => {
            const s: readonly BookItem[] = api.bookView.selection;
            return s.length && s[0].node.uri === chapter.node.uri ? s[0] : undefined;
        });
        assert.strictEqual(selected.id, chapter.id);
    });

    it('goes to the including file, at the xi:include', async () => {
        // A file that exactly one other file includes, by a plain relative href.
        const includes = new Map<string, { from: XmlFile; offset: number }[]>();
        for (const f of xmlFiles()) {
            for (const m of f.text.matchAll(/<xi:include\s[^>]*?href="((?![a-z]+:)[^"]+\.xml)"/g)) {
                const target = path.resolve(path.dirname(f.path), m[1]);
                includes.set(target, [...(includes.get(target) ?? []), { from: f, offset: m.index! }]);
            }
        }
        const single = [...includes].find(([target, by]) => by.length === 1 && fs.existsSync(target));
        assert.ok(single, 'no file is included exactly once');
        const [target, [by]] = single;
        await openEditor(target);
        await vscode.commands.executeCommand('docbook.goToIncludingFile');
        const editor = await waitFor('the including file', () => {
            const e = vscode.window.activeTextEditor;
            return e && e.document.uri.fsPath === by.from.path ? e : undefined;
        });
        assert.strictEqual(editor.selection.start.line, offsetToPosition(by.from.text, by.offset).line);
        assert.ok(editor.document.getText(editor.selection).startsWith('<xi:include'), editor.document.getText(editor.selection));
    });

    it('copies an xref to the section at the cursor', async () => {
        // A section with an id whose title comes before any nested section.
        let pick: { file: XmlFile; id: string; offset: number } | undefined;
        for (const f of xmlFiles()) {
            const m = /<section\b[^>]*\sxml:id="([^"]+)"[^>]*>\s*<title>/.exec(f.text);
            if (m && !f.path.endsWith('glossary-terms.xml')) { pick = { file: f, id: m[1], offset: m.index + m[0].length + 1 }; break; }
        }
        assert.ok(pick, 'no section with an xml:id');
        const editor = await openEditor(pick.file.path);
        const at = offsetToPosition(pick.file.text, pick.offset);
        editor.selection = new vscode.Selection(at, at);
        const copied = await vscode.commands.executeCommand<string>('docbook.copyXrefToSection');
        assert.strictEqual(copied, `<xref linkend="${pick.id}"/>`);
        assert.strictEqual(await vscode.env.clipboard.readText(), copied);
    });

    it('restarts the server and serves again', async function () {
        this.timeout(60000);
        const api = await extensionApi();
        const before = await api.whenReady();
        await vscode.commands.executeCommand('docbook.restartServer');
        const after = await api.whenReady();
        assert.notStrictEqual(after, before, 'no new index after the restart');
        assert.strictEqual(after.books, bookFiles().length);
        assert.strictEqual(after.ids, before.ids);
        const roots = await waitFor('the book view to refill', async () => {
            const r = await api.bookTree.getChildren();
            return r.length ? r : undefined;
        });
        assert.strictEqual(roots.length, after.books);
    });
});
