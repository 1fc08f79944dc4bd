import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { computeLineStarts, offsetAt } from '../../server/src/core/lineMap';
import { pathToUri, uriToPath } from '../../server/src/core/uri';
import { provideCodeActions, glossaryFormsOf, levenshtein } from '../../server/src/features/codeActions';
import { provideDiagnostics } from '../../server/src/features/diagnostics';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { defaultSettings } from '../../server/src/settings';
import { InMemoryWorkspace, NodeWorkspace, Workspace } from '../../server/src/workspace';
import { CORPUS, contextOf, requireCorpus } from '../helpers';

const NS = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" version="5.0"';
const WS = path.resolve('/ws');

function book(id: string, hrefs: string[]): string {
    return `<book ${NS} xml:id="${id}">\n  <title>Book ${id}</title>\n${hrefs.map((h) => `  <xi:include href="${h}"/>\n`).join('')}</book>\n`;
}

function chapter(id: string, body: string): string {
    return `<chapter ${NS} xml:id="${id}">\n  <title>Chapter ${id}</title>\n${body}\n</chapter>\n`;
}

function sections(ids: string[]): string {
    return ids.map((id) => `  <section xml:id="${id}"><title>${id}</title><para/></section>`).join('\n');
}

async function indexOf(ws: Workspace, folder: string): Promise<WorkspaceIndex> {
    const index = new WorkspaceIndex(ws, defaultSettings());
    await index.configure(defaultSettings());
    await index.addFolder(folder);
    return index;
}

function memory(files: Record<string, string>): InMemoryWorkspace {
    return new InMemoryWorkspace(Object.fromEntries(Object.entries(files).map(([rel, text]) => [path.join(WS, rel), text])));
}

function applyEdits(text: string, edits: TextEdit[]): string {
    const starts = computeLineStarts(text);
    const spans = edits.map((e) => ({ start: offsetAt(starts, e.range.start, text.length), end: offsetAt(starts, e.range.end, text.length), newText: e.newText }));
    spans.sort((a, b) => b.start - a.start);
    let out = text;
    for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
    return out;
}

/** Applies an action's edits to the in-memory workspace, as the editor would once the user picks it. */
function applyAction(ws: InMemoryWorkspace, action: CodeAction): string[] {
    const changed: string[] = [];
    for (const [uri, edits] of Object.entries(action.edit?.changes ?? {})) {
        const file = uriToPath(uri)!;
        ws.write(file, applyEdits(Buffer.from(ws.files.get(file)!).toString('utf8'), edits));
        changed.push(file);
    }
    return changed;
}

async function actionsFor(index: WorkspaceIndex, file: string, code: string): Promise<{ diagnostic: Diagnostic; actions: CodeAction[] }> {
    const diagnostic = provideDiagnostics(contextOf(index), { file }).find((d) => d.code === code);
    assert.ok(diagnostic, `expected a ${code} diagnostic in ${path.basename(file)}`);
    return { diagnostic, actions: await provideCodeActions(contextOf(index), { file, range: diagnostic.range, diagnostics: [diagnostic] }) };
}

describe('code actions', () => {
    describe('unresolved-id', () => {
        it('offers the closest ids, those of the same book first, at most five, and the fix resolves', async () => {
            const ws = memory({
                'a/bk.xml': book('bka', ['ch.xml']),
                'a/ch.xml': chapter('ch', `${sections(['install-novas', 'install-neutron', 'nova-a', 'nova-b', 'nova-c', 'nova-d', 'nova-e'])}\n  <para><xref linkend="instal-nova"/></para>`),
                'b/bk.xml': book('bkb', ['ch.xml']),
                'b/ch.xml': chapter('other', sections(['instal-nova1'])),
            });
            const index = await indexOf(ws, WS);
            const file = path.join(WS, 'a/ch.xml');
            const { diagnostic, actions } = await actionsFor(index, file, 'unresolved-id');
            const titles = actions.map((a) => a.title);
            assert.strictEqual(titles[0], 'Change to "install-novas"');
            assert.strictEqual(actions[0].isPreferred, true);
            assert.ok(titles.length <= 5);
            const otherBook = titles.findIndex((t) => t.includes('instal-nova1'));
            const lastSameBook = titles.map((t) => !t.includes('another book')).lastIndexOf(true);
            assert.ok(otherBook < 0 || otherBook > lastSameBook, `same book first: ${titles.join(' | ')}`);
            assert.ok(!titles.some((t) => /nova-[a-e]/.test(t)), 'far ids are not offered');
            assert.deepStrictEqual(actions[0].diagnostics, [diagnostic]);
            assert.strictEqual(actions[0].kind, 'quickfix');

            applyAction(ws, actions[0]);
            await index.fileChangedOnDisk(file);
            assert.deepStrictEqual(provideDiagnostics(contextOf(index), { file }).filter((d) => d.code === 'unresolved-id'), []);
        });

        it('never more than five, and nothing when no id is close', async () => {
            const near = ['abcd1', 'abcd2', 'abcd3', 'abcd4', 'abcd5', 'abcd6', 'abcd7'];
            const ws = memory({ 'bk.xml': book('bk', ['ch.xml']), 'ch.xml': chapter('ch', `${sections(near)}\n<para><xref linkend="abcd"/><xref linkend="zzzzzzzzzzzz"/></para>`) });
            const index = await indexOf(ws, WS);
            const file = path.join(WS, 'ch.xml');
            const [first, second] = provideDiagnostics(contextOf(index), { file }).filter((d) => d.code === 'unresolved-id');
            assert.strictEqual((await provideCodeActions(contextOf(index), { file, range: first.range, diagnostics: [first] })).length, 5);
            assert.deepStrictEqual(await provideCodeActions(contextOf(index), { file, range: second.range, diagnostics: [second] }), []);
        });

        it('ignores diagnostics outside the range and of other sources, and changes no file', async () => {
            const files = { 'bk.xml': book('bk', ['ch.xml']), 'ch.xml': chapter('ch', `${sections(['alpha'])}\n<para><xref linkend="alpah"/></para>`) };
            const ws = memory(files);
            const index = await indexOf(ws, WS);
            const file = path.join(WS, 'ch.xml');
            const [d] = provideDiagnostics(contextOf(index), { file });
            const elsewhere = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
            assert.deepStrictEqual(await provideCodeActions(contextOf(index), { file, range: elsewhere, diagnostics: [d] }), []);
            assert.deepStrictEqual(await provideCodeActions(contextOf(index), { file, range: d.range, diagnostics: [{ ...d, source: 'xml' }] }), []);
            assert.strictEqual((await provideCodeActions(contextOf(index), { file, range: d.range, diagnostics: [d] })).length, 1);
            assert.strictEqual(Buffer.from(ws.files.get(file)!).toString('utf8'), files['ch.xml']);
        });
    });

    describe('unknown-glossterm', () => {
        const glossary = `<glossary ${NS}>
  <title>Glossary</title>
  <glossdiv>
    <title>L</title>
    <glossentry>
      <glossterm>Logical Volume Manager (LVM)</glossterm>
      <glossdef><para>Volumes.</para></glossdef>
    </glossentry>
  </glossdiv>
  <glossdiv>
    <title>M</title>
    <glossentry>
      <glossterm>Metadata agent</glossterm>
      <glossdef><para>Metadata.</para></glossdef>
    </glossentry>
  </glossdiv>
  <glossdiv>
    <title>O</title>
    <glossentry>
      <glossterm>object storage</glossterm>
      <glossdef><para>Objects.</para></glossdef>
    </glossentry>
    <glossentry>
      <glossterm>Open vSwitch</glossterm>
      <glossdef><para>A switch.</para></glossdef>
    </glossentry>
  </glossdiv>
  <glossdiv>
    <title>P</title>
    <glossentry>
      <glossterm>plug-in</glossterm>
      <glossdef><para>Extends.</para></glossdef>
    </glossentry>
  </glossdiv>
</glossary>
`;

        async function setup(term: string): Promise<{ ws: InMemoryWorkspace; index: WorkspaceIndex; file: string }> {
            const ws = memory({ 'guide/bk.xml': book('bk', ['ch.xml']), 'guide/ch.xml': chapter('ch', `<para>The ${term} works.</para>`), 'glossary/glossary-terms.xml': glossary });
            return { ws, index: await indexOf(ws, WS), file: path.join(WS, 'guide/ch.xml') };
        }

        for (const [use, entry] of [['metadata agent', 'Metadata agent'], ['plug-ins', 'plug-in'], ['LVM', 'Logical Volume Manager (LVM)']]) {
            it(`adds baseform="${entry}" to <glossterm>${use}</glossterm>, which then links`, async () => {
                const { ws, index, file } = await setup(`<glossterm>${use}</glossterm>`);
                const { actions } = await actionsFor(index, file, 'unknown-glossterm');
                assert.strictEqual(actions[0].title, `Link to the glossary entry "${entry}" (baseform="${entry}")`);
                applyAction(ws, actions[0]);
                const text = Buffer.from(ws.files.get(file)!).toString('utf8');
                assert.ok(text.includes(`<glossterm baseform="${entry}">${use}</glossterm>`), text);
                await index.fileChangedOnDisk(file);
                assert.deepStrictEqual(provideDiagnostics(contextOf(index), { file }), []);
            });
        }

        it('replaces a baseform that misses', async () => {
            const { ws, index, file } = await setup('<glossterm baseform="plugin">plug-ins</glossterm>');
            const { actions } = await actionsFor(index, file, 'unknown-glossterm');
            applyAction(ws, actions[0]);
            assert.ok(Buffer.from(ws.files.get(file)!).toString('utf8').includes('<glossterm baseform="plug-in">plug-ins</glossterm>'));
        });

        it('offers a new glossentry in alphabetical place, inside the letter\'s glossdiv, with an empty definition', async () => {
            const { ws, index, file } = await setup('<glossterm>orchestration</glossterm>');
            const { actions } = await actionsFor(index, file, 'unknown-glossterm');
            assert.deepStrictEqual(actions.map((a) => a.title), ['Add a glossentry for "orchestration" to ../glossary/glossary-terms.xml']);
            const glossaryFile = path.join(WS, 'glossary/glossary-terms.xml');
            assert.deepStrictEqual(Object.keys(actions[0].edit!.changes!), [pathToUri(glossaryFile)]);
            applyAction(ws, actions[0]);
            await index.fileChangedOnDisk(glossaryFile);
            const terms = index.get(glossaryFile)!.model.glossEntries.map((g) => g.term);
            assert.deepStrictEqual(terms, ['Logical Volume Manager (LVM)', 'Metadata agent', 'object storage', 'Open vSwitch', 'orchestration', 'plug-in']);
            const text = Buffer.from(ws.files.get(glossaryFile)!).toString('utf8');
            const oDiv = text.slice(text.indexOf('<title>O</title>'), text.indexOf('<title>P</title>'));
            assert.match(oDiv, /<glossentry>\s*<glossterm>orchestration<\/glossterm>\s*<glossdef>\s*<para><\/para>\s*<\/glossdef>\s*<\/glossentry>/);
            assert.deepStrictEqual(provideDiagnostics(contextOf(index), { file }), []);
            assert.deepStrictEqual(provideDiagnostics(contextOf(index), { file: glossaryFile }).filter((d) => d.code === 'not-well-formed'), []);
        });

        it('puts a term that sorts first before the first entry, and one that sorts last after the last', async () => {
            for (const [term, before, after] of [['API', undefined, 'Logical Volume Manager (LVM)'], ['zone', 'plug-in', undefined]]) {
                const { ws, index, file } = await setup(`<glossterm>${term}</glossterm>`);
                const { actions } = await actionsFor(index, file, 'unknown-glossterm');
                applyAction(ws, actions[0]);
                const glossaryFile = path.join(WS, 'glossary/glossary-terms.xml');
                await index.fileChangedOnDisk(glossaryFile);
                const terms = index.get(glossaryFile)!.model.glossEntries.map((g) => g.term);
                const at = terms.indexOf(term!);
                assert.strictEqual(terms[at - 1], before, `${term} comes after ${before}`);
                assert.strictEqual(terms[at + 1], after, `${term} comes before ${after}`);
            }
        });

        it('recognises case, plural, hyphenation and acronym forms', () => {
            const terms = ['Metadata agent', 'plug-in', 'policy', 'Logical Volume Manager (LVM)', 'virtual machine (VM)', 'API'];
            assert.deepStrictEqual(glossaryFormsOf('metadata agent', terms), ['Metadata agent']);
            assert.deepStrictEqual(glossaryFormsOf('plugins', terms), ['plug-in']);
            assert.deepStrictEqual(glossaryFormsOf('policies', terms), ['policy']);
            assert.deepStrictEqual(glossaryFormsOf('VMs', terms), ['virtual machine (VM)']);
            assert.deepStrictEqual(glossaryFormsOf('LVM', terms), ['Logical Volume Manager (LVM)']);
            assert.deepStrictEqual(glossaryFormsOf('SDK', terms), []);
        });
    });

    describe('renamed-folder', () => {
        it('rewrites one path, or every such path of the workspace', async () => {
            const ws = memory({
                'doc/guide/bk.xml': book('bk', ['ch1.xml', 'ch2.xml']),
                'doc/guide/ch1.xml': chapter('ch1', '<xi:include href="../openstack-config/section_a.xml"/>'),
                'doc/guide/ch2.xml': chapter('ch2', '<xi:include href="../openstack-config/section_b.xml"/>\n<xi:include href="../openstack-image/section_c.xml"/>'),
                'doc/config-reference/section_a.xml': `<section ${NS} xml:id="a"><title>A</title></section>`,
                'doc/config-reference/section_b.xml': `<section ${NS} xml:id="b"><title>B</title></section>`,
            });
            const index = await indexOf(ws, WS);
            const ch1 = path.join(WS, 'doc/guide/ch1.xml');
            const { actions } = await actionsFor(index, ch1, 'renamed-folder');
            assert.deepStrictEqual(actions.map((a) => a.title), [
                'Rewrite the path to the new folder "config-reference"',
                'Rewrite all 2 paths through "openstack-config" in the workspace to "config-reference"',
            ]);
            assert.deepStrictEqual(Object.keys(actions[0].edit!.changes!), [pathToUri(ch1)]);
            assert.strictEqual(Object.keys(actions[1].edit!.changes!).length, 2);

            for (const f of applyAction(ws, actions[1])) await index.fileChangedOnDisk(f);
            const ch2 = path.join(WS, 'doc/guide/ch2.xml');
            assert.ok(Buffer.from(ws.files.get(ch2)!).toString('utf8').includes('href="../config-reference/section_b.xml"'));
            assert.deepStrictEqual(provideDiagnostics(contextOf(index), { file: ch1 }), []);
            assert.deepStrictEqual(provideDiagnostics(contextOf(index), { file: ch2 }).map((d) => (d.data as { oldFolder: string }).oldFolder), ['openstack-image'], 'other renamed folders are left alone');
        });

        it('offers no rewrite for a deleted folder, but a file of the same name', async () => {
            const ws = memory({
                'doc/guide/bk.xml': book('bk', ['ch.xml']),
                'doc/guide/ch.xml': chapter('ch', '<xi:include href="../basic-install/section_ntp.xml"/>'),
                'doc/install-guide/section_ntp.xml': `<section ${NS} xml:id="ntp"><title>NTP</title></section>`,
            });
            const index = await indexOf(ws, WS);
            const { actions } = await actionsFor(index, path.join(WS, 'doc/guide/ch.xml'), 'renamed-folder');
            assert.deepStrictEqual(actions.map((a) => a.title), ['Include "../install-guide/section_ntp.xml" instead']);
        });
    });

    describe('missing-include', () => {
        it('offers files of the same name, nearest first, as paths relative to the including file', async () => {
            const ws = memory({
                'doc/guide/bk.xml': book('bk', ['ch.xml']),
                'doc/guide/ch.xml': chapter('ch', '<xi:include href="../common/section_keystone.xml"/>'),
                'doc/guide/common/section_keystone.xml': `<section ${NS} xml:id="k1"><title>K</title></section>`,
                'doc/other/deep/er/section_keystone.xml': `<section ${NS} xml:id="k2"><title>K</title></section>`,
            });
            const index = await indexOf(ws, WS);
            const file = path.join(WS, 'doc/guide/ch.xml');
            const { actions } = await actionsFor(index, file, 'missing-include');
            assert.deepStrictEqual(actions.map((a) => a.title), ['Include "common/section_keystone.xml" instead', 'Include "../other/deep/er/section_keystone.xml" instead']);
            applyAction(ws, actions[0]);
            await index.fileChangedOnDisk(file);
            assert.deepStrictEqual(provideDiagnostics(contextOf(index), { file }), []);
        });
    });

    it('levenshtein gives up beyond its limit', () => {
        assert.strictEqual(levenshtein('kitten', 'sitting'), 3);
        assert.strictEqual(levenshtein('openrc-create', 'openrc-create'), 0);
        assert.ok(levenshtein('aaaaaaaa', 'bbbbbbbb', 2) > 2);
    });
});

describe('code actions on a copy of training-guides', function () {
    this.timeout(60_000);
    let tmp: string;
    let root: string;
    let index: WorkspaceIndex;

    before(async function () {
        requireCorpus(this);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-actions-'));
        root = path.join(tmp, 'training-guides');
        fs.cpSync(path.join(CORPUS, 'training-guides'), root, { recursive: true });
        index = await indexOf(new NodeWorkspace(), root);
    });

    after(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    function writeAction(action: CodeAction): string[] {
        const changed: string[] = [];
        for (const [uri, edits] of Object.entries(action.edit?.changes ?? {})) {
            const file = uriToPath(uri)!;
            fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), edits));
            changed.push(file);
        }
        return changed;
    }

    it('links the three glossterms that miss by case or form, and nothing else changes', async () => {
        const before = [...index.allFiles()].flatMap((f) => provideDiagnostics(contextOf(index), { file: f.path }).map((d) => ({ file: f.path, d })));
        const misses = before.filter((b) => b.d.code === 'unknown-glossterm');
        assert.strictEqual(misses.length, 3);
        for (const miss of misses) {
            const actions = await provideCodeActions(contextOf(index), { file: miss.file, range: miss.d.range, diagnostics: [miss.d] });
            assert.match(actions[0]?.title ?? '', /baseform=/, `a baseform fix for ${JSON.stringify(miss.d.data)}`);
            for (const f of writeAction(actions[0])) await index.fileChangedOnDisk(f);
        }
        const after = [...index.allFiles()].flatMap((f) => provideDiagnostics(contextOf(index), { file: f.path }).map((d) => ({ file: f.path, d })));
        const key = (x: { file: string; d: Diagnostic }): string => `${x.file}|${String(x.d.code)}|${x.d.range.start.line}|${String(x.d.message)}`;
        assert.deepStrictEqual(after.map(key).sort(), before.filter((b) => b.d.code !== 'unknown-glossterm').map(key).sort());
    });

    it('points the operator lab\'s missing install-guide includes at the basic-install-guide copies', async () => {
        const lab = [...index.allFiles()].find((f) => f.path.endsWith('ch_operator-object-storage-node-lab.xml'))!;
        const missing = provideDiagnostics(contextOf(index), { file: lab.path }).filter((d) => d.code === 'missing-include');
        assert.ok(missing.length > 0);
        for (const d of missing) {
            const actions = await provideCodeActions(contextOf(index), { file: lab.path, range: d.range, diagnostics: [d] });
            assert.ok(actions.length > 0, `a same-name file for ${JSON.stringify(d.data)}`);
            const newHref = actions[0].edit!.changes![pathToUri(lab.path)][0].newText;
            assert.strictEqual(path.basename(newHref), path.basename((d.data as { href: string }).href));
            assert.ok(fs.existsSync(path.resolve(path.dirname(lab.path), newHref)), `${newHref} exists`);
        }
    });
});
