// The requests that walk many files stop at the next file once their token is cancelled: an editor
// cancels a references or rename request it no longer wants (the user typed on), and the server
// must not spend seconds on a 12,000-file workspace answering it.

import * as assert from 'assert';
import * as path from 'path';
import type { CancellationToken } from '../../server/src/api';
import { pathToUri } from '../../server/src/core/uri';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings } from '../../server/src/settings';
import { InMemoryWorkspace } from '../../server/src/workspace';

const ROOT = path.resolve('/big-ws');
const NS = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" version="5.0"';
const CHAPTERS = 600;
const chapter = (i: number): string => path.join(ROOT, `ch${i}.xml`);

/** A book of CHAPTERS chapters; the first defines "target", every chapter refers to it and defines one id of its own. */
async function bigBook(): Promise<DocbookLanguageService> {
    const files: Record<string, string> = {
        [path.join(ROOT, 'bk.xml')]: `<book ${NS} xml:id="bk"><title>Big</title>${Array.from({ length: CHAPTERS }, (_, i) => `<xi:include href="ch${i}.xml"/>`).join('')}</book>`,
    };
    for (let i = 0; i < CHAPTERS; i++) {
        const target = i === 0 ? '<section xml:id="target"><title>Target</title></section>' : '';
        files[chapter(i)] = `<chapter ${NS} xml:id="chap${i}"><title>Chapter ${i}</title><para><xref linkend="target"/></para>${target}</chapter>`;
    }
    const service = new DocbookLanguageService(new InMemoryWorkspace(files));
    await service.initialize([ROOT], defaultSettings());
    return service;
}

/** A token that turns cancelled after it has been asked `answers` times, and counts the questions. */
function cancelledAfter(answers: number): CancellationToken & { asked: number } {
    return {
        asked: 0,
        get isCancellationRequested() {
            return ++this.asked > answers;
        },
    };
}

/** The reference in chapter 1 (`<xref linkend="target"/>`), on the id. */
const refPosition = { line: 0, character: `<chapter ${NS} xml:id="chap1"><title>Chapter 1</title><para><xref linkend="`.length + 2 };

describe('cancellation of the long requests', function () {
    this.timeout(60_000);
    let service: DocbookLanguageService;
    before(async () => {
        service = await bigBook();
    });

    it('references: a token cancelled midway stops the walk at the next file', () => {
        const uri = pathToUri(chapter(1));
        const all = service.references(uri, refPosition, false);
        assert.strictEqual(all.length, CHAPTERS, 'uncancelled, every chapter refers to the target');
        const token = cancelledAfter(10);
        const some = service.references(uri, refPosition, false, token);
        assert.ok(some.length <= 10, `stopped after 10 files, not ${some.length}`);
        assert.strictEqual(token.asked, 11, 'asked once per file, and not again once cancelled');
    });

    it('rename: a cancelled rename edits nothing (part of a rename would break the book)', async () => {
        const uri = pathToUri(chapter(1));
        const all = await service.rename(uri, refPosition, 'renamed');
        assert.strictEqual(all.documentChanges?.length, CHAPTERS, 'uncancelled, every chapter is edited');
        const token = cancelledAfter(20);
        const none = await service.rename(uri, refPosition, 'renamed', token);
        assert.deepStrictEqual(none.documentChanges, []);
        assert.ok(token.asked <= 22, `stopped at the first file after cancellation (asked ${token.asked} times)`);
    });

    it('workspace symbols: stops at the next file', () => {
        assert.strictEqual(service.workspaceSymbols('chap').length, CHAPTERS);
        const token = cancelledAfter(3);
        const some = service.workspaceSymbols('chap', token);
        assert.ok(some.length <= 3, `${some.length} symbols`);
        assert.strictEqual(token.asked, 4);
    });

    it('diagnostics of many files: stops at the next file', async () => {
        const uris = Array.from({ length: CHAPTERS }, (_, i) => pathToUri(chapter(i)));
        assert.strictEqual((await service.diagnosticsOfFiles(uris)).length, CHAPTERS);
        const token = cancelledAfter(7);
        const some = await service.diagnosticsOfFiles(uris, {}, token);
        assert.strictEqual(some.length, 7);
        assert.strictEqual(token.asked, 8);
    });

    it('preview of a book: a token cancelled before the request reads no chapter and renders nothing', async () => {
        const book = pathToUri(path.join(ROOT, 'bk.xml'));
        const whole = await service.preview({ uri: book });
        assert.strictEqual(whole.files.length, CHAPTERS + 1, 'uncancelled, the book and every chapter are rendered');
        const token = cancelledAfter(0);
        const none = await service.preview({ uri: book }, token);
        assert.strictEqual(none.html, '');
        assert.deepStrictEqual(none.files, []);
        assert.ok(token.asked <= 3, `asked ${token.asked} times`);
        // Cancelled once the book file is read: its chapters are not.
        const midway = cancelledAfter(1);
        assert.strictEqual((await service.preview({ uri: book }, midway)).html, '');
        assert.ok(midway.asked <= 3, `asked ${midway.asked} times`);
    });
});
