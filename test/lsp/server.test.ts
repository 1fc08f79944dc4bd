// docbook-ls over stdio on the real corpus, driven by a real JSON-RPC client as an editor would.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BookNode } from '../../server/src/api';
import { CORPUS, LspClient, uri } from './lspClient';
import { listXml, requireCorpus } from '../helpers';

interface Loc { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }
interface Link { targetUri: string; targetSelectionRange: Loc['range']; targetRange: Loc['range'] }
interface Item { label: string; documentation?: unknown; kind?: number }

const TG = path.join(CORPUS, 'training-guides');
const SEC = path.join(CORPUS, 'security-guide-2014');
const HA = path.join(CORPUS, 'ha-guide');

function textAt(file: string, range: Loc['range']): string {
    const lines = fs.readFileSync(file, 'utf8').split(/\r\n|\r|\n/);
    assert.strictEqual(range.start.line, range.end.line);
    return lines[range.start.line].slice(range.start.character, range.end.character);
}

function positionOf(text: string, offset: number): { line: number; character: number } {
    const before = text.slice(0, offset).split(/\r\n|\r|\n/);
    return { line: before.length - 1, character: before[before.length - 1].length };
}

function copyTree(src: string): string {
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-ls-'));
    fs.cpSync(src, dest, { recursive: true });
    return dest;
}

describe('docbook-ls over stdio on the real corpus', function () {
    this.timeout(60_000);
    let client: LspClient;

    before(async function () {
        requireCorpus(this);
        client = new LspClient();
        const init = await client.start([TG, SEC, HA]) as { capabilities: Record<string, unknown> };
        assert.ok(init.capabilities.definitionProvider && init.capabilities.completionProvider && init.capabilities.renameProvider);
    });
    after(() => client?.stop());

    it('reports indexing progress and then the size of the index', async () => {
        const kinds = client.progress.map((p) => (p as { value: { kind: string } }).value.kind);
        assert.strictEqual(kinds[0], 'begin');
        assert.strictEqual(kinds[kinds.length - 1], 'end');
        const stats = await client.request<{ files: number; books: number; ids: number }>('docbook/stats', undefined);
        assert.deepStrictEqual(stats, { files: 296, books: 10, ids: 923 });
    });

    it('resolves every linkend of the Training Guides to the element with that id, in the file\'s book', async () => {
        let resolved = 0;
        const unresolved: string[] = [];
        for (const file of listXml(TG)) {
            const text = fs.readFileSync(file, 'utf8');
            // Blank out comments (same length, so offsets hold): a commented-out xref is no reference.
            const live = text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\r\n]/g, ' '));
            for (const m of live.matchAll(/\blinkend="([^"]+)"/g)) {
                const offset = m.index! + 'linkend="'.length + 1;
                const links = await client.request<Link[]>('textDocument/definition', { textDocument: { uri: uri(file) }, position: positionOf(text, offset) });
                if (!links.length) { unresolved.push(m[1]); continue; }
                assert.strictEqual(links.length, 1, `${m[1]} in ${file} resolves to one element`);
                const target = new URL(links[0].targetUri).pathname;
                assert.strictEqual(textAt(target, links[0].targetSelectionRange), m[1]);
                resolved++;
            }
        }
        // The one dangling linkend of the tree (basic-install-guide/ch_clients.xml -> openrc-create).
        assert.deepStrictEqual(unresolved, ['openrc-create']);
        assert.strictEqual(resolved, 67);
    });

    it('goes from an xi:include href to the file and from an xpath() xpointer to the element', async () => {
        const file = path.join(TG, 'doc/training-guides/developer-guide/ch_developer-getting-started.xml');
        const text = fs.readFileSync(file, 'utf8');
        const href = text.indexOf('../common/section_intro-text.xml') + 5;
        const toFile = await client.request<Link[]>('textDocument/definition', { textDocument: { uri: uri(file) }, position: positionOf(text, href) });
        assert.deepStrictEqual(toFile.map((l) => new URL(l.targetUri).pathname), [path.join(TG, 'doc/training-guides/common/section_intro-text.xml')]);
        const pointer = text.indexOf("'section_intro-text'") + 3;
        const toElement = await client.request<Link[]>('textDocument/definition', { textDocument: { uri: uri(file) }, position: positionOf(text, pointer) });
        assert.strictEqual(toElement.length, 1);
        assert.strictEqual(textAt(new URL(toElement[0].targetUri).pathname, toElement[0].targetSelectionRange), 'section_intro-text');
    });

    it('offers the glossary terms inside <glossterm>, with their definitions', async () => {
        const file = path.join(TG, 'doc/training-guides/basic-install-guide/section_neutron-controller-node.xml');
        const text = fs.readFileSync(file, 'utf8');
        await client.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'xml', version: 1, text } });
        const at = text.indexOf('<glossterm>') + '<glossterm>'.length;
        assert.ok(at > 20, 'the chapter has a glossterm');
        const list = await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri: uri(file) }, position: positionOf(text, at) });
        const glossary = fs.readFileSync(path.join(TG, 'doc/glossary/glossary-terms.xml'), 'utf8');
        const terms = new Set([...glossary.matchAll(/<glossentry[^>]*>\s*<glossterm[^>]*>([^<]+)<\/glossterm>/g)].map((m) => m[1].replace(/\s+/g, ' ').trim()));
        const labels = new Set(list.items.map((i) => i.label));
        for (const t of terms) assert.ok(labels.has(t), `glossary term ${t} offered`);
        const cloud = list.items.find((i) => i.label === 'cloud controller');
        assert.ok(cloud && JSON.stringify(cloud.documentation).length > 20, 'definition shown as documentation');
        await client.notify('textDocument/didClose', { textDocument: { uri: uri(file) } });
    });

    it('to a client that takes item defaults and resolves documentation and detail (as VS Code), says the common edit range once and those on request', async () => {
        const compact = new LspClient();
        try {
            await compact.start([TG], { completionList: { itemDefaults: ['editRange'] }, completionItem: { resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } } });
            const file = path.join(TG, 'doc/training-guides/basic-install-guide/ch_basic_networking.xml');
            const text = fs.readFileSync(file, 'utf8');
            assert.ok(text.includes('<glossterm>') && text.includes('linkend="') && text.includes('<para>'));
            type Edit = { range: Loc['range']; newText: string };
            type Full = { label: string; textEdit?: Edit; textEditText?: string; documentation?: unknown; detail?: string; data?: unknown };
            type List = { items: Full[]; itemDefaults?: { editRange?: Loc['range'] } };
            for (const c of [client, compact]) await c.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'xml', version: 1, text } });
            for (const at of [text.indexOf('<glossterm>') + '<glossterm>'.length, text.indexOf('linkend="') + 'linkend="'.length, text.indexOf('<para>') + 1]) {
                const params = { textDocument: { uri: uri(file) }, position: positionOf(text, at) };
                const plain = await client.request<List>('textDocument/completion', params);
                const short = await compact.request<List>('textDocument/completion', params);
                const full = plain.items.length > 0 && !plain.itemDefaults && plain.items.some((i) => i.documentation);
                assert.ok(full, 'a client without the capabilities gets every item in full');
                assert.ok(short.itemDefaults?.editRange && short.items.some((i) => !i.textEdit), 'the common range is said once');
                assert.ok(short.items.every((i) => !i.documentation && !i.detail), 'documentation and detail come on request');
                // What the client does (LSP 3.17): the default range with textEditText or else the label; resolve for documentation and detail.
                const range = short.itemDefaults!.editRange!;
                const expanded: Full[] = [];
                for (const { textEditText, data, ...i } of short.items) {
                    const resolved = data === undefined ? undefined : await compact.request<Full>('completionItem/resolve', { ...i, data });
                    expanded.push({
                        ...i,
                        ...(i.textEdit ? {} : { textEdit: { range, newText: textEditText ?? i.label } }),
                        ...(resolved?.documentation ? { documentation: resolved.documentation } : {}),
                        ...(resolved?.detail ? { detail: resolved.detail } : {}),
                    });
                }
                assert.deepStrictEqual(expanded, plain.items);
                assert.ok(JSON.stringify(short).length < 0.8 * JSON.stringify(plain).length, 'the answer is smaller');
            }
            for (const c of [client, compact]) await c.notify('textDocument/didClose', { textDocument: { uri: uri(file) } });
        } finally {
            await compact.stop();
        }
    });

    it('lists real files and folders when completing an href, one segment at a time', async () => {
        const file = path.join(TG, 'doc/training-guides/associate-guide/bk_associate-training-guide.xml');
        const text = fs.readFileSync(file, 'utf8');
        await client.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'xml', version: 1, text } });
        const at = text.indexOf('href="') + 'href="'.length;
        const list = await client.request<{ items: Item[] }>('textDocument/completion', { textDocument: { uri: uri(file) }, position: positionOf(text, at) });
        const onDisk = fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.xml') && n !== path.basename(file));
        const labels = list.items.map((i) => i.label);
        for (const n of onDisk) assert.ok(labels.includes(n), `${n} offered`);
        assert.ok(labels.includes('../'));
        await client.notify('textDocument/didClose', { textDocument: { uri: uri(file) } });
    });

    it('hovers a callout reference, finds references of an id, and answers a refused rename with an error', async () => {
        const file = listXml(HA).find((f) => fs.readFileSync(f, 'utf8').includes('arearefs="'))!;
        const text = fs.readFileSync(file, 'utf8');
        const m = /arearefs="([^"\s]+)/.exec(text)!;
        const pos = positionOf(text, m.index + 'arearefs="'.length + 1);
        const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: uri(file) }, position: pos });
        assert.match(hover.contents.value, /`<co>`/);
        const refs = await client.request<Loc[]>('textDocument/references', { textDocument: { uri: uri(file) }, position: pos, context: { includeDeclaration: true } });
        assert.ok(refs.length >= 2, 'the <co> and at least this callout');
        assert.ok(refs.every((r) => textAt(new URL(r.uri).pathname, r.range) === m[1]));
        await assert.rejects(
            client.request('textDocument/prepareRename', { textDocument: { uri: uri(file) }, position: { line: 0, character: 0 } }),
            /can be renamed/,
        );
        // The server is still serving after the refusal.
        const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: uri(file) } });
        assert.ok(symbols.length > 0);
    });

    it('publishes diagnostics for files nobody opened, and offers quick fixes for them', async () => {
        const chapter = path.join(SEC, 'security-guide/ch013_node-bootstrapping.xml');
        const entityErrors = await client.waitForDiagnostics(uri(chapter), (d) => d.some((x) => x.code === 'undefined-entity'));
        assert.ok(entityErrors.every((d) => d.range.start.line > 0), 'at the entity reference, not at the top');
        const clients = path.join(TG, 'doc/training-guides/basic-install-guide/ch_clients.xml');
        const diags = await client.waitForDiagnostics(uri(clients), (d) => d.some((x) => x.code === 'unresolved-id'));
        const unresolved = diags.filter((d) => d.code === 'unresolved-id');
        assert.strictEqual(unresolved.length, 1);
        assert.match(unresolved[0].message, /openrc-create/);
        // A typo of an existing id gets the id as a quick fix, applied by nobody but the user.
        const text = fs.readFileSync(clients, 'utf8').replace('linkend="openrc-create"', 'linkend="ch_client"');
        await client.notify('textDocument/didOpen', { textDocument: { uri: uri(clients), languageId: 'xml', version: 1, text } });
        const typo = (await client.waitForDiagnostics(uri(clients), (d) => d.some((x) => x.code === 'unresolved-id' && /ch_client\b/.test(x.message)))).filter((d) => d.code === 'unresolved-id');
        const actions = await client.request<{ title: string; kind: string; edit?: { changes?: Record<string, { newText: string }[]>; documentChanges?: { edits: { newText: string }[] }[] } }[]>('textDocument/codeAction', {
            textDocument: { uri: uri(clients) }, range: typo[0].range, context: { diagnostics: typo },
        });
        assert.ok(actions.length > 0 && actions.every((a) => a.kind === 'quickfix' && a.edit), JSON.stringify(actions.map((a) => a.title)));
        assert.match(JSON.stringify(actions[0].edit), /"newText":"ch_clients"/);
        assert.strictEqual(fs.readFileSync(clients, 'utf8').includes('ch_client"'), false, 'nothing was written to disk');
        await client.notify('textDocument/didClose', { textDocument: { uri: uri(clients) } });
    });

    it('publishes the diagnostics an edit changes, not the unchanged ones of the file and its includers again', async () => {
        const section = path.join(TG, 'doc/training-guides/common/section_overview-horizon-cli.xml');
        const sectionUri = uri(section);
        const text = fs.readFileSync(section, 'utf8');
        await client.notify('textDocument/didOpen', { textDocument: { uri: sectionUri, languageId: 'xml', version: 1, text } });
        await client.waitForDiagnostics(sectionUri);
        // The section is clean; its includers up to the books have diagnostics of their own, which an edit here leaves as they are.
        assert.deepStrictEqual(client.diagnostics.get(sectionUri), []);
        // The files an edit of the section touches (their diagnostics were all published at each keystroke).
        const chain = new Set([sectionUri]);
        for (const u of chain) for (const i of await client.request<{ uri: string }[]>('docbook/includers', { uri: u })) chain.add(i.uri);
        assert.ok(chain.size > 3, `${chain.size} files`);
        const from = client.published.length;
        const at = positionOf(text, text.indexOf('<para>') + '<para>'.length);
        const edit = async (version: number, insert: string, remove = 0): Promise<void> => client.notify('textDocument/didChange', {
            textDocument: { uri: sectionUri, version },
            contentChanges: [{ range: { start: at, end: { line: at.line, character: at.character + remove } }, text: insert }],
        });
        await edit(2, 'Typed ');
        await edit(3, '<xref linkend="no-such-id"/>');
        const broken = await client.waitForDiagnostics(sectionUri, (d) => d.some((x) => x.code === 'unresolved-id'));
        assert.strictEqual(broken.length, 1);
        await edit(4, '', '<xref linkend="no-such-id"/>'.length);
        await client.waitForDiagnostics(sectionUri, (d) => d.length === 0);
        const sent = client.published.slice(from).filter((u) => chain.has(u)).map((u) => path.basename(new URL(u).pathname));
        assert.deepStrictEqual(sent, [path.basename(section), path.basename(section)], 'the problem and its fix, nothing else');
        await client.notify('textDocument/didClose', { textDocument: { uri: sectionUri } });
    });

    it('reports the gate\'s niceness as warnings and fixes all of a file on request (source.fixAll), writing nothing', async () => {
        // One of the corpus files that predate the gate's final-newline check.
        const quiz = path.join(TG, 'doc/training-guides/associate-guide/ch_associate-compute-node-quiz.xml');
        const text = fs.readFileSync(quiz, 'utf8');
        const diags = await client.waitForDiagnostics(uri(quiz), (d) => d.some((x) => x.code === 'final-newline'));
        assert.deepStrictEqual(diags.filter((d) => d.code === 'final-newline').map((d) => d.severity), [2]);
        const whole = { start: { line: 0, character: 0 }, end: positionOf(text, text.length) };
        const actions = await client.request<{ title: string; kind: string; edit?: { changes?: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
            textDocument: { uri: uri(quiz) }, range: whole, context: { diagnostics: [], only: ['source.fixAll'] },
        });
        assert.deepStrictEqual(actions.map((a) => [a.kind, a.edit?.changes?.[uri(quiz)]?.map((e) => e.newText)]), [['source.fixAll', ['\n']]]);
        assert.strictEqual(fs.readFileSync(quiz, 'utf8'), text, 'nothing was written to disk');
    });

    it('renders a chapter in its book for the preview, with source positions and safe resource URLs', async () => {
        const chapter = path.join(SEC, 'security-guide/ch037_risks.xml');
        const preview = await client.request<{ html: string; title: string; books: { uri: string; title: string }[]; files: string[] }>('docbook/preview', {
            uri: uri(chapter), resourcePrefix: 'https://resource.test',
        });
        assert.strictEqual(preview.title, 'Message queuing architecture');
        assert.deepStrictEqual(preview.books.map((b) => b.title), ['OpenStack Security Guide']);
        assert.strictEqual(preview.files[0], uri(chapter));
        assert.match(preview.html, /data-line="\d+"/);
        assert.ok(!/<script|\son\w+=/i.test(preview.html));
        for (const m of preview.html.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)) assert.ok(m[1].startsWith('https://resource.test/'), m[1]);
    });

    it('answers a preview that names its session and base HTML with the change from that HTML', async () => {
        type Answer = { html: string; htmlId?: number; htmlEdit?: { baseHtmlId: number; start: number; end: number; text: string } };
        const chapter = path.join(SEC, 'security-guide/ch037_risks.xml');
        const text = fs.readFileSync(chapter, 'utf8');
        const preview = (params: object): Promise<Answer> => client.request<Answer>('docbook/preview', { uri: uri(chapter), ...params });
        const first = await preview({ session: 'panel-1' });
        assert.ok(first.html.length > 1000 && first.htmlId !== undefined && !first.htmlEdit, 'the first answer carries all the HTML');
        const at = text.indexOf('<para>') + '<para>'.length;
        await client.notify('textDocument/didOpen', { textDocument: { uri: uri(chapter), languageId: 'xml', version: 1, text: text.slice(0, at) + 'Typed ' + text.slice(at) } });
        const second = await preview({ session: 'panel-1', baseHtmlId: first.htmlId });
        const whole = await preview({});
        assert.ok(second.htmlEdit && second.html === '', 'the second answer is a change');
        assert.strictEqual(second.htmlEdit.baseHtmlId, first.htmlId);
        assert.ok(second.htmlEdit.text.length < 100, `a typed word changes a few bytes (${second.htmlEdit.text.length})`);
        const patched = first.html.slice(0, second.htmlEdit.start) + second.htmlEdit.text + first.html.slice(second.htmlEdit.end);
        assert.strictEqual(patched, whole.html, 'the change applied to the first HTML gives the whole new HTML');
        assert.match(whole.html, /Typed /);
        // A base the server does not hold (another session's, or forgotten) gets the whole HTML.
        const other = await preview({ session: 'panel-2', baseHtmlId: second.htmlId });
        assert.strictEqual(other.html, whole.html);
        assert.strictEqual(other.htmlEdit, undefined);
        await client.notify('textDocument/didClose', { textDocument: { uri: uri(chapter) } });
    });

    it('answers the book tree whole, as the books alone, one book at a time, and the books that hold a file', async () => {
        const full = await client.request<BookNode[]>('docbook/bookTree', undefined);
        const only = await client.request<BookNode[]>('docbook/bookTree', { books: 'only' });
        assert.strictEqual(full.length, 10);
        assert.deepStrictEqual(only.map(({ childrenToFetch: _, ...n }) => n), full.map((n) => ({ ...n, children: [] })));
        assert.ok(only.every((n) => n.childrenToFetch === true), 'every corpus book has chapters');
        for (const book of full) assert.deepStrictEqual(await client.request('docbook/bookTree', { book: book.uri }), [book]);
        const chapter = full.find((b) => b.children.some((c) => !c.problem && c.uri !== b.uri))!.children.find((c) => !c.problem && c.uri !== full[0].uri)!;
        assert.deepStrictEqual(await client.request('docbook/bookTree', { book: chapter.uri }), [], 'a chapter is no book');
        const holders = await client.request<BookNode[]>('docbook/bookTree', { books: 'only', holding: chapter.uri });
        const contains = (n: BookNode): boolean => n.uri === chapter.uri || n.children.some(contains);
        assert.deepStrictEqual(holders.map((n) => n.uri), full.filter(contains).map((n) => n.uri));
    });

    it('keeps serving when a document is binary junk or not well-formed', async () => {
        const junk = 'file:///nonexistent/junk.xml';
        await client.notify('textDocument/didOpen', { textDocument: { uri: junk, languageId: 'xml', version: 1, text: '\u0000\u0001<<<&&&<a b=>' } });
        const hover = await client.request('textDocument/hover', { textDocument: { uri: junk }, position: { line: 0, character: 3 } });
        assert.strictEqual(hover, null);
        const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: junk } });
        assert.deepStrictEqual(symbols, []);
        await client.notify('textDocument/didClose', { textDocument: { uri: junk } });
        const stats = await client.request<{ files: number }>('docbook/stats', undefined);
        assert.strictEqual(stats.files, 296, 'a closed file outside the workspace folders leaves the index');
    });
});

describe('docbook-ls live updates over stdio', function () {
    this.timeout(60_000);
    let client: LspClient;
    let dir: string;

    before(async function () {
        requireCorpus(this, HA);
        dir = copyTree(HA);
        client = new LspClient();
        await client.start([dir]);
    });
    after(async () => {
        await client?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('follows incremental edits, new files on disk, and workspace folders added and removed', async () => {
        const book = listXml(dir).find((f) => path.basename(f) === 'bk-ha-guide.xml')!;
        const text = fs.readFileSync(book, 'utf8');
        const bookUri = uri(book);
        await client.notify('textDocument/didOpen', { textDocument: { uri: bookUri, languageId: 'xml', version: 1, text } });
        // Type a reference to an id that does not exist yet, as an incremental change.
        const insertAt = positionOf(text, text.indexOf('</title>'));
        await client.notify('textDocument/didChange', {
            textDocument: { uri: bookUri, version: 2 },
            contentChanges: [{ range: { start: insertAt, end: insertAt }, text: '<xref linkend="brand-new"/>' }],
        });
        const refPos = { line: insertAt.line, character: insertAt.character + '<xref linkend="'.length + 2 };
        const before = await client.request<Link[]>('textDocument/definition', { textDocument: { uri: bookUri }, position: refPos });
        assert.deepStrictEqual(before, []);

        const newFile = path.join(path.dirname(book), 'ch_new.xml');
        fs.writeFileSync(newFile, '<chapter xmlns="http://docbook.org/ns/docbook" version="5.0" xml:id="brand-new"><title>New</title></chapter>');
        const includeAt = positionOf(text, text.indexOf('</book>'));
        await client.notify('textDocument/didChange', {
            textDocument: { uri: bookUri, version: 3 },
            contentChanges: [{ range: { start: includeAt, end: includeAt }, text: '<xi:include href="ch_new.xml"/>' }],
        });
        await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(newFile), type: 1 }] });
        const after = await client.request<Link[]>('textDocument/definition', { textDocument: { uri: bookUri }, position: refPos });
        assert.deepStrictEqual(after.map((l) => new URL(l.targetUri).pathname), [newFile]);

        const extra = copyTree(path.join(SEC, 'security-guide'));
        try {
            await client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uri(extra), name: 'sec' }], removed: [] } });
            let stats = { books: 0 };
            for (let i = 0; i < 50 && stats.books < 2; i++) {
                stats = await client.request<{ books: number }>('docbook/stats', undefined);
                if (stats.books < 2) await new Promise((r) => setTimeout(r, 100));
            }
            assert.strictEqual(stats.books, 2);
            await client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uri(extra), name: 'sec' }] } });
            for (let i = 0; i < 50 && stats.books > 1; i++) {
                stats = await client.request<{ books: number }>('docbook/stats', undefined);
                if (stats.books > 1) await new Promise((r) => setTimeout(r, 100));
            }
            assert.strictEqual(stats.books, 1);
        } finally {
            fs.rmSync(extra, { recursive: true, force: true });
        }
    });
});
