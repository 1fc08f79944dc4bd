// Document symbols (the outline of a file by its titles) and workspace symbols (ids and titles).

import * as assert from 'assert';
import * as path from 'path';
import { SymbolKind } from 'vscode-languageserver-types';
import { pathToUri } from '../../server/src/core/uri';
import { lineMapOf } from '../helpers';
import { NS, ROOT, serviceOn, twoBooks } from '../fixtures';

const p = (rel: string): string => path.join(ROOT, rel);

describe('document symbols', () => {
    // With the hover half (hover.test.ts), these two were one test: 'shows the target of a reference and the outline of a chapter'.
    it('outline of a chapter', async () => {
        const { service } = await serviceOn(twoBooks);
        const symbols = service.documentSymbols(pathToUri(p('a/ch_a.xml')));
        assert.deepStrictEqual(symbols.map((s) => [s.name, s.children!.map((c) => c.name)]), [['Chapter A', ['Dup in A']]]);
    });

    it('nests sections by their titles, names an untitled division by its element, and selects the title', async () => {
        const files = {
            'ch.xml': `<chapter ${NS} xml:id="ch"><title>Install</title>
<section xml:id="prereq"><title>Prerequisites</title><section><title>Packages</title></section><section><para>untitled</para></section></section>
<table><title>Ports</title><tgroup cols="1"><tbody><row><entry>80</entry></row></tbody></tgroup></table>
<section><para>no title</para></section>
</chapter>`,
        };
        const { service, uri } = await serviceOn(files);
        const [chapter, ...more] = service.documentSymbols(uri('ch.xml'));
        assert.strictEqual(more.length, 0);
        assert.strictEqual(chapter.name, 'Install');
        assert.strictEqual(chapter.kind, SymbolKind.Module);
        assert.strictEqual(chapter.detail, 'chapter #ch');
        assert.deepStrictEqual(chapter.children!.map((c) => c.name), ['Prerequisites', 'Ports', '<section>']);
        assert.deepStrictEqual(chapter.children![0].children!.map((c) => c.name), ['Packages', '<section>']);
        assert.strictEqual(chapter.children![1].kind, SymbolKind.Object, 'a formal object, not a division');
        assert.strictEqual(chapter.children![0].kind, SymbolKind.Namespace);
        // The selection lies inside the symbol's range, on its own line.
        const prereq = chapter.children![0];
        assert.strictEqual(prereq.selectionRange.start.line, 1);
        const map = lineMapOf(files['ch.xml']);
        assert.ok(map.offsetAt(prereq.range.start) <= map.offsetAt(prereq.selectionRange.start));
        assert.ok(map.offsetAt(prereq.selectionRange.end) <= map.offsetAt(prereq.range.end));
    });
});

describe('workspace symbols', () => {
    it('find the id "dup" of both books by a subsequence of its title', async () => {
        const { service } = await serviceOn(twoBooks);
        const ws = service.workspaceSymbols('dupin');
        assert.deepStrictEqual(ws.map((s) => s.name).sort(), ['dup — Dup in A', 'dup — Dup in B']);
    });

    it('match ids and titles as a case-insensitive subsequence, and name the file that holds them', async () => {
        const { service, uri } = await serviceOn({
            'a/ch.xml': `<chapter ${NS} xml:id="install-guide"><title>Installation</title><section xml:id="net"><title>Networking</title></section></chapter>`,
            'b/ch.xml': `<chapter ${NS} xml:id="ops"><title>Operations</title></chapter>`,
        });
        const found = service.workspaceSymbols('INSTGD');
        assert.deepStrictEqual(found.map((s) => [s.name, s.containerName, s.location.uri]), [['install-guide — Installation', 'ch.xml', uri('a/ch.xml')]]);
        assert.deepStrictEqual(service.workspaceSymbols('').map((s) => s.name).sort(), ['install-guide — Installation', 'net — Networking', 'ops — Operations']);
        assert.deepStrictEqual(service.workspaceSymbols('zzz'), []);
    });
});
