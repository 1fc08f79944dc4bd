// Links and what they point at: xref with docbook-xsl's generated texts, link/ulink/olink, email,
// footnotes and their marks, glossary terms and their entries, index terms and anchors.

import { normalizeSpace, textOf, titleOf } from '../../../core/docbookModel';
import { attr, attrNS, XmlElement } from '../../../core/xmlParser';
import { Ctx } from '../assembler';
import { XREF_FORMATS, XREF_UNNUMBERED_FORMATS } from '../gentext';
import { childElement, decodeAttr, escapeHtml, hasContent, safeHref } from '../html';
import { labelOf, Target } from '../numbering';
import { idMapOf, idOf } from '../snapshot';
import { ElementRenderer, Renderer } from './core';

/** The element an id names: in the book's assembled tree, else anywhere the render loaded (a file in no book, a stale copy). */
function targetOf(r: Renderer, id: string): Target | undefined {
    const t = r.numbering.targets.get(id);
    if (t) return t;
    for (const pf of r.snapshot.files.values()) {
        const el = pf ? idMapOf(pf).get(id) : undefined;
        if (pf && el) return { el, pf };
    }
    return undefined;
}

/** The text docbook-xsl generates for an xref to `id`. */
function xrefText(r: Renderer, id: string, ctx: Ctx, xrefstyle = ''): { html: string; resolved: boolean } {
    const t = targetOf(r, id);
    if (!t) {
        const title = r.lookup.titleOfId(ctx.pf.path, id);
        if (title) return { html: escapeHtml(title), resolved: true };
        return { html: '???', resolved: false };
    }
    const el = t.el;
    const name = el.local;
    const label = labelOf(r.numbering, el);
    // docbook-xsl's order: the target's xreflabel as written; a step is "Step 2.b" whatever the xrefstyle.
    const xreflabel = attr(el, 'xreflabel')?.value;
    if (xreflabel !== undefined) return { html: escapeHtml(xreflabel), resolved: true };
    if (name === 'step' && label) return { html: escapeHtml(`Step ${label}`), resolved: true };
    let title = titleOf(el, t.pf.text, t.pf.entities);
    if (name === 'varlistentry') {
        const term = childElement(el, 'term');
        title = term ? normalizeSpace(textOf(term, t.pf.text, t.pf.entities)) : undefined;
    }
    if (!title && (name === 'glossentry')) title = titleOf(el, t.pf.text, t.pf.entities);
    if (/select:\s*title/.test(xrefstyle) && title) return { html: escapeHtml(title), resolved: true };
    let format: string | undefined;
    if (label && XREF_FORMATS[name]) format = XREF_FORMATS[name];
    else if (XREF_UNNUMBERED_FORMATS[name]) format = XREF_UNNUMBERED_FORMATS[name];
    else if (title) format = '%t';
    if (!format || (!title && format.includes('%t')) || (!title && format.includes('%T'))) {
        if (name === 'step' || name === 'listitem') return { html: escapeHtml(label ?? name), resolved: true };
        return { html: '???', resolved: false };
    }
    const html = format.split(/(%[ntT])/).map((p) => {
        if (p === '%n') return escapeHtml(label ?? '');
        if (p === '%t') return escapeHtml(title ?? '');
        if (p === '%T') return `<em>${escapeHtml(title ?? '')}</em>`;
        return escapeHtml(p);
    }).join('');
    return { html, resolved: true };
}

function xref(r: Renderer, el: XmlElement, ctx: Ctx): void {
    const linkend = attr(el, 'linkend')?.value.trim() ?? '';
    const endterm = attr(el, 'endterm')?.value.trim();
    const xrefstyle = attr(el, 'xrefstyle')?.value ?? '';
    const t = targetOf(r, linkend);
    let html: string;
    let resolved: boolean;
    const endTarget = endterm ? targetOf(r, endterm) : undefined;
    if (endTarget) {
        html = escapeHtml(normalizeSpace(textOf(endTarget.el, endTarget.pf.text, endTarget.pf.entities)));
        resolved = !!t;
    } else {
        ({ html, resolved } = xrefText(r, linkend, ctx, xrefstyle));
    }
    const title = t ? titleOf(t.el, t.pf.text, t.pf.entities) : undefined;
    const problem = resolved ? undefined
        : t ? `docbook-xsl has no text for an xref to <${t.el.local}> (give it an xreflabel, or use endterm or a link with text)`
            : `No element with xml:id “${linkend}” in this book`;
    r.out.push(`<a class="xref${resolved ? '' : ' unresolved'}" href="#${escapeHtml(linkend)}"${t ? r.targetAttrs(t) : ''}${title ? ` title="${escapeHtml(title)}"` : problem ? ` title="${escapeHtml(problem)}"` : ''}>${html}</a>`);
}

function link(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const linkend = attr(el, 'linkend')?.value.trim();
    const rawHref = attrNS(el, 'http://www.w3.org/1999/xlink', 'href') ?? attr(el, 'url');
    const empty = !hasContent(el);
    const content = (generated: () => string): void => {
        if (empty) r.out.push(generated());
        else r.inlined(() => r.children(el, ctx, level));
    };
    if (linkend) {
        const t = targetOf(r, linkend);
        r.wrap(`<a class="link" href="#${escapeHtml(linkend)}"${t ? r.targetAttrs(t) : ' data-unresolved=""'}>`, () => content(() => xrefText(r, linkend, ctx).html), '</a>');
        return;
    }
    const raw = rawHref ? decodeAttr(rawHref.value, ctx.pf.entities) : undefined;
    const href = raw !== undefined ? safeHref(raw, ctx.pf.path, r.resourceUri) : undefined;
    if (href !== undefined) r.out.push(`<a class="link" href="${escapeHtml(href)}">`);
    else r.out.push(`<span class="link${raw !== undefined ? ' unsafe-link' : ''}"${raw !== undefined ? ` title="${escapeHtml('Link not followed: ' + raw)}"` : ''}>`);
    content(() => escapeHtml(raw ?? attr(el, 'targetptr')?.value ?? ''));
    r.out.push(href !== undefined ? '</a>' : '</span>');
}

function email(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const address = normalizeSpace(textOf(el, ctx.pf.text, ctx.pf.entities));
    const href = safeHref('mailto:' + address, ctx.pf.path, r.resourceUri);
    r.out.push('<code class="email">&lt;');
    if (href) r.out.push(`<a href="${escapeHtml(href)}">`);
    r.inlined(() => r.children(el, ctx, level));
    if (href) r.out.push('</a>');
    r.out.push('&gt;</code>');
}

function footnote(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const n = ++r.footnoteAnchors;
    // The book's mark (numbered in numberDocument); a footnote the walk did not see (in an entity's value) takes its place in the page.
    const mark = `[${escapeHtml(labelOf(r.numbering, el, ctx.stack) ?? String(n))}]`;
    const id = idOf(el, ctx.pf);
    r.out.push(`<sup class="footnote"><a href="#dbp-fn-${n}" id="dbp-fnref-${n}">${mark}</a></sup>`);
    const list = r.tableFootnotes ?? r.footnotes;
    const slot = list.push('') - 1; // keep the order of the text even when nested footnotes finish first
    list[slot] = r.capture(() => r.asBlock(() => {
        r.out.push(`<div class="footnote"${id ? ` id="${escapeHtml(id)}"` : ` id="dbp-fn-${n}"`}${r.pos(el, ctx, false)}>`);
        if (id) r.out.push(`<a id="dbp-fn-${n}"></a>`);
        r.out.push(`<sup><a href="#dbp-fnref-${n}">${mark}</a></sup> `);
        r.children(el, ctx, level);
        r.out.push('</div>');
    }));
}

function footnoteref(r: Renderer, el: XmlElement): void {
    const linkend = attr(el, 'linkend')?.value.trim() ?? '';
    const t = r.numbering.targets.get(linkend);
    const mark = t && t.el.local === 'footnote' ? labelOf(r.numbering, t.el) : undefined;
    r.out.push(mark !== undefined ? `<sup class="footnote"><a href="#${escapeHtml(linkend)}">[${escapeHtml(mark)}]</a></sup>` : `<sup class="footnote unresolved">[?]</sup>`);
}

function glosssee(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const prefix = el.local === 'glosssee' ? 'See ' : 'See Also ';
    r.out.push(`<p class="${el.local}"${r.pos(el, ctx)}>${escapeHtml(prefix)}`);
    const otherterm = attr(el, 'otherterm')?.value.trim();
    r.inlined(() => {
        if (hasContent(el)) r.children(el, ctx, level);
        else if (otherterm) r.out.push(xrefText(r, otherterm, ctx).html);
    });
    r.out.push('.</p>');
}

function glossterm(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const term = normalizeSpace(textOf(el, ctx.pf.text, ctx.pf.entities));
    const baseform = attr(el, 'baseform')?.value.trim();
    const entry = r.lookup.glossEntry(ctx.pf.path, term, baseform);
    let extra = '';
    if (entry) {
        extra = ` title="${escapeHtml(entry.definition || term)}"`;
        if (entry.line !== undefined) extra += ` data-target-file="${r.fileIndex(entry.file)}" data-target-line="${entry.line}"`;
    } else {
        extra = ` title="${escapeHtml(`No glossary entry for “${baseform ?? term}”`)}" data-unresolved=""`;
    }
    r.wrap(`<em class="glossterm"${extra}>`, () => r.inlined(() => r.children(el, ctx, level)), '</em>');
}

function indexterm(r: Renderer, el: XmlElement, ctx: Ctx): void {
    // Index entries are not running text; the anchor keeps their words reachable by hover.
    const words = normalizeSpace(textOf(el, ctx.pf.text, ctx.pf.entities));
    const id = idOf(el, ctx.pf);
    r.out.push(`<a class="indexterm"${id ? ` id="${escapeHtml(id)}"` : ''} title="${escapeHtml(`Index: ${words}`)}"></a>`);
}

function anchor(r: Renderer, el: XmlElement, ctx: Ctx): void {
    const id = idOf(el, ctx.pf);
    if (id) r.out.push(`<a id="${escapeHtml(id)}"></a>`);
}

export const LINK_RENDERERS: Record<string, ElementRenderer> = {
    xref: (r, el, ctx) => xref(r, el, ctx),
    link, ulink: link, olink: link,
    email,
    footnote, footnoteref: (r, el) => footnoteref(r, el),
    glossterm, glosssee, glossseealso: glosssee,
    indexterm: (r, el, ctx) => indexterm(r, el, ctx),
    anchor: (r, el, ctx) => anchor(r, el, ctx),
};
