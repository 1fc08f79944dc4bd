// The OpenStack gate's own checks as diagnostics: section-id, profile-conflict and the whitespace
// niceness codes, their quick fixes and fix-all, their settings, and the corpus (which passed the gate).

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CodeAction, CodeActionKind, Diagnostic, DiagnosticSeverity, TextEdit } from 'vscode-languageserver-types';
import { computeLineStarts, offsetAt } from '../../server/src/core/lineMap';
import { findNiceness } from '../../server/src/core/niceness';
import { sectionIdFor } from '../../server/src/features/codeActions';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings, DocbookSettings } from '../../server/src/settings';
import { CORPUS, listXml, requireCorpus, rootElement, skipBecause } from '../helpers';
import { NS, serviceOn } from '../fixtures';

const GATE_CODES = ['section-id', 'profile-conflict', 'trailing-whitespace', 'tab', 'nbsp', 'inner-whitespace', 'final-newline'];

function gateOnly(list: Diagnostic[]): Diagnostic[] {
    return list.filter((d) => GATE_CODES.includes(String(d.code)));
}

function applyEdits(text: string, edits: TextEdit[]): string {
    const starts = computeLineStarts(text);
    const at = (p: TextEdit['range']['start']): number => offsetAt(starts, p, text.length);
    const spans = edits.map((e) => ({ start: at(e.range.start), end: at(e.range.end), newText: e.newText }));
    spans.sort((a, b) => b.start - a.start);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i].end <= spans[i - 1].start, 'edits overlap');
    let out = text;
    for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
    return out;
}

/** One chapter file, open in the editor, and what the service says about it. */
async function open(text: string, settings: Partial<DocbookSettings> = {}, rel = 'ch.xml'): Promise<{
    service: DocbookLanguageService; uri: string; text: string;
    diagnostics(): Promise<Diagnostic[]>;
    /** Picks the action (as the user would), applies it to the open document and returns the new text. */
    apply(action: CodeAction): Promise<string>;
}> {
    const fx = await serviceOn({ [rel]: text }, settings);
    const uri = fx.uri(rel);
    let current = text;
    let version = 1;
    await fx.service.openDocument(uri, current, version);
    return {
        service: fx.service, uri, get text() { return current; },
        diagnostics: () => fx.service.diagnostics(uri),
        async apply(action) {
            const edits = action.edit?.changes?.[uri];
            assert.ok(edits?.length, `"${action.title}" edits the file`);
            current = applyEdits(current, edits);
            await fx.service.changeDocument(uri, current, ++version);
            return current;
        },
    };
}

async function actionsFor(doc: Awaited<ReturnType<typeof open>>, d: Diagnostic): Promise<CodeAction[]> {
    return doc.service.codeActions(doc.uri, d.range, [d]);
}

function textAt(text: string, d: Diagnostic): string {
    const starts = computeLineStarts(text);
    return text.slice(offsetAt(starts, d.range.start, text.length), offsetAt(starts, d.range.end, text.length));
}

describe('gate checks: section-id', () => {
    it('a DocBook 5 section without xml:id is an error at its name; one with an id, and a DocBook 4 section, are not', async () => {
        const doc = await open(`<chapter ${NS} xml:id="ch"><title>C</title>\n<section><title>No id</title><para>x</para></section>\n<section xml:id="has-id"><title>Id</title><para>y</para></section>\n</chapter>\n`);
        const found = gateOnly(await doc.diagnostics());
        assert.deepStrictEqual(found.map((d) => [d.code, d.severity, d.range.start.line, textAt(doc.text, d)]), [['section-id', DiagnosticSeverity.Error, 1, 'section']]);
        const db4 = await open('<!DOCTYPE chapter PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "docbookx.dtd">\n<chapter id="c"><title>C</title><section><title>S</title></section></chapter>\n');
        assert.deepStrictEqual(gateOnly(await db4.diagnostics()), []);
    });

    it('the quick fix adds an xml:id made from the title, unused in the workspace, and the error goes', async () => {
        const doc = await open(`<chapter ${NS} xml:id="ch"><title>C</title>\n<section xml:id="section_install-the-service"/>\n<section><title>Install the  Service</title><para>x</para></section>\n</chapter>\n`);
        const [d] = gateOnly(await doc.diagnostics());
        const actions = await actionsFor(doc, d);
        assert.deepStrictEqual(actions.map((a) => a.title), ['Add xml:id="section_install-the-service-2"']);
        const after = await doc.apply(actions[0]);
        assert.match(after, /<section xml:id="section_install-the-service-2"><title>Install the {2}Service/);
        assert.deepStrictEqual(gateOnly(await doc.diagnostics()), []);
    });

    it('ids from titles: words of letters and digits, accents dropped, numbered when taken', () => {
        const taken = new Set(['section_cafe-api', 'section_cafe-api-2']);
        assert.strictEqual(sectionIdFor('Café API', (id) => taken.has(id)), 'section_cafe-api-3');
        assert.strictEqual(sectionIdFor(undefined, () => false), 'section_untitled');
    });
});

describe('gate checks: profile-conflict', () => {
    const text = `<chapter ${NS} xml:id="ch" os="ubuntu;fedora"><title>C</title>
<section xml:id="s" os="ubuntu">
  <para os="fedora">only fedora</para>
  <para os="ubuntu;rhel">partly outside</para>
  <para os="ubuntu">fine</para>
  <para audience="enduser"><phrase audience="installer">audience too</phrase></para>
</section>
<para os="fedora">fine: within the chapter</para>
</chapter>
`;

    it('a value outside the nearest enclosing element profiled on the same attribute is an error on the value, naming that element', async () => {
        const doc = await open(text);
        const found = gateOnly(await doc.diagnostics());
        assert.deepStrictEqual(found.map((d) => [d.code, d.range.start.line, textAt(doc.text, d)]), [
            ['profile-conflict', 2, 'fedora'], ['profile-conflict', 3, 'ubuntu;rhel'], ['profile-conflict', 5, 'installer'],
        ]);
        assert.match(String(found[0].message), /os "fedora" is outside the enclosing <section os="ubuntu">/);
        assert.match(String(found[1].message), /os "rhel" is outside/);
        assert.strictEqual(found[0].relatedInformation?.[0].location.range.start.line, 1);
    });

    it('quick fixes: keep the values within the enclosing element, or remove the attribute', async () => {
        const doc = await open(text);
        let found = gateOnly(await doc.diagnostics());
        const partly = await actionsFor(doc, found[1]);
        assert.deepStrictEqual(partly.map((a) => a.title), ['Keep only os="ubuntu" (within the enclosing <section>)', 'Remove os (show it wherever the enclosing <section> shows)']);
        await doc.apply(partly[0]);
        assert.match(doc.text, /<para os="ubuntu">partly outside/);
        found = gateOnly(await doc.diagnostics());
        const outside = await actionsFor(doc, found[0]);
        assert.deepStrictEqual(outside.map((a) => a.title), ['Remove os (show it wherever the enclosing <section> shows)']);
        await doc.apply(outside[0]);
        assert.match(doc.text, /<para>only fedora<\/para>/);
        assert.deepStrictEqual(gateOnly(await doc.diagnostics()).map((d) => textAt(doc.text, d)), ['installer']);
    });
});

/**
 * The gate's niceness rule, written from openstack-doc-test's description (Python 2 regular
 * expressions on byte lines), run by Python: the lines it flags, per message.
 */
const GATE_REFERENCE = String.raw`
import re, sys, json
data = open(sys.argv[1], 'rb').read()
names = b'listitem|para|td|th|command|literal|title|caption|filename|userinput|programlisting'
word = rb'[\w\-().:!?{}\[\]]'
rules = [re.compile(rb'.*\s+\n$'), re.compile(rb'.*<(' + names + rb')>\s+' + word + rb'+.*\n'), re.compile(rb'.*' + word + rb'+\s+</(' + names + rb')>.*\n')]
out = {'whitespace': [], 'tab': [], 'nbsp': [], 'final_newline': not data.endswith(b'\n')}
for n, line in enumerate(data.splitlines(True), 1):
    if b'\t' in line: out['tab'].append(n)
    if b'\xc2\xa0' in line: out['nbsp'].append(n)
    if any(r.match(line) for r in rules): out['whitespace'].append(n)
print(json.dumps(out))
`;

function python(): string | undefined {
    for (const p of ['/usr/bin/python3', 'python3']) if (spawnSync(p, ['-c', 'pass']).status === 0) return p;
    return undefined;
}

const NICE_FIXTURE = [
    `<chapter ${NS} xml:id="ch">`,
    '  <title> Leading space</title>',
    '  <para>Trailing space </para>   ',
    '  <para>\tTab after the tag</para>',
    '  <para xml:id="p1"> with attributes the gate did not look at</para>',
    '  <para> <emphasis>nor at a tag after the space</emphasis></para>',
    '  <para>',
    '    spaces on the next line are indentation',
    '  </para>',
    '  <para>word before the end tag  </para>',
    '  <para>(brackets) count as words: ] </para>',
    '  <screen><userinput> nova list</userinput></screen>',
    '  <para>no\u00a0break and two\u00a0\u00a0in a row</para>',
    '\t',
    '',
    '  <para>CR LF is a line break, not trailing whitespace</para>\r',
    '  <para>but a space before it is</para> \r',
    '</chapter>',
].join('\n');

/** The fixture's line that ends with CR LF and nothing else. */
const CRLF_LINE = 16;

describe('gate checks: niceness', () => {
    it('flags the very lines openstack-doc-test flags (checked against its rule run by Python)', async function () {
        const py = python();
        if (!py) skipBecause(this, 'python3 is not installed');
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'niceness-'));
        try {
            const file = path.join(tmp, 'ch.xml');
            fs.writeFileSync(file, NICE_FIXTURE);
            const script = path.join(tmp, 'gate.py');
            fs.writeFileSync(script, GATE_REFERENCE);
            const r = spawnSync(py!, [script, file], { encoding: 'utf8' });
            assert.strictEqual(r.status, 0, r.stderr);
            const reference = JSON.parse(r.stdout) as { whitespace: number[]; tab: number[]; nbsp: number[]; final_newline: boolean };
            const doc = await open(NICE_FIXTURE);
            const found = gateOnly(await doc.diagnostics());
            const lines = (...codes: string[]): number[] =>
                [...new Set(found.filter((d) => codes.includes(String(d.code))).map((d) => d.range.start.line + 1))].sort((a, b) => a - b);
            // The one deliberate difference: the gate read CR LF as trailing whitespace (every line of a
            // file checked out with CR LF); here it is a line break.
            assert.ok(reference.whitespace.includes(CRLF_LINE));
            assert.deepStrictEqual(lines('trailing-whitespace', 'inner-whitespace'), reference.whitespace.filter((n) => n !== CRLF_LINE));
            assert.deepStrictEqual(lines('tab'), reference.tab);
            assert.deepStrictEqual(lines('nbsp'), reference.nbsp);
            assert.strictEqual(lines('final-newline').length > 0, reference.final_newline);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it('places each finding on the characters to fix, with a message that names it; warnings in the editor', async () => {
        const doc = await open(NICE_FIXTURE);
        const found = gateOnly(await doc.diagnostics());
        const shown = found.map((d) => [d.code, d.range.start.line + 1, JSON.stringify(textAt(doc.text, d)), d.message]);
        assert.deepStrictEqual(shown, [
            ['trailing-whitespace', 3, '"   "', 'Trailing whitespace'],
            ['trailing-whitespace', 14, '"\\t"', 'Trailing whitespace'],
            ['trailing-whitespace', 17, '" "', 'Trailing whitespace'],
            ['tab', 4, '"\\t"', 'Tab character: indent with spaces'],
            ['tab', 14, '"\\t"', 'Tab character: indent with spaces'],
            ['nbsp', 13, '"\u00a0"', 'Literal no-break space (U+00A0): write &nbsp; so that it shows in the source'],
            ['nbsp', 13, '"\u00a0\u00a0"', 'Literal no-break space (U+00A0): write &nbsp; so that it shows in the source'],
            ['inner-whitespace', 2, '" "', 'Whitespace right after <title>'],
            ['inner-whitespace', 4, '"\\t"', 'Whitespace right after <para>'],
            ['inner-whitespace', 12, '" "', 'Whitespace right after <userinput>'],
            ['inner-whitespace', 3, '" "', 'Whitespace right before </para>'],
            ['inner-whitespace', 10, '"  "', 'Whitespace right before </para>'],
            ['inner-whitespace', 11, '" "', 'Whitespace right before </para>'],
            ['final-newline', 18, '">"', 'No newline at the end of the file'],
        ]);
        assert.ok(found.every((d) => d.severity === DiagnosticSeverity.Warning));
    });

    it('each quick fix removes its finding and nothing else; "fix all" removes every one of its code', async () => {
        for (const code of ['trailing-whitespace', 'tab', 'nbsp', 'inner-whitespace', 'final-newline']) {
            const doc = await open(NICE_FIXTURE);
            const before = gateOnly(await doc.diagnostics());
            const first = before.find((d) => d.code === code)!;
            const actions = await actionsFor(doc, first);
            assert.ok(actions[0].isPreferred, `${code}: the single fix is preferred`);
            await doc.apply(actions[0]);
            const after = gateOnly(await doc.diagnostics());
            assert.strictEqual(after.filter((d) => d.code === code).length, before.filter((d) => d.code === code).length - 1, `${code}: one fewer`);
            const all = actions.find((a) => /\ball\b/.test(a.title));
            if (code === 'final-newline') {
                assert.strictEqual(all, undefined);
                continue;
            }
            assert.ok(all, `${code}: a fix-all action`);
            const fresh = await open(NICE_FIXTURE);
            await fresh.apply(all);
            assert.deepStrictEqual((await fresh.diagnostics()).filter((d) => d.code === code), [], `${code}: none left after fix all`);
            // Whitespace fixes change whitespace only; the nbsp fix writes the same character as a reference.
            const squeeze = (s: string): string => s.replace(/&#160;|&nbsp;/g, '\u00a0').replace(/[ \t\r\n]+/g, '');
            assert.strictEqual(squeeze(fresh.text), squeeze(NICE_FIXTURE), `${code}: only whitespace changed`);
        }
    });

    it('tabs become spaces to the next tab stop of 8 columns, as they were shown', async () => {
        const doc = await open(`<chapter ${NS}>\n<programlisting>a\tb\n\t\tc</programlisting>\n</chapter>\n`);
        const tabs = (await doc.diagnostics()).filter((d) => d.code === 'tab');
        const all = (await actionsFor(doc, tabs[0])).find((a) => /\ball\b/.test(a.title))!;
        await doc.apply(all);
        assert.match(doc.text, /<programlisting>a {7}b\n {16}c</);
    });

    it('a no-break space becomes &nbsp; where the DOCTYPE declares it, else &#160;: the file stays well-formed', async () => {
        const declared = `<!DOCTYPE chapter [<!ENTITY nbsp "&#160;">]>\n<chapter ${NS}><title>T</title><para>a\u00a0b</para></chapter>\n`;
        for (const [text, written] of [[declared, '&nbsp;'], [`<chapter ${NS}><title>T</title><para>a\u00a0b</para></chapter>\n`, '&#160;']]) {
            const doc = await open(text);
            const [d] = (await doc.diagnostics()).filter((x) => x.code === 'nbsp');
            await doc.apply((await actionsFor(doc, d))[0]);
            assert.ok(doc.text.includes(`a${written}b`), doc.text);
            assert.deepStrictEqual((await doc.diagnostics()).map((x) => x.code), []);
        }
    });

    it('a no-break space inside CDATA gets no fix: a reference there would be literal text', async () => {
        const doc = await open(`<chapter ${NS}><programlisting><![CDATA[a\u00a0b]]></programlisting><para>c\u00a0d</para></chapter>\n`);
        const found = (await doc.diagnostics()).filter((d) => d.code === 'nbsp');
        assert.strictEqual(found.length, 2);
        assert.deepStrictEqual(await actionsFor(doc, found[0]), []);
        const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        const [fixAll] = await doc.service.codeActions(doc.uri, range, [], [CodeActionKind.SourceFixAll]);
        await doc.apply(fixAll);
        assert.ok(doc.text.includes('<![CDATA[a\u00a0b]]>') && doc.text.includes('c&#160;d'), doc.text);
    });

    it('source.fixAll fixes every niceness finding of the file in one edit (tabs inside removed whitespace are just removed)', async () => {
        const doc = await open(NICE_FIXTURE);
        const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        assert.deepStrictEqual((await doc.service.codeActions(doc.uri, range, [])).length, 0, 'nothing unasked');
        const [fixAll] = await doc.service.codeActions(doc.uri, range, [], [CodeActionKind.SourceFixAll]);
        assert.strictEqual(fixAll.kind, CodeActionKind.SourceFixAll);
        await doc.apply(fixAll);
        assert.deepStrictEqual(gateOnly(await doc.diagnostics()), []);
        assert.deepStrictEqual(findNiceness(doc.text), []);
        assert.deepStrictEqual(await doc.service.codeActions(doc.uri, range, [], [CodeActionKind.SourceFixAll]), [], 'nothing left to fix');
        // A code turned off is not fixed either.
        const off = await open(NICE_FIXTURE, { diagnostics: { ...defaultSettings().diagnostics, 'trailing-whitespace': false } });
        const [partial] = await off.service.codeActions(off.uri, range, [], [CodeActionKind.SourceFixAll]);
        await off.apply(partial);
        assert.deepStrictEqual([...new Set(findNiceness(off.text).map((f) => f.code))], ['trailing-whitespace']);
    });

    it('an empty file, and a file of one line with its newline, have nothing to say', () => {
        assert.deepStrictEqual(findNiceness(''), []);
        assert.deepStrictEqual(findNiceness('<chapter/>\n'), []);
    });
});

describe('gate checks: settings and cost', () => {
    it('each code can be turned off or given a severity', async () => {
        const text = `<chapter ${NS}>\n<section><title>T</title><para>a </para>\t</section></chapter>`;
        const settings = { diagnostics: { ...defaultSettings().diagnostics, 'section-id': 'warning' as const, 'tab': false, 'final-newline': 'error' as const } };
        const doc = await open(text, settings);
        const found = gateOnly(await doc.diagnostics()).map((d) => [d.code, d.severity]);
        assert.deepStrictEqual(found, [
            ['section-id', DiagnosticSeverity.Warning],
            ['inner-whitespace', DiagnosticSeverity.Warning],
            ['final-newline', DiagnosticSeverity.Error],
        ]);
    });

    it('they add no file to those an edit re-checks: whitespace edits affect what any text edit affects', async () => {
        const chapter = (body: string): string => `<chapter ${NS} xml:id="ch"><title>C</title>${body}</chapter>\n`;
        const fx = await serviceOn({ 'bk.xml': `<book ${NS}><title>B</title><xi:include href="ch.xml"/></book>\n`, 'ch.xml': chapter('<para>x</para>') });
        const uri = fx.uri('ch.xml');
        await fx.service.openDocument(uri, chapter('<para>x</para>'), 1);
        const byWords = await fx.service.changeDocument(uri, chapter('<para>y</para>'), 2);
        const bySpaces = await fx.service.changeDocument(uri, chapter('<para>y </para>\t<section/>  \n'), 3);
        assert.deepStrictEqual(bySpaces, byWords);
        assert.deepStrictEqual(gateOnly(await fx.service.diagnostics(uri)).map((d) => d.code), ['section-id', 'trailing-whitespace', 'tab', 'inner-whitespace']);
    });
});

describe('gate checks on the corpus (which passed the gate)', function () {
    this.timeout(120_000);

    it('counts per tree: no section-id, profile-conflict or whitespace finding; final-newline only in files older than that check', async function () {
        requireCorpus(this);
        const counts: Record<string, Record<string, number>> = {};
        for (const tree of ['training-guides', 'security-guide-2014', 'ha-guide']) {
            const files = Object.fromEntries(listXml(path.join(CORPUS, tree)).map((f) => [path.relative(CORPUS, f), fs.readFileSync(f)]));
            const fx = await serviceOn(files);
            const perCode: Record<string, number> = {};
            for (const rel of Object.keys(files)) {
                for (const d of gateOnly(await fx.service.diagnostics(fx.uri(rel)))) perCode[String(d.code)] = (perCode[String(d.code)] ?? 0) + 1;
            }
            counts[tree] = perCode;
            // The same count straight from the bytes: a file whose last byte is not a newline.
            const unterminated = Object.values(files).filter((b) => b.length && b[b.length - 1] !== 0x0a).length;
            assert.strictEqual(perCode['final-newline'] ?? 0, unterminated, tree);
        }
        // openstack-doc-test added the final-newline check in October 2014 and ran niceness on changed files only.
        assert.deepStrictEqual(counts, { 'training-guides': { 'final-newline': 14 }, 'security-guide-2014': {}, 'ha-guide': {} });
    });
});

// ---- docbook-check ------------------------------------------------------------------------------

const BIN = path.resolve(__dirname, '../../../bin/docbook-check.js');

interface CheckReport {
    diagnostics: { file: string; line: number; severity: string; code: string; message: string }[];
    summary: { errors: number; warnings: number };
    changedSince?: { ref: string; changed: string[]; deleted: string[]; books: string[] };
}

function check(args: string[], cwd: string): { status: number | null; report?: CheckReport; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [BIN, '--format', 'json', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
    if (r.error) throw r.error;
    let report: CheckReport | undefined;
    try {
        report = JSON.parse(r.stdout) as CheckReport;
    } catch { /* a usage error prints no report */ }
    return { status: r.status, report, stdout: r.stdout, stderr: r.stderr };
}

function git(cwd: string, ...args: string[]): string {
    const r = spawnSync('git', ['-c', 'user.name=Gate Test', '-c', 'user.email=gate@example.org', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
    assert.strictEqual(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
}

/**
 * The books a set of files reaches through includes, worked out apart from the index: every
 * xi:include href of the tree resolved against its file, followed up to files whose root is a book or set.
 */
function booksReaching(root: string, files: string[]): string[] {
    const includedBy = new Map<string, string[]>();
    for (const f of listXml(root)) {
        const text = fs.readFileSync(f, 'utf8');
        for (const m of text.matchAll(/<xi:include\b[^>]*?\bhref="([^"]+)"/g)) {
            if (/^[a-z]+:/.test(m[1])) continue;
            const target = path.resolve(path.dirname(f), m[1]);
            includedBy.set(target, [...(includedBy.get(target) ?? []), f]);
        }
    }
    const seen = new Set<string>(files);
    const queue = [...files];
    while (queue.length) for (const g of includedBy.get(queue.pop()!) ?? []) if (!seen.has(g)) { seen.add(g); queue.push(g); }
    return [...seen].filter((f) => fs.existsSync(f) && /^(book|set)$/.test(rootElement(fs.readFileSync(f, 'utf8')) ?? '')).sort();
}

describe('docbook-check: the gate\'s severities and --changed-since', function () {
    this.timeout(300_000);
    let tmp: string;

    before(function () {
        requireCorpus(this);
        if (spawnSync('git', ['--version']).status !== 0) skipBecause(this, 'git is not installed');
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-check-'));
    });
    after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

    it('niceness findings are errors in docbook-check unless the settings give them a severity', () => {
        const dir = path.join(tmp, 'severities');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'ch.xml'), `<chapter ${NS} xml:id="c"><title>C</title>\n\t<para>x </para>\n</chapter>`);
        const strict = check(['.'], dir);
        assert.strictEqual(strict.status, 1, strict.stderr);
        assert.deepStrictEqual(strict.report!.diagnostics.map((d) => [d.code, d.severity]).sort(), [['final-newline', 'error'], ['inner-whitespace', 'error'], ['tab', 'error']]);
        fs.writeFileSync(path.join(dir, '.docbook.json'), JSON.stringify({ diagnostics: { 'tab': 'warning', 'inner-whitespace': true, 'final-newline': false } }));
        const relaxed = check(['.'], dir);
        assert.strictEqual(relaxed.status, 1);
        assert.deepStrictEqual(relaxed.report!.diagnostics.map((d) => [d.code, d.severity]).sort(), [['inner-whitespace', 'error'], ['tab', 'warning']]);
    });

    it('--changed-since REF: the changed files, the books that include them, and the includes and images of deleted files', () => {
        const repo = path.join(tmp, 'repo');
        fs.cpSync(path.join(CORPUS, 'training-guides'), repo, { recursive: true });
        git(repo, 'init', '-q');
        git(repo, 'add', '-A');
        git(repo, 'commit', '-q', '-m', 'base');
        git(repo, 'tag', 'base');
        const guides = path.join(repo, 'doc/training-guides');
        // One committed change, one change left in the working tree, deletions and an untracked file.
        const chapter = path.join(guides, 'associate-guide/ch_associate-assessment.xml');
        fs.writeFileSync(chapter, fs.readFileSync(chapter, 'utf8').replace(/<\/chapter>\s*$/, '  <section><title>New</title><para>Text </para></section>\n</chapter>\n'));
        git(repo, 'commit', '-q', '-am', 'a section');
        const quiz = path.join(guides, 'associate-guide/ch_associate-compute-node-quiz.xml');
        fs.appendFileSync(quiz, '\n');
        const deletedSection = path.join(guides, 'common/section_brief-overview.xml');
        const deletedImage = path.join(guides, 'figures/image29.png');
        fs.rmSync(deletedSection);
        git(repo, 'rm', '-q', path.relative(repo, deletedImage));
        // A changed image reaches the books of the files that show it.
        const image = path.join(guides, 'figures/image27.png');
        fs.appendFileSync(image, Buffer.from([0]));
        const imageShownBy = listXml(repo).filter((f) => fs.readFileSync(f, 'utf8').includes('image27.png'));
        const untracked = path.join(guides, 'associate-guide/ch_new.xml');
        fs.writeFileSync(untracked, `<chapter ${NS} xml:id="ch_new"><title>New</title>\n\t<para>x</para>\n</chapter>\n`);

        const r = check(['--changed-since', 'base', 'doc'], repo);
        assert.strictEqual(r.status, 1, r.stderr);
        const report = r.report!;
        const rel = (f: string): string => path.relative(repo, f).split(path.sep).join('/');
        assert.deepStrictEqual(report.changedSince!.changed, [chapter, quiz, untracked].map(rel).sort());
        assert.deepStrictEqual(report.changedSince!.deleted, [deletedSection, deletedImage].map(rel).sort());
        assert.deepStrictEqual(report.changedSince!.books, booksReaching(repo, [chapter, quiz, untracked, ...imageShownBy]).map(rel));
        const withoutImage = booksReaching(repo, [chapter, quiz, untracked]);
        assert.ok(withoutImage.length >= 2, 'the associate guide and the set that includes it');
        assert.ok(report.changedSince!.books.length > withoutImage.length, 'and the operator guide, through the image');

        const codesIn = (f: string): string[] => report.diagnostics.filter((d) => d.file === rel(f)).map((d) => `${d.severity} ${d.code}`).sort();
        assert.deepStrictEqual(codesIn(chapter), ['error inner-whitespace', 'error section-id']);
        assert.deepStrictEqual(codesIn(quiz), [], 'its final newline was added: nothing left');
        assert.deepStrictEqual(codesIn(untracked), ['error tab']);
        // Every file that includes the deleted section, changed or not, in a book or not.
        const includers = listXml(repo).filter((f) => fs.readFileSync(f, 'utf8').includes('section_brief-overview.xml'));
        assert.ok(includers.length >= 3);
        const deletions = report.diagnostics.filter((d) => /deleted since base/.test(d.message));
        assert.deepStrictEqual(deletions.filter((d) => d.code === 'missing-include').map((d) => d.file).sort(), includers.map(rel).sort());
        const imageUsers = listXml(repo).filter((f) => fs.readFileSync(f, 'utf8').includes('image29.png'));
        assert.deepStrictEqual(deletions.filter((d) => d.code === 'missing-image').map((d) => d.file), imageUsers.map(rel));
        assert.ok(deletions.every((d) => d.severity === 'error'));
        assert.match(deletions.find((d) => d.code === 'missing-image')!.message, /^Image \.\.\/figures\/image29\.png was deleted since base/);
        // Unchanged files of the books answer for what breaks a build, not for the gate's per-file checks:
        // the files without a final newline (13 besides the quiz) are not reported.
        assert.ok(!report.diagnostics.some((d) => d.code === 'final-newline'));
        const whole = check(['doc'], repo).report!;
        assert.strictEqual(whole.diagnostics.filter((d) => d.code === 'final-newline').length, 13);
    });

    it('--changed-since: nothing changed is a pass; a bad ref or no git checkout is a usage error', () => {
        const repo = path.join(tmp, 'clean');
        fs.cpSync(path.join(CORPUS, 'ha-guide'), repo, { recursive: true });
        git(repo, 'init', '-q');
        git(repo, 'add', '-A');
        git(repo, 'commit', '-q', '-m', 'base');
        const clean = check(['--changed-since', 'HEAD', '.'], repo);
        assert.strictEqual(clean.status, 0, clean.stderr);
        assert.deepStrictEqual(clean.report!.diagnostics, []);
        assert.deepStrictEqual(clean.report!.changedSince, { ref: 'HEAD', changed: [], deleted: [], books: [] });
        const bad = check(['--changed-since', 'no-such-ref', '.'], repo);
        assert.strictEqual(bad.status, 2);
        assert.match(bad.stderr, /^docbook-check: --changed-since: "no-such-ref" is not a commit of /);
        const notGit = path.join(tmp, 'not-git');
        fs.cpSync(path.join(CORPUS, 'ha-guide'), notGit, { recursive: true });
        const none = check(['--changed-since', 'HEAD', '.'], notGit);
        assert.strictEqual(none.status, 2);
        assert.match(none.stderr, /^docbook-check: --changed-since needs a git checkout/);
    });
});
