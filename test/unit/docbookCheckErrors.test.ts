// docbook-check on paths that are not what they seem (extends docbookCheck.test.ts, which covers a
// missing path, a folder without DocBook, a non-XML name, a binary file and a file without read
// permission): fifos and devices, dangling and looping links, a path through a file, empty and
// huge files, unknown encodings, a file whose read fails after it opened (EIO), an unreadable
// folder, odd settings files. Each: one clear line, the right exit code, never a stack trace, never a hang.

import * as assert from 'assert';
import { execFileSync, spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertOneUsageLine } from '../helpers';
import { NS } from '../fixtures';

const BIN = path.resolve(__dirname, '../../../bin/docbook-check.js');

interface Run { status: number | null; stdout: string; stderr: string }

function run(args: string[], cwd: string, options: SpawnSyncOptions = {}): Run {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000, ...options });
    // A timeout is a hang: the worst answer of all.
    assert.ok(!r.error, `docbook-check ${args.join(' ')}: ${r.error?.message ?? ''}`);
    return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function asNobody(): SpawnSyncOptions {
    return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
}

describe('docbook-check: paths that are not what they seem', function () {
    this.timeout(120_000);
    let tmp: string;
    const chapter = `<chapter ${NS} xml:id="c"><title>C</title><para>Text.</para></chapter>\n`;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-check-errors-'));
        fs.mkdirSync(path.join(tmp, 'book'));
        fs.writeFileSync(path.join(tmp, 'book', 'ch.xml'), chapter);
    });
    after(() => {
        spawnSync('chmod', ['-R', 'u+rwX', tmp]);
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('a fifo or a device named .xml, as PATH or --book: "not a regular file", no hang', function () {
        fs.symlinkSync('/dev/zero', path.join(tmp, 'zero.xml'));
        assertOneUsageLine(run(['zero.xml'], tmp), /^docbook-check: zero\.xml: not a regular file \(a device\)$/);
        assertOneUsageLine(run(['--book', 'zero.xml', 'book'], tmp), /zero\.xml: not a regular file \(a device\)$/);
        try {
            execFileSync('mkfifo', [path.join(tmp, 'pipe.xml')]);
        } catch {
            this.skip(); // no mkfifo here: the device case above stands
        }
        assertOneUsageLine(run(['pipe.xml'], tmp), /^docbook-check: pipe\.xml: not a regular file \(a fifo\)$/);
        assertOneUsageLine(run(['--book', 'pipe.xml', 'book'], tmp), /pipe\.xml: not a regular file \(a fifo\)$/);
    });

    it('a dangling link, a link loop and a path through a file: what is wrong with the path', () => {
        fs.symlinkSync(path.join(tmp, 'gone.xml'), path.join(tmp, 'dangling.xml'));
        fs.symlinkSync(path.join(tmp, 'loop.xml'), path.join(tmp, 'loop.xml'));
        fs.writeFileSync(path.join(tmp, 'plain'), 'x');
        assertOneUsageLine(run(['dangling.xml'], tmp), /^docbook-check: dangling\.xml: no such file or folder$/);
        assertOneUsageLine(run(['loop.xml'], tmp), /^docbook-check: loop\.xml: too many levels of symbolic links$/);
        assertOneUsageLine(run(['plain/ch.xml'], tmp), /^docbook-check: plain\/ch\.xml: a part of the path is not a folder$/);
    });

    it('an empty file, text that is not XML, an unknown encoding, a 50 MB file: why it cannot be checked', () => {
        fs.writeFileSync(path.join(tmp, 'empty.xml'), '');
        fs.writeFileSync(path.join(tmp, 'prose.xml'), 'Just some words, no markup.\n');
        fs.writeFileSync(path.join(tmp, 'klingon.xml'), `<?xml version="1.0" encoding="x-klingon"?>\n${chapter}`);
        fs.writeFileSync(path.join(tmp, 'big.xml'), `<chapter ${NS}><para>${'x'.repeat(50 * 1024 * 1024)}</para></chapter>`);
        assertOneUsageLine(run(['empty.xml'], tmp), /^docbook-check: empty\.xml: not XML: no root element$/);
        assertOneUsageLine(run(['prose.xml'], tmp), /^docbook-check: prose\.xml: not XML: no root element$/);
        assertOneUsageLine(run(['klingon.xml'], tmp), /^docbook-check: klingon\.xml: not XML: Unsupported encoding "x-klingon"/);
        assertOneUsageLine(run(['big.xml'], tmp), /^docbook-check: big\.xml: too large to check: File is 50\.0 MB, over the 16 MB limit/);
    });

    it('a file that opens but cannot be read (EIO): one line alone, an unreadable-file error in a folder', function () {
        // /proc/self/mem opens for its own process and fails at the first read: a read error even for root.
        if (!fs.existsSync('/proc/self/mem')) this.skip();
        const dir = path.join(tmp, 'eio');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'ch.xml'), chapter);
        fs.symlinkSync('/proc/self/mem', path.join(dir, 'mem.xml'));
        assertOneUsageLine(run(['eio/mem.xml'], tmp), /^docbook-check: eio\/mem\.xml: cannot be read: input\/output error$/);
        // In a folder, a link out of it is not followed (the workspace boundary) unless allowedRoots lets it.
        const outside = run(['eio'], tmp);
        assert.strictEqual(outside.status, 0, outside.stderr);
        assert.match(outside.stdout, /^eio\/mem\.xml:1:1: information outside-workspace mem\.xml links to \/proc\/\d+\/mem/m);
        fs.writeFileSync(path.join(dir, '.docbook.json'), JSON.stringify({ allowedRoots: ['/proc'] }));
        const r = run(['eio'], tmp);
        assert.strictEqual(r.status, 1, r.stderr);
        assert.ok(r.stdout.split('\n').includes('eio/mem.xml:1:1: error unreadable-file mem.xml cannot be read: input/output error'), r.stdout);
        assert.match(r.stdout, /^1 error, 0 warnings, 0 information in 2 files/m);
    });

    it('a binary file is an unreadable-file error; XML with a NUL in it is not-well-formed', () => {
        const dir = path.join(tmp, 'junk');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'a.xml'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0]));
        fs.writeFileSync(path.join(dir, 'b.xml'), Buffer.from('<a>\u0000</a>', 'latin1'));
        const r = run(['junk'], tmp);
        assert.strictEqual(r.status, 1, r.stdout + r.stderr);
        const lines = r.stdout.split('\n');
        assert.ok(lines.some((l) => l.startsWith('junk/a.xml:1:1: error unreadable-file ')), r.stdout);
        assert.ok(lines.some((l) => l.startsWith('junk/b.xml:1:4: error not-well-formed U+0000 (NUL) is not allowed in XML')), r.stdout);
    });

    it('a folder that cannot be read: "permission denied" when named; a warning line and the rest checked when inside', function () {
        const dir = path.join(tmp, 'locked');
        fs.mkdirSync(path.join(dir, 'inner'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'ch.xml'), chapter);
        fs.writeFileSync(path.join(dir, 'inner', 'ch2.xml'), chapter.replace('xml:id="c"', 'xml:id="c2"'));
        spawnSync('chmod', ['-R', 'a+rX', tmp]);
        fs.chmodSync(tmp, 0o755);
        fs.chmodSync(path.join(dir, 'inner'), 0o000);
        // As root permissions do not bite: run as "nobody"; skip only if even that cannot be arranged.
        if (spawnSync('ls', [path.join(dir, 'inner')], asNobody()).status === 0) this.skip();
        assertOneUsageLine(run(['locked/inner'], tmp, asNobody()), /^docbook-check: locked\/inner: permission denied$/);
        const r = run(['locked'], tmp, asNobody());
        assert.strictEqual(r.status, 0, r.stderr);
        assert.deepStrictEqual(r.stderr.trimEnd().split('\n'), [`docbook-check: warning: cannot read folder ${path.join(dir, 'inner')}: permission denied`]);
        assert.match(r.stdout, /^0 errors, 0 warnings, 0 information in 1 file/m);
        fs.chmodSync(path.join(dir, 'inner'), 0o755);
    });

    it('settings that are a folder, a device, a fifo or not JSON: one line each', function () {
        fs.mkdirSync(path.join(tmp, 'settings-dir'));
        assertOneUsageLine(run(['--config', 'settings-dir', 'book'], tmp), /cannot read the settings file settings-dir: it is a folder$/);
        assertOneUsageLine(run(['--config', '/dev/zero', 'book'], tmp), /cannot read the settings file \/dev\/zero: not a regular file \(a device\)$/);
        fs.writeFileSync(path.join(tmp, 'bad.json'), '{ "exclude": [');
        assertOneUsageLine(run(['--config', 'bad.json', 'book'], tmp), /bad\.json is not valid JSON/);
        try {
            execFileSync('mkfifo', [path.join(tmp, 'settings-pipe')]);
        } catch {
            return;
        }
        assertOneUsageLine(run(['--config', 'settings-pipe', 'book'], tmp), /cannot read the settings file settings-pipe: not a regular file \(a fifo\)$/);
    });

    it('a file the settings exclude, named alone: says so', () => {
        const dir = path.join(tmp, 'excl');
        fs.mkdirSync(path.join(dir, 'drafts'), { recursive: true });
        fs.writeFileSync(path.join(dir, '.docbook.json'), JSON.stringify({ exclude: ['drafts/**'] }));
        fs.writeFileSync(path.join(dir, 'ch.xml'), chapter);
        fs.writeFileSync(path.join(dir, 'drafts', 'draft.xml'), chapter.replace('xml:id="c"', 'xml:id="d"'));
        assertOneUsageLine(run(['excl/drafts/draft.xml'], tmp), /^docbook-check: excl\/drafts\/draft\.xml: excluded by the settings \("exclude"\)$/);
    });
});
