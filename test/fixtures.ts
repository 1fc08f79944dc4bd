// The fixtures every in-memory test builds on: the DocBook namespace declarations, a workspace from a
// `{ relPath: text }` map, a language service on it, and a cursor marker `|` in fixture text.

import * as assert from 'assert';
import * as path from 'path';

import { lineMapOf } from './helpers';
import { Position } from '../server/src/core/lineMap';
import { pathToUri } from '../server/src/core/uri';
import { DocbookLanguageService } from '../server/src/languageService';
import { defaultSettings, DocbookSettings } from '../server/src/settings';
import { InMemoryWorkspace } from '../server/src/workspace';

/** The DocBook 5 namespace URI. */
export const DOCBOOK_NS = 'http://docbook.org/ns/docbook';

/** The attributes of a DocBook 5 root: its namespace, XInclude's and XLink's, and the version. */
export const NS = `xmlns="${DOCBOOK_NS}" xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:xlink="http://www.w3.org/1999/xlink" version="5.0"`;

/** Where fixture workspaces live unless a test says otherwise. */
export const ROOT = path.resolve('/ws');

/** An in-memory workspace holding `files`, their relative paths taken from `root`. */
export function workspaceOf(files: Record<string, string | Uint8Array>, root = ROOT): InMemoryWorkspace {
    return new InMemoryWorkspace(Object.fromEntries(Object.entries(files).map(([rel, content]) => [path.join(root, rel), content])));
}

export interface ServiceOnFixtures {
    service: DocbookLanguageService;
    ws: InMemoryWorkspace;
    /** The absolute path of a fixture file. */
    file(rel: string): string;
    /** The URI of a fixture file. */
    uri(rel: string): string;
}

/**
 * A language service initialized on `files` with the default settings, overridden by `settings`.
 * `folders` are the workspace folders (relative to `root`; the root itself by default).
 */
export async function serviceOn(
    files: Record<string, string | Uint8Array>,
    settings: Partial<DocbookSettings> = {},
    options: { root?: string; folders?: string[] } = {},
): Promise<ServiceOnFixtures> {
    const root = options.root ?? ROOT;
    const ws = workspaceOf(files, root);
    const service = new DocbookLanguageService(ws);
    const folders = (options.folders ?? ['.']).map((f) => path.resolve(root, f));
    await service.initialize(folders, { ...defaultSettings(), ...settings });
    const file = (rel: string): string => path.join(root, rel);
    return { service, ws, file, uri: (rel) => pathToUri(file(rel)) };
}

export const CURSOR_MARK = '|';

/** Fixture text with one cursor marker `|`: the text without it, and where it was. */
export function cursorIn(marked: string): { text: string; offset: number; position: Position } {
    const offset = marked.indexOf(CURSOR_MARK);
    assert.ok(offset >= 0, `no cursor marker ${CURSOR_MARK} in the fixture`);
    assert.strictEqual(marked.indexOf(CURSOR_MARK, offset + 1), -1, `more than one cursor marker ${CURSOR_MARK} in the fixture`);
    const text = marked.slice(0, offset) + marked.slice(offset + 1);
    return { text, offset, position: lineMapOf(text).positionAt(offset) };
}

/**
 * Fixture files of which one holds the cursor marker: the files without it, which file has it and
 * where, for a service built on the clean files.
 */
export function filesWithCursor(marked: Record<string, string>): { files: Record<string, string>; rel: string; offset: number; position: Position } {
    const holders = Object.keys(marked).filter((rel) => marked[rel].includes(CURSOR_MARK));
    assert.strictEqual(holders.length, 1, `exactly one fixture file holds the cursor marker (found ${holders.join(', ') || 'none'})`);
    const rel = holders[0];
    const { text, offset, position } = cursorIn(marked[rel]);
    return { files: { ...marked, [rel]: text }, rel, offset, position };
}

/** Position of the n-th occurrence of `needle` (plus `delta` characters) in a fixture file. */
export function at(files: Record<string, string>, rel: string, needle: string, delta = 0, nth = 0): Position {
    const text = files[rel];
    let i = -1;
    for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} not in ${rel}`);
    return lineMapOf(text).positionAt(i + delta);
}

/**
 * Two books that share a chapter, each defining the id "dup", and a chapter in no book: the scope
 * rules (a reference sees the ids of the books its file is in) in the smallest workspace.
 */
export const twoBooks: Readonly<Record<string, string>> = {
    'a/bk-a.xml': `<book ${NS} xml:id="bk-a"><title>Book A</title><xi:include href="ch_a.xml"/><xi:include href="../common/ch_shared.xml"/></book>`,
    'a/ch_a.xml': `<chapter ${NS} xml:id="ch-a"><title>Chapter A</title><para><xref linkend="dup"/> <xref linkend="shared"/></para><section xml:id="dup"><title>Dup in A</title></section></chapter>`,
    'b/bk-b.xml': `<book ${NS} xml:id="bk-b"><title>Book B</title><xi:include href="ch_b.xml"/><xi:include href="../common/ch_shared.xml"/></book>`,
    'b/ch_b.xml': `<chapter ${NS} xml:id="ch-b"><title>Chapter B</title><para><xref linkend="dup"/></para><section xml:id="dup"><title>Dup in B</title></section></chapter>`,
    'common/ch_shared.xml': `<chapter ${NS} xml:id="shared"><title>Shared</title><para><xref linkend="dup"/></para></chapter>`,
    'orphan.xml': `<chapter ${NS} xml:id="orphan"><title>Orphan</title><para><xref linkend="ch-a"/></para></chapter>`,
};

/**
 * A book whose includes take parts of files (xpointer xpath() and element()), fall back, and loop:
 * what a book's regions are made of.
 */
export const includeRegions: Readonly<Record<string, string>> = {
    'bk.xml': `<book ${NS}><title>B</title>
<xi:include href="src.xml" xpointer="xmlns(db=http://docbook.org/ns/docbook) xpath(//*[@xml:id = 'wrap']/*[not(self::db:title)])"/>
<xi:include href="other.xml" xpointer="element(single)"/>
<xi:include href="missing.xml"><xi:fallback><xi:include href="fallback.xml"/></xi:fallback></xi:include>
<xi:include href="present.xml"><xi:fallback><xi:include href="unused.xml"/></xi:fallback></xi:include>
<xi:include href="loop1.xml"/>
<chapter><para><xref linkend="inner"/><xref linkend="wrap"/><xref linkend="outside"/></para></chapter>
</book>`,
    'src.xml': `<chapter ${NS} xml:id="wrap"><title>Wrap</title><section xml:id="inner"><title>Inner</title></section></chapter>`,
    'other.xml': `<chapter ${NS}><section xml:id="single"/><section xml:id="outside"/></chapter>`,
    'fallback.xml': `<section ${NS} xml:id="from-fallback"/>`,
    'present.xml': `<section ${NS} xml:id="present"/>`,
    'unused.xml': `<section ${NS} xml:id="unused"/>`,
    'loop1.xml': `<section ${NS} xml:id="l1"><xi:include href="loop2.xml"/></section>`,
    'loop2.xml': `<section ${NS} xml:id="l2"><xi:include href="loop1.xml"/></section>`,
};
