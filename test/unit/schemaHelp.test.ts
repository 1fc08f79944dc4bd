// Help from the schema beside completion: the schema diagnostics of an open file as it is edited,
// hover on element and attribute names (the schema's documentation), and the quick fixes of schema
// problems (closest allowed names, the allowed values).

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import { pathToUri } from '../../server/src/core/uri';
import { DocbookLanguageService } from '../../server/src/languageService';
import { defaultSettings } from '../../server/src/settings';
import { NodeWorkspace } from '../../server/src/workspace';
import { lineMapOf } from '../helpers';

const NS = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:xlink="http://www.w3.org/1999/xlink"';

describe('schema diagnostics, hover and quick fixes', () => {
    let service: DocbookLanguageService;
    let dir: string;
    let uri: string;
    let version = 1;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-help-'));
        const file = path.join(dir, 'ch.xml');
        fs.writeFileSync(file, `<chapter ${NS} version="5.0" xml:id="c"><title>T</title>\n<para>Hello</para>\n</chapter>\n`);
        uri = pathToUri(file);
        const settings = defaultSettings();
        service = new DocbookLanguageService(new NodeWorkspace(), settings);
        await service.initialize([dir], settings);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function schemaDiagnostics(text: string): Promise<Diagnostic[]> {
        await service.changeDocument(uri, text, ++version);
        return (await service.diagnostics(uri)).filter((d) => d.code === 'schema');
    }

    /** Applies one action's edits to `text`. */
    function apply(text: string, edits: TextEdit[]): string {
        const map = lineMapOf(text);
        let out = text;
        for (const e of [...edits].sort((a, b) => map.offsetAt(b.range.start) - map.offsetAt(a.range.start))) {
            out = out.slice(0, map.offsetAt(e.range.start)) + e.newText + out.slice(map.offsetAt(e.range.end));
        }
        return out;
    }

    it('an edit brings a schema error, undoing it takes the error away; DocBook 4 is not checked', async () => {
        const good = `<chapter ${NS} version="5.0"><title>T</title>\n<para>Hello</para>\n</chapter>\n`;
        assert.deepStrictEqual(await schemaDiagnostics(good), []);
        const bad = good.replace('<para>Hello</para>', '<para>Hello<section><title>x</title><para>y</para></section></para>');
        const found = await schemaDiagnostics(bad);
        assert.strictEqual(found.length, 1, JSON.stringify(found));
        assert.match(String(found[0].message), /^element "section" not allowed here; expected the element end-tag, text or element "abbrev"/);
        assert.deepStrictEqual(await schemaDiagnostics(good), []);
        const db4 = '<!DOCTYPE chapter PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "docbookx.dtd">\n<chapter><title>T</title><para><section/></para></chapter>\n';
        assert.deepStrictEqual(await schemaDiagnostics(db4), []);
    });

    it('incomplete elements and bad values say what is missing or allowed', async () => {
        const text = `<chapter ${NS} version="5.0"><title>T</title>\n<itemizedlist></itemizedlist>\n<orderedlist numeration="roman"><listitem><para>x</para></listitem></orderedlist>\n</chapter>\n`;
        const messages = (await schemaDiagnostics(text)).map((d) => d.message);
        assert.deepStrictEqual(messages, [
            'element "itemizedlist" incomplete; missing required element "listitem"',
            'value of attribute "numeration" is invalid; must be equal to "arabic", "loweralpha", "lowerroman", "upperalpha" or "upperroman"',
        ]);
    });

    it('hover on an element or attribute name shows its purpose from the schema', async () => {
        const text = `<chapter ${NS} version="5.0"><title>T</title>\n<para>Hi <orderedlist numeration="arabic"><listitem><para>x</para></listitem></orderedlist></para>\n</chapter>\n`;
        await service.changeDocument(uri, text, ++version);
        const at = (needle: string, delta: number) => lineMapOf(text).positionAt(text.indexOf(needle) + delta);
        const para = service.hover(uri, at('<para>Hi', 2));
        assert.match(JSON.stringify(para?.contents), /A paragraph/);
        const numeration = service.hover(uri, at('numeration=', 3));
        assert.match(JSON.stringify(numeration?.contents), /Indicates the desired numeration/);
    });

    it('quick fixes: a misspelled element or attribute → the closest allowed names; a bad value → the allowed values', async () => {
        const text = `<chapter ${NS} version="5.0"><title>T</title>\n<parra>Hello</parra>\n<para xml:idd="p">x</para>\n<orderedlist numeration="upperoman"><listitem><para>x</para></listitem></orderedlist>\n</chapter>\n`;
        const diagnostics = await schemaDiagnostics(text);
        assert.strictEqual(diagnostics.length, 3, diagnostics.map((d) => d.message).join('\n'));
        const fixed: string[] = [];
        for (const d of diagnostics) {
            const actions = await service.codeActions(uri, d.range, [d]);
            assert.ok(actions.length > 0, `no fix for ${d.message}`);
            fixed.push(apply(text, actions[0].edit!.changes![uri]));
        }
        assert.ok(fixed[0].includes('<para>Hello</para>'), fixed[0]);
        assert.ok(fixed[1].includes('<para xml:id="p">'), fixed[1]);
        assert.ok(fixed[2].includes('numeration="upperroman"'), fixed[2]);
    });
});
