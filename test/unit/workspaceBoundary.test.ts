// The workspace boundary on the real disk: links and includes are followed only into the workspace
// folders, docbook.allowedRoots and the folders of urlMappings; anything else is reported as
// outside-workspace and never read.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToUri } from '../../server/src/core/uri';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings, DocbookSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';

const NS = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" version="5.0"';
const BIN = path.resolve(__dirname, '../../../bin/docbook-check.js');

describe('workspace boundary', () => {
    let tmp: string;
    let ws: string;
    const write = (rel: string, text: string): string => {
        const file = path.join(tmp, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // XML files end with a newline, as authors' files do (else each would also report final-newline).
        fs.writeFileSync(file, rel.endsWith('.xml') && !text.endsWith('\n') ? text + '\n' : text);
        return file;
    };
    const service = async (settings: Partial<DocbookSettings> = {}): Promise<DocbookLanguageService> => {
        const s = new DocbookLanguageService(new NodeWorkspace());
        // The fixtures are minimal books, not schema-valid ones: the boundary is what is tested here.
        const base = defaultSettings();
        await s.initialize([ws], { ...base, ...settings, diagnostics: { ...base.diagnostics, schema: false, ...settings.diagnostics } });
        return s;
    };
    const codes = async (s: DocbookLanguageService, file: string): Promise<string[]> => (await s.diagnostics(pathToUri(file))).map((d) => String(d.code));

    beforeEach(() => {
        tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'boundary-')));
        ws = path.join(tmp, 'ws');
        fs.mkdirSync(ws);
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('does not walk a symbolic link to / inside a workspace folder', async function () {
        this.timeout(60_000);
        write('ws/book.xml', `<book ${NS}><title>B</title></book>`);
        fs.symlinkSync('/', path.join(ws, 'root'));
        fs.symlinkSync(tmp, path.join(ws, 'up')); // a link to the folder above: also outside
        const started = Date.now();
        const s = await service();
        const elapsed = Date.now() - started;
        // Walking the whole disk takes minutes; two files take milliseconds (generous for a loaded machine).
        assert.ok(elapsed < 10_000, `indexing took ${elapsed} ms`);
        assert.deepStrictEqual(s.workspaceFiles(), [pathToUri(path.join(ws, 'book.xml'))]);
        assert.deepStrictEqual(s.outsideLinks().map((l) => [l.uri, l.target]).sort(), [[pathToUri(path.join(ws, 'root')), '/'], [pathToUri(path.join(ws, 'up')), tmp]]);
    });

    it('reports a text include of /etc/passwd and never reads it', async () => {
        const book = write('ws/book.xml', `<book ${NS}><title>B</title><programlisting><xi:include href="/etc/passwd" parse="text"/></programlisting><programlisting><xi:include href="passwd.txt" parse="text"/></programlisting></book>`);
        fs.symlinkSync('/etc/passwd', path.join(ws, 'passwd.txt'));
        const s = await service();
        const diags = await s.diagnostics(pathToUri(book));
        assert.deepStrictEqual(diags.map((d) => [d.code, d.severity]), [['outside-workspace', 3], ['outside-workspace', 3]]);
        assert.match(String(diags[0].message), /\/etc\/passwd .*not read/);
        for (const f of ['/etc/passwd', path.join(ws, 'passwd.txt')]) {
            assert.deepStrictEqual((await s.readXml(pathToUri(f))).kind, 'outside-workspace', f);
        }
        // The same file inside the workspace is read: the refusal is the boundary, not the file.
        fs.copyFileSync('/etc/passwd', path.join(ws, 'copy.txt'));
        assert.strictEqual((await s.readXml(pathToUri(path.join(ws, 'copy.txt')))).kind, 'text');
    });

    it('does not index a .xml file that is a link out of the workspace', async () => {
        const outside = write('elsewhere/secret.xml', `<chapter ${NS} xml:id="secret"><title>Secret</title></chapter>`);
        fs.symlinkSync(outside, path.join(ws, 'secret.xml'));
        const s = await service();
        assert.strictEqual(s.fileInfo(pathToUri(path.join(ws, 'secret.xml'))), undefined);
        assert.deepStrictEqual(s.outsideLinks().map((l) => l.target), [outside]);
    });

    it('follows a relative include into a sibling folder only when docbook.allowedRoots lists it', async () => {
        const book = write('ws/book.xml', `<book ${NS}><title>B</title><xi:include href="../shared/ch.xml"/><para><xref linkend="shared"/></para></book>`);
        write('shared/ch.xml', `<chapter ${NS} xml:id="shared"><title>Shared</title></chapter>`);
        const denied = await codes(await service(), book);
        assert.ok(denied.includes('outside-workspace') && denied.includes('unresolved-id'), denied.join());
        const allowed = await service({ allowedRoots: [path.join(tmp, 'shared')] });
        assert.deepStrictEqual(await codes(allowed, book), []);
        assert.deepStrictEqual(allowed.filesOfBook(pathToUri(book)).sort(), [pathToUri(book), pathToUri(path.join(tmp, 'shared/ch.xml'))].sort());
        // Relative allowedRoots are relative to the first workspace folder.
        assert.deepStrictEqual(await codes(await service({ allowedRoots: ['../shared'] }), book), []);
    });

    it('follows includes anywhere in the git checkout of an opened book folder, and no further', async () => {
        // An author opens doc/install-guide of openstack-manuals: its ../common files are part of the build.
        fs.mkdirSync(path.join(tmp, 'manuals/.git'), { recursive: true });
        ws = path.join(tmp, 'manuals/doc/install-guide');
        const book = write('manuals/doc/install-guide/bk.xml', `<book ${NS}><title>B</title><xi:include href="../common/ch.xml"/><xi:include href="../../../elsewhere/ch.xml"/><para><xref linkend="common"/><xref linkend="elsewhere"/></para></book>`);
        write('manuals/doc/common/ch.xml', `<chapter ${NS} xml:id="common"><title>Common</title></chapter>`);
        write('elsewhere/ch.xml', `<chapter ${NS} xml:id="elsewhere"><title>Elsewhere</title></chapter>`);
        const s = await service();
        const diags = await s.diagnostics(pathToUri(book));
        assert.deepStrictEqual(diags.map((d) => d.code).sort(), ['outside-workspace', 'unresolved-id']);
        assert.ok(s.filesOfBook(pathToUri(book)).includes(pathToUri(path.join(tmp, 'manuals/doc/common/ch.xml'))));
        assert.match(String(diags.find((d) => d.code === 'unresolved-id')!.message), /elsewhere/);
    });

    it('follows an include into a sibling checkout through docbook.urlMappings', async () => {
        const book = write('ws/book.xml', `<book ${NS}><title>B</title><xi:include href="http://git.example.org/manuals/doc/common/ch.xml"/><para><xref linkend="common"/></para></book>`);
        write('openstack-manuals/doc/common/ch.xml', `<chapter ${NS} xml:id="common"><title>Common</title></chapter>`);
        const s = await service({ urlMappings: { 'http://git.example.org/manuals/doc/': path.join(tmp, 'openstack-manuals/doc/') } });
        assert.deepStrictEqual(await codes(s, book), []);
        assert.ok(s.filesOfBook(pathToUri(book)).includes(pathToUri(path.join(tmp, 'openstack-manuals/doc/common/ch.xml'))));
    });

    it('docbook-check reports a link to / in a checked folder and finishes', () => {
        write('ws/book.xml', `<book ${NS}><title>B</title></book>`);
        fs.symlinkSync('/', path.join(ws, 'root'));
        const r = spawnSync(process.execPath, [BIN, '--format', 'json', 'ws'], { cwd: tmp, encoding: 'utf8', timeout: 60_000 });
        assert.strictEqual(r.status, 0, r.stderr);
        const found = JSON.parse(r.stdout).diagnostics.map((d: { file: string; code: string; severity: string }) => [d.file, d.code, d.severity]);
        assert.deepStrictEqual(found, [[path.join('ws', 'root'), 'outside-workspace', 'information']]);
    });
});
