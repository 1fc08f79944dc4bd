// The lazy walkers (schema/lazyWalkers.ts) stand for salve's walkers and replay what untouched ones
// did with an event before: every answer must be salve's own. Here the same validations and the same
// completion questions are asked with salve's own walkers and with the lazy ones (having learnt from
// other files first, and from nothing), on corpus files and on copies broken by random edits.

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseXml } from '../../server/src/core/xmlParser';
import { expectedContentAt } from '../../server/src/schema/expect';
import { builtinSchema, Schema } from '../../server/src/schema/grammar';
import { setLazyWalkers } from '../../server/src/schema/lazyWalkers';
import { isSchemaChecked } from '../../server/src/schema/select';
import { SchemaProblem, validateDocument } from '../../server/src/schema/validate';
import { CORPUS, listXml, prng, requireCorpus } from '../helpers';

type Edit = (text: string, at: number) => string;

function startTagAfter(t: string, at: number): { lt: number; nameEnd: number } | undefined {
    const lt = t.indexOf('<', at);
    if (lt < 0 || !/[a-zA-Z]/.test(t[lt + 1] ?? '')) return undefined;
    return { lt, nameEnd: lt + t.slice(lt).search(/[\s/>]/) };
}

// Edits that bring each kind of problem: misplaced and unknown elements, missing ones, bad and
// unknown attributes, text where only elements may be, and what the walker recovers from.
const EDITS: Edit[] = [
    (t, at) => `${t.slice(0, at)}<itemizedlist><listitem><para>a</para></listitem></itemizedlist>${t.slice(at)}`,
    (t, at) => `${t.slice(0, at)}<parra>x</parra>${t.slice(at)}`,
    (t, at) => `${t.slice(0, at)}<emphasis role="bold">x <literal>y</literal></emphasis>${t.slice(at)}`,
    (t, at) => `${t.slice(0, at)}<orderedlist numeration="roman"></orderedlist>${t.slice(at)}`,
    (t, at) => `${t.slice(0, at)}stray words${t.slice(at)}`,
    (t, at) => `${t.slice(0, at)}<section><para>no title</para></section>${t.slice(at)}`,
    (t, at) => {
        const tag = startTagAfter(t, at);
        return tag ? `${t.slice(0, tag.lt + 1)}q${t.slice(tag.lt + 2)}` : t;
    },
    (t, at) => {
        const tag = startTagAfter(t, at);
        return tag ? `${t.slice(0, tag.nameEnd)} revisionflag="bogus" zzattr="1" xml:lang="en"${t.slice(tag.nameEnd)}` : t;
    },
    (t, at) => {
        const tag = startTagAfter(t, at);
        const gt = tag ? t.indexOf('>', tag.lt) : -1;
        return tag && gt > 0 ? t.slice(0, tag.lt) + t.slice(gt + 1) : t;
    },
];

function withSalveWalkers<T>(run: () => T): T {
    setLazyWalkers(false);
    try {
        return run();
    } finally {
        setLazyWalkers(true);
    }
}

function validate(text: string, schema: Schema): SchemaProblem[] {
    return validateDocument(parseXml(text), schema);
}

describe('schema check with lazy walkers', function () {
    this.timeout(300_000);
    let schema: Schema;
    let texts: string[];

    before(function () {
        requireCorpus(this);
        schema = builtinSchema()!;
        const files = listXml(CORPUS).sort();
        const checked = files.map((f) => fs.readFileSync(f, 'utf8')).filter((t) => isSchemaChecked(parseXml(t)));
        // Spread over the three trees; every file would take long and add little.
        texts = checked.filter((_t, i) => i % 6 === 0);
        assert.ok(texts.length >= 30, `files: ${texts.length}`);
    });

    after(() => setLazyWalkers(true));

    it("gives salve's own answers on corpus files and on copies broken by random edits", () => {
        const random = prng(10);
        let broken = 0;
        let compared = 0;
        for (const text of texts) {
            const variants = [text];
            for (let i = 0; i < 3; i++) {
                let copy = variants[variants.length - 1];
                for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
                    const at = copy.indexOf('>', Math.floor(random() * copy.length)) + 1;
                    if (at > 0) copy = EDITS[Math.floor(random() * EDITS.length)](copy, at);
                }
                variants.push(copy);
            }
            for (const variant of variants) {
                if (!isSchemaChecked(parseXml(variant))) continue;
                const expected = withSalveWalkers(() => validate(variant, schema));
                assert.deepStrictEqual(validate(variant, schema), expected);
                compared++;
                if (expected.length) broken++;
            }
        }
        // Having learnt from nothing, in another order.
        setLazyWalkers(true, true);
        for (const text of [...texts].reverse().slice(0, 10)) {
            assert.deepStrictEqual(validate(text, schema), withSalveWalkers(() => validate(text, schema)));
        }
        assert.ok(compared >= 100 && broken >= 50, `compared ${compared}, with problems ${broken}`);
    });

    it("offers salve's own completions after < at points of the files", () => {
        const random = prng(20);
        let asked = 0;
        for (const [n, text] of texts.slice(0, 15).entries()) {
            for (let i = 0; i < 8; i++) {
                const at = text.indexOf('>', Math.floor(random() * text.length)) + 1;
                if (at <= 0) continue;
                const typed = `${text.slice(0, at)}<${text.slice(at)}`;
                const expected = withSalveWalkers(() => expectedContentAt(`salve ${n}`, schema, typed, at));
                const got = expectedContentAt(`lazy ${n}`, schema, typed, at);
                assert.deepStrictEqual(got.expected, expected.expected, `${path.basename(String(n))} at ${at}`);
                asked++;
            }
        }
        assert.ok(asked >= 100, `asked ${asked}`);
    });
});
