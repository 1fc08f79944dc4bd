// docbook-ls from a second real editor: Neovim's built-in LSP client (nvim --headless) runs
// test/lsp/nvim-probe.lua against `docbook-ls --stdio` on a copy of a real tree, so the server
// stays editor-neutral (no VS Code-only assumptions in initialize, positions or results).

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CORPUS, REPO_ROOT } from './lspClient';
import { requireCorpus, skipBecause } from '../helpers';

interface Position { line: number; character: number }
interface Range { start: Position; end: Position }
interface ProbeReport {
    initialized: boolean;
    error?: string;
    responses: { method: string; result: unknown; error: unknown }[];
}

function nvimAvailable(): boolean {
    return spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
}

function xmlFilesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? xmlFilesUnder(p) : e.name.endsWith('.xml') ? [p] : [];
    });
}

function positionAt(text: string, offset: number): Position {
    const lines = text.slice(0, offset).split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

function contains(range: Range, p: Position): boolean {
    const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
    return after(p, range.start) && after(range.end, p);
}

function runProbe(root: string, file: string, requests: { method: string; line: number; character: number }[]): ProbeReport {
    const out = path.join(root, '..', 'probe-result.json');
    const run = spawnSync('nvim', ['--headless', '--clean', '-n', '-u', 'NONE', '-c', `luafile ${path.join(REPO_ROOT, 'test/lsp/nvim-probe.lua')}`], {
        encoding: 'utf8',
        timeout: 90000,
        env: {
            ...process.env,
            PROBE_SERVER: JSON.stringify([process.execPath, path.join(REPO_ROOT, 'bin/docbook-ls.js'), '--stdio']),
            PROBE_ROOT: root,
            PROBE_FILE: file,
            PROBE_REQUESTS: JSON.stringify(requests),
            PROBE_OUT: out,
        },
    });
    assert.ok(fs.existsSync(out), `nvim wrote no result (exit ${run.status}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as ProbeReport;
}

describe('docbook-ls in Neovim', function () {
    this.timeout(120000);
    let tmp: string;

    before(function () {
        if (!nvimAvailable()) {
            skipBecause(this, 'nvim not installed (apt-get install -y --no-install-recommends neovim)');
        }
        requireCorpus(this, path.join(CORPUS, 'ha-guide'));
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-nvim-'));
    });
    after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

    it('answers definition across an XInclude and id completion on a real chapter', () => {
        const root = path.join(tmp, 'ha-guide');
        fs.cpSync(path.join(CORPUS, 'ha-guide'), root, { recursive: true });
        const files = xmlFilesUnder(root).map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }));
        // ids defined once, by file; then a linkend in one file to an id of another.
        const defined = new Map<string, { file: string; offset: number }[]>();
        for (const { f, text } of files) {
            for (const m of text.matchAll(/\sxml:id="([^"]+)"/g)) defined.set(m[1], [...(defined.get(m[1]) ?? []), { file: f, offset: m.index! + m[0].indexOf('"') + 1 }]);
        }
        let pick: { file: string; text: string; offset: number; id: string; target: { file: string; offset: number } } | undefined;
        for (const { f, text } of files) {
            for (const m of text.matchAll(/\slinkend="([^"]+)"/g)) {
                const d = defined.get(m[1]);
                if (d?.length === 1 && d[0].file !== f) { pick = { file: f, text, offset: m.index! + m[0].indexOf('"') + 1, id: m[1], target: d[0] }; break; }
            }
            if (pick) break;
        }
        assert.ok(pick, 'ha-guide has no linkend to another file');
        const inValue = positionAt(pick.text, pick.offset + 1);
        const valueStart = positionAt(pick.text, pick.offset);

        const report = runProbe(root, pick.file, [
            { method: 'textDocument/definition', ...inValue },
            { method: 'textDocument/completion', ...valueStart },
        ]);
        assert.strictEqual(report.error, undefined, report.error);
        assert.ok(report.initialized);
        const [definition, completion] = report.responses;
        assert.strictEqual(definition.error, null, JSON.stringify(definition.error));
        assert.strictEqual(completion.error, null, JSON.stringify(completion.error));

        // Neovim announces linkSupport, so LocationLinks come back (a Location is accepted too).
        const found = (definition.result as ({ uri: string; range: Range } | { targetUri: string; targetSelectionRange: Range })[])
            .map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange } : l));
        assert.strictEqual(found.length, 1, JSON.stringify(found));
        assert.strictEqual(found[0].uri, pathToFileURL(pick.target.file).href);
        const targetText = fs.readFileSync(pick.target.file, 'utf8');
        assert.ok(contains(found[0].range, positionAt(targetText, pick.target.offset)), `${JSON.stringify(found[0].range)} does not hold xml:id="${pick.id}"`);

        const result = completion.result as { items: { label: string }[] } | { label: string }[];
        const items = Array.isArray(result) ? result : result.items;
        const labels = items.map((i) => i.label);
        assert.ok(labels.includes(pick.id), `${pick.id} not offered: ${labels.slice(0, 10).join(', ')}`);
        assert.deepStrictEqual(labels.filter((l) => !defined.has(l)), [], 'offered values that no xml:id defines');
    });
});
