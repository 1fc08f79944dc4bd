// The live preview in a real webview: what it shows is read back from the webview's DOM through
// its own script (so a broken script, CSP or message path fails these tests).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { stagesOf } from '../../../client/src/preview/timings';
import { closeAll, closeTextEditors, EXTENSION_ID, extensionApi, firstTitle, includedFiles, insertText, openEditor, openPreviewBeside, plainText, waitFor, xmlFiles, XmlFile } from './helpers';

function chaptersInBooks(): XmlFile[] {
    const inBooks = includedFiles();
    return xmlFiles().filter((f) => f.root === 'chapter' && inBooks.has(f.path) && firstTitle(f.text) && f.text.includes('<para>'));
}

/** The preview's text with tags dropped, comparable with plainText() of the source. */
function shownText(html: string): string {
    return plainText(html.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'"));
}

describe('Preview', () => {
    before(async function () {
        this.timeout(60000);
        await (await extensionApi()).whenReady();
        // Text editors in group one, the preview in group two, even when group one empties between tests.
        await vscode.workspace.getConfiguration('workbench.editor').update('closeEmptyGroups', false, vscode.ConfigurationTarget.Global);
    });
    afterEach(closeTextEditors);
    after(closeAll);

    it('ranks the plain preview commands first in the command palette when their title is typed', () => {
        // The palette lists the commands whose label matches the typed words in order (each word the
        // start of a label word), sorted by label when none was used yet: a locked variant must not
        // sort before the plain command whose whole title the user typed.
        const commands = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands as
            { command: string; title: string; category?: string }[]);
        const label = (c: { title: string; category?: string }) => (c.category ? `${c.category}: ${c.title}` : c.title);
        const words = (s: string) => s.toLowerCase().split(/[\s:()]+/).filter(Boolean);
        const matches = (query: string, target: string) => {
            const t = words(target);
            let i = 0;
            for (const q of words(query)) {
                while (i < t.length && !t[i].startsWith(q)) i++;
                if (i++ >= t.length) return false;
            }
            return true;
        };
        for (const id of ['docbook.showPreview', 'docbook.showPreviewToSide']) {
            const typed = label(commands.find((c) => c.command === id)!);
            const listed = commands.map(label).filter((l) => matches(typed, l)).sort((a, b) => a.localeCompare(b));
            assert.strictEqual(listed[0], typed, `typing "${typed}" lists first: ${listed.join(' | ')}`);
        }
    });

    it('opens to the side of a chapter and shows it, under a strict CSP', async () => {
        const api = await extensionApi();
        const chapter = chaptersInBooks()[0];
        assert.ok(chapter, 'no chapter in a book');
        const editor = await openEditor(chapter.path);
        await vscode.commands.executeCommand('docbook.showPreviewToSide');
        const title = firstTitle(chapter.text)!;
        const html = await waitFor(`the preview to show "${title}"`, async () => {
            const h = await api.previewHtmlFor(editor.document.uri);
            return h && shownText(h).includes(title) ? h : undefined;
        });
        // The first paragraph's words are there too (the body, not just a title).
        const para = plainText(/<para>([\s\S]*?)<\/para>/.exec(chapter.text)![1]).split(' ').slice(0, 6).join(' ');
        assert.ok(!/[<&]/.test(para) ? shownText(html).includes(para) : true, `the first paragraph ("${para}") is not shown`);
        assert.match(html, /data-line="\d+"/, 'blocks carry no source lines');

        const preview = api.previews.previewOf(editor.document.uri);
        assert.ok(preview);
        assert.strictEqual(preview.panel.viewColumn, vscode.ViewColumn.Two);
        const shell = preview.panel.webview.html;
        const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(shell)?.[1];
        assert.ok(csp, 'no CSP');
        const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
        assert.ok(nonce && nonce.length >= 16, `script-src is not a nonce: ${csp}`);
        assert.match(csp, /^default-src 'none'; /);
        const scripts = [...shell.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
        assert.strictEqual(scripts.length, 1);
        assert.ok(scripts[0].includes(`nonce="${nonce}"`) && /src="[^"]*\/client\/media\/preview\.js"/.test(scripts[0]), scripts[0]);
    });

    it('updates in place as the chapter is edited, without saving', async function () {
        this.timeout(30000);
        const api = await extensionApi();
        const chapter = chaptersInBooks()[0];
        const editor = await openEditor(chapter.path);
        await vscode.commands.executeCommand('docbook.showPreviewToSide');
        const preview = await waitFor('the preview', () => api.previews.previewOf(editor.document.uri));
        await waitFor('a render of the chapter', async () => (await api.previewHtmlFor(editor.document.uri))?.includes('data-line'));
        const shell = preview.panel.webview.html;
        const word = `Typedword${Date.now()}`;
        const titleEnd = editor.document.getText().indexOf('</title>') + '</title>'.length;
        const typed = `\n<para>${word} appears as typed.</para>`;
        const renderedBefore = preview.currentRenderedVersion;
        const typedAt = Date.now();
        await insertText(editor, titleEnd, typed);
        await waitFor('the webview to put a new render on screen', () => preview.currentRenderedVersion > renderedBefore || undefined, 15000, 2);
        console.log(`      edit → webview re-rendered: ${Date.now() - typedAt} ms (${JSON.stringify(stagesOf(preview.timings[preview.timings.length - 1]))})`);
        await waitFor(`"${word}" in the preview`, async () => (await api.previewHtmlFor(editor.document.uri))?.includes(word));
        assert.ok(editor.document.isDirty, 'the test should preview unsaved text');
        assert.strictEqual(preview.panel.webview.html, shell, 'the webview was reloaded instead of updated');
        // And a deletion is reflected too.
        const removal = new vscode.WorkspaceEdit();
        removal.delete(editor.document.uri, new vscode.Range(editor.document.positionAt(titleEnd), editor.document.positionAt(titleEnd + typed.length)));
        assert.ok(await vscode.workspace.applyEdit(removal));
        await waitFor(`"${word}" to leave the preview`, async () => {
            const h = await api.previewHtmlFor(editor.document.uri);
            return h !== undefined && !h.includes(word);
        });
    });

    it('follows the active editor unless locked', async function () {
        this.timeout(30000);
        const api = await extensionApi();
        const [first, second] = chaptersInBooks().filter((c, i, all) => all.findIndex((o) => firstTitle(o.text) === firstTitle(c.text)) === i);
        assert.ok(first && second, 'two chapters with different titles are needed');
        await openEditor(first.path);
        await vscode.commands.executeCommand('docbook.showPreviewToSide');
        const preview = await waitFor('the preview', () => api.previews.previewOf(vscode.Uri.file(first.path)));
        const secondEditor = await openEditor(second.path);
        const secondTitle = firstTitle(second.text)!;
        await waitFor('the preview to follow the second chapter', async () => {
            const h = await api.previewHtmlFor(secondEditor.document.uri);
            return h && shownText(h).includes(secondTitle);
        });
        assert.strictEqual(preview.source.fsPath, second.path);

        preview.panel.reveal(undefined, false);
        await waitFor('the preview panel to be active', () => preview.isActive || undefined);
        await vscode.commands.executeCommand('docbook.preview.toggleLock');
        assert.strictEqual(preview.locked, true);
        assert.match(preview.panel.title, /^\[Preview\] /);
        await openEditor(first.path);
        // Give a follow (if it wrongly happened) time to render.
        await new Promise((r) => setTimeout(r, 500));
        assert.strictEqual(preview.source.fsPath, second.path, 'a locked preview followed the editor');
        const h = await api.previewHtmlFor(vscode.Uri.file(second.path));
        assert.ok(h && shownText(h).includes(secondTitle));
        preview.panel.reveal(undefined, false);
        await waitFor('the preview panel to be active', () => preview.isActive || undefined);
        await vscode.commands.executeCommand('docbook.preview.toggleLock');
        assert.strictEqual(preview.locked, false);
        assert.match(preview.panel.title, /^Preview /);
    });

    it('scrolls with the editor', async function () {
        this.timeout(30000);
        const api = await extensionApi();
        // The longest chapter, so that there is something to scroll.
        const chapter = [...chaptersInBooks()].sort((a, b) => b.text.length - a.text.length)[0];
        const editor = await openEditor(chapter.path);
        await vscode.commands.executeCommand('docbook.showPreviewToSide');
        const uri = editor.document.uri;
        await waitFor('a first render', async () => (await api.previewHtmlFor(uri))?.includes('data-line'));
        const lines = editor.document.lineCount;
        const target = Math.floor(lines * 0.6);
        editor.revealRange(new vscode.Range(target, 0, target, 0), vscode.TextEditorRevealType.AtTop);
        const state = await waitFor(`the preview near line ${target}`, async () => {
            const s = await api.previewStateFor(uri);
            return s?.top && s.top.file === uri.toString() && Math.abs(s.top.line - editor.visibleRanges[0].start.line) <= 3 ? s : undefined;
        });
        assert.ok(state.scrollY > 0);
    });

    it('opens at the line the editor shows, without waiting for the editor to scroll', async function () {
        this.timeout(60000);
        const api = await extensionApi();
        // A new preview, not one already synced with an editor.
        await closeAll();
        const chapter = [...chaptersInBooks()].sort((a, b) => b.text.length - a.text.length)[0];
        const editor = await openEditor(chapter.path);
        const uri = editor.document.uri;
        const target = Math.floor(editor.document.lineCount * 0.6);
        assert.ok(target > 20, `${chapter.path} is too short to scroll`);
        await waitFor(`the editor scrolled to line ${target}`, () => {
            editor.revealRange(new vscode.Range(target, 0, target, 0), vscode.TextEditorRevealType.AtTop);
            return editor.visibleRanges[0].start.line > 20 || undefined;
        });
        await vscode.commands.executeCommand('docbook.showPreviewToSide');
        await waitFor('a first render', async () => (await api.previewHtmlFor(uri))?.includes('data-line'));
        const first = editor.visibleRanges[0].start.line;
        await waitFor(`the preview at the editor's first visible line ${first}`, async () => {
            const s = await api.previewStateFor(uri);
            return s?.top && s.top.file === uri.toString() && Math.abs(s.top.line - first) <= 3 ? s : undefined;
        }, 5000);
    });

    it('shows the lock as a codicon (an inline SVG), not an emoji', async function () {
        this.timeout(30000);
        const api = await extensionApi();
        const chapter = chaptersInBooks()[0];
        const editor = await openEditor(chapter.path);
        await vscode.commands.executeCommand('docbook.showLockedPreviewToSide');
        const preview = await waitFor('a locked preview', () => [...api.previews.previews].find((p) => p.locked && p.source.toString() === editor.document.uri.toString()));
        const toolbarOf = (h: string) => /<header id="docbook-toolbar"[\s\S]*?<\/header>/.exec(h)?.[0];
        const toolbar = await waitFor('the locked toolbar', async () => {
            // This panel's DOM (an unlocked preview may show the same chapter).
            const t = toolbarOf((await preview.renderedState())?.html ?? '');
            return t?.includes('docbook-lock') ? t : undefined;
        });
        assert.ok(!toolbar.includes('\u{1F512}'), 'the toolbar still shows the lock emoji');
        const codicon = fs.readFileSync(path.join(__dirname, '../../../../client/media/codicons/lock.svg'), 'utf8');
        const paths = (svg: string) => [...svg.matchAll(/<path\b[^>]*\sd="([^"]+)"/g)].map((m) => m[1]);
        assert.ok(paths(codicon).length > 0);
        assert.deepStrictEqual(paths(/<span class="docbook-lock"[\s\S]*?<\/svg>/.exec(toolbar)?.[0] ?? ''), paths(codicon), `no lock codicon in ${toolbar}`);
        preview.dispose();
    });

    it('opens the source at the line of a double-clicked block', async function () {
        this.timeout(60000);
        const chapter = [...chaptersInBooks()].sort((a, b) => b.text.length - a.text.length)[0];
        const editor = await openEditor(chapter.path);
        const { preview, html } = await openPreviewBeside(editor, 'a render of the chapter', (h) => h.includes('data-line'));
        // A paragraph well down the chapter (data-file 0 is the chapter itself).
        const paras = [...html.matchAll(/<p\b[^>]*data-file="0" data-line="(\d+)"/g)].map((m) => Number(m[1]));
        const line = paras[Math.floor(paras.length / 2)];
        assert.ok(line > 0, 'no paragraph block with a source line');
        assert.match(chapter.text.split('\n')[line], /<para/, `line ${line} of the source is not a para`);
        // The text editor must not be the active one, so that opening it is visible.
        await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
        preview.dispatchMouse(`p[data-file="0"][data-line="${line}"]`, 'dblclick');
        const opened = await waitFor(`the source at line ${line}`, () => {
            const e = vscode.window.activeTextEditor;
            return e && e.document.uri.fsPath === chapter.path && e.selection.active.line === line ? e : undefined;
        });
        assert.ok(opened.visibleRanges.some((r) => r.contains(new vscode.Position(line, 0))));
    });

    it('opens the target of an xref that is not in the preview', async function () {
        this.timeout(60000);
        // A linkend to an id of another file that the previewed file does not include.
        const defs = new Map<string, { file: string; offset: number }[]>();
        for (const f of xmlFiles()) for (const m of f.text.matchAll(/\sxml:id="([^"]+)"/g)) defs.set(m[1], [...(defs.get(m[1]) ?? []), { file: f.path, offset: m.index! }]);
        const inBooks = includedFiles();
        let pick: { file: XmlFile; id: string; target: { file: string; offset: number } } | undefined;
        for (const f of xmlFiles()) {
            if (!inBooks.has(f.path) || f.text.includes('<xi:include')) continue;
            for (const m of f.text.matchAll(/<(?:xref|link)\s[^>]*linkend="([^"]+)"/g)) {
                const d = defs.get(m[1]);
                if (d?.length === 1 && d[0].file !== f.path && inBooks.has(d[0].file)) { pick = { file: f, id: m[1], target: d[0] }; break; }
            }
            if (pick) break;
        }
        assert.ok(pick, 'no file links to an id of another file');
        const editor = await openEditor(pick.file.path);
        const anchor = `a[href="#${pick.id}"]`;
        const { preview } = await openPreviewBeside(editor, `the link to ${pick.id} in the preview`, (h) => h.includes(`href="#${pick!.id}"`));
        preview.dispatchMouse(anchor, 'click');
        const targetText = fs.readFileSync(pick.target.file, 'utf8');
        const targetLine = targetText.slice(0, pick.target.offset).split('\n').length - 1;
        await waitFor(`${path.basename(pick.target.file)} open at the element with xml:id="${pick.id}"`, () => {
            const e = vscode.window.activeTextEditor;
            // The element's start tag may span lines: its first line is at or just above the xml:id.
            const atTarget = e && e.document.uri.fsPath === pick!.target.file
                && e.selection.active.line <= targetLine && targetLine - e.selection.active.line < 6;
            return atTarget ? e : undefined;
        });
    });

    it('offers the books that include the chapter as its context', async function () {
        this.timeout(30000);
        const api = await extensionApi();
        // Books reaching each file through includes (read from the hrefs here).
        const edges = new Map<string, string[]>();
        for (const f of xmlFiles()) {
            edges.set(f.path, [...f.text.matchAll(/<xi:include\s[^>]*?href="((?![a-z]+:)[^"]+\.xml)"/g)].map((m) => path.resolve(path.dirname(f.path), m[1])));
        }
        const booksOf = new Map<string, Set<string>>();
        for (const book of xmlFiles().filter((f) => f.root === 'book' || f.root === 'set')) {
            const seen = new Set<string>();
            const walk = (file: string): void => {
                if (seen.has(file)) return;
                seen.add(file);
                for (const t of edges.get(file) ?? []) walk(t);
            };
            walk(book.path);
            for (const f of seen) booksOf.set(f, new Set([...(booksOf.get(f) ?? []), book.path]));
        }
        const chapter = chaptersInBooks().find((c) => (booksOf.get(c.path)?.size ?? 0) > 1);
        if (!chapter) {
            console.log('      (no chapter here is in two books: book picker not checked here)');
            this.skip();
        }
        const titles = [...booksOf.get(chapter.path)!].map((b) => firstTitle(fs.readFileSync(b, 'utf8'))!).sort();
        const editor = await openEditor(chapter.path);
        await vscode.commands.executeCommand('docbook.showPreviewToSide');
        const preview = await waitFor('the preview', () => api.previews.previewOf(editor.document.uri));
        const pickerOf = (h: string) => [...(/<select id="docbook-book">([\s\S]*?)<\/select>/.exec(h)?.[1] ?? '').matchAll(/<option value="([^"]*)"( selected="")?>([^<]*)<\/option>/g)];
        const html = await waitFor('the book picker', async () => {
            const h = await api.previewHtmlFor(editor.document.uri);
            return h && pickerOf(h).length ? h : undefined;
        });
        assert.deepStrictEqual(pickerOf(html).map((o) => o[3]).sort(), titles);
        const other = pickerOf(html).find((o) => !o[2]);
        assert.ok(other, 'every option is selected');
        const version = preview.currentRenderedVersion;
        preview.setBook(other[1]);
        await waitFor(`"${other[3]}" chosen and rendered`, async () => {
            const h = await api.previewHtmlFor(editor.document.uri);
            return preview.currentRenderedVersion > version && h && pickerOf(h).find((o) => o[2])?.[3] === other[3];
        });
    });

    it('renders the build of the chosen profile', async function () {
        this.timeout(30000);
        const api = await extensionApi();
        // A file of a book with a paragraph or screen profiled for some values, whose text is found
        // nowhere else in the file.
        const inBooks = includedFiles();
        let pick: { chapter: XmlFile; attribute: string; values: string[]; text: string } | undefined;
        for (const f of xmlFiles()) {
            if (!inBooks.has(f.path)) continue;
            for (const m of f.text.matchAll(/<(para|screen)\s[^>]*\b(os|audience|arch|condition)="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g)) {
                const text = plainText(m[4]);
                if (text.length < 20 || text.includes('&')) continue;
                const rest = plainText(f.text.slice(0, m.index) + f.text.slice(m.index! + m[0].length));
                if (!rest.includes(text)) { pick = { chapter: f, attribute: m[2], values: m[3].split(';'), text }; break; }
            }
            if (pick) break;
        }
        if (!pick) {
            console.log('      (no profiled paragraph in this tree: profile picker not checked here)');
            this.skip();
        }
        const { chapter, attribute, values, text } = pick;
        const editor = await openEditor(chapter.path);
        await vscode.commands.executeCommand('docbook.showPreviewToSide');
        const preview = await waitFor('the preview', () => api.previews.previewOf(editor.document.uri));
        const unprofiled = await waitFor('the unprofiled text', async () => {
            const h = await api.previewHtmlFor(editor.document.uri);
            return h && shownText(h).includes(text) ? h : undefined;
        });
        // The toolbar offers the attribute's values found in the book.
        const options = [...(new RegExp(`<select id="docbook-profile-${attribute}">([\\s\\S]*?)</select>`).exec(unprofiled)?.[1] ?? '').matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
        for (const v of values) assert.ok(options.includes(v), `the ${attribute} picker lacks ${v}: ${options.join(', ')}`);
        const other = options.find((o) => o && !values.includes(o));
        assert.ok(other, `no ${attribute} value besides ${values.join(';')} to build with`);
        preview.setProfile({ [attribute]: other });
        await waitFor(`the ${attribute}=${values.join(';')} paragraph to go for ${attribute}=${other}`, async () => {
            const h = await api.previewHtmlFor(editor.document.uri);
            return h !== undefined && !shownText(h).includes(text);
        });
        preview.setProfile({});
        await waitFor('the paragraph back in the unprofiled build', async () => {
            const h = await api.previewHtmlFor(editor.document.uri);
            return h && shownText(h).includes(text);
        });
    });
});
