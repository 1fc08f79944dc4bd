// Paragraphs, admonitions, formal objects (figure, table, example), sidebars, quotations, verbatim
// text with its callout marks, and question-and-answer sets.

import { isDocbookElement, normalizeSpace, textOf, titleElementOf, titleOf } from '../../../core/docbookModel';
import { attr, XmlElement } from '../../../core/xmlParser';
import { Ctx } from '../assembler';
import { DEFAULT_TITLES } from '../gentext';
import { childElement, escapeHtml, positiveInt } from '../html';
import { idOf } from '../snapshot';
import { ElementRenderer, hasBlockChild, hasIncludeChild, Renderer } from './core';
import { htmlTable } from './tables';

export function para(r: Renderer, el: XmlElement, ctx: Ctx, level: number, prefix = ''): void {
    if (hasBlockChild(el) || hasIncludeChild(el)) {
        r.out.push(`<div class="para"${r.pos(el, ctx)}>`);
        if (prefix) r.out.push(`<p>${prefix}</p>`);
        r.asBlock(() => r.flow(el, ctx, level));
        r.out.push('</div>');
        return;
    }
    const tag = r.inline ? 'span' : 'p';
    r.wrap(`<${tag} class="${el.local}"${r.pos(el, ctx)}>${prefix}`, () => r.inlined(() => r.children(el, ctx, level)), `</${tag}>`);
}

function formalpara(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const title = r.titleHtml(el, ctx, level);
    const prefix = title !== undefined ? `<strong class="formalpara-title">${title}${/[.!?:]\s*$/.test(titleOf(el, ctx.pf.text, ctx.pf.entities) ?? '') ? '' : '.'}</strong> ` : '';
    const t = titleElementOf(el);
    r.out.push(`<div class="formalpara"${r.pos(el, ctx)}>`);
    let usedPrefix = false;
    r.each(el, ctx, level, (n, nctx) => {
        if (n === t) return;
        if (!usedPrefix && n.kind === 'element' && isDocbookElement(n) && (n.local === 'para' || n.local === 'simpara')) {
            usedPrefix = true;
            para(r, n, nctx, level, prefix);
            return;
        }
        r.node(n, nctx, level);
    });
    if (!usedPrefix && prefix) r.out.push(`<p>${prefix}</p>`);
    r.out.push('</div>');
}

function admonition(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const name = el.local;
    const title = r.titleHtml(el, ctx, level);
    r.out.push(`<div class="admonition ${name}"${r.pos(el, ctx)}><p class="admonition-title"${r.titlePos(el, ctx)}>${title ?? escapeHtml(DEFAULT_TITLES[name])}</p>`);
    r.bodyWithoutTitle(el, ctx, level);
    r.out.push('</div>');
}

/** A block with an optional bold title line, then its body without the title. */
export function titled(tag: string, cls: (el: XmlElement) => string, numbered = false): ElementRenderer {
    return (r, el, ctx, level) => {
        const title = r.titleHtml(el, ctx, level);
        r.out.push(`<${tag} class="${cls(el)}"${r.pos(el, ctx)}>`);
        if (title !== undefined) r.titleLine(title, r.titlePos(el, ctx), numbered ? r.labelPrefix(el, ctx) : '');
        r.bodyWithoutTitle(el, ctx, level);
        r.out.push(`</${tag}>`);
    };
}

function formal(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const name = el.local;
    const isTable = name === 'table' || name === 'informaltable';
    const title = r.titleHtml(el, ctx, level);
    r.out.push(`<div class="${name}"${r.pos(el, ctx)}>`);
    if (title !== undefined) r.titleLine(title, r.titlePos(el, ctx), r.labelPrefix(el, ctx));
    const savedTableFootnotes = r.tableFootnotes;
    if (isTable) r.tableFootnotes = [];
    if (isTable && !childElement(el, 'tgroup')) htmlTable(r, el, ctx, level);
    else r.bodyWithoutTitle(el, ctx, level);
    if (r.tableFootnotes?.length) r.out.push(`<div class="table-footnotes">${r.tableFootnotes.join('')}</div>`);
    r.tableFootnotes = savedTableFootnotes;
    r.out.push('</div>');
}

function blockquote(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const title = r.titleHtml(el, ctx, level);
    r.out.push(`<blockquote class="${el.local}"${r.pos(el, ctx)}>`);
    if (title !== undefined) r.titleLine(title, r.titlePos(el, ctx));
    const t = titleElementOf(el);
    const attribution = childElement(el, 'attribution');
    r.each(el, ctx, level, (n, nctx) => { if (n !== t && n !== attribution) r.node(n, nctx, level); });
    if (attribution) r.wrap('<p class="attribution">—', () => r.inlined(() => r.children(attribution, ctx, level)), '</p>');
    r.out.push('</blockquote>');
}

function verbatimBlock(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const savedCounter = r.calloutCounter;
    r.calloutCounter = 0;
    r.out.push(`<pre class="${el.local}"${r.pos(el, ctx)}>`);
    r.verbatim++;
    r.inlined(() => r.children(el, ctx, level));
    r.verbatim--;
    r.out.push('</pre>');
    if (el.parent?.local !== 'programlistingco' && el.parent?.local !== 'screenco') r.calloutCounter = savedCounter;
}

function co(r: Renderer, el: XmlElement, ctx: Ctx): void {
    const n = ++r.calloutCounter;
    const id = idOf(el, ctx.pf);
    if (id) r.calloutNumbers.set(id, n);
    const label = positiveInt(attr(el, 'label')?.value, 1000) ?? n;
    r.out.push(`<span class="co"${id ? ` id="${escapeHtml(id)}"` : ''}>(${label})</span>`);
}

function coref(r: Renderer, el: XmlElement): void {
    const linkend = attr(el, 'linkend')?.value.trim() ?? '';
    const n = r.calloutNumbers.get(linkend);
    r.out.push(`<span class="co">(${n ?? '?'})</span>`);
}

function qandaset(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const savedStyle = r.qandaLabelStyle;
    const savedNumber = r.questionNumber;
    r.qandaLabelStyle = attr(el, 'defaultlabel')?.value.trim() || 'number';
    r.questionNumber = 0;
    titled('div', () => 'qandaset')(r, el, ctx, level);
    r.qandaLabelStyle = savedStyle;
    r.questionNumber = savedNumber;
}

function qandadiv(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    r.out.push(`<div class="qandadiv"${r.pos(el, ctx)}>`);
    r.heading(el, ctx, Math.min(6, level + 1), undefined);
    r.bodyWithoutTitle(el, ctx, level + 1);
    r.out.push('</div>');
}

function qandaentry(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    r.out.push(`<dl class="qandaentry"${r.pos(el, ctx)}>`);
    r.asm.eachChild(el, ctx, {
        node: (n, nctx) => {
            if (n.kind !== 'element') return;
            if (n.local !== 'question' && n.local !== 'answer') return r.node(n, nctx, level);
            const isQ = n.local === 'question';
            const own = childElement(n, 'label');
            let label = '';
            if (own) label = normalizeSpace(textOf(own, nctx.pf.text, nctx.pf.entities));
            else if (r.qandaLabelStyle === 'qanda') label = isQ ? 'Q:' : 'A:';
            else if (r.qandaLabelStyle === 'number' && isQ) label = `${++r.questionNumber}.`;
            r.out.push(`<${isQ ? 'dt' : 'dd'} class="${n.local}"${r.pos(n, nctx)}>`);
            if (label) r.out.push(`<span class="qanda-label">${escapeHtml(label)}</span> `);
            r.asBlock(() => r.each(n, nctx, level, (m, mctx) => { if (m !== own) r.node(m, mctx, level); }));
            r.out.push(`</${isQ ? 'dt' : 'dd'}>`);
        },
    });
    r.out.push('</dl>');
}

const block = (tag: string, cls?: string): ElementRenderer => (r, el, ctx, level) => r.block(tag, cls ?? el.local, el, ctx, level);
/** A span inside inline content, else a div. */
const blockOrSpan: ElementRenderer = (r, el, ctx, level) => r.block(r.inline ? 'span' : 'div', el.local, el, ctx, level);

export const BLOCK_RENDERERS: Record<string, ElementRenderer> = {
    para: (r, el, ctx, level) => para(r, el, ctx, level), simpara: (r, el, ctx, level) => para(r, el, ctx, level),
    formalpara,
    note: admonition, tip: admonition, important: admonition, warning: admonition, caution: admonition, danger: admonition,
    figure: formal, table: formal, example: formal, equation: formal,
    informalfigure: formal, informaltable: formal, informalexample: formal, informalequation: formal,
    sidebar: titled('aside', () => 'sidebar'),
    blockquote, epigraph: blockquote,
    programlisting: verbatimBlock, screen: verbatimBlock, synopsis: verbatimBlock, literallayout: verbatimBlock, address: verbatimBlock,
    programlistingco: block('div'), screenco: block('div'), mediaobjectco: block('div'), imageobjectco: block('div'),
    areaspec: () => undefined, areaset: () => undefined, area: () => undefined,
    co: (r, el, ctx) => co(r, el, ctx), coref: (r, el) => coref(r, el),
    screenshot: block('div'), textobject: blockOrSpan, caption: blockOrSpan,
    qandaset, qandadiv, qandaentry, question: block('div'), answer: block('div'),
    // docbook-xsl shows annotations only as pop-ups where enabled, never in place
    annotation: () => undefined,
};
