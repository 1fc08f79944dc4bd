// The schema check against Jing, the reference validator, run at test time: on the real corpus
// nothing where Jing finds nothing, and every Jing error at its line; on copies made invalid in
// known ways, every Jing error at its line and at most 5 % extra.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseXml, XmlDocument, XmlElement } from '../../server/src/core/xmlParser';
import { checkAgainstSchema, isSchemaChecked } from '../../server/src/schema/select';
import { SchemaProblem } from '../../server/src/schema/validate';
import { CORPUS, listXml, requireCorpus, skipBecause } from '../helpers';
import { JingError, jingMissing, runJing } from '../jingReference';

interface Comparison { jing: number; matched: number; missed: string[]; extra: string[] }

function lineOf(text: string, offset: number): number {
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    return line;
}

/**
 * Jing places an error at the end of the tag it is about (the start tag's `>` for an element or an
 * attribute, the end tag's for an incomplete element, the next tag for text): a problem matches a
 * Jing error when Jing's line lies between the problem's first line and that of the next `>`.
 */
function lineSpan(text: string, p: SchemaProblem): [number, number] {
    const gt = text.indexOf('>', Math.max(p.end - 1, p.start));
    return [lineOf(text, p.start), lineOf(text, gt < 0 ? p.end : gt)];
}

async function ourProblems(file: string): Promise<{ text: string; problems: SchemaProblem[] } | undefined> {
    const text = fs.readFileSync(file, 'utf8');
    const doc = parseXml(text);
    if (!isSchemaChecked(doc)) return undefined;
    const { problems } = await checkAgainstSchema(doc, { setting: '', folder: undefined, resolveHref: () => undefined });
    return { text, problems };
}

function compare(file: string, text: string, ours: SchemaProblem[], jing: JingError[]): Comparison {
    const spans = ours.map((p) => lineSpan(text, p));
    const used = new Set<number>();
    const missed: string[] = [];
    for (const j of jing) {
        const i = spans.findIndex(([a, b]) => j.line >= a && j.line <= b);
        if (i < 0) missed.push(`${path.basename(file)}:${j.line}: ${j.message.slice(0, 160)}`);
        else used.add(i);
    }
    // A problem counts as extra only when no Jing error is on its lines.
    const extra = ours.filter((_p, i) => !used.has(i) && !jing.some((j) => j.line >= spans[i][0] && j.line <= spans[i][1]))
        .map((p) => `${path.basename(file)}:${lineOf(text, p.start)}: ${p.message.slice(0, 160)}`);
    return { jing: jing.length, matched: jing.length - missed.length, missed, extra };
}

// ---- known ways of making a file invalid -------------------------------------------------------

function elements(doc: XmlDocument): XmlElement[] {
    const out: XmlElement[] = [];
    const visit = (el: XmlElement): void => {
        out.push(el);
        for (const c of el.children) if (c.kind === 'element') visit(c);
    };
    if (doc.root) visit(doc.root);
    return out;
}

type Mutation = (text: string, doc: XmlDocument) => string | undefined;

const splice = (text: string, start: number, end: number, insert: string): string => text.slice(0, start) + insert + text.slice(end);

const MUTATIONS: Record<string, Mutation> = {
    'misspelled element': (text, doc) => {
        const para = elements(doc).find((e) => e.local === 'para' && !e.selfClosing);
        if (!para) return undefined;
        const renamedEnd = splice(text, para.contentEnd, para.end, '</parra>');
        return splice(renamedEnd, para.start, para.start + 5, '<parra');
    },
    'block inside a title': (text, doc) => {
        const title = elements(doc).find((e) => e.local === 'title' && !e.selfClosing);
        return title && splice(text, title.contentEnd, title.contentEnd, '<itemizedlist><listitem><para>x</para></listitem></itemizedlist>');
    },
    'unknown attribute': (text, doc) => {
        const para = elements(doc).find((e) => e.local === 'para');
        return para && splice(text, para.start + 5, para.start + 5, ' colour="red"');
    },
    'bad enumerated value': (text, doc) => {
        const para = elements(doc).find((e) => e.local === 'para' && !e.selfClosing && e.parent?.local === 'section');
        return para && splice(text, para.end, para.end, '<orderedlist numeration="roman"><listitem><para>x</para></listitem></orderedlist>');
    },
    'emptied list': (text, doc) => {
        const list = elements(doc).find((e) => (e.local === 'itemizedlist' || e.local === 'orderedlist') && !e.selfClosing);
        if (list) return splice(text, list.startTagEnd, list.contentEnd, '\n');
        const para = elements(doc).find((e) => e.local === 'para' && !e.selfClosing && e.parent?.local === 'section');
        return para && splice(text, para.end, para.end, '<itemizedlist>\n</itemizedlist>');
    },
    'title moved after a paragraph': (text, doc) => {
        for (const el of elements(doc)) {
            const kids = el.children.filter((c): c is XmlElement => c.kind === 'element');
            const t = kids.findIndex((k, i) => k.local === 'title' && kids[i + 1]?.local === 'para');
            if (t < 0) continue;
            const title = kids[t];
            const para = kids[t + 1];
            return text.slice(0, title.start) + text.slice(para.start, para.end) + text.slice(title.end, para.start)
                + text.slice(title.start, title.end) + text.slice(para.end);
        }
        return undefined;
    },
};

describe('schema check vs Jing', function () {
    this.timeout(600_000);

    before(function () {
        requireCorpus(this);
        const missing = jingMissing();
        if (missing) skipBecause(this, missing);
    });

    it('on the corpus: every Jing error at its line, nothing where Jing finds nothing', async () => {
        const files = ['training-guides', 'security-guide-2014', 'ha-guide'].flatMap((t) => listXml(path.join(CORPUS, t)));
        const ours = new Map<string, { text: string; problems: SchemaProblem[] }>();
        for (const f of files) {
            const r = await ourProblems(f);
            if (r) ours.set(path.resolve(f), r);
        }
        const { errors, unreadable } = runJing([...ours.keys()]);
        let jingCount = 0;
        const missed: string[] = [];
        const extra: string[] = [];
        for (const [file, r] of ours) {
            if (unreadable.has(file)) continue; // Jing cannot read it (a missing entity file): no reference
            const c = compare(file, r.text, r.problems, errors.get(file) ?? []);
            jingCount += c.jing;
            missed.push(...c.missed);
            extra.push(...c.extra);
        }
        assert.ok(ours.size > 200, `DocBook 5 files checked: ${ours.size}`);
        assert.deepStrictEqual(missed, [], 'Jing errors not reported');
        assert.deepStrictEqual(extra, [], 'reported where Jing finds nothing');
        // The schemas README: st-training-guides.xml has 6 real errors (a set that accepts only setindex after its first include).
        assert.ok(jingCount >= 6, `Jing errors in the corpus: ${jingCount}`);
    });

    it('on copies made invalid in known ways: every Jing error at its line, at most 5 % extra', async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-jing-'));
        try {
            const sources = listXml(path.join(CORPUS, 'ha-guide')).concat(listXml(path.join(CORPUS, 'security-guide-2014')))
                .filter((f) => !f.includes('glossary'));
            const made: { file: string; mutation: string }[] = [];
            for (const [name, mutate] of Object.entries(MUTATIONS)) {
                let count = 0;
                for (const src of sources) {
                    if (count >= 6) break;
                    const text = fs.readFileSync(src, 'utf8');
                    const doc = parseXml(text);
                    if (!isSchemaChecked(doc)) continue;
                    const mutated = mutate(text, doc);
                    if (mutated === undefined || mutated === text) continue;
                    const file = path.join(tmp, `${name.replace(/\W+/g, '-')}-${count}-${path.basename(src)}`);
                    fs.writeFileSync(file, mutated);
                    made.push({ file, mutation: name });
                    count++;
                }
                assert.ok(count > 0, `no file to apply "${name}" to`);
            }
            const { errors, unreadable } = runJing(made.map((m) => m.file));
            let jingCount = 0;
            let extraCount = 0;
            const missed: string[] = [];
            const extras: string[] = [];
            const perMutation = new Map<string, number>();
            for (const m of made) {
                if (unreadable.has(m.file)) continue;
                const r = await ourProblems(m.file);
                assert.ok(r, `${m.file} is no longer checked`);
                const jing = errors.get(m.file) ?? [];
                const c = compare(m.file, r.text, r.problems, jing);
                jingCount += c.jing;
                extraCount += c.extra.length;
                missed.push(...c.missed.map((s) => `${m.mutation}: ${s}`));
                extras.push(...c.extra.map((s) => `${m.mutation}: ${s}`));
                perMutation.set(m.mutation, (perMutation.get(m.mutation) ?? 0) + c.jing);
            }
            for (const name of Object.keys(MUTATIONS)) assert.ok((perMutation.get(name) ?? 0) > 0, `Jing found no error for "${name}"`);
            assert.deepStrictEqual(missed, [], 'Jing errors not reported at their line');
            assert.ok(extraCount <= Math.floor(jingCount * 0.05), `${extraCount} extra problems for ${jingCount} Jing errors:\n${extras.join('\n')}`);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
