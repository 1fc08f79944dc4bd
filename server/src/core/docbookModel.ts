// What the index keeps of one DocBook file: ids, references, includes, images, glossary, outline.
// Built in one walk over the tolerant parse tree; the tree itself is not kept.

import { EntityTable, entityText } from './entities';
import { computeLineStarts } from './lineMap';
import { findNiceness, NicenessFinding } from './niceness';
import { intern, own, ownOpt } from './strings';
import { attr, attrNS, XML_NS, XmlAttribute, XmlDocument, XmlElement, XmlNode, XmlProblem } from './xmlParser';

export const DOCBOOK_NS = 'http://docbook.org/ns/docbook';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';
export const XINCLUDE_NAMESPACES = new Set(['http://www.w3.org/2001/XInclude', 'http://www.w3.org/2003/XInclude']);

/** Attributes whose value is one id. */
export const SINGLE_REF_ATTRIBUTES = new Set(['linkend', 'endterm', 'otherterm', 'startref']);
/** Attributes whose value is a space-separated list of ids. */
export const LIST_REF_ATTRIBUTES = new Set(['linkends', 'arearefs']);
export const PROFILING_ATTRIBUTES = new Set(['os', 'audience', 'arch', 'condition', 'conformance', 'revision', 'security', 'userlevel', 'vendor', 'wordsize', 'outputformat']);
const FILEREF_ELEMENTS = new Set(['imagedata', 'graphic', 'inlinegraphic', 'videodata', 'audiodata', 'textdata']);

/** Nesting levels of the outline; deeper sections are listed at the last level. */
export const MAX_OUTLINE_DEPTH = 32;
/** Outline nodes of one file (real chapters have a few hundred): a hostile file must not make a 20 MB answer. */
export const MAX_OUTLINE_NODES = 5000;

/** Elements shown in the outline (document symbols) and in the book view. */
export const OUTLINE_ELEMENTS = new Set([
    'set', 'book', 'part', 'chapter', 'appendix', 'preface', 'article', 'section', 'sect1', 'sect2', 'sect3',
    'sect4', 'sect5', 'simplesect', 'glossary', 'bibliography', 'index', 'reference', 'refentry', 'colophon',
    'dedication', 'acknowledgements', 'topic', 'qandaset', 'qandadiv', 'procedure', 'figure', 'table',
    'example', 'equation', 'sidebar',
]);
export const BOOK_ROOTS = new Set(['book', 'set']);

export interface Span { start: number; end: number }

export interface IdDefinition extends Span {
    id: string;
    element: string;
    title?: string;
    elementStart: number;
    elementEnd: number;
    /** Where the element's content starts, after its title if the title comes first (the xpath() xpointer form skips the title). */
    afterTitle: number;
    contentEnd: number;
}

export interface IdReference extends Span {
    id: string;
    attribute: string;
    element: string;
}

export type PointerMode = 'element' | 'children';

export interface XPointerTarget {
    id: string;
    /** Offsets of the id inside the xpointer attribute value, in the including file. */
    span: Span;
    /** 'children': the xpath(//*[@xml:id='x']/*[not(self::db:title)]) form takes x's children except its title. */
    mode: PointerMode;
}

export interface XInclude extends Span {
    href: string;
    /** Range of the href value; undefined when the attribute is absent. */
    hrefSpan?: Span;
    parse: 'xml' | 'text';
    xpointer?: string;
    xpointerSpan?: Span;
    pointer?: XPointerTarget;
    /** xml:base values in effect, outermost first. */
    xmlBase?: string[];
    fallback?: Span;
    /** Index of the include whose xi:fallback holds this one, or -1. */
    inFallbackOf: number;
}

export interface ImageRef extends Span { fileref: string; element: string; inFallbackOf: number }

export interface GlossEntryDef {
    term: string;
    termSpan: Span;
    baseform?: string;
    definition: string;
    entryStart: number;
    entryEnd: number;
    id?: string;
}

export interface GlossTermUse extends Span {
    /** Whitespace-normalised text, as the build compares it. */
    text: string;
    textSpan: Span;
    baseform?: string;
    baseformSpan?: Span;
    linkend?: string;
}

export interface OutlineNode extends Span {
    element: string;
    title: string;
    id?: string;
    /** The title element's text range, or the start tag's name. */
    selection: Span;
    children: OutlineNode[];
}

export interface ProfilingUse extends Span { attribute: string; values: string[] }

/** The profiling attributes whose nesting the OpenStack gate checked. */
export const GATE_PROFILED_ATTRIBUTES = ['os', 'audience'] as const;

/** A profiling value (span: the attribute value) outside those of the nearest enclosing element profiled on the same attribute. */
export interface ProfileConflict extends Span {
    attribute: string;
    element: string;
    values: string[];
    /** The values no build that keeps the enclosing element selects. */
    outside: string[];
    parentElement: string;
    parentValues: string[];
    /** The enclosing element's attribute value. */
    parentSpan: Span;
}

/** Per kind of gate finding in one file: a hostile file must not make a list per byte. */
export const MAX_GATE_FINDINGS = 1000;
export interface EntityUse extends Span { name: string }

export interface FileModel {
    rootElement?: string;
    rootNamespace?: string;
    /** DocBook 5 namespace, or no namespace (DocBook 4). */
    isDocbook: boolean;
    isBook: boolean;
    title?: string;
    ids: IdDefinition[];
    refs: IdReference[];
    includes: XInclude[];
    images: ImageRef[];
    glossEntries: GlossEntryDef[];
    glossTerms: GlossTermUse[];
    outline: OutlineNode[];
    profiling: ProfilingUse[];
    entityUses: EntityUse[];
    /** The start-tag names of DocBook 5 `section`s without `xml:id` (the gate's section check). */
    sectionsWithoutId: Span[];
    profileConflicts: ProfileConflict[];
    /** Whitespace niceness of a DocBook file's text, as the gate judged it. */
    niceness: NicenessFinding[];
    problems: XmlProblem[];
    lineStarts: Uint32Array;
    textLength: number;
}

export function normalizeSpace(s: string): string {
    return s.replace(/\s+/g, ' ').trim();
}

export function buildFileModel(doc: XmlDocument, entities: EntityTable): FileModel {
    const model: FileModel = {
        isDocbook: false, isBook: false, ids: [], refs: [], includes: [], images: [], glossEntries: [],
        glossTerms: [], outline: [], profiling: [], entityUses: [], sectionsWithoutId: [], profileConflicts: [], niceness: [],
        problems: doc.problems, lineStarts: computeLineStarts(doc.text), textLength: doc.text.length,
    };
    const root = doc.root;
    if (root) {
        model.rootElement = intern(root.local);
        model.rootNamespace = intern(root.ns);
        model.isDocbook = isDocbookRoot(root, doc.doctype);
        model.isBook = model.isDocbook && BOOK_ROOTS.has(root.local);
        // Other XML (a Maven POM, an SVG, a catalog) is left alone: no ids, references or includes.
        if (model.isDocbook) new ModelBuilder(doc, entities, model, root.ns !== DOCBOOK_NS).visit(root, -1, model.outline, [], 0, NO_PROFILE);
        if (model.isDocbook) model.niceness = findNiceness(doc.text, MAX_GATE_FINDINGS);
        const title = titleOf(root, doc.text, entities);
        if (title !== undefined) model.title = own(title);
    }
    for (const r of doc.entityRefs) model.entityUses.push({ name: intern(r.name), start: r.start, end: r.end });
    return model;
}


/** Roots a DocBook 4 file without a DOCTYPE is recognised by (book parts and the blocks included alone). */
const DOCBOOK4_ROOTS = new Set([...OUTLINE_ELEMENTS, 'partintro', 'refsection', 'refsect1', 'glossentry', 'glossdiv', 'para', 'simpara',
    'note', 'tip', 'important', 'warning', 'caution', 'itemizedlist', 'orderedlist', 'variablelist', 'programlisting', 'screen',
    'informaltable', 'informalfigure', 'informalexample', 'step', 'qandaentry', 'bibliodiv', 'bibliography']);

/** DocBook 5 by namespace; DocBook 4 (no namespace) by its DOCTYPE or a DocBook root element. */
export function isDocbookRoot(root: XmlElement, doctype: XmlDocument['doctype']): boolean {
    if (root.ns === DOCBOOK_NS) return true;
    if (root.ns !== '') return false;
    if (doctype && /docbook/i.test(`${doctype.publicId ?? ''} ${doctype.systemId ?? ''}`)) return true;
    return DOCBOOK4_ROOTS.has(root.local);
}

export function isDocbookElement(el: XmlElement): boolean {
    return el.ns === DOCBOOK_NS || el.ns === '';
}

export function isXInclude(el: XmlElement): boolean {
    return el.local === 'include' && XINCLUDE_NAMESPACES.has(el.ns);
}

export function isXIncludeFallback(el: XmlElement): boolean {
    return el.local === 'fallback' && XINCLUDE_NAMESPACES.has(el.ns);
}

/** The attribute that gives an element its id: xml:id, or in a DocBook 4 file (no namespace) also id. */
export function idAttributeOf(el: XmlElement, docbook4: boolean): XmlAttribute | undefined {
    return el.attrs.find((a) => a.name === 'xml:id') ?? (docbook4 && el.ns === '' ? attr(el, 'id') : undefined);
}

/** Whether a file's root makes it a DocBook 4 file, whose elements take their id from `id` too. */
export function isDocbook4Root(root: XmlElement | undefined, doctype: XmlDocument['doctype']): boolean {
    return !!root && root.ns === '' && isDocbookRoot(root, doctype);
}

/** Text content with entities shown as the characters they stand for. */
export function textOf(el: XmlElement, text: string, entities: EntityTable): string {
    let out = '';
    const walk = (node: XmlNode): void => {
        if (out.length > 10_000) return;
        switch (node.kind) {
            case 'text': case 'cdata': out += text.slice(node.start, node.end); break;
            case 'entity': out += entityText(node.name, entities) ?? text.slice(node.start, node.end); break;
            case 'element':
                // Footnotes and index terms are not part of a title's words.
                if (node.local === 'indexterm' || node.local === 'footnote' || node.local === 'remark') break;
                for (const c of node.children) walk(c);
                break;
            default: break;
        }
    };
    for (const c of el.children) walk(c);
    return out;
}

export function titleElementOf(el: XmlElement): XmlElement | undefined {
    for (const c of el.children) {
        if (c.kind !== 'element') continue;
        if (c.local === 'title' && isDocbookElement(c)) return c;
        if (c.local === 'info' || /^(sect\d|section|chapter|book|article|set|appendix|preface|part)info$/.test(c.local)) {
            for (const t of c.children) if (t.kind === 'element' && t.local === 'title') return t;
        }
    }
    return undefined;
}

export function titleOf(el: XmlElement, text: string, entities: EntityTable): string | undefined {
    const t = titleElementOf(el);
    if (t) return normalizeSpace(textOf(t, text, entities));
    // A glossentry is named by its term; an HTML-model table by its caption (docbook-xsl numbers it and xrefs quote it).
    const namedBy = el.local === 'glossentry' ? 'glossterm' : el.local === 'table' ? 'caption' : undefined;
    if (namedBy) {
        for (const c of el.children) if (c.kind === 'element' && c.local === namedBy && isDocbookElement(c)) return normalizeSpace(textOf(c, text, entities));
    }
    return undefined;
}

function firstSentence(s: string): string {
    const m = /^(.{20,}?[.!?])(\s|$)/.exec(s);
    const sentence = m ? m[1] : s;
    return sentence.length > 400 ? sentence.slice(0, 399) + '…' : sentence;
}

/** The element's content range without surrounding whitespace, so ranges point at the words. */
function contentSpan(el: XmlElement, text: string): Span {
    let start = el.startTagEnd;
    let end = Math.max(start, el.contentEnd);
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    return { start, end };
}

/** The nearest enclosing element profiled on each of GATE_PROFILED_ATTRIBUTES. */
interface ProfileScope { readonly [attribute: string]: { element: string; values: string[]; span: Span } | undefined }
const NO_PROFILE: ProfileScope = {};

class ModelBuilder {
    private outlineNodes = 0;

    constructor(
        private readonly doc: XmlDocument,
        private readonly entities: EntityTable,
        private readonly model: FileModel,
        private readonly docbook4: boolean,
    ) {}

    visit(el: XmlElement, inFallbackOf: number, outline: OutlineNode[], xmlBase: string[], outlineDepth: number, profile: ProfileScope): void {
        const text = this.doc.text;
        const model = this.model;
        const base = attrNS(el, XML_NS, 'base');
        const bases = base ? [...xmlBase, own(base.value)] : xmlBase;

        if (isXInclude(el)) {
            this.include(el, inFallbackOf, bases, profile);
            return;
        }
        const childProfile = el.ns === DOCBOOK_NS ? this.gateChecks(el, profile) : profile;

        const idAttr = idAttributeOf(el, this.docbook4);
        const id = idAttr?.value.trim();
        if (idAttr && idAttr.valueStart >= 0 && id) {
            const t = titleElementOf(el);
            // The span holds exactly the id, without the spaces around it: rename and diagnostics edit it in place.
            const start = idAttr.valueStart + idAttr.value.indexOf(id);
            model.ids.push({
                id: own(id), start, end: start + id.length, element: intern(el.local),
                title: ownOpt(titleOf(el, text, this.entities)), elementStart: el.start, elementEnd: el.end,
                afterTitle: t && t.parent === el && firstElementChild(el) === t ? t.end : el.startTagEnd,
                contentEnd: el.contentEnd,
            });
        }
        for (const a of el.attrs) {
            if (a.valueStart < 0) continue;
            if (SINGLE_REF_ATTRIBUTES.has(a.name)) {
                const id = a.value.trim();
                const lead = a.value.length - a.value.trimStart().length;
                if (id) {
                    model.refs.push({
                        id: own(id), attribute: intern(a.name), element: intern(el.local),
                        start: a.valueStart + lead, end: a.valueStart + lead + id.length,
                    });
                }
            } else if (LIST_REF_ATTRIBUTES.has(a.name)) {
                const re = /\S+/g;
                for (let m = re.exec(a.value); m; m = re.exec(a.value)) {
                    model.refs.push({
                        id: own(m[0]), attribute: intern(a.name), element: intern(el.local),
                        start: a.valueStart + m.index, end: a.valueStart + m.index + m[0].length,
                    });
                }
            } else if (PROFILING_ATTRIBUTES.has(a.name) && isDocbookElement(el)) {
                model.profiling.push({ attribute: intern(a.name), values: a.value.split(';').map((v) => intern(v.trim())).filter(Boolean), start: a.valueStart, end: a.valueEnd });
            } else if (a.name === 'fileref' && FILEREF_ELEMENTS.has(el.local)) {
                model.images.push({ fileref: own(a.value.trim()), element: intern(el.local), start: a.valueStart, end: a.valueEnd, inFallbackOf });
            }
        }

        if (el.local === 'glossentry' && isDocbookElement(el)) this.glossEntry(el, idAttr?.value);
        else if (el.local === 'glossterm' && isDocbookElement(el) && el.parent?.local !== 'glossentry') this.glossTerm(el);

        let childOutline = outline;
        let childDepth = outlineDepth;
        if (OUTLINE_ELEMENTS.has(el.local) && isDocbookElement(el)) {
            const t = titleElementOf(el);
            const title = titleOf(el, text, this.entities);
            const isFormal = el.local === 'figure' || el.local === 'table' || el.local === 'example' || el.local === 'equation' || el.local === 'procedure' || el.local === 'sidebar';
            if ((!isFormal || title) && this.outlineNodes < MAX_OUTLINE_NODES) {
                this.outlineNodes++;
                const node: OutlineNode = {
                    element: intern(el.local), title: own(title ?? ''), id: ownOpt(idAttr?.value), start: el.start, end: el.end,
                    selection: t ? contentSpan(t, text) : { start: el.start + 1, end: el.start + 1 + el.name.length },
                    children: [],
                };
                outline.push(node);
                // Deeper than any real book, sections stay at the last level: a deeper tree of symbols
                // overflows JSON.stringify when the answer is sent.
                if (outlineDepth < MAX_OUTLINE_DEPTH) {
                    childOutline = node.children;
                    childDepth = outlineDepth + 1;
                }
            }
        }

        for (const c of el.children) {
            if (c.kind !== 'element') continue;
            if (isXIncludeFallback(c)) continue; // fallbacks are visited with their include
            this.visit(c, inFallbackOf, childOutline, bases, childDepth, childProfile);
        }
    }

    /**
     * The gate's checks of one DocBook 5 element (verify_section_tags_have_xmlid, verify_profiling):
     * a section needs an xml:id; an os or audience value must be among those of the nearest
     * enclosing element profiled on the same attribute. Returns the scope for its children.
     */
    private gateChecks(el: XmlElement, profile: ProfileScope): ProfileScope {
        const model = this.model;
        if (el.local === 'section' && !el.attrs.some((a) => a.name === 'xml:id') && model.sectionsWithoutId.length < MAX_GATE_FINDINGS) {
            model.sectionsWithoutId.push({ start: el.start + 1, end: el.start + 1 + el.name.length });
        }
        let scope = profile;
        for (const name of GATE_PROFILED_ATTRIBUTES) {
            const a = attr(el, name);
            if (!a || a.valueStart < 0) continue;
            const values = a.value.split(';').map((v) => intern(v.trim())).filter(Boolean);
            const parent = profile[name];
            if (parent && model.profileConflicts.length < MAX_GATE_FINDINGS) {
                const outside = values.filter((v) => !parent.values.includes(v));
                if (outside.length) {
                    model.profileConflicts.push({
                        attribute: name, element: intern(el.local), values, outside, parentElement: parent.element,
                        parentValues: parent.values, parentSpan: parent.span, start: a.valueStart, end: a.valueEnd,
                    });
                }
            }
            scope = { ...scope, [name]: { element: intern(el.local), values, span: { start: a.valueStart, end: a.valueEnd } } };
        }
        return scope;
    }

    private include(el: XmlElement, inFallbackOf: number, xmlBase: string[], profile: ProfileScope): void {
        const hrefAttr = attr(el, 'href');
        const xpointerAttr = attr(el, 'xpointer');
        const parseAttr = attr(el, 'parse');
        const inc: XInclude = {
            href: own(hrefAttr?.value.trim() ?? ''),
            hrefSpan: hrefAttr && hrefAttr.valueStart >= 0 ? { start: hrefAttr.valueStart, end: hrefAttr.valueEnd } : undefined,
            parse: parseAttr?.value.trim() === 'text' ? 'text' : 'xml',
            start: el.start,
            end: el.end,
            inFallbackOf,
        };
        if (xmlBase.length) inc.xmlBase = xmlBase;
        if (xpointerAttr && xpointerAttr.valueStart >= 0) {
            inc.xpointer = own(xpointerAttr.value);
            inc.xpointerSpan = { start: xpointerAttr.valueStart, end: xpointerAttr.valueEnd };
            const p = parseXPointer(xpointerAttr.value);
            if (p) {
                const start = xpointerAttr.valueStart + p.offset;
                inc.pointer = { id: own(p.id), mode: p.mode, span: { start, end: start + p.id.length } };
            }
        }
        const index = this.model.includes.length;
        this.model.includes.push(inc);
        for (const c of el.children) {
            if (c.kind === 'element' && isXIncludeFallback(c)) {
                inc.fallback = { start: c.start, end: c.end };
                for (const fc of c.children) if (fc.kind === 'element') this.visit(fc, index, [], xmlBase, 0, profile);
            }
        }
    }

    private glossEntry(el: XmlElement, id: string | undefined): void {
        const entry = glossEntryOf(el, id, this.doc.text, this.entities);
        if (entry) this.model.glossEntries.push(entry);
    }

    private glossTerm(el: XmlElement): void {
        const baseform = attr(el, 'baseform');
        const linkend = attr(el, 'linkend');
        this.model.glossTerms.push({
            text: own(normalizeSpace(textOf(el, this.doc.text, this.entities))),
            textSpan: contentSpan(el, this.doc.text),
            baseform: ownOpt(baseform?.value),
            baseformSpan: baseform && baseform.valueStart >= 0 ? { start: baseform.valueStart, end: baseform.valueEnd } : undefined,
            linkend: ownOpt(linkend?.value),
            start: el.start,
            end: el.end,
        });
    }
}

/** What the index keeps of a glossentry (`id`: its id attribute's value); undefined without a glossterm. */
export function glossEntryOf(el: XmlElement, id: string | undefined, text: string, entities: EntityTable): GlossEntryDef | undefined {
    let termEl: XmlElement | undefined;
    let def = '';
    for (const c of el.children) {
        if (c.kind !== 'element') continue;
        if (c.local === 'glossterm' && !termEl) termEl = c;
        else if (c.local === 'glossdef' && !def) def = normalizeSpace(textOf(c, text, entities));
        else if (c.local === 'glosssee' && !def) def = 'See ' + normalizeSpace(textOf(c, text, entities) || attr(c, 'otherterm')?.value || '');
    }
    if (!termEl) return undefined;
    const baseform = attr(termEl, 'baseform');
    return {
        term: own(normalizeSpace(textOf(termEl, text, entities))),
        termSpan: contentSpan(termEl, text),
        baseform: ownOpt(baseform?.value),
        definition: own(firstSentence(def)),
        entryStart: el.start,
        entryEnd: el.end,
        id: ownOpt(id),
    };
}

/**
 * The elements whose text (with their descendants') the model reads: titles (ids, outline, the
 * file's title), captions, glossterms (entries and uses) and the definitions of glossentries. Text
 * anywhere else is in the model only as offsets, so an edit of it only moves the model's spans.
 */
export const MODEL_TEXT_ELEMENTS = new Set(['title', 'caption', 'glossterm', 'glossdef', 'glosssee']);

/**
 * The model of a text edited where nothing the model reads changed (see MODEL_TEXT_ELEMENTS): every
 * span moved by `at` (old offset -> new offset), with the new text's problems, line starts and
 * niceness findings (given). A field added to FileModel needs its line here (the compiler asks for it).
 */
export function movedModel(
    model: FileModel, doc: XmlDocument, at: (offset: number) => number, lineStarts: Uint32Array, niceness: NicenessFinding[],
): FileModel {
    const span = (s: Span): Span => ({ start: at(s.start), end: at(s.end) });
    const spanOpt = (s: Span | undefined): Span | undefined => s && span(s);
    const outline = (nodes: OutlineNode[]): OutlineNode[] => nodes.map((n) => ({
        ...n, start: at(n.start), end: at(n.end), selection: span(n.selection), children: outline(n.children),
    }));
    const same = <T>(v: T): T => v;
    const fields: { [K in keyof FileModel]-?: (v: Exclude<FileModel[K], undefined>) => FileModel[K] } = {
        rootElement: same, rootNamespace: same, isDocbook: same, isBook: same, title: same,
        ids: (ids) => ids.map((d) => ({
            ...d, start: at(d.start), end: at(d.end), elementStart: at(d.elementStart), elementEnd: at(d.elementEnd),
            afterTitle: at(d.afterTitle), contentEnd: at(d.contentEnd),
        })),
        refs: (refs) => refs.map((r) => ({ ...r, start: at(r.start), end: at(r.end) })),
        includes: (includes) => includes.map((inc) => {
            const moved: XInclude = { ...inc, start: at(inc.start), end: at(inc.end) };
            if (inc.hrefSpan) moved.hrefSpan = span(inc.hrefSpan);
            if (inc.xpointerSpan) moved.xpointerSpan = span(inc.xpointerSpan);
            if (inc.pointer) moved.pointer = { ...inc.pointer, span: span(inc.pointer.span) };
            if (inc.fallback) moved.fallback = span(inc.fallback);
            return moved;
        }),
        images: (images) => images.map((img) => ({ ...img, start: at(img.start), end: at(img.end) })),
        // Spelled out, not spread: a spread costs a microsecond an entry (693 in the glossary).
        glossEntries: (entries) => entries.map((g) => ({
            term: g.term, termSpan: span(g.termSpan), baseform: g.baseform, definition: g.definition,
            entryStart: at(g.entryStart), entryEnd: at(g.entryEnd), id: g.id,
        })),
        glossTerms: (terms) => terms.map((u) => ({
            ...u, textSpan: span(u.textSpan), baseformSpan: spanOpt(u.baseformSpan), start: at(u.start), end: at(u.end),
        })),
        outline,
        profiling: (uses) => uses.map((p) => ({ ...p, start: at(p.start), end: at(p.end) })),
        entityUses: (uses) => uses.map((u) => ({ ...u, start: at(u.start), end: at(u.end) })),
        sectionsWithoutId: (spans) => spans.map(span),
        profileConflicts: (conflicts) => conflicts.map((c) => ({ ...c, parentSpan: span(c.parentSpan), start: at(c.start), end: at(c.end) })),
        niceness: () => niceness,
        problems: () => doc.problems,
        lineStarts: () => lineStarts,
        textLength: () => doc.text.length,
    };
    const moved: Record<string, unknown> = {};
    for (const key of Object.keys(model) as (keyof FileModel)[]) {
        const value = model[key];
        moved[key] = value === undefined ? undefined : (fields[key] as (v: unknown) => unknown)(value);
    }
    return moved as unknown as FileModel;
}

function firstElementChild(el: XmlElement): XmlElement | undefined {
    for (const c of el.children) if (c.kind === 'element') return c;
    return undefined;
}

/**
 * The id an xpointer selects, in every form the real books use: a bare id (shorthand),
 * element(id) and element(id/1/2), xpointer(id('x')) and xpointer(//*[@xml:id='x']), and the
 * non-standard xpath(//*[@xml:id = 'x']/*[not(self::db:title)]) that selects x's children.
 */
export function parseXPointer(value: string): { id: string; offset: number; mode: PointerMode } | undefined {
    const bare = /^\s*([A-Za-z_][\w.-]*)\s*$/.exec(value);
    if (bare) return { id: bare[1], offset: value.indexOf(bare[1]), mode: 'element' };
    const element = /element\(\s*([A-Za-z_][\w.-]*)/.exec(value);
    if (element) return { id: element[1], offset: element.index + element[0].length - element[1].length, mode: 'element' };
    const idFn = /\bid\(\s*(['"])([^'"]+)\1\s*\)/.exec(value);
    if (idFn) return { id: idFn[2], offset: idFn.index + idFn[0].indexOf(idFn[2], 3), mode: afterSelectsChildren(value, idFn.index + idFn[0].length) ? 'children' : 'element' };
    const attrTest = /@(?:xml:)?id\s*=\s*(['"])([^'"]+)\1\s*\]/.exec(value);
    if (attrTest) {
        const offset = attrTest.index + attrTest[0].indexOf(attrTest[2], attrTest[0].indexOf('=') + 1);
        return { id: attrTest[2], offset, mode: afterSelectsChildren(value, attrTest.index + attrTest[0].length) ? 'children' : 'element' };
    }
    return undefined;
}

function afterSelectsChildren(value: string, from: number): boolean {
    return /^\s*\/(\*|node\(\))/.test(value.slice(from));
}
