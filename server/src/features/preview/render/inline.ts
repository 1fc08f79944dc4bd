// Inline elements: the many that map to one HTML element (INLINE_MAP), quotes, trademarks, tags,
// names and authors, key combinations, menu choices and command synopses.

import { textOf } from '../../../core/docbookModel';
import { attr, XmlElement } from '../../../core/xmlParser';
import { Ctx } from '../assembler';
import { INLINE_MAP } from '../gentext';
import { escapeHtml, isBlank } from '../html';
import { ElementRenderer, Renderer } from './core';

function quote(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const [open, close] = r.quoteDepth % 2 === 0 ? ['“', '”'] : ['‘', '’'];
    r.quoteDepth++;
    r.wrap(`<span class="quote">${open}`, () => r.inlined(() => r.children(el, ctx, level)), `${close}</span>`);
    r.quoteDepth--;
}

function trademark(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const cls = attr(el, 'class')?.value.trim();
    const mark = cls === 'registered' ? '®' : cls === 'copyright' ? '©' : cls === 'service' ? '℠' : '™';
    r.wrap('<span class="trademark">', () => r.inlined(() => r.children(el, ctx, level)), `${mark}</span>`);
}

/** Children joined by a separator (keys of a keycombo, steps of a menuchoice, parts of an author); text is kept too. */
function joined(r: Renderer, el: XmlElement, ctx: Ctx, level: number, separator: string, cls: string): void {
    let first = true;
    r.wrap(`<span class="${cls}">`, () => r.inlined(() => r.asm.eachChild(el, ctx, {
        node: (n, nctx) => {
            if (isBlank(n, nctx.pf.text)) return;
            if (!first) r.out.push(escapeHtml(separator));
            first = false;
            r.node(n, nctx, level);
        },
    })), '</span>');
}

/** An author (editor, other credit): its name, then its affiliation and the rest, without the parts that have no text (a template's empty personname). */
function person(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    let first = true;
    r.wrap(`<span class="${el.local}">`, () => r.inlined(() => r.asm.eachChild(el, ctx, {
        node: (n, nctx) => {
            if (isBlank(n, nctx.pf.text)) return;
            if (n.kind === 'element' && !/\S/.test(textOf(n, nctx.pf.text, nctx.pf.entities))) return;
            if (!first) r.out.push(' ');
            first = false;
            r.node(n, nctx, level);
        },
    })), '</span>');
}

const TAG_FORMS: Record<string, [string, string]> = {
    element: ['<', '>'], starttag: ['<', '>'], endtag: ['</', '>'], emptytag: ['<', '/>'], xmlpi: ['<?', '?>'],
    sgmlcomment: ['<!--', '-->'], comment: ['<!--', '-->'], genentity: ['&', ';'], numcharref: ['&#', ';'],
    paramentity: ['%', ';'], attvalue: ['"', '"'],
};

function tag(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const cls = attr(el, 'class')?.value.trim() ?? 'element';
    const [open, close] = TAG_FORMS[cls] ?? ['', ''];
    r.wrap(`<code class="tag">${escapeHtml(open)}`, () => r.inlined(() => r.children(el, ctx, level)), `${escapeHtml(close)}</code>`);
}

function personname(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    // Name parts are often written without spaces between them (<firstname/><surname/>).
    const parts = el.children.filter((c) => c.kind === 'element');
    const onlyParts = parts.length > 0 && !el.children.some((c) => (c.kind === 'text' && /\S/.test(ctx.pf.text.slice(c.start, c.end))));
    r.wrap('<span class="personname">', () => r.inlined(() => {
        if (onlyParts) parts.forEach((p, i) => { if (i) r.out.push(' '); r.node(p, ctx, level); });
        else r.children(el, ctx, level);
    }), '</span>');
}

function cmdsynopsis(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    r.wrap(`<div class="cmdsynopsis"${r.pos(el, ctx)}><p>`, () => joined(r, el, ctx, level, ' ', 'cmdsynopsis-line'), '</p></div>');
}

function synopsisGroup(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const choice = attr(el, 'choice')?.value.trim() ?? 'opt';
    const [open, close] = choice === 'req' ? ['{', '}'] : choice === 'plain' ? ['', ''] : ['[', ']'];
    const repeat = attr(el, 'rep')?.value.trim() === 'repeat' ? '...' : '';
    r.wrap(`<span class="${el.local}">${escapeHtml(open)}`, () => r.inlined(() => {
        if (el.local !== 'group') return r.children(el, ctx, level);
        let first = true;
        r.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n.kind !== 'element') return;
                if (!first) r.out.push(' | ');
                first = false;
                r.node(n, nctx, level);
            },
        });
    }), `${escapeHtml(close + repeat)}</span>`);
}

function authorgroup(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    r.wrap(`<p class="authorgroup"${r.pos(el, ctx)}>`, () => joined(r, el, ctx, level, '; ', 'authors'), '</p>');
}

const nothing: ElementRenderer = () => undefined;

/** The elements of INLINE_MAP, then those with a shape of their own. */
export const INLINE_RENDERERS: Record<string, ElementRenderer> = {
    ...Object.fromEntries([...INLINE_MAP].map(([name, [htmlTag, cls]]): [string, ElementRenderer] =>
        [name, (r, el, ctx, level) => r.inlineElement(htmlTag, cls ?? name, el, ctx, level)])),
    remark: (r, el, ctx, level) => r.inlineElement('span', 'remark', el, ctx, level),
    quote, trademark, tag, sgmltag: tag, personname,
    keycombo: (r, el, ctx, level) => joined(r, el, ctx, level, '+', 'keycombo'),
    menuchoice: (r, el, ctx, level) => joined(r, el, ctx, level, ' → ', 'menuchoice'),
    cmdsynopsis, arg: synopsisGroup, group: synopsisGroup,
    author: person, editor: person, othercredit: person,
    authorgroup,
    sbr: (r) => { r.out.push('<br/>'); },
    beginpage: nothing, keywordset: nothing, subjectset: nothing, itermset: nothing,
};
