import * as assert from 'assert';
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { provideDiagnostics, DIAGNOSTIC_CODES } from '../../server/src/features/diagnostics';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { assertOneUsageLine, CORPUS, contextOf, listXml, requireCorpus } from '../helpers';
import { NS } from '../fixtures';

const BIN = path.resolve(__dirname, '../../../bin/docbook-check.js');
const SUMMARY = /^\d+ errors?, \d+ warnings?, \d+ information in \d+ files? \(\d+ ms\)$/;
const TEXT_LINE = /^([^:\s][^:]*):(\d+):(\d+): (error|warning|information|hint) ([a-z-]+) (.+)$/;

interface Run { status: number | null; stdout: string; stderr: string }

function run(args: string[], cwd: string, options: SpawnSyncOptions = {}): Run {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000, ...options });
    if (r.error) throw r.error;
    return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function json(r: Run): JsonReport {
    return JSON.parse(r.stdout) as JsonReport;
}

interface JsonDiagnostic { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string }
interface JsonReport {
    version: number;
    files: number;
    diagnostics: JsonDiagnostic[];
    summary: { errors: number; warnings: number; information: number; hints: number };
}

/** Running as root, permissions do not bite: run the checker as "nobody" instead. */
function asUnprivileged(): SpawnSyncOptions {
    return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
}

describe('docbook-check (the bin, as a child process)', function () {
    this.timeout(120_000);
    let tmp: string;

    before(function () {
        requireCorpus(this);
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-check-'));
        for (const tree of ['security-guide-2014', 'ha-guide', 'training-guides']) fs.cpSync(path.join(CORPUS, tree), path.join(tmp, tree), { recursive: true });
    });

    after(() => {
        if (tmp) {
            for (const f of listXml(tmp)) fs.chmodSync(f, 0o644);
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    function fresh(name: string): string {
        const dir = path.join(tmp, name);
        fs.mkdirSync(dir, { recursive: true });
        return dir;
    }

    it('--help prints usage and exits 0', () => {
        const r = run(['--help'], tmp);
        assert.strictEqual(r.status, 0);
        assert.match(r.stdout, /^Usage: docbook-check \[options\] \[PATH \.\.\.\]/);
        assert.match(r.stdout, /--format text\|json\|sarif/);
    });

    it('text: file:line:col: severity code message, paths relative to the current folder, then a summary; exit 1 on errors', () => {
        const r = run(['security-guide-2014'], tmp);
        assert.strictEqual(r.status, 1, r.stderr);
        const lines = r.stdout.trimEnd().split('\n');
        const summary = lines.pop()!;
        assert.match(summary, SUMMARY);
        const counts: Record<string, number> = { error: 0, warning: 0, information: 0, hint: 0 };
        for (const line of lines) {
            const m = TEXT_LINE.exec(line);
            assert.ok(m, `not file:line:col: severity code message: ${line}`);
            assert.ok(m[1].startsWith('security-guide-2014/'), `relative path: ${m[1]}`);
            assert.ok(fs.existsSync(path.join(tmp, m[1])), m[1]);
            assert.ok(DIAGNOSTIC_CODES[m[5]], m[5]);
            counts[m[4]]++;
        }
        const [errors, warnings, information] = summary.match(/\d+/g)!.map(Number);
        assert.deepStrictEqual([errors, warnings, information], [counts.error, counts.warning, counts.information]);
        assert.ok(errors > 0);

        // From inside the tree, the same problems with paths relative to there.
        const inner = run(['.'], path.join(tmp, 'security-guide-2014', 'security-guide'));
        const innerLines = inner.stdout.trimEnd().split('\n').slice(0, -1);
        assert.strictEqual(innerLines.length, lines.length);
        assert.ok(innerLines.every((l) => !l.startsWith('security-guide-2014/') && !l.startsWith('/')), innerLines[0]);
    });

    it('json: version 1, 1-based positions, the same findings as the engine in-process', async () => {
        const r = run(['--format', 'json', 'security-guide-2014'], tmp);
        assert.strictEqual(r.status, 1);
        const report = json(r);
        assert.strictEqual(report.version, 1);
        assert.strictEqual(report.files, listXml(path.join(tmp, 'security-guide-2014')).length);
        for (const d of report.diagnostics) {
            assert.deepStrictEqual(Object.keys(d).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
            assert.ok(d.line >= 1 && d.column >= 1 && (d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column)));
        }
        const bySeverity = (s: string): number => report.diagnostics.filter((d) => d.severity === s).length;
        assert.deepStrictEqual(report.summary, { errors: bySeverity('error'), warnings: bySeverity('warning'), information: bySeverity('information'), hints: bySeverity('hint') });

        const index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
        await index.addFolder(path.join(tmp, 'security-guide-2014'));
        const expected: string[] = [];
        for (const f of index.allFiles()) {
            for (const d of provideDiagnostics(contextOf(index), { file: f.path })) expected.push(`${path.relative(tmp, f.path)}:${d.range.start.line + 1}:${d.range.start.character + 1}:${String(d.code)}`);
        }
        assert.deepStrictEqual(report.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}:${d.code}`).sort(), expected.sort());
    });

    it('json columns count UTF-16 code units', () => {
        const dir = fresh('utf16');
        const line = '<para>😀 é <xref linkend="nowhere"/></para>';
        fs.writeFileSync(path.join(dir, 'bk.xml'), `<book ${NS}><title>B</title><chapter><title>C</title>\n${line}\n</chapter></book>\n`);
        const [d] = json(run(['--format', 'json', 'utf16'], tmp)).diagnostics;
        assert.strictEqual(d.code, 'unresolved-id');
        assert.strictEqual(d.line, 2);
        assert.strictEqual(d.column, line.indexOf('nowhere') + 1);
        assert.strictEqual(d.endColumn, line.indexOf('nowhere') + 'nowhere'.length + 1);
    });

    it('sarif: SARIF 2.1.0 with rules, levels and locations relative to the source root', () => {
        const r = run(['--format', 'sarif', 'security-guide-2014'], tmp);
        assert.strictEqual(r.status, 1);
        const sarif = JSON.parse(r.stdout);
        const jsonReport = json(run(['--format', 'json', 'security-guide-2014'], tmp));
        assert.strictEqual(sarif.version, '2.1.0');
        assert.match(sarif.$schema, /sarif-2\.1\.0/);
        const runObj = sarif.runs[0];
        assert.strictEqual(runObj.tool.driver.name, 'docbook-check');
        assert.deepStrictEqual(runObj.tool.driver.rules.map((rule: { id: string }) => rule.id), Object.keys(DIAGNOSTIC_CODES));
        assert.strictEqual(runObj.originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(tmp + path.sep).href);
        assert.strictEqual(runObj.columnKind, 'utf16CodeUnits');
        assert.strictEqual(runObj.results.length, jsonReport.diagnostics.length);
        const levels: Record<string, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
        runObj.results.forEach((res: {
            ruleId: string;
            ruleIndex: number;
            level: string;
            message: { text: string };
            locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }[];
        }, i: number) => {
            const j = jsonReport.diagnostics[i];
            assert.strictEqual(res.ruleId, j.code);
            assert.strictEqual(runObj.tool.driver.rules[res.ruleIndex].id, res.ruleId);
            assert.strictEqual(res.level, levels[j.severity]);
            assert.strictEqual(res.message.text, j.message);
            const loc = res.locations[0].physicalLocation;
            assert.strictEqual(decodeURIComponent(loc.artifactLocation.uri), j.file);
            assert.strictEqual(loc.artifactLocation.uriBaseId, '%SRCROOT%');
            assert.deepStrictEqual([loc.region.startLine, loc.region.startColumn], [j.line, j.column]);
        });
    });

    it('exit 0 with warnings, 1 with --strict; information never fails', () => {
        const dir = fresh('warn-only');
        fs.writeFileSync(path.join(dir, 'bk.xml'), `<book ${NS}><title>B</title><chapter><title>C</title><para><inlinemediaobject><imageobject><imagedata fileref="gone.png"/></imageobject></inlinemediaobject></para></chapter><xi:include href="http://example.org/remote.xml"/></book>\n`);
        const plain = run(['warn-only'], tmp);
        assert.strictEqual(plain.status, 0, plain.stdout);
        assert.match(plain.stdout, /warn-only\/bk\.xml:1:\d+: warning missing-image /);
        assert.strictEqual(run(['--strict', 'warn-only'], tmp).status, 1);

        fs.writeFileSync(path.join(dir, 'bk.xml'), `<book ${NS}><title>B</title><chapter><title>C</title><para/></chapter><xi:include href="http://example.org/remote.xml"/></book>\n`);
        const info = run(['--strict', 'warn-only'], tmp);
        assert.strictEqual(info.status, 0);
        assert.match(info.stdout, /information remote-include/);
    });

    it('exit 0 on a clean book (ha-guide has only remote includes, as information)', () => {
        const r = run(['--format', 'json', 'ha-guide'], tmp);
        assert.strictEqual(r.status, 0, r.stdout.slice(0, 500));
        const report = json(r);
        assert.ok(report.diagnostics.length > 0);
        assert.ok(report.diagnostics.every((d) => d.severity === 'information'));
    });

    it('bad usage is exit 2 with one line', () => {
        assertOneUsageLine(run(['--bogus'], tmp), /unknown option --bogus/);
        assertOneUsageLine(run(['--format', 'xml', 'ha-guide'], tmp), /unknown format "xml"/);
        assertOneUsageLine(run(['--book'], tmp), /--book needs a value/);
        assertOneUsageLine(run(['--format'], tmp), /--format needs a value/);
    });

    it('a path that does not exist is exit 2 with one line', () => {
        assertOneUsageLine(run(['no-such-folder'], tmp), /no-such-folder: no such file or folder/);
    });

    it('a folder without XML, or a file that is not XML, is exit 2 with one line; XML that is not DocBook is checked for well-formedness', () => {
        const empty = fresh('empty');
        assertOneUsageLine(run([empty], tmp), /no \.xml files/);
        const maven = fresh('maven');
        fs.writeFileSync(path.join(maven, 'pom.xml'), '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion></project>\n');
        const clean = run(['maven'], tmp);
        assert.strictEqual(clean.status, 0, clean.stdout + clean.stderr);
        assert.match(clean.stdout, /^0 errors, 0 warnings, 0 information in 1 file/m);
        // The gate parsed every .xml file: a broken WADL breaks the build as a broken chapter does.
        fs.writeFileSync(path.join(maven, 'api.wadl.xml'), '<application>\n<!-- run nova --debug -->\n</application>\n');
        const broken = run(['maven'], tmp);
        assert.strictEqual(broken.status, 1, broken.stdout);
        assert.ok(broken.stdout.split('\n').some((l) => l.startsWith("maven/api.wadl.xml:2:15: error not-well-formed '--' is not allowed inside a comment")), broken.stdout);
        fs.rmSync(path.join(maven, 'api.wadl.xml'));
        fs.writeFileSync(path.join(maven, 'README.md'), '# not xml\n');
        assertOneUsageLine(run(['maven/README.md'], tmp), /not an XML file/);
    });

    it('a binary file named .xml: an unreadable-file error in a folder, exit 2 when named alone', () => {
        const dir = fresh('binary');
        fs.cpSync(path.join(tmp, 'ha-guide'), path.join(dir, 'ha-guide'), { recursive: true });
        const junk = path.join(dir, 'ha-guide', 'doc', 'figure.xml');
        fs.writeFileSync(junk, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
        const r = run(['binary'], tmp);
        assert.strictEqual(r.status, 1);
        assert.match(r.stdout, /^binary\/ha-guide\/doc\/figure\.xml:1:1: error unreadable-file figure\.xml cannot be read as XML: Binary file/m);
        assertOneUsageLine(run(['binary/ha-guide/doc/figure.xml'], tmp), /figure\.xml: not XML: Binary file/);
    });

    it('a file without read permission: unreadable-file in a folder (not a missing include), exit 2 when named alone', function () {
        const dir = fresh('noperm');
        fs.cpSync(path.join(tmp, 'ha-guide'), path.join(dir, 'ha-guide'), { recursive: true });
        const locked = listXml(path.join(dir, 'ha-guide')).find((f) => path.basename(f) === 'ch_api.xml')!;
        assert.ok(locked);
        // "nobody" must be able to walk the copy, but not read the one file.
        for (let p = dir; p.startsWith(tmp); p = path.dirname(p)) fs.chmodSync(p, 0o755);
        fs.chmodSync(tmp, 0o755);
        spawnSync('chmod', ['-R', 'a+rX', dir]);
        fs.chmodSync(locked, 0o000);
        const probe = spawnSync('cat', [locked], asUnprivileged());
        if (probe.status === 0) this.skip(); // permissions cannot be made to bite here

        const r = run(['noperm'], tmp, asUnprivileged());
        assert.strictEqual(r.status, 1, r.stderr);
        const rel = path.relative(tmp, locked).split(path.sep).join('/');
        assert.ok(r.stdout.split('\n').includes(`${rel}:1:1: error unreadable-file ch_api.xml cannot be read: permission denied`), r.stdout);
        assert.doesNotMatch(r.stdout, /ch_api\.xml does not exist/);
        assert.match(r.stdout, /missing-include Included file ch_api\.xml cannot be read/);
        assertOneUsageLine(run([rel], tmp, asUnprivileged()), /ch_api\.xml: permission denied/);
    });

    it('a single file PATH is checked in the context of its books, and only it is reported', () => {
        const chapterDir = path.join(tmp, 'security-guide-2014/security-guide');
        const ids = new Map<string, string>();
        for (const f of listXml(chapterDir)) for (const m of fs.readFileSync(f, 'utf8').matchAll(/xml:id="([^"]+)"/g)) ids.set(m[1], f);
        // A chapter whose linkend points into another file: alone, it would look unresolved.
        const linking = listXml(chapterDir).find((f) => [...fs.readFileSync(f, 'utf8').matchAll(/linkend="([^"]+)"/g)].some((m) => ids.has(m[1]) && ids.get(m[1]) !== f))!;
        assert.ok(linking, 'a chapter linking to another file');
        const rel = path.relative(tmp, linking).split(path.sep).join('/');
        const report = json(run(['--format', 'json', rel], tmp));
        assert.strictEqual(report.files, 1);
        assert.ok(report.diagnostics.every((d) => d.file === rel));
        assert.deepStrictEqual(report.diagnostics.filter((d) => d.code === 'unresolved-id'), []);

        const entities = 'security-guide-2014/security-guide/ch013_node-bootstrapping.xml';
        const uses = (fs.readFileSync(path.join(tmp, entities), 'utf8').match(/&mdash;/g) ?? []).length;
        const r = run([entities], tmp);
        assert.strictEqual(r.status, 1);
        const lines = r.stdout.trimEnd().split('\n').slice(0, -1);
        assert.strictEqual(lines.filter((l) => l.startsWith(`${entities}:`) && l.includes(' error undefined-entity ')).length, uses);
        assert.ok(lines.every((l) => l.startsWith(`${entities}:`)), r.stdout);
    });

    it('--book FILE checks only the files of that book', async () => {
        const bookFile = path.join(tmp, 'training-guides/doc/training-guides/associate-guide/bk_associate-training-guide.xml');
        const r = run(['--format', 'json', '--book', path.relative(tmp, bookFile), 'training-guides'], tmp);
        const report = json(r);
        const index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
        await index.addFolder(path.join(tmp, 'training-guides'));
        const inBook = new Set([...index.filesOfBook(bookFile).keys()].filter((f) => index.get(f)?.folder !== undefined).map((f) => path.relative(tmp, f)));
        assert.ok(inBook.size > 5 && inBook.size < index.fileCount);
        assert.strictEqual(report.files, inBook.size);
        assert.ok(report.diagnostics.length > 0);
        for (const d of report.diagnostics) assert.ok(inBook.has(d.file), `${d.file} is not in the book`);
        assertOneUsageLine(run(['--book', 'training-guides/doc/training-guides/associate-guide/ch_associate-getting-started.xml', 'training-guides'], tmp), /not a book \(its root is <chapter>/);
    });

    it('reads .docbook.json from the first PATH, or --config FILE; a broken one is exit 2', () => {
        const dir = fresh('configured');
        fs.writeFileSync(path.join(dir, 'bk.xml'), `<book ${NS}><title>B</title><chapter><title>C</title><para/></chapter><xi:include href="http://example.org/remote.xml"/></book>\n`);
        assert.match(run(['configured'], tmp).stdout, /remote-include/);
        fs.writeFileSync(path.join(dir, '.docbook.json'), JSON.stringify({ diagnostics: { 'remote-include': false } }));
        assert.doesNotMatch(run(['configured'], tmp).stdout, /remote-include/);
        const other = path.join(tmp, 'other-config.json');
        fs.writeFileSync(other, JSON.stringify({ diagnostics: { 'remote-include': 'error' } }));
        const r = run(['--config', 'other-config.json', 'configured'], tmp);
        assert.strictEqual(r.status, 1);
        assert.match(r.stdout, /: error remote-include /);
        fs.writeFileSync(other, '{ "diagnostics": ');
        assertOneUsageLine(run(['--config', 'other-config.json', 'configured'], tmp), /other-config\.json is not valid JSON/);
        assertOneUsageLine(run(['--config', 'missing-config.json', 'configured'], tmp), /cannot read the settings file missing-config\.json/);
    });

    it('places a renamed-folder entity path exactly, as the editor does', () => {
        const dir = fresh('entities');
        const text = `<?xml version="1.0"?>\n<!DOCTYPE chapter [\n<!ENTITY % openstack SYSTEM "../openstack-user/openstack.ent">\n%openstack;\n]>\n<chapter ${NS}><title>C</title><para>x</para></chapter>\n`;
        fs.writeFileSync(path.join(dir, 'ch.xml'), text);
        const [d] = json(run(['--format', 'json', 'entities'], tmp)).diagnostics;
        assert.strictEqual(d.code, 'renamed-folder');
        assert.deepStrictEqual([d.line, d.column], [3, text.split('\n')[2].indexOf('openstack-user') + 1]);
    });

    it('stops quietly when the reader of its output goes away', () => {
        const r = spawnSync('bash', ['-c', `node "${BIN}" --format json training-guides | head -c 10 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], { cwd: tmp, encoding: 'utf8' });
        assert.doesNotMatch(r.stderr, /EPIPE|Error/);
        assert.match(r.stdout, /status=[01]/);
    });
});
