// The persistent index cache (server/src/index/modelCache.ts): a cached model equals a fresh one,
// a changed file or entity file is never served stale, and a cache that is corrupt, truncated,
// from other code, of the wrong shape or written by two processes at once is ignored and rebuilt,
// never trusted and never a crash.

import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { pathToUri } from '../../server/src/core/uri';
import { STEP_BYTES } from '../../server/src/index/modelCache';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { CORPUS, indexBehind, listXml, requireCorpus } from '../helpers';
import { LspClient } from '../lsp/lspClient';

const BIN = path.resolve(__dirname, '../../../bin/docbook-check.js');
const TREES = ['training-guides', 'security-guide-2014', 'ha-guide'];
/** The bins with the cache on, also when the suite runs with it off (run-tests.mjs --no-cache). */
const CACHE_ON: NodeJS.ProcessEnv = { ...process.env, DOCBOOK_OPENSTACK_NO_CACHE: '' };

interface Indexed { service: DocbookLanguageService; diagnostics: Map<string, unknown> }

/** A service over `folders`, with the cache in `cacheDir` (undefined: off), and every file's diagnostics. */
async function indexWith(folders: string[], cacheDir: string | undefined): Promise<Indexed> {
    const service = new DocbookLanguageService(new NodeWorkspace());
    service.useCache(cacheDir);
    await service.initialize(folders, defaultSettings());
    service.saveCache();
    const diagnostics = new Map<string, unknown>();
    for (const { uri, diagnostics: d } of await service.diagnosticsOfFiles(service.workspaceFiles())) diagnostics.set(uri, d);
    // Again, as the server does after publishing: the schema checks those diagnostics did are kept too.
    service.saveCache();
    return { service, diagnostics };
}

/** Every file's model, as the index holds it. */
function models(service: DocbookLanguageService): Map<string, unknown> {
    return new Map([...indexBehind(service).allFiles()].map((f) => [f.path, f.model]));
}

function cacheFiles(dir: string): string[] {
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.bin')).map((n) => path.join(dir, n)) : [];
}

describe('persistent index cache', function () {
    this.timeout(180_000);
    let tmp: string;

    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-cache-test-'));
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('gives every file of the corpus the same model and the same diagnostics as no cache, from the first run and from the cache', async function () {
        requireCorpus(this);
        const folders = TREES.map((t) => path.join(CORPUS, t));
        const cacheDir = path.join(tmp, 'cache');
        const fresh = await indexWith(folders, undefined);
        const first = await indexWith(folders, cacheDir);
        const second = await indexWith(folders, cacheDir);
        const files = fresh.service.stats().files;
        assert.ok(files > 250, `the corpus is indexed (${files} files)`);
        assert.strictEqual(first.service.cacheStats?.hits, 0, 'an empty cache serves nothing');
        assert.strictEqual(second.service.cacheStats?.misses, 0, 'a second run parses nothing');
        assert.strictEqual(second.service.cacheStats?.hits, first.service.cacheStats?.misses, 'every model built once is served once');
        assert.strictEqual(first.service.cacheStats?.schemaHits, 0);
        assert.ok(first.service.cacheStats!.schemaStored > 100, `the schema checks are stored (${first.service.cacheStats?.schemaStored})`);
        assert.strictEqual(second.service.cacheStats?.schemaHits, first.service.cacheStats?.schemaStored, 'a second run checks no file against the schema again');
        assert.strictEqual(second.service.cacheStats?.schemaStored, 0);
        assert.deepStrictEqual(models(second.service), models(fresh.service));
        assert.deepStrictEqual(second.diagnostics, fresh.diagnostics);
        assert.deepStrictEqual(first.diagnostics, fresh.diagnostics);
        assert.deepStrictEqual(second.service.stats(), fresh.service.stats());
        // Nothing is written in the workspace: the only file written is the cache.
        assert.deepStrictEqual(fs.readdirSync(cacheDir).length, 1);
    });

    it('never serves a model for changed text, even of the same length and modification time', async () => {
        const dir = path.join(tmp, 'ws');
        fs.mkdirSync(dir);
        const chapter = path.join(dir, 'ch.xml');
        const write = (id: string): void => {
            fs.writeFileSync(chapter, `<chapter xmlns="http://docbook.org/ns/docbook" xml:id="${id}"><title>T</title><para><xref linkend="abc"/></para></chapter>\n`);
            fs.utimesSync(chapter, new Date(2020, 0, 1), new Date(2020, 0, 1));
        };
        write('abc');
        const cacheDir = path.join(tmp, 'cache');
        const before = await indexWith([dir], cacheDir);
        assert.deepStrictEqual(before.diagnostics.get(pathToUri(chapter)), []);
        write('abd'); // same size, same mtime: a git checkout can do this
        const after = await indexWith([dir], cacheDir);
        assert.strictEqual(after.service.cacheStats?.hits, 0);
        const codes = (after.diagnostics.get(pathToUri(chapter)) as { code: string }[]).map((d) => d.code);
        assert.deepStrictEqual(codes, ['unresolved-id']);
    });

    it('rebuilds a model whose entity file changed', async () => {
        const dir = path.join(tmp, 'ws');
        fs.mkdirSync(dir);
        const ent = path.join(dir, 'names.ent');
        const chapter = path.join(dir, 'ch.xml');
        fs.writeFileSync(chapter, '<?xml version="1.0"?>\n<!DOCTYPE chapter [ <!ENTITY % names SYSTEM "names.ent"> %names; ]>\n'
            + '<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c"><title>About &product;</title><para>&product;</para></chapter>\n');
        fs.writeFileSync(ent, '<!ENTITY product "Nova">');
        const cacheDir = path.join(tmp, 'cache');
        const first = await indexWith([dir], cacheDir);
        assert.strictEqual(indexBehind(first.service).get(chapter)?.model.title, 'About Nova');
        fs.writeFileSync(ent, '<!ENTITY product "Swift">');
        const second = await indexWith([dir], cacheDir);
        assert.strictEqual(indexBehind(second.service).get(chapter)?.model.title, 'About Swift');
        fs.writeFileSync(ent, '<!-- gone -->');
        const third = await indexWith([dir], cacheDir);
        const codes = (third.diagnostics.get(pathToUri(chapter)) as { code: string }[]).map((d) => d.code);
        assert.ok(codes.includes('undefined-entity'), `an entity gone from the entity file is reported (${codes.join(', ')})`);
    });

    it('checks a file against its xml-model schema again each run: the schema file can change when the text does not', async () => {
        const dir = path.join(tmp, 'ws');
        fs.mkdirSync(dir);
        const rng = path.join(dir, 'tiny.rng');
        const chapter = path.join(dir, 'ch.xml');
        const grammar = (content: string): string => '<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://docbook.org/ns/docbook">'
            + `<start><element name="chapter">${content}</element></start></grammar>`;
        fs.writeFileSync(rng, grammar('<empty/>'));
        fs.writeFileSync(chapter, '<?xml-model href="tiny.rng"?>\n<chapter xmlns="http://docbook.org/ns/docbook"><title>T</title></chapter>\n');
        const cacheDir = path.join(tmp, 'cache');
        const schemaCodes = (run: Indexed): string[] => (run.diagnostics.get(pathToUri(chapter)) as { code: string }[]).map((d) => d.code).filter((c) => c === 'schema');
        const first = await indexWith([dir], cacheDir);
        assert.deepStrictEqual(schemaCodes(first), ['schema'], 'tiny.rng allows no title');
        fs.writeFileSync(rng, grammar('<element name="title"><text/></element>'));
        fs.utimesSync(rng, new Date(2021, 0, 1), new Date(2021, 0, 1));
        const second = await indexWith([dir], cacheDir);
        assert.strictEqual(second.service.cacheStats?.hits, 1, 'the model is served from the cache');
        assert.strictEqual(second.service.cacheStats?.schemaHits, 0, 'the schema check is not');
        assert.deepStrictEqual(schemaCodes(second), [], 'tiny.rng now allows the title');
    });

    it('keeps the built-in schema\'s verdict only for the text it was found in', async () => {
        const dir = path.join(tmp, 'ws');
        fs.mkdirSync(dir);
        const chapter = path.join(dir, 'ch.xml');
        // Same length, same modification time: only the text tells the two apart.
        const write = (element: string): void => {
            fs.writeFileSync(chapter, `<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c"><title>T</title><${element}>x</${element}></chapter>\n`);
            fs.utimesSync(chapter, new Date(2020, 0, 1), new Date(2020, 0, 1));
        };
        write('para');
        const cacheDir = path.join(tmp, 'cache');
        const schemaCodes = (run: Indexed): string[] => (run.diagnostics.get(pathToUri(chapter)) as { code: string }[]).map((d) => d.code).filter((c) => c === 'schema');
        assert.deepStrictEqual(schemaCodes(await indexWith([dir], cacheDir)), []);
        const again = await indexWith([dir], cacheDir);
        assert.strictEqual(again.service.cacheStats?.schemaHits, 1);
        write('pora');
        const changed = await indexWith([dir], cacheDir);
        assert.strictEqual(changed.service.cacheStats?.schemaHits, 0);
        assert.deepStrictEqual(schemaCodes(changed), ['schema'], 'an element the schema does not know is reported');
    });

    it('keeps one cache per workspace: a run reads only its own models', async () => {
        const cacheDir = path.join(tmp, 'cache');
        const folders = ['a', 'b'].map((name, n) => {
            const dir = path.join(tmp, name);
            fs.mkdirSync(dir);
            for (let i = 0; i <= n * 5; i++) fs.writeFileSync(path.join(dir, `ch${i}.xml`), `<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c${i}"><title>C</title></chapter>`);
            return dir;
        });
        for (const f of folders) await indexWith([f], cacheDir);
        assert.strictEqual(cacheFiles(cacheDir).length, 2);
        const again = await indexWith([folders[0]], cacheDir);
        assert.strictEqual(again.service.cacheStats?.loaded, 1, 'the one model of the first workspace, none of the second');
        assert.strictEqual(again.service.cacheStats?.hits, 1);
    });

    describe('a damaged cache is ignored and rebuilt, never trusted', () => {
        let ws: string;
        let cacheDir: string;
        let reference: Indexed;
        let cacheFile: string;

        beforeEach(async () => {
            ws = path.join(tmp, 'ws');
            fs.mkdirSync(ws);
            for (let i = 0; i < 20; i++) {
                fs.writeFileSync(path.join(ws, `ch${i}.xml`), `<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c${i}"><title>Chapter ${i}</title>`
                    + `<para><xref linkend="c${(i + 1) % 20}"/> <xref linkend="nowhere${i}"/></para></chapter>`);
            }
            cacheDir = path.join(tmp, 'cache');
            reference = await indexWith([ws], undefined);
            await indexWith([ws], cacheDir);
            [cacheFile] = cacheFiles(cacheDir);
            assert.ok(cacheFile, 'the first run wrote a cache');
        });

        async function assertIgnoredAndRebuilt(why: RegExp): Promise<void> {
            const run = await indexWith([ws], cacheDir);
            assert.match(run.service.cacheStats?.ignored ?? '(not ignored)', why);
            assert.strictEqual(run.service.cacheStats?.hits, 0);
            assert.deepStrictEqual(run.diagnostics, reference.diagnostics);
            const next = await indexWith([ws], cacheDir);
            assert.strictEqual(next.service.cacheStats?.ignored, undefined, 'the cache was written whole again');
            assert.strictEqual(next.service.cacheStats?.hits, 20);
            assert.deepStrictEqual(next.diagnostics, reference.diagnostics);
        }

        it('truncated', async () => {
            const bytes = fs.readFileSync(cacheFile);
            fs.writeFileSync(cacheFile, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
            await assertIgnoredAndRebuilt(/checksum|truncated/);
        });

        it('cut inside its header', async () => {
            fs.writeFileSync(cacheFile, fs.readFileSync(cacheFile).subarray(0, 20));
            await assertIgnoredAndRebuilt(/truncated|unreadable/);
        });

        it('empty', async () => {
            fs.writeFileSync(cacheFile, '');
            await assertIgnoredAndRebuilt(/not a cache file/);
        });

        it('with flipped bytes in the models', async () => {
            const bytes = fs.readFileSync(cacheFile);
            for (let i = bytes.length - 200; i < bytes.length - 100; i += 7) bytes[i] ^= 0x5a;
            fs.writeFileSync(cacheFile, bytes);
            await assertIgnoredAndRebuilt(/checksum/);
        });

        it('written by other code (another version of the tools)', async () => {
            const bytes = fs.readFileSync(cacheFile);
            const text = bytes.toString('latin1').replace(/format \d+/, 'format 0');
            fs.writeFileSync(cacheFile, Buffer.from(text, 'latin1'));
            await assertIgnoredAndRebuilt(/other code/);
        });

        it('with a valid checksum over content of the wrong shape', async () => {
            const bytes = fs.readFileSync(cacheFile);
            const headerLength = bytes.readUInt32LE(8);
            const header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')) as Record<string, unknown>;
            const rows = v8.serialize([['/x.xml', 'h', undefined, 'e', { ids: 'not an array' }]]);
            const payload = Buffer.concat([Buffer.alloc(4), rows]);
            payload.writeUInt32LE(rows.length);
            header.sha1 = createHash('sha1').update(payload).digest('base64');
            header.rows = 1;
            const h = Buffer.from(JSON.stringify(header));
            const len = Buffer.alloc(4);
            len.writeUInt32LE(h.length);
            fs.writeFileSync(cacheFile, Buffer.concat([bytes.subarray(0, 8), len, h, payload]));
            await assertIgnoredAndRebuilt(/unexpected content/);
        });

        it('with a valid checksum over a chunk that claims more bytes than there are', async () => {
            const bytes = fs.readFileSync(cacheFile);
            const start = 12 + bytes.readUInt32LE(8);
            const header = JSON.parse(bytes.subarray(12, start).toString('utf8')) as Record<string, unknown>;
            const payload = Buffer.from(bytes.subarray(start));
            payload.writeUInt32LE(payload.readUInt32LE(0) + 1);
            header.sha1 = createHash('sha1').update(payload).digest('base64');
            const h = Buffer.from(JSON.stringify(header));
            const len = Buffer.alloc(4);
            len.writeUInt32LE(h.length);
            fs.writeFileSync(cacheFile, Buffer.concat([bytes.subarray(0, 8), len, h, payload]));
            await assertIgnoredAndRebuilt(/unexpected content|unreadable/);
        });

        it('not a cache at all (random bytes)', async () => {
            fs.writeFileSync(cacheFile, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff)));
            await assertIgnoredAndRebuilt(/not a cache file/);
        });

        it('a folder where the cache file should be, or a cache folder that is a file: answers as without a cache', async () => {
            fs.rmSync(cacheFile);
            fs.mkdirSync(cacheFile);
            const run = await indexWith([ws], cacheDir);
            assert.deepStrictEqual(run.diagnostics, reference.diagnostics);
            assert.match(run.service.cacheStats?.ignored ?? '', /not written/);
            const blocked = path.join(tmp, 'a-file');
            fs.writeFileSync(blocked, 'x');
            const run2 = await indexWith([ws], path.join(blocked, 'cache'));
            assert.deepStrictEqual(run2.diagnostics, reference.diagnostics);
            assert.match(run2.service.cacheStats?.ignored ?? '', /not written/);
        });
    });

    describe('the language server\'s write in steps', () => {
        const FILES = 200;
        let ws: string;
        let cacheDir: string;

        beforeEach(() => {
            ws = path.join(tmp, 'ws');
            fs.mkdirSync(ws);
            // Files with some sections each: the models of the whole fill a few steps of the write.
            const sections = (i: number): string => Array.from({ length: 20 }, (_, k) => `<section xml:id="s${i}-${k}"><title>Section ${k} of chapter ${i}</title>`
                + `<para><xref linkend="c${(i + k) % FILES}"/></para></section>`).join('\n');
            for (let i = 0; i < FILES; i++) {
                fs.writeFileSync(path.join(ws, `ch${i}.xml`), `<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c${i}"><title>C${i}</title>`
                    + `<para><xref linkend="c${(i + 1) % FILES}"/></para>\n${sections(i)}</chapter>`);
            }
            cacheDir = path.join(tmp, 'cache');
        });

        async function indexed(): Promise<DocbookLanguageService> {
            const service = new DocbookLanguageService(new NodeWorkspace());
            service.useCache(cacheDir);
            await service.initialize([ws], defaultSettings());
            return service;
        }

        it('pauses after each STEP_BYTES it serialized and leaves the cache a write at once would', async () => {
            const service = await indexed();
            let pauses = 0;
            await service.saveCacheInSteps(async () => {
                pauses++;
                await new Promise((resolve) => setImmediate(resolve));
            });
            const [file] = cacheFiles(cacheDir);
            const steps = Math.floor(fs.statSync(file).size / STEP_BYTES);
            assert.ok(steps >= 2, `the models fill ${steps} steps`);
            assert.ok(pauses >= steps - 1, `${pauses} pauses in a write of ${steps} steps' worth`);
            assert.deepStrictEqual(fs.readdirSync(cacheDir).filter((n) => n.endsWith('.tmp')), [], 'no temporary file is left behind');
            const next = await indexWith([ws], cacheDir);
            assert.strictEqual(next.service.cacheStats?.ignored, undefined);
            assert.strictEqual(next.service.cacheStats?.hits, FILES, 'every model came from the cache written in steps');
            assert.deepStrictEqual(models(next.service), models(service));
        });

        it('never replaces a newer cache: a write at once (as at shutdown) during it wins, and later changes are written next time', async () => {
            const service = await indexed();
            const inSteps = service.saveCacheInSteps();
            // Meanwhile a file changes: its new model is in the write at once, not in the snapshot the steps write.
            fs.writeFileSync(path.join(ws, 'ch0.xml'), '<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c0"><title>Changed</title></chapter>');
            await service.filesChanged([{ uri: pathToUri(path.join(ws, 'ch0.xml')), type: 'changed' }]);
            service.saveCache();
            await inSteps;
            const next = await indexWith([ws], cacheDir);
            assert.strictEqual(next.service.cacheStats?.hits, FILES, 'the changed file\'s model was in the cache on disk');

            // A change during a write in steps is not lost: the next write has it.
            fs.writeFileSync(path.join(ws, 'ch2.xml'), '<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c2"><title>Changed on disk</title></chapter>');
            const again = await indexed();
            const first = again.saveCacheInSteps();
            fs.writeFileSync(path.join(ws, 'ch1.xml'), '<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c1"><title>Changed too</title></chapter>');
            await again.filesChanged([{ uri: pathToUri(path.join(ws, 'ch1.xml')), type: 'changed' }]);
            await first;
            await again.saveCacheInSteps();
            const last = await indexWith([ws], cacheDir);
            assert.strictEqual(last.service.cacheStats?.hits, FILES);
        });
    });

    it('two writers at once leave one whole cache that a later run uses', async () => {
        const dir = path.join(tmp, 'ws');
        fs.mkdirSync(dir);
        for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(dir, `ch${i}.xml`), `<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c${i}"><title>C${i}</title></chapter>`);
        const cacheDir = path.join(tmp, 'cache');
        // In one process: two services on the same cache, indexing at once (both read it before either writes).
        const reference = await indexWith([dir], undefined);
        const [sa, sb] = [0, 1].map(() => new DocbookLanguageService(new NodeWorkspace()));
        sa.useCache(cacheDir);
        sb.useCache(cacheDir);
        await Promise.all([sa.initialize([dir], defaultSettings()), sb.initialize([dir], defaultSettings())]);
        sa.saveCache();
        sb.saveCache();
        const after = await indexWith([dir], cacheDir);
        assert.strictEqual(after.service.cacheStats?.ignored, undefined);
        assert.strictEqual(after.service.cacheStats?.hits, 30);
        assert.deepStrictEqual(after.diagnostics, reference.diagnostics);

        // Processes: several docbook-check runs on one cache folder at the same time (the bundled bin
        // stamps its own cache: the models of this compiled code are not its models).
        const binCache = path.join(tmp, 'bin-cache');
        const check = (): Promise<{ code: number | null; out: string }> => new Promise((resolve) => {
            const child = spawn(process.execPath, [BIN, '--format', 'json', '--cache-dir', binCache, dir], { stdio: ['ignore', 'pipe', 'pipe'], env: CACHE_ON });
            let out = '';
            child.stdout.on('data', (d) => { out += d; });
            child.on('close', (code) => resolve({ code, out }));
        });
        const runs = await Promise.all(Array.from({ length: 4 }, check));
        const uncached = spawnSync(process.execPath, [BIN, '--format', 'json', '--no-cache', dir], { encoding: 'utf8' });
        for (const r of runs) {
            assert.strictEqual(r.code, uncached.status);
            assert.deepStrictEqual(JSON.parse(r.out).diagnostics, JSON.parse(uncached.stdout).diagnostics);
        }
        assert.deepStrictEqual(fs.readdirSync(binCache).filter((n) => n.endsWith('.tmp')), [], 'no temporary file is left behind');
        // A run that finds every model in the cache and trusts it writes nothing.
        const [file] = cacheFiles(binCache);
        const written = fs.readFileSync(file);
        const warm = await check();
        assert.deepStrictEqual(JSON.parse(warm.out).diagnostics, JSON.parse(uncached.stdout).diagnostics);
        assert.ok(fs.readFileSync(file).equals(written), 'the cache the concurrent runs left was whole and used');
    });

    it('the bins remove the temporary code-cache files of writers that died, not those of live ones', () => {
        const dir = path.join(tmp, 'ws');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'ch.xml'), '<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c"><title>C</title></chapter>\n');
        const binCache = path.join(tmp, 'bin-cache');
        fs.mkdirSync(binCache);
        const dead = path.join(binCache, 'code-docbook-check-0123456789abcdef0123.v8.999999.0badc0de.tmp');
        const writing = path.join(binCache, 'code-docbook-check-0123456789abcdef0123.v8.999998.0badc0df.tmp');
        const otherCommand = path.join(binCache, 'code-docbook-render-0123456789abcdef0123.v8.999997.0badc0e0.tmp');
        for (const f of [dead, writing, otherCommand]) fs.writeFileSync(f, 'partial');
        const hourAgo = new Date(Date.now() - 3600_000);
        fs.utimesSync(dead, hourAgo, hourAgo);
        fs.utimesSync(otherCommand, hourAgo, hourAgo);
        const run = spawnSync(process.execPath, [BIN, '--format', 'json', '--cache-dir', binCache, dir], { encoding: 'utf8', env: CACHE_ON });
        assert.strictEqual(run.status, 0, run.stderr);
        const left = fs.readdirSync(binCache);
        assert.ok(left.some((n) => /^code-docbook-check-[0-9a-f]+\.v8$/.test(n)), `the run wrote its code cache: ${left.join(', ')}`);
        assert.ok(!fs.existsSync(dead), 'a temporary file an hour old is a dead writer\'s: removed');
        assert.ok(fs.existsSync(writing), 'a fresh one may be a live writer\'s: kept');
        assert.ok(fs.existsSync(otherCommand), 'another command\'s files are left to it');
    });

    it('the next run takes the code cache a run of docbook-check or docbook-ls left, and does not write it again', async () => {
        const dir = path.join(tmp, 'ws');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'ch.xml'), '<chapter xmlns="http://docbook.org/ns/docbook" xml:id="c"><title>C</title></chapter>\n');
        const binCache = path.join(tmp, 'bin-cache');
        // A rewrite renames a new file over the old one: another inode. V8 rejects a code cache made under
        // other flags than the loading run's (the bundles set one at start), and the loader then writes it again.
        const codeCache = (command: string): fs.Stats | undefined => {
            const name = fs.readdirSync(binCache).find((n) => new RegExp(`^code-${command}-[0-9a-f]+\\.v8$`).test(n));
            return name ? fs.statSync(path.join(binCache, name)) : undefined;
        };
        for (let run = 0; run < 2; run++) {
            const r = spawnSync(process.execPath, [BIN, '--format', 'json', '--cache-dir', binCache, dir], { encoding: 'utf8', env: CACHE_ON });
            assert.strictEqual(r.status, 0, r.stderr);
        }
        const check = codeCache('docbook-check');
        assert.ok(check, 'docbook-check wrote its code cache');
        const third = spawnSync(process.execPath, [BIN, '--format', 'json', '--cache-dir', binCache, dir], { encoding: 'utf8', env: CACHE_ON });
        assert.strictEqual(third.status, 0, third.stderr);
        assert.strictEqual(codeCache('docbook-check')!.ino, check.ino, 'the third run took the cache as it was');

        const serverRun = async (): Promise<void> => {
            const saved = { dir: process.env.DOCBOOK_OPENSTACK_CACHE_DIR, off: process.env.DOCBOOK_OPENSTACK_NO_CACHE };
            process.env.DOCBOOK_OPENSTACK_CACHE_DIR = binCache;
            process.env.DOCBOOK_OPENSTACK_NO_CACHE = '';
            const client = new LspClient();
            try {
                await client.start([dir]);
                await client.stop();
                assert.ok(client.exited, 'the server exited after shutdown and exit');
            } finally {
                for (const [key, value] of [['DOCBOOK_OPENSTACK_CACHE_DIR', saved.dir], ['DOCBOOK_OPENSTACK_NO_CACHE', saved.off]] as const) {
                    if (value === undefined) delete process.env[key];
                    else process.env[key] = value;
                }
            }
        };
        await serverRun();
        const server = codeCache('docbook-ls');
        assert.ok(server, 'docbook-ls wrote its code cache at exit');
        await serverRun();
        assert.strictEqual(codeCache('docbook-ls')!.ino, server.ino, 'the next server took it as it was');
    });

    it('docbook-check writes only its cache: in --cache-dir, nowhere with --no-cache, never in the workspace', function () {
        requireCorpus(this);
        const tree = path.join(tmp, 'ha-guide');
        fs.cpSync(path.join(CORPUS, 'ha-guide'), tree, { recursive: true });
        const listing = (): string[] => listXml(tree).concat(fs.readdirSync(tree, { recursive: true }) as string[]).sort();
        const before = listing();
        const cacheDir = path.join(tmp, 'ci-cache');
        const none = spawnSync(process.execPath, [BIN, '--format', 'json', '--no-cache', tree], { encoding: 'utf8', env: { ...CACHE_ON, DOCBOOK_OPENSTACK_CACHE_DIR: cacheDir } });
        assert.ok(!fs.existsSync(cacheDir), '--no-cache writes nothing');
        const cold = spawnSync(process.execPath, [BIN, '--format', 'json', '--cache-dir', cacheDir, tree], { encoding: 'utf8', env: CACHE_ON });
        assert.strictEqual(cacheFiles(cacheDir).length, 1);
        const warm = spawnSync(process.execPath, [BIN, '--format', 'json', '--cache-dir', cacheDir, tree], { encoding: 'utf8', env: CACHE_ON });
        assert.strictEqual(cold.stdout, none.stdout);
        assert.strictEqual(warm.stdout, none.stdout);
        assert.strictEqual(warm.status, none.status);
        assert.deepStrictEqual(listing(), before);
    });
});
