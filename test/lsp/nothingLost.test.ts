// Nothing is lost: docbook-ls and docbook-check never write a file. A copy of a real tree is
// snapshotted (every entry's bytes, mode, mtime and ctime) before a session of edits, renames,
// quick fixes, previews and checks, and must be identical after it. Renames are WorkspaceEdits the
// user applies; the server refuses one against a file that changed since it was indexed, and one of
// an ambiguous id, with a clear message; a failed or cancelled rename changes nothing.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { computeLineStarts, offsetAt, positionAt } from '../../server/src/core/lineMap';
import { CORPUS, requireCorpus } from '../helpers';
import { LspClient, REPO_ROOT, uri } from './lspClient';

interface Pos { line: number; character: number }
interface Range { start: Pos; end: Pos }
interface TextEdit { range: Range; newText: string }
interface WorkspaceEdit { documentChanges?: { textDocument: { uri: string; version: number | null }; edits: TextEdit[] }[]; changes?: Record<string, TextEdit[]> }
interface Diag { code?: string; range: Range; message: string }

type Snapshot = Map<string, string>;

/** Every entry under `dir`: kind, bytes (sha256), mode, mtime and ctime. Any write changes one of them. */
function snapshot(dir: string): Snapshot {
    const out: Snapshot = new Map();
    const walk = (d: string): void => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            const st = fs.lstatSync(p);
            const what = e.isFile() ? createHash('sha256').update(fs.readFileSync(p)).digest('hex') : e.isSymbolicLink() ? `-> ${fs.readlinkSync(p)}` : 'dir';
            out.set(path.relative(dir, p), `${what} ${st.mode.toString(8)} ${st.mtimeMs} ${st.ctimeMs}`);
            if (e.isDirectory()) walk(p);
        }
    };
    walk(dir);
    return out;
}

function assertUnchanged(dir: string, before: Snapshot, when: string): void {
    const after = snapshot(dir);
    const added = [...after.keys()].filter((k) => !before.has(k));
    const removed = [...before.keys()].filter((k) => !after.has(k));
    const changed = [...before.keys()].filter((k) => after.has(k) && after.get(k) !== before.get(k));
    assert.deepStrictEqual({ added, removed, changed }, { added: [], removed: [], changed: [] }, `nothing written ${when}`);
}

function positionIn(text: string, offset: number): Pos {
    return positionAt(computeLineStarts(text), offset);
}

function sliceOf(text: string, range: Range): string {
    const starts = computeLineStarts(text);
    return text.slice(offsetAt(starts, range.start, text.length), offsetAt(starts, range.end, text.length));
}

describe('nothing is lost: docbook-ls and docbook-check never write', function () {
    this.timeout(120_000);
    let tmp: string;
    let tree: string;
    let client: LspClient;
    let pristine: Snapshot;
    const guide = (rel: string): string => path.join(tree, 'doc/training-guides', rel);

    before(async function () {
        requireCorpus(this);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-lost-'));
        tree = path.join(tmp, 'training-guides');
        fs.cpSync(path.join(CORPUS, 'training-guides'), tree, { recursive: true });
        spawnSync('chmod', ['-R', 'u+w', tree]);
        // Distinct past mtimes: a rewrite of the same bytes would show as a new mtime.
        const past = new Date(Date.UTC(2014, 10, 28));
        for (const f of fs.readdirSync(tree, { recursive: true, encoding: 'utf8' })) fs.utimesSync(path.join(tree, f), past, past);
        pristine = snapshot(tree);
        client = new LspClient();
        await client.start([tree]);
    });

    after(async () => {
        await client?.stop();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('a session of edits, renames, quick fixes, previews and every other request writes nothing', async () => {
        const chapter = guide('basic-install-guide/ch_clients.xml');
        let requests = 0;
        const session = [chapter, 'basic-install-guide/bk-openstack-basic-install-guide.xml', 'basic-install-guide/lab_virtualbox-basics.xml', 'basic-install-guide/ch_overview.xml', 'associate-guide/bk_associate-training-guide.xml'];
        for (const file of session.map((f) => (path.isAbsolute(f) ? f : guide(f)))) {
            assert.ok(fs.existsSync(file), file);
            let text = fs.readFileSync(file, 'utf8');
            const doc = { uri: uri(file) };
            await client.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'xml', version: 1, text } });
            // Type a broken reference, then an include of a file that does not exist.
            const at = positionIn(text, text.indexOf('</title>'));
            const typed = '<xref linkend="openrc-creat"/><xi:include href="ch_nothing_here.xml"/>';
            await client.notify('textDocument/didChange', { textDocument: { uri: uri(file), version: 2 }, contentChanges: [{ range: { start: at, end: at }, text: typed }] });
            const offset = offsetAt(computeLineStarts(text), at, text.length);
            text = text.slice(0, offset) + typed + text.slice(offset);
            const diags = await client.waitForDiagnostics(uri(file), (d) => (d as Diag[]).some((x) => x.code === 'unresolved-id' && /openrc-creat/.test(x.message)));
            const actions = await client.request<{ edit?: WorkspaceEdit }[]>('textDocument/codeAction', { textDocument: doc, range: { start: { line: 0, character: 0 }, end: positionIn(text, text.length) }, context: { diagnostics: diags } });
            requests++;
            for (const a of actions) assert.ok(a.edit === undefined || typeof a.edit === 'object', 'quick fixes are edits for the user to apply');
            // Rename every id of the file (each answer is an edit, not a write), and ask everything else.
            for (const m of text.matchAll(/xml:id="([^"]+)"/g)) {
                const position = positionIn(text, m.index! + 'xml:id="'.length + 1);
                const edit = await client.request<WorkspaceEdit | null>('textDocument/rename', { textDocument: doc, position, newName: `${m[1]}_renamed` }).catch((e: Error) => e);
                requests++;
                if (edit instanceof Error) { assert.match(edit.message, /\S/); continue; }
                for (const change of edit?.documentChanges ?? []) {
                    const target = change.textDocument.uri === uri(file) ? text : fs.readFileSync(new URL(change.textDocument.uri), 'utf8');
                    for (const e of change.edits) assert.strictEqual(sliceOf(target, e.range), m[1], 'a rename edit replaces the old id, exactly');
                }
                for (const method of ['textDocument/hover', 'textDocument/definition', 'textDocument/completion', 'textDocument/prepareRename']) {
                    await client.request(method, { textDocument: doc, position }).catch(() => undefined);
                    requests++;
                }
                await client.request('textDocument/references', { textDocument: doc, position, context: { includeDeclaration: true } });
                requests++;
            }
            await client.request('textDocument/documentSymbol', { textDocument: doc });
            await client.request('docbook/bookTree', undefined);
            await client.request('docbook/includers', { uri: uri(file) }).catch(() => undefined);
            await client.request('docbook/preview', { uri: uri(file), resourcePrefix: 'https://resource.test' }).catch(() => undefined);
            requests += 4;
            await client.notify('textDocument/didClose', { textDocument: doc });
        }
        await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(chapter), type: 2 }] });
        await client.request('docbook/stats', undefined);
        assert.ok(requests > 50, `${requests} requests`);
        assertUnchanged(tree, pristine, 'by the server');
    });

    it('docbook-check in every format, strict, and for one book writes nothing, even run inside the tree', () => {
        const bin = path.join(REPO_ROOT, 'bin/docbook-check.js');
        const runs = [[], ['--format', 'json'], ['--format', 'sarif'], ['--strict'], ['--book', 'doc/training-guides/st-training-guides.xml'], ['doc/training-guides/basic-install-guide/ch_clients.xml']];
        for (const args of runs) {
            const r = spawnSync(process.execPath, [bin, ...args], { cwd: tree, encoding: 'utf8', timeout: 60_000 });
            assert.ok(r.status === 0 || r.status === 1, `docbook-check ${args.join(' ')}: exit ${r.status} ${r.stderr}`);
            assert.ok(r.stdout.length > 0);
        }
        assertUnchanged(tree, pristine, 'by docbook-check');
    });

    it('refuses a rename touching a file changed on disk since it was indexed (not yet reported), and writes nothing', async () => {
        // A reference whose rename touches more than its own file.
        const candidates = fs.readdirSync(tree, { recursive: true, encoding: 'utf8' }).map((f) => path.join(tree, f)).filter((f) => f.endsWith('.xml')).sort()
            .map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }))
            .flatMap(({ f, text }) => [...text.matchAll(/linkend="([^"]+)"/g)].filter((m) => !text.includes(`xml:id="${m[1]}"`)).map((m) => ({ f, text, at: m.index! + 'linkend="'.length + 1 })));
        let target: (typeof candidates)[number] | undefined;
        for (const c of candidates) {
            const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri(c.f) }, position: positionIn(c.text, c.at), newName: 'fresh_name' }).catch(() => undefined);
            if ((edit?.documentChanges ?? []).length >= 2) { target = c; break; }
        }
        assert.ok(target, 'a reference into another file that can be renamed');
        const position = positionIn(target.text, target.at);
        // The user edits the file in another tool: same length, a line break moved before the reference.
        const firstNl = target.text.indexOf('\n');
        assert.ok(firstNl < target.at);
        const changed = target.text.slice(0, firstNl) + ' ' + target.text.slice(firstNl + 1, target.at) + target.text.slice(target.at).replace(' ', '\n');
        assert.strictEqual(changed.length, target.text.length);
        fs.writeFileSync(target.f, changed);
        const mine = snapshot(tree);
        await assert.rejects(
            client.request('textDocument/rename', { textDocument: { uri: uri(target.f) }, position, newName: 'fresh_name' }),
            new RegExp(`${path.basename(target.f).replace('.', '\\.')} changed since it was indexed; save it \\(or wait a moment\\) and rename again`),
        );
        assertUnchanged(tree, mine, 'by a refused rename');
        assert.strictEqual(fs.readFileSync(target.f, 'utf8'), changed, "the user's change is kept as they wrote it");
        fs.writeFileSync(target.f, target.text);
        await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(target.f), type: 2 }] });
        pristine = snapshot(tree);
    });

    it('a failed or cancelled rename changes nothing; an ambiguous id is refused with a clear message', async () => {
        const file = guide('basic-install-guide/ch_clients.xml');
        const text = fs.readFileSync(file, 'utf8');
        const m = /xml:id="([^"]+)"/.exec(text)!;
        const position = positionIn(text, m.index + 'xml:id="'.length + 1);
        const doc = { uri: uri(file) };
        await assert.rejects(client.request('textDocument/rename', { textDocument: doc, position, newName: 'not valid' }), /not a valid id/);
        await assert.rejects(client.request('textDocument/rename', { textDocument: doc, position: { line: 0, character: 0 }, newName: 'x' }), /can be renamed/);
        // Cancelled while in flight: an error or an edit, never a write.
        const { CancellationTokenSource } = await import('vscode-jsonrpc');
        const source = new CancellationTokenSource();
        const pending = client.connection.sendRequest('textDocument/rename', { textDocument: doc, position, newName: 'cancelled_name' }, source.token).catch((e: Error) => e);
        source.cancel();
        const outcome = await pending;
        assert.ok(outcome instanceof Error || typeof outcome === 'object');
        // Four orphan chapters of the Cinder notes all say xml:id="header": a reference to it is ambiguous.
        const orphan = guide('sources/cinder/threading.xml');
        const orphanText = fs.readFileSync(orphan, 'utf8');
        const insertAt = orphanText.indexOf('</title>');
        const edited = orphanText.slice(0, insertAt) + '<xref linkend="header"/>' + orphanText.slice(insertAt);
        await client.notify('textDocument/didOpen', { textDocument: { uri: uri(orphan), languageId: 'xml', version: 1, text: edited } });
        const refAt = positionIn(edited, insertAt + '<xref linkend="'.length + 2);
        await assert.rejects(client.request('textDocument/prepareRename', { textDocument: { uri: uri(orphan) }, position: refAt }), /"header" is ambiguous: it is defined 4 times \(([\w.]+\.xml, ){3}[\w.]+\.xml\)\. Fix the duplicate first\./);
        await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: uri(orphan) }, position: refAt, newName: 'unique_header' }), /ambiguous/);
        await client.notify('textDocument/didClose', { textDocument: { uri: uri(orphan) } });
        await client.request('docbook/stats', undefined);
        assertUnchanged(tree, pristine, 'by failed and cancelled renames');
    });
});
