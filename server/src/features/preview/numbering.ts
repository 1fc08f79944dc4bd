// Numbers in the book's context, as docbook-xsl gives them with the OpenStack build's parameters
// (section.autolabel=1, section.label.includes.component.label=1): parts, chapters, appendices,
// sections, formal objects, steps and footnotes, and the elements each id names.

import { isDocbookElement, titleElementOf } from '../../core/docbookModel';
import { attr, XmlElement } from '../../core/xmlParser';
import { Assembler, Ctx, MAX_ELEMENTS_PER_RENDER, rootCtx } from './assembler';
import { childElement } from './html';
import { idOf, ParsedFile } from './snapshot';

export interface Target { el: XmlElement; pf: ParsedFile }

/** One place an element takes in the assembled book: a file included twice (in two guides of a set) is numbered twice. */
interface Occurrence { stack: readonly string[]; label: string }

export interface Numbering {
    labels: Map<XmlElement, Occurrence[]>;
    targets: Map<string, Target>;
}

/**
 * The label of an element where it is being rendered: the occurrence whose include chain ends with
 * the render's chain below its root file, in that root file; the first occurrence otherwise (as
 * docbook-xsl resolves an xref to the first element with an id).
 */
export function labelOf(numbering: Numbering, el: XmlElement, renderStack?: readonly string[]): string | undefined {
    const occurrences = numbering.labels.get(el);
    if (!occurrences) return undefined;
    if (occurrences.length === 1 || !renderStack) return occurrences[0].label;
    const rootFile = renderStack[0].slice(0, renderStack[0].indexOf('#') + 1);
    const rest = renderStack.length - 1;
    for (const o of occurrences) {
        const k = o.stack.length - rest;
        if (k < 1 || !o.stack[k - 1].startsWith(rootFile)) continue;
        let same = true;
        for (let i = 1; i <= rest && same; i++) same = o.stack[k - 1 + i] === renderStack[i];
        if (same) return o.label;
    }
    return occurrences[0].label;
}

export function toRoman(n: number): string {
    const table: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
    let out = '';
    for (const [v, s] of table) while (n >= v) { out += s; n -= v; }
    return out;
}

export function toLetters(n: number): string {
    let out = '';
    for (; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
    return out;
}

const SECTION_ELEMENTS = new Set(['section', 'sect1', 'sect2', 'sect3', 'sect4', 'sect5']);
const UNNUMBERED_COMPONENTS = new Set(['preface', 'article', 'glossary', 'bibliography', 'index', 'colophon', 'dedication', 'acknowledgements', 'reference']);
const FORMAL_ELEMENTS = new Set(['figure', 'table', 'example', 'equation', 'procedure']);

interface BookCounters { chapters: number; appendices: number; parts: number }
interface ComponentScope { label: string; formal: Map<string, number>; book: BookCounters }
interface SectionScope { label: string; count: number }
/** Steps under one parent: the enclosing step's label and how many substeps are around them (docbook-xsl's `step` mode="number"). */
interface StepScope { label: string; depth: number; count: number }
/** Footnotes of the book, and of the table being walked (docbook-xsl letters a table's footnotes, from "a" in each table). */
interface FootnoteScope { body: number; table?: { count: number } }

/** docbook-xsl's procedure.step.numeration.formats: the n-th level of substeps is numbered by the n-th character, cycling. */
const STEP_NUMERATION = '1aiAI';

function formatNumber(n: number, format: string): string {
    switch (format) {
        case 'a': return toLetters(n).toLowerCase();
        case 'A': return toLetters(n);
        case 'i': return toRoman(n).toLowerCase();
        case 'I': return toRoman(n);
        default: return String(n);
    }
}

/** Labels of the assembled document under `rootPf`, and the first element of each id. */
export function numberDocument(asm: Assembler, rootPf: ParsedFile): Numbering {
    const labels = new Map<XmlElement, Occurrence[]>();
    const targets = new Map<string, Target>();
    let visited = 0;
    const setLabel = (el: XmlElement, ctx: Ctx, label: string): void => {
        const list = labels.get(el);
        if (list) list.push({ stack: ctx.stack, label }); else labels.set(el, [{ stack: ctx.stack, label }]);
    };
    const footnotes: FootnoteScope = { body: 0 };
    const walk = (el: XmlElement, ctx: Ctx, comp: ComponentScope, sec: SectionScope, step: StepScope): void => {
        if (++visited > MAX_ELEMENTS_PER_RENDER || asm.isProfiledOut(el)) return;
        const id = idOf(el, ctx.pf);
        if (id && !targets.has(id)) targets.set(id, { el, pf: ctx.pf });
        const c = isDocbookElement(el) ? el.local : '';
        let childComp = comp;
        let childSec = sec;
        let childStep = step;
        const savedTable = footnotes.table;
        if (c === 'step') {
            const n = formatNumber(++step.count, STEP_NUMERATION[step.depth % STEP_NUMERATION.length]);
            const label = step.label ? `${step.label}.${n}` : n;
            setLabel(el, ctx, label);
            childStep = { label, depth: step.depth, count: 0 };
        } else if (c === 'procedure') {
            childStep = { label: '', depth: 0, count: 0 };
        } else if (c === 'substeps') {
            childStep = { label: step.label, depth: step.depth + 1, count: 0 };
        } else if (c === 'stepalternatives') {
            childStep = { label: step.label, depth: step.depth, count: 0 };
        } else if (c === 'table' || c === 'informaltable') {
            footnotes.table = { count: 0 };
        } else if (c === 'footnote') {
            // docbook-xsl's footnote.number: its label; a letter within a table; else the book's count of footnotes outside tables.
            const own = attr(el, 'label')?.value;
            if (footnotes.table) {
                const n = ++footnotes.table.count;
                setLabel(el, ctx, own || toLetters(n).toLowerCase());
            } else {
                if (!own) footnotes.body++;
                setLabel(el, ctx, own || String(footnotes.body));
            }
        }
        if (c === 'book') {
            childComp = { label: '', formal: new Map(), book: { chapters: 0, appendices: 0, parts: 0 } };
            childSec = { label: '', count: 0 };
        } else if (c === 'part') {
            setLabel(el, ctx, toRoman(++comp.book.parts));
        } else if (c === 'chapter' || c === 'appendix') {
            const label = c === 'chapter' ? String(++comp.book.chapters) : toLetters(++comp.book.appendices);
            setLabel(el, ctx, label);
            childComp = { label, formal: new Map(), book: comp.book };
            childSec = { label, count: 0 };
        } else if (UNNUMBERED_COMPONENTS.has(c)) {
            childComp = { label: '', formal: new Map(), book: comp.book };
            childSec = { label: '', count: 0 };
        } else if (SECTION_ELEMENTS.has(c)) {
            const label = (sec.label ? sec.label + '.' : '') + String(++sec.count);
            setLabel(el, ctx, label);
            childSec = { label, count: 0 };
        } else if (FORMAL_ELEMENTS.has(c) && (titleElementOf(el) || (c === 'table' && childElement(el, 'caption')))) {
            const n = (comp.formal.get(c) ?? 0) + 1;
            comp.formal.set(c, n);
            setLabel(el, ctx, comp.label ? `${comp.label}.${n}` : String(n));
        }
        asm.eachChild(el, ctx, {
            node: (n, nctx) => { if (n.kind === 'element') walk(n, nctx, childComp, childSec, childStep); },
        });
        footnotes.table = savedTable;
    };
    if (rootPf.doc.root) {
        walk(rootPf.doc.root, rootCtx(rootPf),
            { label: '', formal: new Map(), book: { chapters: 0, appendices: 0, parts: 0 } }, { label: '', count: 0 }, { label: '', depth: 0, count: 0 });
    }
    return { labels, targets };
}
