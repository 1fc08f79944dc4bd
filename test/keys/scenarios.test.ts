// Keystroke scenarios: a real VS Code (code-server + headless Chromium) on a copy of one corpus
// tree (DOCBOOK_KEYS_TREE), driven from outside with real key events. Each scenario types, asserts
// what the editor SHOWS (suggest rows, hover, Problems panel, tabs and status bar, the preview's
// DOM, the Books view) and undoes its typing. Expected values come from the tree's files, and what
// the schema allows or reports from Jing (the reference validator) on copies of them.
// Run: node node_modules/mocha/bin/mocha.js --no-config --timeout 60000 out/test/keys/scenarios.test.js
// (scripts/run-tests.mjs keys runs it on each corpus tree).

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { skipBecause } from '../helpers';
import { corpusTree } from '../vscode/codeServer';
import { BookRow, ProblemRow, waitFor, Workbench } from './driver';
import { jingMissing, jingOnInsertions, SchemaSpot, schemaElementNames, schemaSpotIn, textElementsAt } from './schemaFacts';
import { firstTitle, lineCol, plainText, TreeFacts, XmlFile } from './treeFacts';

const TREE = path.resolve(process.env.DOCBOOK_KEYS_TREE ?? corpusTree('ha-guide') ?? 'ha-guide');
const ORPHAN = 'ch_keys_orphan.xml';

/** skipBecause (the closing line gives the reason), with the reason also under the test's title. */
function skip(ctx: Mocha.Context, reason: string): never {
    console.log(`        skipped: ${reason}`);
    skipBecause(ctx, reason);
}

const facts = new TreeFacts(TREE);
const inBooks = facts.inBooks();
/** Chapters of a book that have a paragraph to type into and ids of their own, largest first. */
const chapters = facts.files
    .filter((f) => inBooks.has(f.path) && (f.root === 'chapter' || f.root === 'section') && facts.paragraphLineIn(f) && facts.idsOf(f).length >= 2)
    .sort((a, b) => b.text.length - a.text.length);
const glossary = facts.glossaryTerms();
/**
 * A chapter of a book with a glossary in reach, and that glossary's terms: the book's own
 * glossentries and the glossary collection the build passes in (found from the book's folder).
 * None on security-guide-2014: its book pulls in ../glossary/glossary-terms.xml, which the tree lacks.
 */
const glossed = ((): { file: XmlFile; terms: string[]; closure: Set<string> } | undefined => {
    for (const book of facts.books()) {
        const closure = facts.closureOf(book.path);
        const collection = facts.collectionFor(book.path);
        const terms = facts.termsIn(collection ? new Set([...closure, collection]) : closure);
        const file = chapters.find((c) => closure.has(c.path));
        if (terms.length && file) return { file, terms, closure: collection ? new Set([...closure, collection]) : closure };
    }
    return undefined;
})();
/** The tree's glossary definitions (the first paragraph of each glossdef), by term. */
const glossaryDefinitions = (): Map<string, string> => {
    const entries = new Map<string, string>();
    for (const f of facts.files) {
        for (const e of f.text.matchAll(/<glossentry\b[\s\S]*?<\/glossentry>/g)) {
            const t = /<glossterm(?:\s[^>]*)?>([\s\S]*?)<\/glossterm>/.exec(e[0]);
            const d = /<glossdef>\s*<para>([\s\S]*?)<\/para>/.exec(e[0]);
            if (t && d && !entries.has(plainText(t[1]))) entries.set(plainText(t[1]), plainText(d[1]));
        }
    }
    return entries;
};
const NO_GLOSSARY = 'no book of this tree has a glossary in reach (its own glossentries or ../glossary/glossary-terms.xml)';
/**
 * Where the chapter no book includes goes (item 10). With a workspace glossary: a folder of its own
 * at the top of the tree, out of the collection's upward reach, so only "any glossary of the
 * workspace" resolves its glossterms. Without one: next to the chapters, and it must say nothing.
 */
const orphanRel = glossary.length ? `keys-drafts/${ORPHAN}` : path.posix.join(path.posix.dirname(chapters[0]?.rel ?? '.'), ORPHAN);
const orphanTerms = (glossary.length ? glossary : facts.glosstermsUsed()).slice(0, 3);

/** A folder's entries as the workspace copy has them: the tree's, and the orphan chapter this suite adds. */
const entriesOf = (dir: string, file: (name: string) => boolean): string[] =>
    [
        ...facts.folderEntries(dir, file),
        ...(path.resolve(TREE, path.dirname(orphanRel)) === dir && file(ORPHAN) ? [ORPHAN] : []),
        ...(orphanRel.includes('/') && path.resolve(TREE) === dir ? [`${orphanRel.split('/')[0]}/`] : []),
    ];

/** The same path in the workspace copy. */
let wb: Workbench;
const rel = (f: XmlFile): string => f.rel;
const lower = (s: string): string => s.toLowerCase();

function assertShows(shown: { labels: string[]; message?: string }, expected: string[], allowed: Set<string>, what: string): void {
    assert.ok(shown.labels.length > 0, `VS Code shows no ${what} (${shown.message ?? 'no rows'}); expected e.g. ${expected.slice(0, 5).join(', ')}`);
    const missing = expected.filter((e) => !shown.labels.includes(e));
    assert.deepStrictEqual(missing, [], `${what}: rows missing (shown: ${shown.labels.slice(0, 10).join(', ')}…)`);
    const foreign = shown.labels.filter((l) => !allowed.has(l));
    assert.deepStrictEqual(foreign, [], `${what}: rows that are not ${what}`);
}

/** A chapter to type in, and the end of one of its paragraph lines. */
function typingSpot(): { file: XmlFile; line: number; col: number } {
    const file = chapters[chapters.length > 1 ? 1 : 0];
    const spot = facts.paragraphLineIn(file)!;
    return { file, line: spot.line, col: spot.endCol };
}

describe(`Keystrokes in VS Code on ${path.basename(TREE)}`, function () {
    this.timeout(60000);

    before(async function () {
        this.timeout(180000);
        assert.ok(chapters.length > 0, `no chapter in a book with a paragraph and ids in ${TREE}`);
        // A chapter that no book includes, with glossterms (item 10) and a broken linkend (so the
        // Problems panel is known to show this file's problems).
        wb = await Workbench.start(TREE, (ws) => {
            fs.mkdirSync(path.join(ws, path.dirname(orphanRel)), { recursive: true });
            fs.writeFileSync(path.join(ws, orphanRel),
                `<?xml version="1.0" encoding="UTF-8"?>\n<chapter xmlns="http://docbook.org/ns/docbook" xmlns:xlink="http://www.w3.org/1999/xlink" version="5.0" xml:id="keys-orphan">\n` +
                `  <title>A chapter no book includes yet</title>\n` +
                orphanTerms.map((t) => `  <para>About <glossterm>${t.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</glossterm>.</para>\n`).join('') +
                `  <para>See <xref linkend="keys-orphan-no-such-id"/>.</para>\n</chapter>\n`);
        });
    });
    after(async () => {
        await wb?.stop();
    });
    afterEach(async function () {
        if (this.currentTest?.state === 'failed' && wb) {
            console.log(`      screenshot: ${await wb.screenshot(this.currentTest.title.replace(/\W+/g, '_').slice(0, 60))}`);
        }
        await wb.escape();
        if (await wb.activeTabDirty()) await wb.undoAll();
    });

    describe('completion while typing', () => {
        const prefixOf = (terms: string[]): string | undefined => {
            // The most common first four letters among the terms: a realistic, well-filled prefix.
            const counts = new Map<string, number>();
            for (const t of terms) if (/^[a-z]{4}/i.test(t)) counts.set(lower(t.slice(0, 4)), (counts.get(lower(t.slice(0, 4))) ?? 0) + 1);
            return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
        };

        const glossCase = (title: string, typed: (prefix: string) => string, after = ''): void => {
            it(title, async function () {
                if (!glossed) skip(this, NO_GLOSSARY);
                const prefix = prefixOf(glossed!.terms)!;
                const spot = facts.paragraphLineIn(glossed!.file)!;
                await wb.open(rel(glossed!.file));
                await wb.goTo(spot.line, spot.endCol);
                await wb.type(typed(prefix) + after);
                for (let i = 0; i < after.length; i++) await wb.press('ArrowLeft');
                const popped = await wb.page.waitForSelector('.monaco-editor .suggest-widget.visible', { timeout: 1500 }).then(() => true, () => false);
                if (!popped) await wb.press('Control+Space');
                const shown = await wb.suggestions();
                assertShows(shown, glossed!.terms.filter((t) => lower(t).startsWith(prefix)), new Set(glossed!.terms), 'glossary terms');
            });
        };
        glossCase('<glossterm>prefix, unclosed (item 1): the glossary terms starting with it', (p) => ` <glossterm>${p}`);
        glossCase('<glossterm>prefix</glossterm>, closed: the glossary terms starting with it', (p) => ` <glossterm>${p}`, '</glossterm>');
        glossCase('<glossterm baseform="prefix: the glossary terms starting with it', (p) => ` <glossterm baseform="${p}`);

        it('the focused glossary term\'s definition shows in the details pane (the documentation is asked for when shown)', async function () {
            if (!glossed) skip(this, NO_GLOSSARY);
            const definitions = glossaryDefinitions();
            const prefix = prefixOf(glossed!.terms.filter((t) => definitions.has(t)))!;
            const spot = facts.paragraphLineIn(glossed!.file)!;
            await wb.open(rel(glossed!.file));
            await wb.goTo(spot.line, spot.endCol);
            await wb.typeAndSuggest(` <glossterm>${prefix}`);
            // Ctrl+Space with the list open shows the focused item's details beside it (pressed again
            // only while no details pane is there: a key that reached the list before it was ready).
            const details = (): Promise<{ open: boolean; label: string; docs: string }> => wb.page.evaluate(() => ({
                open: !!document.querySelector('.suggest-details-container .suggest-details'),
                label: document.querySelector('.monaco-editor .suggest-widget.visible .monaco-list-row.focused .label-name')?.textContent ?? '',
                docs: (document.querySelector('.suggest-details-container .suggest-details .docs') as HTMLElement | null)?.innerText ?? '',
            }));
            for (let tries = 0; tries < 3 && !(await details()).open; tries++) {
                await wb.press('Control+Space');
                await waitFor('the details pane', async () => (await details()).open || undefined, 2000).catch(() => undefined);
            }
            const { label, docs } = await waitFor('the details pane with the focused term\'s documentation', async () => {
                const d = await details();
                return d.label && d.docs.trim() ? d : undefined;
            });
            const definition = definitions.get(label);
            if (definition === undefined) skip(this, `the focused term "${label}" has no glossdef paragraph in the tree`);
            const words = definition!.split(' ').slice(0, 5).join(' ');
            assert.ok(docs.replace(/\s+/g, ' ').includes(words), `the details of "${label}" do not show "${words}": ${docs.slice(0, 300)}`);
        });

        const idCase = (title: string, typed: (prefix: string) => string, after = ''): void => {
            it(title, async () => {
                const { file, line, col } = typingSpot();
                // Ids of this very file are in its book's scope, but for an element the book's include leaves out.
                const leftOut = facts.idsLeftOutByXpointer();
                const ownIds = facts.idsOf(file).filter((id) => !leftOut.has(id));
                const prefix = ownIds[1].slice(0, Math.min(4, ownIds[1].length));
                await wb.open(rel(file));
                await wb.goTo(line, col);
                await wb.type(typed(prefix) + after);
                for (let i = 0; i < after.length; i++) await wb.press('ArrowLeft');
                await wb.press('Control+Space');
                const shown = await wb.suggestions();
                assertShows(shown, ownIds.filter((id) => id.startsWith(prefix)), facts.allIds(), 'ids of the tree');
            });
        };
        idCase('<xref linkend="prefix, no closing quote: the ids starting with it', (p) => ` <xref linkend="${p}`);
        idCase('<xref linkend="prefix"/>, closed: the ids starting with it', (p) => ` <xref linkend="${p}`, '"/>');
        idCase('<xref linkend=prefix, no quotes yet: the ids starting with it', (p) => ` <xref linkend=${p}`);
        idCase('<xref linkend="…" endterm="prefix: the ids starting with it', (p) => ` <xref linkend="${facts.idsOf(typingSpot().file)[0]}" endterm="${p}`);

        it('<xi:include href=" one folder at a time: the folder\'s entries, and accepting a folder re-opens the list in it', async () => {
            const { file, line, col } = typingSpot();
            const dir = path.dirname(file.path);
            const here = entriesOf(dir, (n) => n.endsWith('.xml') && n !== path.basename(file.path));
            await wb.open(rel(file));
            await wb.goTo(line, col);
            const shown = await wb.typeAndSuggest(' <xi:include href="');
            assertShows(shown, here, new Set([...here, '../']), `entries of ${path.basename(dir)}/`);
            // Into a sub-folder if there is one, else up: the list must re-open by itself.
            // (a sub-folder with something to list: one of images only lists nothing)
            const folder = here.find((e) => e.endsWith('/') && entriesOf(path.resolve(dir, e), (n) => n.endsWith('.xml')).length > 0) ?? '../';
            // Typing the folder's name filters the list to it; Enter accepts it.
            if (folder !== '../') await wb.type(folder.slice(0, -1));
            await wb.acceptSuggestion(folder);
            const inner = path.resolve(dir, folder);
            const there = entriesOf(inner, (n) => n.endsWith('.xml') && path.join(inner, n) !== file.path);
            const reopened = await wb.suggestions();
            assertShows(reopened, there, new Set([...there, '../']), `entries of ${folder}`);
        });

        it('<xi:include href="other.xml" xpointer=": the ids of that file', async () => {
            const { file, line, col } = typingSpot();
            const other = chapters.find((c) => c !== file && path.dirname(c.path) === path.dirname(file.path)) ?? chapters.find((c) => c !== file)!;
            const href = path.relative(path.dirname(file.path), other.path).split(path.sep).join('/');
            const ids = facts.idsOf(other);
            await wb.open(rel(file));
            await wb.goTo(line, col);
            const shown = await wb.typeAndSuggest(` <xi:include href="${href}" xpointer="${ids[0].slice(0, 2)}`);
            // The list was asked for at the opening quote, so it also holds the xpath(…'id'…) forms of those ids.
            const xpathForms = ids.map((id) => `xpath(…'${id}'…/*[not(self::db:title)])`);
            assertShows(shown, ids.filter((id) => id.startsWith(ids[0].slice(0, 2))), new Set([...ids, ...xpathForms]), `ids of ${href}`);
        });

        it('<imagedata fileref=": the entries of the folder (any file)', async () => {
            const { file, line, col } = typingSpot();
            const dir = path.dirname(file.path);
            const here = entriesOf(dir, (n) => n !== path.basename(file.path));
            await wb.open(rel(file));
            await wb.goTo(line, col);
            const shown = await wb.typeAndSuggest(' <imagedata fileref="');
            assertShows(shown, here, new Set([...here, '../']), `entries of ${path.basename(dir)}/`);
        });
    });

    describe('the schema while typing', () => {
        // What the schema allows is asked of Jing (test/keys/schemaFacts.ts), on copies of the file.
        let spot: SchemaSpot;
        /** The letters typed after `<`; what the paragraph takes and what its parent takes that it does not, with them. */
        let prefix: string;
        let taken: string[];
        let refused: string[];
        /** An element with that prefix that takes text and needs nothing inside: what Enter inserts is known. */
        let accepted: string;
        /** A misspelt element put right after the paragraph, and Jing's error on it. */
        const MISSPELT = ' <parra>x</parra>';
        let misspeltError: { line: number; message: string };

        before(function () {
            this.timeout(120000);
            const missing = jingMissing();
            if (missing) skip(this, missing);
            const found = schemaSpotIn(TREE, chapters);
            if (!found) skip(this, 'no paragraph of a chapter in a book that Jing can read (a DOCTYPE loads a missing entity file)');
            spot = found!;
            const inPara = new Set(spot.allowedInPara);
            const parentOnly = spot.allowedAfterPara.filter((n) => !inPara.has(n));
            // The one or two letters with the most of both kinds (e.g. "s": systemitem, subscript… and section, simplesect…).
            const prefixes = [...new Set([...inPara, ...parentOnly].flatMap((n) => [n.slice(0, 1), n.slice(0, 2)]))]
                .sort((a, b) => a.length - b.length || a.localeCompare(b));
            const count = (names: string[], p: string): number => names.filter((n) => n.startsWith(p)).length;
            const both = (p: string): number => Math.min(count(spot.allowedInPara, p), count(parentOnly, p));
            prefix = prefixes.reduce((best, p) => (both(p) > both(best) ? p : best), prefixes[0]);
            taken = spot.allowedInPara.filter((n) => n.startsWith(prefix));
            refused = parentOnly.filter((n) => n.startsWith(prefix));
            assert.ok(taken.length > 0 && refused.length > 0, `no prefix names both an element the paragraph takes and one only its parent takes (${parentOnly.join(', ')})`);
            accepted = textElementsAt(TREE, spot.file, spot.inPara.offset, taken)[0];
            assert.ok(accepted, `none of ${taken.join(', ')} takes text with nothing required inside, says Jing`);
            assert.ok(!schemaElementNames().includes('parra'), 'the schema defines "parra"');
            const [errors] = jingOnInsertions(TREE, [{ file: spot.file, offset: spot.afterPara.offset, inserted: MISSPELT }]);
            const error = errors?.find((e) => e.message.includes('"parra"'));
            assert.ok(error, `Jing has no error on "${MISSPELT.trim()}" after the paragraph: ${JSON.stringify(errors)}`);
            misspeltError = error!;
        });

        it('<prefix in a paragraph: the elements the schema takes there (not its parent\'s blocks); Enter inserts one, cursor inside; undo', async () => {
            const original = spot.file.lines[spot.inPara.line - 1];
            await wb.open(rel(spot.file));
            await wb.goTo(spot.inPara.line, spot.inPara.col);
            const shown = await wb.typeAndSuggest(` <${prefix}`);
            // Static snippets came in the same list, and one accepted after `<` gave `<<` (the "section" file template among them).
            assert.deepStrictEqual(shown.labels.filter((_l, i) => shown.kinds[i] === 'snippet'), [], `snippets shown after "<${prefix}"`);
            const elements = shown.labels;
            assertShows({ labels: elements, message: shown.message }, taken, new Set(spot.allowedInPara), `elements the schema allows in that paragraph of ${path.basename(spot.file.path)}`);
            assert.deepStrictEqual(elements.filter((l) => refused.includes(l)), [], `blocks of the paragraph's parent shown after "<${prefix}"`);
            await wb.acceptSuggestion(accepted);
            const inserted = ` <${accepted}></${accepted}>`;
            await waitFor(`"${inserted.trim()}" at the end of line ${spot.inPara.line}`, async () => (await wb.lineText(spot.inPara.line))?.trimEnd() === original + inserted)
                .catch(async (err: Error) => assert.fail(`${err.message}; the line reads "${await wb.lineText(spot.inPara.line)}"`));
            const inside = { line: spot.inPara.line, col: spot.inPara.col + ` <${accepted}>`.length };
            // The status bar follows the cursor a moment after the text.
            await waitFor(`the cursor between <${accepted}> and </${accepted}> (Ln ${inside.line}, Col ${inside.col})`, async () => {
                const at = await wb.cursor();
                return at.line === inside.line && at.col === inside.col;
            }).catch(async (err: Error) => assert.fail(`${err.message}; the status bar reads ${JSON.stringify(await wb.cursor())}`));
            await wb.undoAll();
            await waitFor(`line ${spot.inPara.line} as it was`, async () => (await wb.lineText(spot.inPara.line))?.trimEnd() === original.trimEnd());
        });

        /** Types `typed` right after the paragraph, accepts `note` from the list with Enter: the line then ends `<note>`, one `<`; undone. */
        async function noteAfterParagraph(ctx: Mocha.Context, typed: string, rows: (shown: [string, string][]) => void): Promise<void> {
            if (!spot.allowedAfterPara.includes('note')) skip(ctx, `Jing takes no note after the paragraph of ${path.basename(spot.file.path)}`);
            const original = spot.file.lines[spot.afterPara.line - 1];
            await wb.open(rel(spot.file));
            await wb.goTo(spot.afterPara.line, spot.afterPara.col);
            const shown = await wb.typeAndSuggest(typed);
            rows(shown.labels.map((l, i): [string, string] => [l, shown.kinds[i]]).filter(([l]) => l === 'note'));
            await wb.acceptSuggestion('note');
            // The note's content goes on the next lines: this one ends with the start tag.
            const expected = `${original.slice(0, spot.afterPara.col - 1)} <note>`;
            await waitFor(`line ${spot.afterPara.line} to end with " <note>"`, async () => (await wb.lineText(spot.afterPara.line))?.trimEnd() === expected)
                .catch(async (err: Error) => assert.fail(`${err.message}; the line reads "${await wb.lineText(spot.afterPara.line)}"`));
            await wb.undoAll();
            await waitFor(`line ${spot.afterPara.line} as it was`, async () => (await wb.lineText(spot.afterPara.line))?.trimEnd() === original.trimEnd());
        }

        it('<no after a paragraph, in its section: one "note" row, the schema\'s (no snippet beside it); Enter gives <note>, not <<note>; undo', async function () {
            await noteAfterParagraph(this, ' <no', (notes) => assert.deepStrictEqual(notes, [['note', 'property']], 'the "note" rows after "<no"'));
        });

        it('a bare word "no" after a paragraph: the note snippet; Enter gives <note>; undo', async function () {
            await noteAfterParagraph(this, ' no', (notes) => assert.deepStrictEqual(notes, [['note', 'snippet']], 'the "note" rows after "no"'));
        });

        it('a misspelt element after a paragraph: a schema problem with Jing\'s message at its line; undone, it goes away', async () => {
            const name = path.basename(spot.file.path);
            assert.strictEqual(misspeltError.line, spot.afterPara.line, `Jing puts the error on "${MISSPELT.trim()}" on another line`);
            const isIt = (r: ProblemRow): boolean => r.code === 'schema' && r.label.includes(`: ${misspeltError.message} at line ${spot.afterPara.line} `);
            await wb.open(rel(spot.file));
            await wb.goTo(spot.afterPara.line, spot.afterPara.col);
            await wb.type(MISSPELT);
            await wb.escape();
            await wb.problemsOf(name, (rows) => rows.some(isIt));
            // Back in the editor: undo everything typed.
            await wb.open(rel(spot.file));
            await wb.undoAll();
            await wb.problemsOf(name, (rows) => !rows.some((r) => r.label.includes('"parra"')));
        });
    });

    describe('navigation and edits', () => {
        /** An xref in a chapter whose linkend is defined in another file, with the target's title. */
        const crossFileXref = (): { from: XmlFile; line: number; col: number; id: string; def: { file: XmlFile; line: number } } | undefined => {
            for (const from of facts.files.filter((f) => inBooks.has(f.path))) {
                for (const m of from.text.matchAll(/<(?:xref|link)\s+linkend="([^"]+)"/g)) {
                    const def = facts.definitionOf(m[1]);
                    if (!def || def.file === from) continue;
                    const at = lineCol(from.text, m.index! + m[0].indexOf('"') + 2);
                    return { from, line: at.line, col: at.col, id: m[1], def };
                }
            }
            return undefined;
        };

        it('F12 on a linkend lands on the element with that id in the other file', async function () {
            const x = crossFileXref();
            if (!x) skip(this, 'no <xref>/<link> in a book links to an id of another file');
            await wb.open(rel(x!.from));
            await wb.goTo(x!.line, x!.col);
            await wb.press('F12');
            await waitFor(`the ${path.basename(x!.def.file.path)} tab`, async () => (await wb.activeTab()) === path.basename(x!.def.file.path));
            // The status bar names the line (the start tag may span lines: the id is on one of them).
            const at = await waitFor('the cursor on the definition', async () => {
                const c = await wb.cursor();
                const startTag = x!.def.file.text.lastIndexOf('<', x!.def.file.lines.slice(0, x!.def.line - 1).join('\n').length + x!.def.file.lines[x!.def.line - 1].indexOf('xml:id'));
                const tagLine = lineCol(x!.def.file.text, startTag).line;
                return c.line >= tagLine && c.line <= x!.def.line ? c : undefined;
            });
            assert.ok(at.line > 0);
        });

        it('hover on a linkend shows the target\'s title', async function () {
            const x = crossFileXref();
            if (!x) skip(this, 'no <xref>/<link> in a book links to an id of another file');
            const title = firstTitle(x!.def.file.text.slice(x!.def.file.text.search(new RegExp(`xml:id\\s*=\\s*"${x!.id}"`))));
            if (!title) skip(this, `the target of ${x!.id} has no <title>`);
            await wb.open(rel(x!.from));
            await wb.goTo(x!.line, x!.col);
            const hover = await wb.hover();
            assert.ok(hover.includes(title!), `the hover does not show "${title}": ${hover.slice(0, 300)}`);
        });

        it('hover on a glossterm shows its glossary definition', async function () {
            if (!glossed) skip(this, NO_GLOSSARY);
            const entries = glossaryDefinitions();
            // Any book with its glossary in reach: a glossterm of one of its files that names an entry.
            const reach = new Set(facts.books().flatMap((b) => facts.collectionFor(b.path) ? [...facts.closureOf(b.path)] : []));
            for (const from of facts.files.filter((f) => (glossed!.closure.has(f.path) || reach.has(f.path)) && f.root !== 'glossary')) {
                for (const m of from.text.matchAll(/<glossterm>([^<]+)<\/glossterm>/g)) {
                    const def = entries.get(plainText(m[1]));
                    if (!def) continue;
                    const at = lineCol(from.text, m.index! + '<glossterm>'.length + 1);
                    await wb.open(rel(from));
                    await wb.goTo(at.line, at.col);
                    const hover = await wb.hover();
                    const words = def.split(' ').slice(0, 5).join(' ');
                    assert.ok(hover.replace(/\s+/g, ' ').includes(words), `the hover on "${m[1]}" does not show "${words}": ${hover.slice(0, 300)}`);
                    return;
                }
            }
            skip(this, 'no <glossterm> in a book names a glossentry with a <glossdef><para>');
        });

        it('F2 on an xml:id renames it and the linkend in the other file; undo puts both back', async function () {
            const x = crossFileXref();
            if (!x) skip(this, 'no <xref>/<link> in a book links to an id of another file');
            const def = x!.def;
            const idCol = def.file.lines[def.line - 1].indexOf(`"${x!.id}"`) + 2;
            const renamed = `${x!.id}-keys`;
            await wb.open(rel(def.file));
            await wb.goTo(def.line, idCol);
            await wb.press('F2');
            const input = await wb.page.waitForSelector('.rename-box input', { timeout: 8000 });
            await input.fill(renamed);
            await wb.press('Enter');
            await waitFor('the renamed id in the editor', async () => (await wb.lineText(def.line))?.includes(`"${renamed}"`));
            await wb.open(rel(x!.from));
            await wb.goTo(x!.line, x!.col);
            await waitFor('the renamed linkend in the other file', async () => (await wb.lineText(x!.line))?.includes(`"${renamed}"`));
            // Undo of a rename across files: VS Code asks whether to undo in all files.
            await wb.press('Control+Z');
            const dialog = await wb.page.waitForSelector('.monaco-dialog-box', { timeout: 3000 }).catch(() => undefined);
            if (dialog) await wb.press('Enter');
            await waitFor('the linkend back to the old id', async () => (await wb.lineText(x!.line))?.includes(`"${x!.id}"`));
            await wb.undoAll();
            await wb.open(rel(def.file));
            await wb.undoAll();
            // The language server follows the undo too: the linkend resolves to its target again.
            const title = firstTitle(def.file.text.slice(def.file.text.search(new RegExp(`xml:id\\s*=\\s*"${x!.id}"`))));
            if (title) {
                await wb.open(rel(x!.from));
                await wb.goTo(x!.line, x!.col);
                let shown = '';
                await waitFor(`the hover on the linkend "${x!.id}" to show "${title}" again`, async () => {
                    shown = await wb.hover().catch(() => '');
                    await wb.escape();
                    return shown.includes(title) || undefined;
                }, 15000, 500).catch((err: Error) => assert.fail(`${err.message}; the hover shows "${shown.slice(0, 200)}"`));
            }
        });

        it('Ctrl+. on a broken linkend offers the closest id', async () => {
            const { file, line, col } = typingSpot();
            const id = facts.idsOf(file).find((i) => i.length >= 6)!;
            const broken = id.slice(0, 2) + id.slice(3); // one letter dropped
            await wb.open(rel(file));
            await wb.goTo(line, col);
            await wb.type(` <xref linkend="${broken}"/>`);
            for (let i = 0; i < 4; i++) await wb.press('ArrowLeft');
            // Diagnostics of the half-typed states may still be the latest: ask again (Ctrl+.) until
            // the menu offers the fix, or fail with what it last offered.
            let offered: string[] = [];
            await waitFor(`a quick fix to "${id}" in the Ctrl+. menu`, async () => {
                await wb.press('Control+.');
                offered = await wb.page.waitForFunction(() => {
                    const rows = [...document.querySelectorAll('.action-widget .monaco-list-row')].map((r) => r.textContent ?? '');
                    return rows.length ? rows : undefined;
                }, undefined, { timeout: 2000 }).then((h) => h.jsonValue() as Promise<string[]>, () => []);
                if (offered.some((a) => a.includes(`"${id}"`))) return true;
                await wb.press('Escape');
                return undefined;
            }, 20000, 300).catch((err: Error) => assert.fail(`${err.message}; the menu offered ${JSON.stringify(offered)}`));
        });

        it('a chapter no book includes: no "Glossary term" problem on its glossterms (item 10)', async function () {
            if (!orphanTerms.length) skip(this, 'the tree has neither glossentries nor glossterms');
            await wb.open(orphanRel);
            // Filtered to the file: its broken linkend shows (the panel does list this file's
            // problems), and no glossterm problem: with a workspace glossary the terms resolve in
            // it, without one there is nothing to say.
            const rows = (await wb.problemsOf(ORPHAN, (r) => r.some((x) => x.label.includes('keys-orphan-no-such-id')))).map((r) => r.label);
            const glossNoise = rows.filter((r) => /glossary|glossterm|glossentry/i.test(r));
            assert.deepStrictEqual(glossNoise, [], `glossterms of a file in no book (${orphanRel}; terms ${orphanTerms.join(', ')}) get problems`);
        });
    });

    describe('preview', () => {
        /** The longest chapter of a book (the editor shows about 45 lines: it has to be scrolled). */
        const longChapter = [...chapters].sort((a, b) => b.lines.length - a.lines.length)[0];

        it('opened while the editor is scrolled down the chapter, it starts at the editor\'s first visible line (item 3)', async function () {
            if (!longChapter || longChapter.lines.length < 150) skip(this, `the longest chapter in a book has ${longChapter?.lines.length ?? 0} lines (< 150)`);
            await wb.open(rel(longChapter));
            // Four fifths down: the cursor's line is revealed in the middle of the editor.
            await wb.goTo(Math.round(longChapter.lines.length * 0.8), 1);
            const topLine = await waitFor('the editor to scroll down', () => wb.page.evaluate(() => {
                const nums = [...document.querySelectorAll('.editor-group-container.active .margin-view-overlays .line-numbers')].map((n) => Number(n.textContent));
                const top = Math.min(...nums.filter((n) => n > 0));
                return top > 40 ? top : undefined;
            }));
            await wb.openPreviewToSide();
            const frame = await wb.previewFrame();
            // data-line is 0-based in the preview's blocks (lines of the source); a block starts at
            // or up to a paragraph before the editor's top line.
            let firstShown = -1;
            await waitFor(`the preview's first visible block at about line ${topLine}`, async () => {
                // The innermost block at the top of the preview: blocks nest (the chapter's own
                // data-line spans everything), so the greatest line among those crossing the top.
                firstShown = await frame.evaluate(() => {
                    let line = -1;
                    for (const el of document.querySelectorAll('[data-line]')) {
                        const r = el.getBoundingClientRect();
                        if (r.top <= 40 && r.bottom > 0) line = Math.max(line, Number(el.getAttribute('data-line')));
                    }
                    return line;
                });
                return Math.abs(firstShown + 1 - topLine) <= 25 || undefined;
            }, 8000, 100).catch(() => assert.fail(`the preview starts at source line ${firstShown + 1}; the editor's first visible line is ${topLine}`));
        });

        it('shows the chapter, follows the active editor, and shows typed text', async () => {
            const [a, b] = [chapters[0], chapters[1] ?? chapters[0]];
            await wb.open(rel(a));
            await wb.openPreviewToSide();
            const frame = await wb.previewFrame();
            const shows = (text: string) => frame.evaluate((t) => (document.getElementById('docbook-content')?.textContent ?? '').replace(/\s+/g, ' ').includes(t), text);
            await waitFor(`the preview to show "${firstTitle(a.text)}"`, () => shows(firstTitle(a.text)!), 15000);
            await wb.press('Control+1');
            await wb.open(rel(b));
            await waitFor(`the preview to follow to "${firstTitle(b.text)}"`, () => shows(firstTitle(b.text)!), 15000);
            const spot = facts.paragraphLineIn(b)!;
            await wb.goTo(spot.line, spot.endCol);
            const word = `Keystroke${Date.now() % 100000}`;
            await wb.type(` ${word}`);
            await waitFor(`"${word}" in the preview`, () => shows(word), 10000);
        });
        it('an xref typed to a table titled only by its <caption> reads as docbook-xsl writes it, not ??? (item 2)', async () => {
            const chapter = chapters[0];
            await wb.open(rel(chapter));
            await wb.openPreviewToSide();
            const frame = await wb.previewFrame();
            const shown = () => frame.evaluate(() => (document.getElementById('docbook-content')?.textContent ?? '').replace(/\s+/g, ' '));
            await waitFor(`the preview to show "${firstTitle(chapter.text)}"`, async () => (await shown()).includes(firstTitle(chapter.text)!), 15000);
            const spot = facts.paragraphLineIn(chapter)!;
            await wb.goTo(spot.line, spot.endCol);
            // Closes the paragraph, adds an HTML-style table with a caption and no title, opens the next paragraph.
            // VS Code closes the quote typed after linkend= and types over it at the second quote.
            await wb.type(' <xref linkend="keys-caption-table"/></para><table xml:id="keys-caption-table"><caption>Keys caption table</caption><tr><td>cell</td></tr></table><para>');
            await wb.escape();
            const text = await waitFor('the xref to the caption-only table in the preview', async () => {
                const t = await shown();
                return t.includes('cell') && /Table [\d.]+, “Keys caption table”/.test(t) ? t : undefined;
            }, 15000).catch(async () => assert.fail(`the preview shows no "Table N, “Keys caption table”": ${(await shown()).slice(0, 300)}`));
            assert.ok(!/\?\?\?/.test(text.slice(0, text.indexOf('Keys caption table') + 40)), 'the xref reads ???');
        });
    });

    describe('Books view', () => {
        it('lists the book and, expanded, its chapters', async function () {
            const book = facts.books().find((b) => facts.includesOf(b).some((p) => facts.file(p)?.root === 'chapter'));
            if (!book) skip(this, 'no book includes a <chapter> file');
            const bookTitle = firstTitle(book!.text)!;
            const chapterTitles = facts.includesOf(book!).map((p) => facts.file(p)).filter((f) => f?.root === 'chapter').map((f) => firstTitle(f!.text)!).slice(0, 3);
            await wb.press('Control+Shift+E');
            // Room for the view: the panel (Problems) closed, the other sections of the Explorer collapsed.
            await wb.page.evaluate(() => {
                for (const header of document.querySelectorAll<HTMLElement>('.sidebar .pane-header[aria-expanded="true"]')) {
                    if (!header.textContent?.includes('DocBook Books')) header.click();
                }
            });
            if (await wb.page.evaluate(() => !!document.querySelector('.part.panel:not([style*="display: none"])')?.getBoundingClientRect().height)) await wb.press('Control+J');
            await waitFor('the panel to close', () => wb.page.evaluate(() => !document.querySelector('.part.panel')?.getBoundingClientRect().height || undefined), 5000);
            // The view reveals the active editor's file as it changes: with no editor open it stays where it is scrolled.
            await wb.command('View: Close All Editors');
            // The view may start collapsed: open it by its header.
            await waitFor('the DocBook Books view to be open', () => wb.page.evaluate(() => {
                const pane = [...document.querySelectorAll('.pane')].find((p) => p.querySelector('.pane-header')?.textContent?.includes('DocBook Books'));
                const header = pane?.querySelector('.pane-header') as HTMLElement | null;
                if (header && header.getAttribute('aria-expanded') !== 'true') header.click();
                return header?.getAttribute('aria-expanded') === 'true' || undefined;
            }), 15000, 300);
            // Every book is a top-level row (a book in a set is also shown inside the set).
            const isBook = (r: BookRow): boolean => r.level === 1 && r.label === bookTitle;
            let rows = await waitFor(`"${bookTitle}" at the top level of the Books view`, async () => {
                const r = await wb.booksViewScan((rs) => rs.some(isBook));
                return r.some(isBook) ? r : undefined;
            }, 15000, 300).catch((err: Error) => assert.fail(err.message));
            if (rows.find(isBook)!.expanded === false) {
                await wb.page.evaluate((t) => {
                    const row = [...document.querySelectorAll('.pane .monaco-list-row')].find((r) => r.getAttribute('aria-level') === '1' && r.querySelector('.label-name')?.textContent === t) as HTMLElement | undefined;
                    row?.querySelector<HTMLElement>('.monaco-tl-twistie')?.click();
                }, bookTitle);
            }
            const chaptersOf = (rs: BookRow[]): string[] => {
                const at = rs.findIndex(isBook);
                const end = rs.findIndex((r, i) => i > at && r.level === 1);
                return rs.slice(at + 1, end < 0 ? undefined : end).filter((r) => r.level === 2).map((r) => r.label);
            };
            await waitFor(`the chapters ${chapterTitles.join(', ')} under the book`, async () => {
                rows = await wb.booksViewScan((rs) => chapterTitles.every((t) => chaptersOf(rs).includes(t)));
                return chapterTitles.every((t) => chaptersOf(rows).includes(t)) || undefined;
            }, 10000, 300).catch((err: Error) => assert.fail(`${err.message}; under the book: ${JSON.stringify(chaptersOf(rows))}`));
        });
    });
});
