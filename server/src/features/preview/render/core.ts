// The renderer's core: the output buffer, source positions, the walk over the assembled tree and the
// combinators element renderers are written with (inline/block mode, captured output, titles). Which
// element renders how is a table of ElementRenderers (registry.ts), given to the Renderer.
//
// Security: the HTML is built only from strings the renderers write and from document text passed
// through escapeHtml. No element name, attribute or URL of the document is copied into the output
// unchecked: links pass safeHref (http, https, mailto, relative files), images are local files the
// preview resolved and the caller mapped through resourceUri.

import { DOCBOOK_NS, isDocbookElement, isXInclude, isXIncludeFallback, titleElementOf } from '../../../core/docbookModel';
import { entityText, PREDEFINED_ENTITIES } from '../../../core/entities';
import { positionAt } from '../../../core/lineMap';
import { attr, attrNS, XML_NS, XmlElement, XmlNode } from '../../../core/xmlParser';
import { Assembler, Ctx, IncludeFailed, MAX_ELEMENTS_PER_RENDER, rootCtx } from '../assembler';
import { BLOCK_ELEMENTS, DIVISION_ELEMENTS, TITLE_LABEL_FORMATS } from '../gentext';
import { childElement, decodeAttr, defaultResourceUri, escapeHtml, flatText, safeHref } from '../html';
import { PreviewLookup } from '../lookup';
import { labelOf, Numbering, Target } from '../numbering';
import { entityFragment, idOf, ParsedFile, Snapshot } from '../snapshot';

const MAX_ENTITY_DEPTH = 16;
const MAX_ENTITY_CHARS = 1_000_000;
/** Element nesting rendered as structure; deeper content is still shown, as plain text. */
const MAX_RENDER_DEPTH = 300;

/** Renders one DocBook element (its namespace already checked) into the renderer's output. */
export type ElementRenderer = (r: Renderer, el: XmlElement, ctx: Ctx, level: number) => void;

export class Renderer {
    out: string[] = [];
    private readonly fileIndexes = new Map<string, number>();
    readonly files: string[] = [];
    readonly resources = new Set<string>();
    readonly resourceUri: (p: string) => string;
    /** Inside inline content (no blocks may open) and inside verbatim text (text includes are text). */
    inline = 0;
    verbatim = 0;
    private depth = 0;
    private elements = 0;
    private truncated = false;
    private readonly entityBudget = { left: MAX_ENTITY_CHARS };
    /** Namespace scope of the element whose content is being rendered (for entity values with markup). */
    private parentScope: Record<string, string> = { '': DOCBOOK_NS };

    // State of element families, kept for the whole page.
    footnotes: string[] = [];
    /** Footnotes of the table being rendered: shown under the table, as docbook-xsl does. */
    tableFootnotes: string[] | undefined;
    /** Footnotes rendered so far: numbers their anchors, which must be unique in the page. */
    footnoteAnchors = 0;
    readonly calloutNumbers = new Map<string, number>();
    calloutCounter = 0;
    orderedDepth = 0;
    quoteDepth = 0;
    qandaLabelStyle = 'number';
    questionNumber = 0;

    constructor(
        readonly lookup: PreviewLookup,
        readonly asm: Assembler,
        readonly snapshot: Snapshot,
        readonly numbering: Numbering,
        private readonly renderers: ReadonlyMap<string, ElementRenderer>,
        resourceUri: ((absPath: string) => string) | undefined,
    ) {
        this.resourceUri = resourceUri ?? defaultResourceUri;
    }

    renderDocument(pf: ParsedFile): string {
        this.fileIndex(pf.path);
        this.out.push('<div class="docbook-preview">');
        const root = pf.doc.root;
        if (!root) {
            this.out.push(`<div class="dbp-problem" data-file="0" data-line="0">${escapeHtml('The document has no root element yet.')}</div>`);
        } else {
            this.element(root, rootCtx(pf), 1);
        }
        if (this.truncated) this.out.push(`<div class="dbp-problem">${escapeHtml(`Preview truncated after ${MAX_ELEMENTS_PER_RENDER} elements.`)}</div>`);
        if (this.footnotes.length) {
            this.out.push('<div class="footnotes"><hr/>');
            for (const f of this.footnotes) this.out.push(f);
            this.out.push('</div>');
        }
        this.out.push('</div>');
        return this.out.join('');
    }

    // ---- positions ----

    fileIndex(file: string): number {
        let i = this.fileIndexes.get(file);
        if (i === undefined) {
            i = this.files.length;
            this.files.push(file);
            this.fileIndexes.set(file, i);
        }
        return i;
    }

    lineOf(pf: ParsedFile, offset: number): number {
        return pf.fixedLine ?? positionAt(pf.lineStarts, offset).line;
    }

    /** data-file/data-line (and id) attributes for the block an element starts. */
    pos(el: XmlElement, ctx: Ctx, withId = true): string {
        const id = withId ? idOf(el, ctx.pf) : undefined;
        return `${id ? ` id="${escapeHtml(id)}"` : ''} data-file="${this.fileIndex(ctx.pf.path)}" data-line="${this.lineOf(ctx.pf, el.start)}"`;
    }

    /** Position of an element's title (or of the element when it has none). */
    titlePos(el: XmlElement, ctx: Ctx): string {
        return this.pos(titleElementOf(el) ?? el, ctx, false);
    }

    targetAttrs(t: Target): string {
        return ` data-target-file="${this.fileIndex(t.pf.path)}" data-target-line="${this.lineOf(t.pf, t.el.start)}"`;
    }

    // ---- combinators ----

    /** Runs `f` in inline mode: blocks it starts become spans. */
    inlined(f: () => void): void {
        this.inline++;
        f();
        this.inline--;
    }

    /** Runs `f` in block mode (inside a block of its own, such as a cell or a list item). */
    asBlock(f: () => void): void {
        const saved = this.inline;
        this.inline = 0;
        f();
        this.inline = saved;
    }

    /** What `f` writes, as a string, not into the output. */
    capture(f: () => void): string {
        const saved = this.out;
        this.out = [];
        f();
        const html = this.out.join('');
        this.out = saved;
        return html;
    }

    /** `<tag>` + what `f` writes + `</tag>`. */
    wrap(open: string, f: () => void, close: string): void {
        this.out.push(open);
        f();
        this.out.push(close);
    }

    /** Visits children with includes expanded; failed includes show a placeholder or their fallback. Text includes go to `text`, else are dropped. */
    each(el: XmlElement, ctx: Ctx, level: number, node: (n: XmlNode, ctx: Ctx) => void, text?: (text: string, target: string) => void): void {
        this.asm.eachChild(el, ctx, { node, text, failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level) });
    }

    /** A text include (parse="text"): text inside verbatim content, else a block of its own (placed in its file when `target` is given). */
    textInclude(text: string, target?: string, alwaysBlock = false): void {
        if (this.verbatim && !alwaysBlock) this.out.push(escapeHtml(text));
        else this.out.push(`<pre class="textinclude"${target !== undefined ? ` data-file="${this.fileIndex(target)}" data-line="0"` : ''}>${escapeHtml(text)}</pre>`);
    }

    // ---- the walk ----

    children(el: XmlElement, ctx: Ctx, level: number): void {
        this.each(el, ctx, level, (n, nctx) => this.node(n, nctx, level), (text, target) => this.textInclude(text, target));
    }

    includeFailed(r: IncludeFailed, inc: XmlElement, ctx: Ctx, level: number): void {
        const tag = this.inline || this.verbatim ? 'span' : 'div';
        if (r.fallback) {
            this.out.push(`<${tag} class="xi-fallback"${this.pos(inc, ctx, false)} title="${escapeHtml(r.message + ' (showing its xi:fallback)')}">`);
            this.each(r.fallback, ctx, level, (n, nctx) => this.node(n, nctx, level), (text) => this.out.push(escapeHtml(text)));
            this.out.push(`</${tag}>`);
        } else {
            this.out.push(`<${tag} class="xi-placeholder xi-${r.failure}"${this.pos(inc, ctx, false)}>${escapeHtml(r.message)}</${tag}>`);
        }
    }

    node(n: XmlNode, ctx: Ctx, level: number): void {
        switch (n.kind) {
            case 'text': case 'cdata':
                this.out.push(escapeHtml(ctx.pf.text.slice(n.start, n.end)));
                break;
            case 'entity':
                this.entity(n.name, ctx, n.start, level);
                break;
            case 'element':
                this.element(n, ctx, level);
                break;
            default:
                break; // comments and processing instructions (<?dbhtml?>) are not content
        }
    }

    private entity(name: string, ctx: Ctx, offset: number, level: number): void {
        const table = ctx.pf.entities;
        const unresolved = (title: string): void => {
            this.out.push(`<span class="unresolved-entity" title="${escapeHtml(title)}">${escapeHtml(`&${name};`)}</span>`);
        };
        if (name.startsWith('#') || PREDEFINED_ENTITIES[name] !== undefined) {
            const t = entityText(name, table);
            if (t !== undefined) this.out.push(escapeHtml(t)); else unresolved('Invalid character reference');
            return;
        }
        const decl = table.general.get(name);
        if (!decl) return unresolved('Undeclared entity');
        if (decl.value === undefined) return unresolved(`External entity (${decl.systemId ?? decl.publicId ?? ''}), not read by the preview`);
        if (this.entityBudget.left <= 0 || ctx.entityDepth >= MAX_ENTITY_DEPTH) return unresolved('Entity expansion limit reached');
        this.entityBudget.left -= Math.max(decl.value.length, 16);
        const frag = entityFragment(name, table, this.parentScope);
        if (!frag) {
            this.out.push(escapeHtml(decl.value));
            return;
        }
        const fragPf: ParsedFile = {
            path: ctx.pf.path, text: frag.text, doc: frag, lineStarts: ctx.pf.lineStarts, entities: table, docbook4: ctx.pf.docbook4,
            fixedLine: this.lineOf(ctx.pf, offset),
        };
        const fctx: Ctx = { pf: fragPf, xmlBase: ctx.xmlBase, stack: ctx.stack, entityDepth: ctx.entityDepth + 1 };
        if (frag.root) this.children(frag.root, fctx, level);
    }

    element(el: XmlElement, ctx: Ctx, level: number): void {
        if (this.asm.isProfiledOut(el)) return;
        if (++this.elements > MAX_ELEMENTS_PER_RENDER) {
            this.truncated = true;
            return;
        }
        if (this.depth >= MAX_RENDER_DEPTH) {
            this.out.push(`<span class="too-deep">${escapeHtml(flatText(el, ctx.pf.text))}</span>`);
            return;
        }
        const base = attrNS(el, XML_NS, 'base');
        if (base) ctx = { ...ctx, xmlBase: [...ctx.xmlBase, base.value] };
        const savedScope = this.parentScope;
        this.parentScope = el.nsScope;
        this.depth++;
        try {
            if (isXInclude(el)) {
                this.asm.eachIncluded(el, ctx, {
                    node: (n, nctx) => this.node(n, nctx, level),
                    text: (text) => this.textInclude(text),
                    failed: (r, inc, ictx) => this.includeFailed(r, inc, ictx, level),
                });
            } else if (isXIncludeFallback(el)) {
                return;
            } else {
                const render = isDocbookElement(el) ? this.renderers.get(el.local) : undefined;
                if (render) render(this, el, ctx, level); else this.unknown(el, ctx, level);
            }
        } finally {
            this.depth--;
            this.parentScope = savedScope;
        }
    }

    // ---- generic shapes ----

    block(tag: string, cls: string, el: XmlElement, ctx: Ctx, level: number): void {
        this.out.push(`<${tag}${cls ? ` class="${cls}"` : ''}${this.pos(el, ctx)}>`);
        if (tag !== 'span') this.asBlock(() => this.children(el, ctx, level));
        else this.children(el, ctx, level);
        this.out.push(`</${tag}>`);
    }

    inlineElement(tag: string, cls: string, el: XmlElement, ctx: Ctx, level: number): void {
        if (tag === 'br') { this.out.push('<br/>'); return; }
        const id = idOf(el, ctx.pf);
        const href = this.hrefOf(el, ctx);
        if (href !== undefined) this.out.push(`<a href="${escapeHtml(href)}">`);
        const role = attr(el, 'role')?.value.trim();
        if (el.local === 'emphasis' && (role === 'bold' || role === 'strong')) tag = 'strong';
        if (el.local === 'emphasis' && role === 'underline') tag = 'u';
        this.out.push(`<${tag} class="${cls}"${id ? ` id="${escapeHtml(id)}"` : ''}>`);
        this.inlined(() => this.children(el, ctx, level));
        this.out.push(`</${tag}>`);
        if (href !== undefined) this.out.push('</a>');
    }

    /** An element's xlink:href as a link the page may follow. */
    hrefOf(el: XmlElement, ctx: Ctx): string | undefined {
        const a = attrNS(el, 'http://www.w3.org/1999/xlink', 'href');
        if (!a) return undefined;
        return safeHref(decodeAttr(a.value, ctx.pf.entities), ctx.pf.path, this.resourceUri);
    }

    /** Any element the renderer does not know: its content is shown, marked, never dropped. */
    unknown(el: XmlElement, ctx: Ctx, level: number): void {
        const asBlock = !this.inline && !this.verbatim && hasBlockChild(el);
        const tag = asBlock ? 'div' : 'span';
        this.out.push(`<${tag} class="unknown-element" data-element="${escapeHtml(el.name)}"${asBlock ? this.pos(el, ctx) : ''} title="${escapeHtml(`<${el.name}>`)}">`);
        this.children(el, ctx, level);
        this.out.push(`</${tag}>`);
    }

    /** Element content that mixes inline runs and blocks: inline runs become paragraphs. */
    flow(el: XmlElement, ctx: Ctx, level: number): void {
        let open = false;
        const close = (): void => {
            if (open) { this.out.push('</p>'); open = false; this.inline--; }
        };
        this.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                const block = n.kind === 'element' && (isXInclude(n) ? attr(n, 'parse')?.value.trim() !== 'text'
                    : isDocbookElement(n) ? BLOCK_ELEMENTS.has(n.local) || DIVISION_ELEMENTS.has(n.local) : hasBlockChild(n));
                const blank = (n.kind === 'text' && !/\S/.test(nctx.pf.text.slice(n.start, n.end))) || n.kind === 'comment' || n.kind === 'pi';
                if (block) {
                    close();
                } else if (!open && !blank) {
                    this.out.push('<p>');
                    open = true;
                    this.inline++;
                }
                this.node(n, nctx, level);
            },
            text: (text) => {
                close();
                this.textInclude(text, undefined, true);
            },
            failed: (r, inc, ictx) => {
                close();
                this.includeFailed(r, inc, ictx, level);
            },
        });
        close();
    }

    /** An element's content without its title and info (shown elsewhere), in block mode. */
    bodyWithoutTitle(el: XmlElement, ctx: Ctx, level: number): void {
        const t = titleElementOf(el);
        this.asBlock(() => this.each(el, ctx, level, (n, nctx) => {
            if (n === t || (n.kind === 'element' && n.local === 'info' && n.parent === el)) return;
            this.node(n, nctx, level);
        }, (text) => this.textInclude(text)));
    }

    // ---- titles ----

    /** The title's content as HTML, or undefined when the element has no title. */
    titleHtml(el: XmlElement, ctx: Ctx, level: number): string | undefined {
        const t = titleElementOf(el);
        if (!t) return undefined;
        return this.capture(() => this.inlined(() => this.children(t, ctx, level)));
    }

    /** The bold title line of a block (a list, a figure, a sidebar). */
    titleLine(html: string, where: string, prefix = ''): void {
        this.out.push(`<p class="title"${where}><strong>${prefix}${html}</strong></p>`);
    }

    labelPrefix(el: XmlElement, ctx: Ctx): string {
        const label = labelOf(this.numbering, el, ctx.stack);
        if (!label) return '';
        const format = TITLE_LABEL_FORMATS[el.local];
        return escapeHtml(format ? format.replace('%n', label) : `${label}. `);
    }

    heading(el: XmlElement, ctx: Ctx, level: number, fallbackTitle: string | undefined): void {
        const html = this.titleHtml(el, ctx, level);
        const t = titleElementOf(el);
        if (html === undefined && !fallbackTitle) return;
        const h = `h${Math.min(6, level)}`;
        const where = t ? this.pos(t, ctx, false) : this.pos(el, ctx, false);
        this.out.push(`<${h} class="title"${where}>${this.labelPrefix(el, ctx)}${html ?? escapeHtml(fallbackTitle!)}</${h}>`);
        const subtitle = childElement(el, 'subtitle') ?? childElement(childElement(el, 'info'), 'subtitle');
        if (subtitle) this.wrap(`<p class="subtitle"${this.pos(subtitle, ctx, false)}>`, () => this.inlined(() => this.children(subtitle, ctx, level)), '</p>');
    }
}

/** Whether an element holds a block (so it cannot be one paragraph). */
export function hasBlockChild(el: XmlElement): boolean {
    for (const c of el.children) {
        if (c.kind !== 'element') continue;
        if (isXInclude(c) && attr(c, 'parse')?.value.trim() !== 'text') return true;
        if (isDocbookElement(c) && (BLOCK_ELEMENTS.has(c.local) || DIVISION_ELEMENTS.has(c.local))) return true;
    }
    return false;
}

export function hasIncludeChild(el: XmlElement): boolean {
    for (const c of el.children) if (c.kind === 'element' && isXInclude(c) && attr(c, 'parse')?.value.trim() !== 'text') return true;
    return false;
}
