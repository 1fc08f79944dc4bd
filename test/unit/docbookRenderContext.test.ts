// docbook-render reads what the build of the file's books reads — the books, their include
// closure and the glossary collection — and nothing else around them: one stray assembled book
// file in the temporary folder above a checkout once made it index that whole folder.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../server/src/cli/docbookRender';
import { FileStat, NodeWorkspace } from '../../server/src/workspace';

const DB = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" version="5.0"';

/** The disk, recording every file read in full. */
class RecordingWorkspace extends NodeWorkspace {
    readonly read = new Set<string>();
    override async readFile(file: string): Promise<Uint8Array | undefined> {
        this.read.add(file);
        return super.readFile(file);
    }

    override async readRegularFile(file: string, maxSize: number): Promise<{ stat?: FileStat; bytes?: Uint8Array }> {
        const got = await super.readRegularFile(file, maxSize);
        if (got.bytes) this.read.add(file);
        return got;
    }
}

async function render(argv: string[]): Promise<{ code: number; page: string; read: Set<string>; err: string }> {
    const workspace = new RecordingWorkspace();
    let page = '';
    let err = '';
    const code = await main([...argv, '--no-cache'], { out: (t) => { page += t; }, err: (t) => { err += t; } }, process.cwd(), workspace);
    return { code, page, read: workspace.read, err };
}

describe('docbook-render reads only what the build reads', function () {
    this.timeout(60_000);
    let tmp: string;
    let doc: string;

    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docbook-render-context-'));
        doc = path.join(tmp, 'checkout', 'doc');
        const write = (rel: string, text: string): void => {
            fs.mkdirSync(path.dirname(path.join(doc, rel)), { recursive: true });
            fs.writeFileSync(path.join(doc, rel), text);
        };
        write('guide/bk-guide.xml', `<book ${DB} xml:id="guide"><title>Guide</title>`
            + '<xi:include href="ch-intro.xml"/><xi:include href="../common/ch-shared.xml"/></book>');
        write('guide/ch-intro.xml', `<chapter ${DB} xml:id="intro"><title>Intro</title><para>See <xref linkend="shared"/> and <glossterm>API</glossterm>.</para></chapter>`);
        write('common/ch-shared.xml', `<chapter ${DB} xml:id="shared"><title>Shared</title><para>Text.</para></chapter>`);
        write('glossary/glossary-terms.xml', `<glossary ${DB} xml:id="glossary"><title>Glossary</title><glossentry xml:id="api"><glossterm>API</glossterm><glossdef><para>An interface.</para></glossdef></glossentry></glossary>`);
        write('other/ch-unrelated.xml', `<chapter ${DB} xml:id="unrelated"><title>Unrelated</title></chapter>`);
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    function addStrays(): string[] {
        // Above the checkout: an assembled copy of a book and a heap of other XML.
        const strays = [path.join(tmp, 'bk-assembled.xml')];
        fs.writeFileSync(strays[0], `<book ${DB} xml:id="assembled"><title>Assembled</title><chapter xml:id="intro"><title>Intro</title></chapter></book>`);
        fs.mkdirSync(path.join(tmp, 'junk'));
        for (let i = 0; i < 20; i++) {
            const f = path.join(tmp, 'junk', `f${i}.xml`);
            fs.writeFileSync(f, `<chapter ${DB} xml:id="junk${i}"><title>Junk</title></chapter>`);
            strays.push(f);
        }
        return strays;
    }

    it('a chapter, numbered in its book, with the shared chapter and the glossary, and nothing else read', async () => {
        const strays = addStrays();
        const chapter = path.join(doc, 'guide', 'ch-intro.xml');
        const r = await render([chapter]);
        assert.strictEqual(r.code, 0, r.err);
        assert.match(r.page, /Chapter(?:&nbsp;|\s)1/, 'numbered in the book');
        assert.match(r.page, /Chapter(?:&nbsp;|\s)2/, 'the xref to the shared chapter says its number');
        const expected = ['guide/bk-guide.xml', 'guide/ch-intro.xml', 'common/ch-shared.xml', 'glossary/glossary-terms.xml'].map((f) => path.join(doc, f));
        for (const f of expected) assert.ok(r.read.has(f), `reads ${f}`);
        for (const f of strays) assert.ok(!r.read.has(f), `does not read the stray ${f}`);
        assert.ok(!r.read.has(path.join(doc, 'other', 'ch-unrelated.xml')), 'does not read a file no book includes');

        // The same page as without the strays.
        for (const f of strays) fs.rmSync(f);
        const clean = await render([chapter]);
        const withoutNonce = (page: string): string => page.replace(/nonce-[^']+'|nonce="[^"]+"/g, 'nonce');
        assert.strictEqual(withoutNonce(r.page), withoutNonce(clean.page));
    });

    it('a shared chapter finds its book in a sibling folder', async () => {
        fs.mkdirSync(path.join(tmp, 'checkout', '.git'));
        const r = await render([path.join(doc, 'common', 'ch-shared.xml')]);
        assert.strictEqual(r.code, 0, r.err);
        assert.match(r.page, /Chapter(?:&nbsp;|\s)2/, 'numbered as the second chapter of the guide');
        assert.ok(!r.read.has(path.join(doc, 'other', 'ch-unrelated.xml')));
    });
});
