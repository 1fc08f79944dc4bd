// What the schema says at a point of a tree's file, asked of Jing (test/jingReference.ts: the reference
// validator, the one the gate ran) on copies of the file with an author's typing put there: never of
// the code under test, nor of salve.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { JingError, jingMissing, runJing, SCHEMA_RNG } from '../jingReference';
import { lineCol, XmlFile } from './treeFacts';

export { jingMissing };

/** Every element name the schema defines (`<element name="…">` of the RELAX NG file), as Jing writes them. */
export function schemaElementNames(): string[] {
    const rng = fs.readFileSync(SCHEMA_RNG, 'utf8');
    return [...new Set([...rng.matchAll(/<element\s+name="([^"]+)"/g)].map((m) => m[1]))].sort();
}

/** `inserted` put at `offset` of `file`'s text. */
export interface Insertion { file: XmlFile; offset: number; inserted: string }

/** The `.ent` files under `dir`, relative to it (what DOCTYPEs load). */
function entityFiles(dir: string, rel = ''): string[] {
    return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
        const r = path.join(rel, e.name);
        if (e.isDirectory()) return e.name.startsWith('.') || e.name === 'node_modules' ? [] : entityFiles(dir, r);
        return e.name.endsWith('.ent') ? [r] : [];
    });
}

/**
 * Jing's errors on a copy of each file with its insertion, in one Jing run. Each copy sits at the
 * file's place in a copy of its tree's entity files, so that its DOCTYPE loads what the original
 * does. A file Jing cannot read (an entity file it cannot load) has undefined.
 */
export function jingOnInsertions(root: string, insertions: Insertion[]): (JingError[] | undefined)[] {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-jing-'));
    try {
        const entities = entityFiles(root);
        const copies = insertions.map((x, i) => {
            const tree = path.join(tmp, String(i));
            for (const e of entities) {
                fs.mkdirSync(path.dirname(path.join(tree, e)), { recursive: true });
                fs.copyFileSync(path.join(root, e), path.join(tree, e));
            }
            const copy = path.join(tree, path.relative(root, x.file.path));
            fs.mkdirSync(path.dirname(copy), { recursive: true });
            fs.writeFileSync(copy, x.file.text.slice(0, x.offset) + x.inserted + x.file.text.slice(x.offset));
            return copy;
        });
        const { errors, unreadable } = runJing(copies);
        return copies.map((c) => (unreadable.has(path.resolve(c)) ? undefined : errors.get(path.resolve(c)) ?? []));
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

const PROBE = 'zz_keys_probe';

/** A probe element that no schema knows, for `allowedElementsFrom`. */
export const PROBE_ELEMENT = `<${PROBE}/>`;

/**
 * The elements the schema allows where a `PROBE_ELEMENT` was inserted: the names of Jing's
 * `element "zz_keys_probe" not allowed anywhere; expected …` (the end-tag and text are not elements).
 */
export function allowedElementsFrom(errors: JingError[] | undefined): string[] | undefined {
    const message = errors?.find((e) => e.message.includes(`"${PROBE}"`))?.message;
    const list = message && /not allowed anywhere; expected (.*)$/.exec(message)?.[1];
    if (list === undefined || list === '') return undefined;
    const at = list.indexOf('element "');
    return at < 0 ? [] : [...list.slice(at).matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
}

/** A place in a paragraph of `file` and what the schema allows there and right after the paragraph. */
export interface SchemaSpot {
    file: XmlFile;
    /** The end of a line of the paragraph's text (where `<` is typed), 1-based line and column. */
    inPara: { offset: number; line: number; col: number };
    allowedInPara: string[];
    /** Right after the paragraph's end tag, in its parent. */
    afterPara: { offset: number; line: number; col: number };
    allowedAfterPara: string[];
}

/** Whether every file the DOCTYPE loads is a local file that exists (Jing cannot read the file otherwise). */
function entitiesReadable(file: XmlFile): boolean {
    const doctype = /<!DOCTYPE[\s\S]*?(?:\]\s*>|>)/.exec(file.text.slice(0, 20_000))?.[0] ?? '';
    return [...doctype.matchAll(/SYSTEM\s+(["'])([^"']*)\1/g)].every((m) => !/^[a-z][a-z0-9+.-]*:/i.test(m[2]) && fs.existsSync(path.resolve(path.dirname(file.path), m[2])));
}

/**
 * Among the first paragraphs of `files` that follow a title or another paragraph, the one whose
 * parent takes the most elements that the paragraph does not (a paragraph of a section or chapter
 * rather than of a list item): Jing is asked, in one run, what each point allows.
 */
export function schemaSpotIn(root: string, files: XmlFile[], maxCandidates = 12): SchemaSpot | undefined {
    const candidates: Omit<SchemaSpot, 'allowedInPara' | 'allowedAfterPara'>[] = [];
    for (const file of files.filter(entitiesReadable)) {
        let previous = '';
        for (let i = 0; i < file.lines.length && candidates.length < maxCandidates; i++) {
            const l = file.lines[i];
            if (/^\s*<para>[^<]*\w[^<]*$/.test(l) && /<\/(?:title|para)>\s*$/.test(previous) && !file.lines[i + 1]?.trim().startsWith('</para>')) {
                const inPara = file.lines.slice(0, i).join('\n').length + (i ? 1 : 0) + l.replace(/\r$/, '').length;
                const end = file.text.indexOf('</para>', inPara);
                // No nested paragraph in between (a footnote's): the end tag is this paragraph's.
                if (end > 0 && !file.text.slice(inPara, end).includes('<para')) {
                    const after = end + '</para>'.length;
                    const point = (offset: number): SchemaSpot['inPara'] => ({ offset, ...lineCol(file.text, offset) });
                    candidates.push({ file, inPara: point(inPara), afterPara: point(after) });
                }
            }
            if (l.trim()) previous = l;
        }
        if (candidates.length >= maxCandidates) break;
    }
    const errors = jingOnInsertions(root, candidates.flatMap((c) => [
        { file: c.file, offset: c.inPara.offset, inserted: ` ${PROBE_ELEMENT}` },
        { file: c.file, offset: c.afterPara.offset, inserted: PROBE_ELEMENT },
    ]));
    let best: SchemaSpot | undefined;
    candidates.forEach((c, i) => {
        const allowedInPara = allowedElementsFrom(errors[2 * i]);
        const allowedAfterPara = allowedElementsFrom(errors[2 * i + 1]);
        if (!allowedInPara || !allowedAfterPara) return;
        const spot = { ...c, allowedInPara, allowedAfterPara };
        const parentOnly = (s: SchemaSpot): number => s.allowedAfterPara.filter((n) => !s.allowedInPara.includes(n)).length;
        if (!best || parentOnly(spot) > parentOnly(best)) best = spot;
    });
    return best;
}

/**
 * Of `names`, those that the schema takes at `offset` of `file` both empty and with text inside
 * (`<x></x>`, `<x>text</x>`): an element an author fills in by typing, with nothing required in it.
 */
export function textElementsAt(root: string, file: XmlFile, offset: number, names: string[]): string[] {
    // One copy, one element a line: Jing's errors say by their line which elements fail.
    const inserted = names.map((n) => `\n<${n}></${n}>\n<${n}>text</${n}>`).join('');
    const [errors] = jingOnInsertions(root, [{ file, offset, inserted }]);
    if (!errors) return [];
    const first = lineCol(file.text, offset).line + 1;
    const failing = new Set(errors.map((e) => Math.floor((e.line - first) / 2)));
    return names.filter((_n, i) => !failing.has(i));
}
