// The schema check of an open file as it is typed: each keystroke re-validates only around the edit
// (from the checkpoint before it to the first one after it where the walker is as it was), and the
// answer must be exactly what a validation from scratch gives, whatever the edit does to the tree.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseXml } from '../../server/src/core/xmlParser';
import { builtinSchema } from '../../server/src/schema/grammar';
import { documentEvents } from '../../server/src/schema/events';
import { isSchemaChecked } from '../../server/src/schema/select';
import { lastValidationCost, validateDocument, validateDocumentInSlices } from '../../server/src/schema/validate';
import { CORPUS, prng, requireCorpus, textPointsOf } from '../helpers';

const FILES = [
    'training-guides/doc/training-guides/common/section_overview-horizon-cli.xml',
    'ha-guide/doc/glossary/glossary-terms.xml',
    'security-guide-2014/security-guide/ch051_vss-intro.xml',
];

type Edit = (text: string, at: number) => string;

// What authors do: type in text, type a wrong or misplaced element, break and mend a tag, paste a block, delete a line.
const EDITS: [string, Edit][] = [
    ['type a letter', (t, at) => t.slice(0, at) + 'x' + t.slice(at)],
    ['insert a misplaced block', (t, at) => `${t.slice(0, at)}<itemizedlist><listitem><para>a</para></listitem></itemizedlist>${t.slice(at)}`],
    ['insert an unknown element', (t, at) => `${t.slice(0, at)}<parra>x</parra>${t.slice(at)}`],
    ['insert an inline element', (t, at) => `${t.slice(0, at)}<emphasis>x</emphasis>${t.slice(at)}`],
    ['insert an empty list', (t, at) => `${t.slice(0, at)}<orderedlist numeration="roman"></orderedlist>${t.slice(at)}`],
    ['delete a start tag', (t, at) => {
        const lt = t.indexOf('<', at);
        const gt = t.indexOf('>', lt);
        return lt < 0 || gt < 0 || t[lt + 1] === '/' || t[lt + 1] === '!' || t[lt + 1] === '?' ? t : t.slice(0, lt) + t.slice(gt + 1);
    }],
    ['delete a line', (t, at) => {
        const nl = t.indexOf('\n', at);
        const next = t.indexOf('\n', nl + 1);
        return nl < 0 || next < 0 ? t : t.slice(0, nl) + t.slice(next);
    }],
    ['rename an element', (t, at) => {
        const lt = t.indexOf('<', at);
        return lt < 0 || !/[a-z]/.test(t[lt + 1] ?? '') ? t : `${t.slice(0, lt + 1)}q${t.slice(lt + 2)}`;
    }],
    ['add a bad attribute value', (t, at) => {
        const lt = t.indexOf('<', at);
        const end = lt < 0 ? -1 : t.slice(lt).search(/[\s/>]/) + lt;
        return end <= lt || t[lt + 1] === '/' || t[lt + 1] === '!' || t[lt + 1] === '?' ? t : `${t.slice(0, end)} role="a" revisionflag="bogus"${t.slice(end)}`;
    }],
];

describe('schema check as a file is typed', function () {
    this.timeout(300_000);

    it('re-validating after each edit gives what a validation from scratch gives', function () {
        requireCorpus(this);
        const schema = builtinSchema();
        assert.ok(schema, 'the compiled DocBook schema is built');
        let compared = 0;
        for (const rel of FILES) {
            const file = path.join(CORPUS, rel);
            let text = fs.readFileSync(file, 'utf8');
            const key = `incremental:${rel}`;
            validateDocument(parseXml(text), schema, key);
            const random = prng(rel.length);
            for (let step = 0; step < 60; step++) {
                const [what, edit] = EDITS[Math.floor(random() * EDITS.length)];
                // Just after a tag: in text, where most of these edits keep the file well-formed.
                const at = text.indexOf('>', Math.floor(random() * text.length)) + 1;
                if (at <= 0) continue;
                const next = edit(text, at);
                // Undo now and then, as authors do: back to a text validated before.
                text = step % 7 === 6 ? fs.readFileSync(file, 'utf8') : next;
                const doc = parseXml(text);
                if (!isSchemaChecked(doc)) continue;
                const incremental = validateDocument(doc, schema, key);
                const scratch = validateDocument(parseXml(text), schema);
                assert.deepStrictEqual(incremental, scratch, `${rel}, step ${step} (${what} at ${at}): the re-validation differs from a validation from scratch`);
                compared++;
            }
        }
        assert.ok(compared > 100, `only ${compared} edits left the files well-formed`);
    });

    it('a keystroke in a 100 KB chapter walks a small part of it, wherever it is typed', function () {
        requireCorpus(this);
        const schema = builtinSchema()!;
        const file = path.join(CORPUS, FILES[0]);
        let text = fs.readFileSync(file, 'utf8');
        const key = 'incremental:cost';
        validateDocument(parseXml(text), schema, key);
        const points = textPointsOf(text);
        let worst = 0;
        for (const p of points.filter((_p, i) => i % 10 === 0)) {
            text = text.slice(0, p) + 'y' + text.slice(p + 1);
            const typed = parseXml(text);
            validateDocument(typed, schema, key);
            worst = Math.max(worst, lastValidationCost.walked / documentEvents(typed).length);
        }
        assert.ok(worst < 0.1, `a typed letter re-walked ${(worst * 100).toFixed(0)} % of the chapter's events`);
    });

    it('a closed file is checked in slices that let other work in, with the problems of one walk', async function () {
        requireCorpus(this);
        const schema = builtinSchema()!;
        const text = fs.readFileSync(path.join(CORPUS, FILES[1]), 'utf8');
        // The glossary with misplaced and unknown elements spread through it, so that the problems cross slices.
        const broken = text.replace(/<\/glossentry>/g, (m, at: number) => (at % 5 === 0 ? `<parra>x</parra>${m}` : at % 7 === 0 ? `<para>x</para>${m}` : m));
        for (const version of [text, broken]) {
            let ticks = 0;
            let counting = true;
            const tick = (): void => {
                ticks++;
                if (counting) setImmediate(tick);
            };
            setImmediate(tick);
            const sliced = await validateDocumentInSlices(parseXml(version), schema, 0);
            counting = false;
            assert.ok(ticks > 10, `other work ran ${ticks} times during the check of a 275 KB glossary`);
            assert.deepStrictEqual(sliced, validateDocument(parseXml(version), schema));
            if (version === broken) assert.ok(sliced.length > 20, `${sliced.length} problems in the broken glossary`);
        }
    });
});

describe('anyURI values (checked as Jing escapes them, verdicts kept per value)', () => {
    it('reports every invalid occurrence of a recurring value, and none for a valid one', async () => {
        const text = '<chapter xmlns="http://docbook.org/ns/docbook" xmlns:xlink="http://www.w3.org/1999/xlink" version="5.0" xml:id="c"><title>T</title>\n'
            + '<para><link xlink:type="simple" xlink:href="http://x/%zz">a</link></para>\n'
            + '<para><link xlink:type="simple" xlink:href="http://x/a b">b</link></para>\n'
            + '<para><link xlink:type="simple" xlink:href="http://x/%zz">c</link></para>\n'
            + '</chapter>\n';
        const invalidAt = (t: string): number[] => validateDocument(parseXml(t), builtinSchema()!)
            .filter((p) => /xlink:href/.test(p.message))
            .map((p) => t.slice(0, p.start).split('\n').length);
        // Twice: the second run answers from the kept verdicts.
        assert.deepStrictEqual(invalidAt(text), [2, 4]);
        assert.deepStrictEqual(invalidAt(text), [2, 4]);
        assert.deepStrictEqual(invalidAt(text.replace(/%zz/g, 'ok')), []);
    });
});
