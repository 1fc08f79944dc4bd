// Small helpers shared by tests.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { computeLineStarts, offsetAt, Position, positionAt } from '../server/src/core/lineMap';
import { parseXml, XmlElement } from '../server/src/core/xmlParser';
import type { FeatureContext } from '../server/src/features/context';
import type { WorkspaceIndex } from '../server/src/index/workspaceIndex';
import type { DocbookLanguageService } from '../server/src/languageService';
import { InMemoryWorkspace } from '../server/src/workspace';

/** What a feature answers from, for tests that drive one feature on an index of their own. */
export function contextOf(index: WorkspaceIndex): FeatureContext {
    return { index, workspace: index['workspace'] };
}

/**
 * The index behind a service, for tests of the index itself (its tables, include states, books);
 * production code asks the service's queries instead.
 */
export function indexBehind(service: DocbookLanguageService): WorkspaceIndex {
    return service['index'];
}

/** A small deterministic generator, so that a failure can be replayed. */
export function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
        s = (s * 1664525 + 1013904223) >>> 0;
        return s / 2 ** 32;
    };
}

/** Where the words of a text's text nodes start (the first non-blank of each): where an author types. */
export function textPointsOf(text: string): number[] {
    const points: number[] = [];
    const visit = (el: XmlElement): void => {
        for (const c of el.children) {
            if (c.kind === 'element') visit(c);
            else if (c.kind === 'text' && /\S/.test(text.slice(c.start, c.end))) points.push(c.start + text.slice(c.start, c.end).search(/\S/));
        }
    };
    const root = parseXml(text).root;
    if (root) visit(root);
    return points;
}

export function lineMapOf(text: string): { positionAt(offset: number): Position; offsetAt(p: Position): number } {
    const starts = computeLineStarts(text);
    return { positionAt: (o) => positionAt(starts, o), offsetAt: (pos) => offsetAt(starts, pos, text.length) };
}

// The CLIs and docbook-ls keep an index cache: tests (and the bins they start) must never write the
// user's ~/.cache. scripts/run-tests.mjs gives each run a temporary folder; a mocha run started by
// hand gets one here, removed when it ends.
if (!process.env.DOCBOOK_OPENSTACK_CACHE_DIR) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-test-cache-'));
    process.env.DOCBOOK_OPENSTACK_CACHE_DIR = dir;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}

/**
 * The real OpenStack trees: $DOCBOOK_CORPUS if set, else `shared/corpus` beside the repository (CI lays
 * a copy there too), else /work/shared/corpus.
 */
export const CORPUS = ((): string => {
    if (process.env.DOCBOOK_CORPUS) return path.resolve(process.env.DOCBOOK_CORPUS);
    const besideRepo = path.resolve(__dirname, '../../../shared/corpus');
    return fs.existsSync(besideRepo) ? besideRepo : '/work/shared/corpus';
})();

/**
 * Skips the calling test, or every test of the calling hook's suite, and tells test/countingReporter.ts
 * why: its closing line counts the skipped tests under each reason, so a run that skipped a tier does
 * not look the same as one that ran it.
 */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
    const runnable = ctx.runnable();
    // A `before` hook skips its whole suite; a test or a `beforeEach` hook only that test.
    const beforeAll = runnable.title.startsWith('"before all" hook');
    Object.assign(beforeAll ? runnable.parent! : (ctx.currentTest ?? runnable), { skipReason: reason });
    ctx.skip();
}

/** Skips like skipBecause when the corpus (or the given tree of it) is not there. */
export function requireCorpus(ctx: Mocha.Context, tree = CORPUS): void {
    if (!fs.existsSync(tree)) skipBecause(ctx, `corpus not found at ${CORPUS}`);
}

/** Every *.xml file under a folder, for tests and benchmarks over real trees. */
export function listXml(dir: string): string[] {
    const out: string[] = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...listXml(p));
        else if (e.name.endsWith('.xml')) out.push(p);
    }
    return out;
}

/**
 * A copy of a tree that libxml2 (xmllint, xsltproc) can assemble: the books' non-standard xpath()
 * xpointers rewritten to the xpointer() scheme, which selects the same nodes.
 */
export function copyWithXpointerScheme(src: string, dest: string): void {
    fs.cpSync(src, dest, { recursive: true });
    const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith('.xml')) {
                fs.chmodSync(p, 0o644);
                const text = fs.readFileSync(p, 'utf8');
                // Only in the xpointer attribute of real include tags: the guides also show such includes as literal text.
                const rewritten = text.replace(/(<xi:include\b[^>]*?xpointer\s*=\s*["'][^"']*?)xpath\(/g, '$1xpointer(');
                if (rewritten !== text) fs.writeFileSync(p, rewritten);
            }
        }
    };
    walk(dest);
}

/** docbook-check refused its input: exit 2, nothing on stdout, one matching line on stderr, no stack trace. */
export function assertOneUsageLine(r: { status: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
    assert.strictEqual(r.status, 2, `exit status (stderr: ${r.stderr})`);
    assert.strictEqual(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.strictEqual(lines.length, 1, `one line: ${r.stderr}`);
    assert.match(lines[0], /^docbook-check: /);
    assert.match(lines[0], pattern);
    assert.doesNotMatch(r.stderr, /^\s+at |internal error/m);
}

/** The root element's local name: the first start tag after the prolog. */
export function rootElement(text: string): string | undefined {
    const body = text
        .replace(/<\?[\s\S]*?\?>/g, '')
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\]\s*)?>/, '');
    return /<(?:[\w.-]+:)?([\w.-]+)[\s>/]/.exec(body)?.[1];
}

/** An in-memory copy of corpus trees: a service reads it, nothing on disk is touched. */
export function memoryCopy(trees: string[]): { ws: InMemoryWorkspace; folders: string[] } {
    const ws = new InMemoryWorkspace();
    const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.isFile()) ws.write(p, fs.readFileSync(p));
        }
    };
    const folders = trees.map((t) => path.join(CORPUS, t));
    for (const f of folders) walk(f);
    return { ws, folders };
}
