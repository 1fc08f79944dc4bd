// Fuzzing in process: the real corpus mutated (truncated inside every kind of markup, random
// characters and bytes, unclosed and misnested tags, unquoted attributes, CRLF, astral characters),
// and the hostile inputs of issue 5 built in memory. Properties: the parser never throws and keeps
// every offset exact; the language service answers every request at every offset without throwing,
// within a second, with ranges inside the text; untouched files keep resolving; entities never
// expand without limit; nothing touches the network. `DOCBOOK_FUZZ_LONG=1` (npm run fuzz) runs more.

import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocationLink } from 'vscode-languageserver-types';
import { decodeXml } from '../../server/src/core/decode';
import { buildFileModel } from '../../server/src/core/docbookModel';
import { buildEntityTable, doctypeInfo, emptyEntityTable, MAX_DTD_TEXT, MAX_EXPANSION } from '../../server/src/core/entities';
import { computeLineStarts, positionAt } from '../../server/src/core/lineMap';
import { pathToUri, uriToPath } from '../../server/src/core/uri';
import { parseXml } from '../../server/src/core/xmlParser';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings } from '../../server/src/settings';
import { DirectoryEntry, FileStat, InMemoryWorkspace, NodeWorkspace, Workspace } from '../../server/src/workspace';
import { FuzzTally, LONG, runs, SEED } from '../fuzz/config';
import {
    billionLaughs, bigChapter, CRLF_TEXT, cycleFiles, deepSections, deepUnclosed, externalEntities, lazyParameterLaughs, latin1Bytes, MAX_CYCLE, NS,
    parameterLaughs, utf16Bytes, utf16Text,
} from '../fuzz/hostileTree';
import { checkLineMap, checkModel, checkParseTree, exerciseAt, exerciseDocument, ExerciseStats, interestingOffsets, REQUEST_BUDGET_MS } from '../fuzz/invariants';
import { applyMutations, BOUNDARY_KINDS, boundaries, CORPUS, corpusFiles, mutationsArb } from '../fuzz/mutate';
import { requireCorpus } from '../helpers';
import { installNetworkTrap } from '../fuzz/noNetwork';
import { indexBehind, memoryCopy } from '../helpers';
import { serviceOn } from '../fixtures';

const fcParams = (numRuns: number) => ({ numRuns, seed: SEED });

function parseAndCheck(text: string): void {
    const doc = parseXml(text);
    checkParseTree(doc);
    checkModel(text, buildFileModel(doc, emptyEntityTable()));
}

function textFrom(ws: InMemoryWorkspace, open: Map<string, string>) {
    return (uri: string): string | undefined => {
        if (open.has(uri)) return open.get(uri);
        const file = uriToPath(uri);
        const bytes = file ? ws.files.get(file) : undefined;
        if (!bytes) return undefined;
        const d = decodeXml(bytes, Number.MAX_SAFE_INTEGER);
        return 'text' in d ? d.text : undefined;
    };
}

interface Anchor { uri: string; position: { line: number; character: number }; targetUri: string; targetLine: number; id: string }

/** References of a tree that resolve to exactly one element in another file: they must keep resolving. */
function anchorsOf(service: DocbookLanguageService, folder: string, limit: number): Anchor[] {
    const out: Anchor[] = [];
    for (const entry of indexBehind(service).allFiles()) {
        if (!entry.path.startsWith(folder + path.sep)) continue;
        for (const ref of entry.model.refs) {
            const links = service.definition(pathToUri(entry.path), positionAt(entry.model.lineStarts, ref.start));
            if (links.length !== 1 || links[0].targetUri === pathToUri(entry.path)) continue;
            out.push({
                uri: pathToUri(entry.path),
                position: positionAt(entry.model.lineStarts, ref.start),
                targetUri: links[0].targetUri,
                targetLine: links[0].targetSelectionRange.start.line,
                id: ref.id,
            });
            break;
        }
        if (out.length >= limit) break;
    }
    return out;
}

function assertAnchorsResolve(service: DocbookLanguageService, anchors: Anchor[]): void {
    for (const a of anchors) {
        const links: LocationLink[] = service.definition(a.uri, a.position);
        assert.deepStrictEqual(links.map((l) => [l.targetUri, l.targetSelectionRange.start.line]), [[a.targetUri, a.targetLine]], `${a.id} in ${a.uri} still resolves`);
    }
}

describe('fuzz: parser and file model on the mutated corpus', function () {
    this.timeout(LONG ? 1_800_000 : 60_000);
    const tally = new FuzzTally();
    after(() => tally.print('parser/model'));

    before(function () {
        requireCorpus(this);
    });

    it('every corpus file truncated inside every kind of markup: no throw, every span exact', () => {
        const picks = LONG ? 6 : 1;
        let kindsSeen = 0;
        for (const [fi, file] of corpusFiles().entries()) {
            for (const [ki, kind] of BOUNDARY_KINDS.entries()) {
                for (let p = 0; p < picks; p++) {
                    const text = applyMutations(file.text, [{ op: 'truncate', kind, pick: fi * 7919 + ki * 104729 + p * 15485863 }]);
                    assert.ok(text.length < file.text.length + 400, 'a truncation, not a growth');
                    if (boundaries(file.text, kind).length) kindsSeen++;
                    tally.time(`${path.relative(CORPUS, file.path)} cut in ${kind}`, () => parseAndCheck(text));
                }
            }
        }
        assert.ok(kindsSeen > corpusFiles().length * 5, 'most kinds of boundary occur in the corpus itself');
    });

    it('random mutations of random corpus files: no throw, exact spans, offsets <-> positions round-trip', () => {
        const files = corpusFiles();
        fc.assert(fc.property(fc.nat(files.length - 1), mutationsArb, fc.array(fc.nat(), { minLength: 20, maxLength: 20 }), (fi, mutations, random) => {
            const text = applyMutations(files[fi].text, mutations);
            tally.time(`${path.relative(CORPUS, files[fi].path)} ${JSON.stringify(mutations).slice(0, 120)}`, () => {
                parseAndCheck(text);
                checkLineMap(text, interestingOffsets(text, random));
            });
        }), fcParams(runs(400, 20_000)));
    });

    it('random bytes and encodings: decoding never throws, and what decodes parses', () => {
        const files = corpusFiles();
        const encodings = ['', 'UTF-8', 'ISO-8859-1', 'UTF-16', 'windows-1252', 'x-no-such-encoding', 'utf-32'];
        fc.assert(fc.property(
            fc.nat(files.length - 1), fc.constantFrom(...encodings), fc.constantFrom('', '\uFEFF', 'utf16le-bom', 'utf16be-bom'),
            fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 16 }), fc.nat(4096),
            (fi, encoding, bom, flips, cut) => {
                let text = files[fi].text.replace(/^<\?xml[^>]*\?>/, '');
                if (encoding) text = `<?xml version="1.0" encoding="${encoding}"?>` + text;
                let bytes: Buffer = bom === 'utf16le-bom' ? Buffer.from('\uFEFF' + text, 'utf16le')
                    : bom === 'utf16be-bom' ? Buffer.from('\uFEFF' + text, 'utf16le').swap16()
                    : Buffer.from(bom + text, 'utf8');
                bytes = Buffer.from(bytes.subarray(0, Math.max(0, bytes.length - cut)));
                for (const f of flips) if (bytes.length) bytes[f.at % bytes.length] = f.byte;
                tally.time(`bytes of ${path.basename(files[fi].path)} (${encoding || 'no'} encoding, ${bom || 'no'} BOM)`, () => {
                    const decoded = decodeXml(bytes);
                    assert.ok(('text' in decoded) !== ('error' in decoded));
                    if ('text' in decoded) parseAndCheck(decoded.text);
                    else assert.match(decoded.error, /\S/);
                });
            }), fcParams(runs(300, 10_000)));
    });
});

describe('fuzz: the language service on mutated files of two real trees (in memory)', function () {
    this.timeout(LONG ? 3_600_000 : 60_000);
    const tally = new FuzzTally();
    const stats: ExerciseStats = { requests: 0, slowestMs: 0, slowest: '' };
    let service: DocbookLanguageService;
    let ws: InMemoryWorkspace;
    let folders: string[];
    const anchors = new Map<string, Anchor[]>();
    let before0: { files: number; books: number; ids: number };

    before(async function () {
        requireCorpus(this);
        ({ ws, folders } = memoryCopy(['ha-guide', 'security-guide-2014']));
        service = new DocbookLanguageService(ws);
        await service.initialize(folders, defaultSettings());
        for (const f of folders) anchors.set(f, anchorsOf(service, f, 5));
        before0 = service.stats();
        for (const list of anchors.values()) assert.ok(list.length >= 1, 'each tree has a reference into another file');
    });
    after(() => {
        tally.print('language service');
        if (LONG || process.env.DOCBOOK_FUZZ_REPORT === '1') console.log(`      requests: ${stats.requests}, slowest ${stats.slowestMs.toFixed(0)} ms (${stats.slowest})`);
    });

    it('answers every request at every offset of a mutated open file; other trees keep resolving; closing restores the index', async () => {
        const candidates = [...indexBehind(service).allFiles()].filter((f) => f.folder).map((f) => f.path).sort();
        const randomArb = fc.array(fc.nat(), { minLength: 6, maxLength: 6 });
        await fc.assert(fc.asyncProperty(fc.nat(candidates.length - 1), mutationsArb, randomArb, async (fi, mutations, random) => {
            const file = candidates[fi];
            const uri = pathToUri(file);
            const original = textFrom(ws, new Map())(uri)!;
            const text = applyMutations(original, mutations);
            const open = new Map([[uri, text]]);
            const textOf = textFrom(ws, open);
            await tally.timeAsync(`${path.relative(CORPUS, file)} ${JSON.stringify(mutations).slice(0, 120)}`, async () => {
                await service.openDocument(uri, text, 1);
                const entry = indexBehind(service).get(file)!;
                checkModel(text, entry.model);
                // Random places, and places on ids and references, where rename and references have work to do.
                const m = entry.model;
                const onNames = random
                    .flatMap((r) => [m.refs[r % Math.max(1, m.refs.length)]?.start, m.ids[r % Math.max(1, m.ids.length)]?.end])
                    .filter((o): o is number => o !== undefined);
                for (const offset of [...interestingOffsets(text, random).slice(0, 8), ...onNames.slice(0, 6)]) {
                    await exerciseAt(service, uri, text, offset, textOf, stats);
                }
                await exerciseDocument(service, uri, text, textOf, stats);
                const other = folders.find((f) => !file.startsWith(f + path.sep))!;
                assertAnchorsResolve(service, anchors.get(other)!);
                await service.closeDocument(uri);
            });
        }), fcParams(runs(60, 3000)));
        assert.deepStrictEqual(service.stats(), before0, 'closing every mutated file leaves the index as it was');
        for (const list of anchors.values()) assertAnchorsResolve(service, list);
    });

    it('answers requests at positions that are not in the document at all', async () => {
        const file = [...indexBehind(service).allFiles()].find((f) => f.folder && f.model.refs.length)!;
        const uri = pathToUri(file.path);
        const weird = [
            { line: -1, character: 0 }, { line: 0, character: -5 }, { line: 1e9, character: 1e9 },
            { line: 0, character: 1e9 }, { line: 2 ** 31, character: 0 }, { line: 0.5, character: 0.5 },
        ];
        for (const position of weird) {
            assert.ok(Array.isArray(service.definition(uri, position)));
            assert.ok(Array.isArray(service.references(uri, position, true)));
            service.hover(uri, position);
            assert.ok(Array.isArray((await service.completion(uri, position)).items));
        }
        for (const missing of ['file:///nowhere/x.xml', 'untitled:Untitled-1', 'https://example.invalid/x.xml']) {
            assert.deepStrictEqual(service.definition(missing, { line: 0, character: 0 }), []);
            assert.deepStrictEqual(await service.diagnostics(missing), []);
            assert.deepStrictEqual(await service.codeActions(missing, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), []);
        }
    });
});

describe('fuzz: hostile inputs in process', function () {
    this.timeout(120_000);
    const ROOT = path.resolve('/hostile-ws');
    const stats: ExerciseStats = { requests: 0, slowestMs: 0, slowest: '' };

    async function openAndExercise(service: DocbookLanguageService, ws: InMemoryWorkspace, file: string, text: string, offsets: number[]): Promise<void> {
        const uri = pathToUri(file);
        const started = performance.now();
        await service.openDocument(uri, text, 1);
        assert.ok(performance.now() - started < REQUEST_BUDGET_MS, `opening ${path.basename(file)} took ${(performance.now() - started).toFixed(0)} ms`);
        const textOf = textFrom(ws, new Map([[uri, text]]));
        for (const o of offsets) await exerciseAt(service, uri, text, o, textOf, stats);
        await exerciseDocument(service, uri, text, textOf, stats);
    }

    async function serviceWith(files: Record<string, string | Uint8Array>): Promise<{ service: DocbookLanguageService; ws: InMemoryWorkspace }> {
        const { service, ws } = await serviceOn(files, {}, { root: ROOT });
        return { service, ws };
    }

    const book = `<book ${NS} xml:id="bk"><title>B</title><xi:include href="ch.xml"/></book>`;
    const ch = `<chapter ${NS} xml:id="ch"><title>C</title><para><xref linkend="bk"/></para></chapter>`;

    it('100,000 nested sections, closed and unclosed: indexed, outlined and answered', async () => {
        const deep = deepSections();
        const open = deepUnclosed();
        const { service, ws } = await serviceWith({ 'bk.xml': book, 'ch.xml': ch, 'deep.xml': deep, 'open.xml': open });
        for (const [name, text] of [['deep.xml', deep], ['open.xml', open]] as const) {
            const entry = indexBehind(service).get(path.join(ROOT, name));
            assert.ok(entry, `${name} is indexed`);
            checkModel(text, entry.model);
            assert.ok(entry.model.problems.some((p) => /nested more than/.test(p.message)));
            await openAndExercise(service, ws, path.join(ROOT, name), text, [0, text.length >> 1, text.lastIndexOf('deep'), text.length]);
            assert.ok(JSON.stringify(service.documentSymbols(pathToUri(path.join(ROOT, name)))).length > 0);
        }
        assert.strictEqual(service.definition(pathToUri(path.join(ROOT, 'ch.xml')), at(ch, 'linkend="bk"', 9)).length, 1, 'the rest of the workspace resolves');
    });

    it('billion laughs, with general and with parameter entities: bounded in time and text', async () => {
        for (const [name, text] of [['laughs.xml', billionLaughs()], ['pe-laughs.xml', parameterLaughs()], ['pe-lazy.xml', lazyParameterLaughs()]] as const) {
            const started = performance.now();
            const doc = parseXml(text);
            const table = await buildEntityTable(doctypeInfo(text, doc.doctype), path.join(ROOT, name), { load: async (s) => ({ kind: 'remote', url: s }) });
            const model = buildFileModel(doc, table);
            assert.ok(performance.now() - started < REQUEST_BUDGET_MS, `${name}: entities read in ${(performance.now() - started).toFixed(0)} ms`);
            let declared = 0;
            for (const d of table.general.values()) declared += d.value?.length ?? 0;
            assert.ok(declared <= MAX_DTD_TEXT, `${name}: declared entity text is bounded (${declared} characters)`);
            assert.ok((model.title ?? '').length <= MAX_EXPANSION, `${name}: the title is bounded`);
            const { service, ws } = await serviceWith({ 'bk.xml': book, 'ch.xml': ch, [name]: text });
            await openAndExercise(service, ws, path.join(ROOT, name), text, [text.indexOf('&lol9;') + 2, text.indexOf('&e;') + 1, text.indexOf('&x;') + 1, text.indexOf('linkend') + 9].filter((o) => o > 2));
            const hover = service.hover(pathToUri(path.join(ROOT, name)), positionAt(computeLineStarts(text), Math.max(0, text.search(/&(lol9|e|x);/) + 2)));
            const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
            assert.ok(value.length <= MAX_EXPANSION + 1000, `${name}: hover is bounded (${value.length})`);
        }
    });

    it('a 50 MB file: refused on disk and in the editor above the size limit, parsed fast below it', async () => {
        const big = bigChapter(50 * 1024 * 1024);
        const { service, ws } = await serviceWith({ 'bk.xml': book, 'ch.xml': ch, 'big.xml': big });
        const entry = indexBehind(service).get(path.join(ROOT, 'big.xml'));
        assert.match(entry?.readError ?? '', /over the 16 MB limit/);
        const started = performance.now();
        await service.openDocument(pathToUri(path.join(ROOT, 'big.xml')), big, 1);
        assert.ok(performance.now() - started < REQUEST_BUDGET_MS, `opening 50 MB in the editor took ${(performance.now() - started).toFixed(0)} ms`);
        assert.match(service.fileInfo(pathToUri(path.join(ROOT, 'big.xml')))?.readError ?? '', /over the 16 MB limit/);
        const diags = await service.diagnostics(pathToUri(path.join(ROOT, 'big.xml')));
        assert.deepStrictEqual(diags.map((d) => d.code), ['unreadable-file']);
        await openAndExercise(service, ws, path.join(ROOT, 'big.xml'), big, [0, 1000, big.length - 10]);
        assert.strictEqual(service.definition(pathToUri(path.join(ROOT, 'ch.xml')), at(ch, 'linkend="bk"', 9)).length, 1);

        // Under the limit, the tolerant parser reads it all, fast.
        const limit = 64 * 1024 * 1024;
        const roomy = new DocbookLanguageService(ws, { ...defaultSettings(), maxFileSize: limit });
        const t0 = performance.now();
        await roomy.initialize([ROOT], { ...defaultSettings(), maxFileSize: limit });
        const ms = performance.now() - t0;
        const model = indexBehind(roomy).get(path.join(ROOT, 'big.xml'))!.model;
        assert.ok(model.ids.some((d) => d.id === 'big-end'));
        assert.ok(ms < 15_000, `50 MB indexed in ${ms.toFixed(0)} ms`);
    });

    it('a binary file named .xml, ISO-8859-1, UTF-16 with a BOM (both byte orders) and CRLF with astral characters', async () => {
        const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
        const binary = await serviceWith({ 'bk.xml': book, 'ch.xml': ch, 'binary.xml': junk });
        assert.deepStrictEqual((await binary.service.diagnostics(pathToUri(path.join(ROOT, 'binary.xml')))).map((d) => d.code), ['unreadable-file']);
        const cases: [string, Uint8Array | string, string, string][] = [
            ['latin1.xml', latin1Bytes(), latin1Bytes().toString('latin1'), 'latin1-target'],
            ['utf16le.xml', utf16Bytes('le'), utf16Text('le'), 'utf16-le-target'],
            ['utf16be.xml', utf16Bytes('be'), utf16Text('be'), 'utf16-be-target'],
            ['crlf.xml', CRLF_TEXT, CRLF_TEXT, 'crlf-target'],
        ];
        for (const [name, bytes, text, target] of cases) {
            const { service, ws } = await serviceWith({ 'bk.xml': book, 'ch.xml': ch, [name]: bytes });
            const file = path.join(ROOT, name);
            const uri = pathToUri(file);
            const entry = indexBehind(service).get(file)!;
            assert.deepStrictEqual(entry.model.problems, [], `${name} decodes to well-formed XML`);
            // The reference's position counts UTF-16 units of the decoded text, lines split at \r\n.
            const lines = text.split(/\r\n|\n/);
            const refOffset = text.indexOf(`linkend="${target}"`) + 'linkend="'.length;
            const refPos = positionAt(computeLineStarts(text), refOffset);
            assert.strictEqual(refPos.character, lines[refPos.line].indexOf(target));
            const links = service.definition(uri, refPos);
            assert.strictEqual(links.length, 1, `${name}: ${target} resolves`);
            const defLine = lines.findIndex((l) => l.includes(`xml:id="${target}"`));
            const defPos = { line: defLine, character: lines[defLine].indexOf(target) };
            assert.deepStrictEqual([links[0].targetUri, links[0].targetSelectionRange.start], [uri, defPos]);
            const refs = service.references(uri, refPos, true).map((r) => [r.uri, r.range.start.line, r.range.start.character]);
            assert.deepStrictEqual(refs.sort(), [[uri, defPos.line, defPos.character], [uri, refPos.line, refPos.character]].sort());
            // Opened in the editor, the file is the decoded text: the same answers at every offset.
            await openAndExercise(service, ws, file, text, interestingOffsets(text, [refOffset, 17, 401]));
        }
    });

    it(`include cycles of every length from 1 to ${MAX_CYCLE}: reported on every file, requests answered`, async () => {
        const files = Object.fromEntries(Object.entries(cycleFiles('cycles')).map(([k, v]) => [k, v]));
        const { service, ws } = await serviceWith({ 'bk.xml': book, 'ch.xml': ch, ...files });
        for (const n of [1, 2, 7, MAX_CYCLE]) {
            for (const k of [0, n - 1]) {
                const file = path.join(ROOT, 'cycles', `c${n}-${k}.xml`);
                const diags = await service.diagnostics(pathToUri(file));
                assert.ok(diags.some((d) => d.code === 'include-cycle'), `c${n}-${k}.xml reports its cycle`);
                const text = files[path.join('cycles', `c${n}-${k}.xml`)];
                await openAndExercise(service, ws, file, text, [text.indexOf('href=') + 7, text.indexOf('xml:id') + 8]);
            }
        }
        assert.strictEqual(service.definition(pathToUri(path.join(ROOT, 'ch.xml')), at(ch, 'linkend="bk"', 9)).length, 1);
    });

    it('an include chain 20,000 files long (with and without an outline of their own): indexed, answered', async () => {
        const n = LONG ? 50_000 : 20_000;
        for (const root of ['section', 'para']) {
            const files: Record<string, string> = { 'bk.xml': `<book ${NS} xml:id="bk"><title>B</title><xi:include href="c0.xml"/></book>` };
            for (let i = 0; i < n; i++) {
                const title = root === 'section' ? `<title>S${i}</title>` : '';
                files[`c${i}.xml`] = `<${root} ${NS} xml:id="c${i}">${title}<xref linkend="c${(i + 1) % n}"/>${i + 1 < n ? `<xi:include href="c${i + 1}.xml"/>` : ''}</${root}>`;
            }
            const started = performance.now();
            const { service } = await serviceWith(files);
            assert.ok(performance.now() - started < 15_000, `indexed in ${(performance.now() - started).toFixed(0)} ms`);
            const last = path.join(ROOT, `c${n - 1}.xml`);
            assert.deepStrictEqual([...indexBehind(service).booksOf(last)], [path.join(ROOT, 'bk.xml')], 'the end of the chain is in the book');
            const uri = pathToUri(last);
            const links = service.definition(uri, at(files[`c${n - 1}.xml`], 'linkend="c0"', 9));
            assert.deepStrictEqual(links.map((l) => l.targetUri), [pathToUri(path.join(ROOT, 'c0.xml'))]);
            const tree = service.bookTree();
            assert.ok(JSON.stringify(tree).length > 0);
            const t0 = performance.now();
            await service.changeDocument(pathToUri(path.join(ROOT, 'c0.xml')), files['c0.xml'].replace('xml:id="c0"', 'xml:id="c0-renamed"'), 2);
            await service.diagnostics(uri);
            assert.ok(performance.now() - t0 < REQUEST_BUDGET_MS, `an edit at the head of the chain took ${(performance.now() - t0).toFixed(0)} ms`);
            assert.ok((await service.diagnostics(uri)).some((d) => d.code === 'unresolved-id'), 'the edit is seen at the other end of the chain');
        }
    });

    it('watcher events for folders: "/" or a folder outside the workspace walks nothing outside it; a folder inside is re-read at once', async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-events-'));
        try {
            const ws = path.join(tmp, 'ws');
            const outside = path.join(tmp, 'outside');
            fs.mkdirSync(path.join(ws, 'chapters'), { recursive: true });
            fs.mkdirSync(outside);
            fs.writeFileSync(path.join(ws, 'bk.xml'), `<book ${NS} xml:id="bk"><title>B</title><xi:include href="chapters/ch0.xml"/></book>`);
            for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(ws, 'chapters', `ch${i}.xml`), `<chapter ${NS} xml:id="ch${i}"><title>C</title><para><xref linkend="ch${(i + 1) % 300}"/></para>${i + 1 < 300 ? `<xi:include href="ch${i + 1}.xml"/>` : ''}</chapter>`);
            for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(outside, `o${i}.xml`), `<chapter ${NS} xml:id="o${i}"><title>O</title></chapter>`);
            const service = new DocbookLanguageService(new NodeWorkspace());
            await service.initialize([ws], defaultSettings());
            const before = service.stats();
            for (const folder of [outside, '/']) {
                const started = performance.now();
                await service.filesChanged([{ uri: pathToUri(folder), type: 'changed' }]);
                assert.ok(performance.now() - started < REQUEST_BUDGET_MS, `an event for ${folder} took ${(performance.now() - started).toFixed(0)} ms`);
                assert.deepStrictEqual(service.stats(), before, `nothing outside the workspace indexed after an event for ${folder}`);
            }
            // A checkout rewrote every chapter; the watcher reports the folder.
            for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(ws, 'chapters', `ch${i}.xml`), `<chapter ${NS} xml:id="new${i}"><title>C</title></chapter>`);
            const started = performance.now();
            await service.filesChanged([{ uri: pathToUri(path.join(ws, 'chapters')), type: 'changed' }]);
            assert.ok(performance.now() - started < REQUEST_BUDGET_MS, `re-reading 300 chapters took ${(performance.now() - started).toFixed(0)} ms`);
            assert.deepStrictEqual(indexBehind(service).definitionsOf('ch7'), []);
            assert.strictEqual(indexBehind(service).definitionsOf('new7').length, 1);
            assert.deepStrictEqual([...indexBehind(service).booksOf(path.join(ws, 'chapters', 'ch1.xml'))], [], 'the chain is gone from the book');
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it('an include of a file outside the workspace folders (in docbook.allowedRoots) is followed, but gets no diagnostics and cannot be renamed', async () => {
        const ws = new InMemoryWorkspace({
            [path.join(ROOT, 'bk.xml')]: `<book ${NS} xml:id="bk"><title>B</title><xi:include href="../outside-ws/secret.xml"/><chapter xml:id="c"><title>C</title><para><xref linkend="secret"/></para></chapter></book>`,
            [path.resolve('/outside-ws/secret.xml')]: `<chapter ${NS} xml:id="secret"><title>S</title></chapter>`,
        });
        const service = new DocbookLanguageService(ws);
        await service.initialize([ROOT], { ...defaultSettings(), allowedRoots: [path.resolve('/outside-ws')] });
        const text = ws.files.get(path.join(ROOT, 'bk.xml'))!.toString();
        const pos = positionAt(computeLineStarts(text), text.indexOf('linkend="secret"') + 10);
        assert.deepStrictEqual(service.definition(pathToUri(path.join(ROOT, 'bk.xml')), pos).map((l) => l.targetUri), [pathToUri(path.resolve('/outside-ws/secret.xml'))]);
        assert.deepStrictEqual(await service.diagnostics(pathToUri(path.resolve('/outside-ws/secret.xml'))), []);
        assert.throws(() => service.prepareRename(pathToUri(path.join(ROOT, 'bk.xml')), pos), /outside the workspace/);
    });

    it('external entities and includes naming /etc/passwd, devices or URLs: nothing read into an answer, nothing fetched', async function () {
        if (!fs.existsSync('/etc/passwd')) this.skip();
        const secretLine = fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0];
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-ext-'));
        const trap = installNetworkTrap();
        try {
            const file = path.join(tmp, 'external.xml');
            fs.writeFileSync(file, externalEntities());
            fs.writeFileSync(path.join(tmp, 'bk.xml'), `<book ${NS} xml:id="bk"><title>B</title><xi:include href="external.xml"/></book>`);
            const service = new DocbookLanguageService(new NodeWorkspace());
            const started = performance.now();
            await service.initialize([tmp], defaultSettings());
            assert.ok(performance.now() - started < 5000, `indexed in ${(performance.now() - started).toFixed(0)} ms`);
            const text = fs.readFileSync(file, 'utf8');
            const uri = pathToUri(file);
            const answers: unknown[] = [];
            for (const needle of ['&passwd;', '&passwd2;', '&remote;', '"/etc/passwd"', 'http://127', '/dev/zero', 'fileref="http']) {
                let i = -1;
                while ((i = text.indexOf(needle, i + 1)) >= 0) {
                    const pos = positionAt(computeLineStarts(text), i + 2);
                    answers.push(service.hover(uri, pos), service.definition(uri, pos), await service.completion(uri, pos));
                }
            }
            answers.push(await service.diagnostics(uri), service.documentSymbols(uri), service.workspaceSymbols(''), service.bookTree(), service.includers(uri));
            const wholeText = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };
            answers.push(await service.codeActions(uri, wholeText, await service.diagnostics(uri)));
            const all = JSON.stringify(answers);
            assert.ok(!all.includes(secretLine), 'no answer holds a line of /etc/passwd');
            assert.ok(!/root:[^"]*:0:0/.test(all), 'no answer holds a passwd entry');
            assert.deepStrictEqual(trap.attempts, [], 'no network access');
        } finally {
            trap.restore();
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it('the server code imports no networking module and calls no fetch', () => {
        const offenders: string[] = [];
        const walk = (dir: string): void => {
            for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                const p = path.join(dir, e.name);
                if (e.isDirectory()) walk(p);
                else if (e.name.endsWith('.ts')) {
                    const text = fs.readFileSync(p, 'utf8');
                    const imports = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"](?:node:)?(net|http|https|http2|tls|dgram|dns|undici|ws)(?:\/[^'"]*)?['"]/g)].map((m) => m[1]);
                    if (imports.length) offenders.push(`${path.relative(SERVER_SRC, p)} imports ${imports.join(', ')}`);
                    if (/\b(?:fetch|XMLHttpRequest|WebSocket)\s*\(/.test(text.replace(/\/\/.*$/gm, ''))) offenders.push(`${path.relative(SERVER_SRC, p)} calls fetch`);
                }
            }
        };
        walk(SERVER_SRC);
        assert.deepStrictEqual(offenders, []);
    });
});

const SERVER_SRC = path.resolve(__dirname, '../../../server/src');

function at(text: string, needle: string, delta = 0): { line: number; character: number } {
    const i = text.indexOf(needle);
    assert.ok(i >= 0, needle);
    return positionAt(computeLineStarts(text), i + delta);
}

/**
 * A workspace whose files change under the indexer: reading the n-th file deletes, rewrites or creates
 * others, as a `git checkout` running during indexing does.
 */
class ShiftingWorkspace implements Workspace {
    reads = 0;
    constructor(readonly inner: InMemoryWorkspace, private readonly onRead: (n: number) => void) {}
    async readFile(file: string): Promise<Uint8Array | undefined> {
        this.onRead(this.reads++);
        return this.inner.readFile(file);
    }
    stat(file: string): Promise<FileStat | undefined> { return this.inner.stat(file); }
    readDirectory(dir: string): Promise<DirectoryEntry[]> { return this.inner.readDirectory(dir); }
    realPath(p: string): Promise<string> { return this.inner.realPath(p); }
}

describe('fuzz: files deleted, rewritten and created while the index reads them', function () {
    this.timeout(LONG ? 1_800_000 : 60_000);
    const tally = new FuzzTally();
    after(() => tally.print('shifting files'));

    it('after the watcher reports the changes, the index equals a fresh index of the final files', async function () {
        requireCorpus(this);
        const { ws: base, folders } = memoryCopy(['ha-guide']);
        const paths = [...base.files.keys()].filter((p) => p.endsWith('.xml')).sort();
        const eventArb = fc.record({ atRead: fc.nat(60), action: fc.constantFrom('delete', 'rewrite', 'create', 'truncate'), target: fc.nat() });
        await fc.assert(fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 8 }), async (events) => {
            const inner = new InMemoryWorkspace();
            for (const [p, b] of base.files) inner.write(p, b);
            const changed = new Map<string, 'created' | 'changed' | 'deleted'>();
            const shifting = new ShiftingWorkspace(inner, (n) => {
                for (const e of events) {
                    if (e.atRead !== n) continue;
                    const target = paths[e.target % paths.length];
                    if (e.action === 'delete') { inner.delete(target); changed.set(target, 'deleted'); }
                    else if (e.action === 'rewrite') {
                        const donor = inner.files.get(paths[(e.target * 31 + 7) % paths.length]);
                        if (donor) { inner.write(target, donor); changed.set(target, 'changed'); }
                    } else if (e.action === 'truncate') {
                        const bytes = inner.files.get(target);
                        if (bytes) { inner.write(target, bytes.subarray(0, bytes.length >> 1)); changed.set(target, 'changed'); }
                    } else {
                        const created = path.join(path.dirname(target), `new-${n}-${e.target % 97}.xml`);
                        inner.write(created, `<chapter ${NS} xml:id="new-${n}"><title>New</title><para><xref linkend="new-${n}"/></para><xi:include href="${path.basename(target)}"/></chapter>`);
                        changed.set(created, 'created');
                    }
                }
            });
            await tally.timeAsync(JSON.stringify(events).slice(0, 160), async () => {
                const service = new DocbookLanguageService(shifting);
                await service.initialize(folders, defaultSettings());
                // The watcher reports what changed, also what changes while it is being reported.
                while (changed.size) {
                    const batch = [...changed].map(([p, type]) => ({ uri: pathToUri(p), type }));
                    changed.clear();
                    await service.filesChanged(batch);
                }
                const fresh = new DocbookLanguageService(inner);
                await fresh.initialize(folders, defaultSettings());
                assert.deepStrictEqual(service.stats(), fresh.stats());
                for (const entry of indexBehind(fresh).allFiles()) {
                    const mine = indexBehind(service).get(entry.path);
                    assert.ok(mine, `${entry.path} is indexed`);
                    assert.deepStrictEqual(mine.model.ids.map((d) => [d.id, d.start]), entry.model.ids.map((d) => [d.id, d.start]));
                    assert.deepStrictEqual([...indexBehind(service).booksOf(entry.path)].sort(), [...indexBehind(fresh).booksOf(entry.path)].sort(), `books of ${entry.path}`);
                    const uri = pathToUri(entry.path);
                    assert.deepStrictEqual(await service.diagnostics(uri), await fresh.diagnostics(uri), `diagnostics of ${entry.path}`);
                }
            });
        }), fcParams(runs(25, 500)));
    });
});
