// Lists: itemized, ordered, variable, simple, segmented, callout and glossary lists, and procedures
// with their steps.

import { isDocbookElement, titleElementOf } from '../../../core/docbookModel';
import { attr, XmlElement, XmlNode } from '../../../core/xmlParser';
import { Ctx } from '../assembler';
import { NESTED_NUMERATION, ORDERED_NUMERATION } from '../gentext';
import { childElement, escapeHtml, positiveInt } from '../html';
import { titled } from './blocks';
import { ElementRenderer, Renderer } from './core';

/** A list's own title, above the list. */
function listTitle(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const title = r.titleHtml(el, ctx, level);
    if (title !== undefined) r.titleLine(title, r.pos(el, ctx, false));
}

function list(r: Renderer, el: XmlElement, ctx: Ctx, level: number, tag: 'ul' | 'ol'): void {
    listTitle(r, el, ctx, level);
    let extra = '';
    if (tag === 'ol') {
        const numeration = attr(el, 'numeration')?.value.trim();
        const type = (numeration && ORDERED_NUMERATION[numeration]) || NESTED_NUMERATION[r.orderedDepth % NESTED_NUMERATION.length];
        extra = ` type="${type}"`;
        const start = positiveInt(attr(el, 'startingnumber')?.value, 1_000_000);
        if (start !== undefined) extra += ` start="${start}"`;
        r.orderedDepth++;
    }
    if (attr(el, 'spacing')?.value.trim() === 'compact') extra += ' data-spacing="compact"';
    r.wrap(`<${tag} class="${el.local}"${r.pos(el, ctx)}${extra}>`, () => listBody(r, el, ctx, level), `</${tag}>`);
    if (tag === 'ol') r.orderedDepth--;
}

/** `wrapper` + what `f` writes + its end: content that is not an item, kept visible in a list. */
function extra(r: Renderer, tag: 'li' | 'dd', f: () => void): void {
    r.wrap(`<${tag} class="list-extra">`, f, `</${tag}>`);
}

/** List content: items become <li>; anything else before the items (intro paras) stays visible as an item without a marker. */
function listBody(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const t = titleElementOf(el);
    r.asBlock(() => r.asm.eachChild(el, ctx, {
        node: (n, nctx) => {
            if (n === t) return;
            if (n.kind === 'element' && isDocbookElement(n) && (n.local === 'listitem' || n.local === 'step' || n.local === 'member' || n.local === 'callout')) {
                r.node(n, nctx, level);
            } else if (n.kind === 'element' && !(isDocbookElement(n) && n.local === 'info')) {
                extra(r, 'li', () => r.node(n, nctx, level));
            } else if (n.kind === 'text' && /\S/.test(nctx.pf.text.slice(n.start, n.end))) {
                r.out.push(`<li class="list-extra">${escapeHtml(nctx.pf.text.slice(n.start, n.end))}</li>`);
            } else if (n.kind === 'entity') {
                extra(r, 'li', () => r.node(n, nctx, level));
            }
        },
        failed: (f, inc, ictx) => extra(r, 'li', () => r.includeFailed(f, inc, ictx, level)),
    }));
}

function variablelist(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    listTitle(r, el, ctx, level);
    r.out.push(`<dl class="variablelist"${r.pos(el, ctx)}>`);
    const t = titleElementOf(el);
    r.asBlock(() => r.asm.eachChild(el, ctx, {
        node: (n, nctx) => {
            if (n === t) return;
            if (n.kind === 'element' && isDocbookElement(n) && n.local === 'varlistentry') r.node(n, nctx, level);
            else if (n.kind === 'element') extra(r, 'dd', () => r.node(n, nctx, level));
        },
        failed: (f, inc, ictx) => extra(r, 'dd', () => r.includeFailed(f, inc, ictx, level)),
    }));
    r.out.push('</dl>');
}

function varlistentry(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const terms: XmlElement[] = [];
    const rest: XmlNode[] = [];
    for (const c of el.children) {
        if (c.kind === 'element' && isDocbookElement(c) && c.local === 'term') terms.push(c);
        else if (c.kind === 'element') rest.push(c);
    }
    r.wrap(`<dt${r.pos(el, ctx)}>`, () => r.inlined(() => terms.forEach((term, i) => {
        if (i) r.out.push(', ');
        r.wrap('<span class="term">', () => r.children(term, ctx, level), '</span>');
    })), '</dt>');
    for (const c of rest) {
        if (c.kind === 'element' && isDocbookElement(c) && c.local === 'listitem') r.wrap(`<dd${r.pos(c, ctx)}>`, () => r.children(c, ctx, level), '</dd>');
        else extra(r, 'dd', () => r.node(c, ctx, level));
    }
}

function simplelist(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const type = attr(el, 'type')?.value.trim();
    if (type === 'inline' || r.inline) {
        r.out.push('<span class="simplelist">');
        let first = true;
        r.asm.eachChild(el, ctx, {
            node: (n, nctx) => {
                if (n.kind !== 'element') return;
                if (!first) r.out.push(', ');
                first = false;
                r.inlined(() => r.children(n, nctx, level));
            },
        });
        r.out.push('</span>');
        return;
    }
    r.wrap(`<ul class="simplelist"${r.pos(el, ctx)}>`, () => listBody(r, el, ctx, level), '</ul>');
}

function segmentedlist(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    listTitle(r, el, ctx, level);
    r.out.push(`<table class="segmentedlist"${r.pos(el, ctx)}><thead><tr>`);
    const items: XmlElement[] = [];
    for (const c of el.children) {
        if (c.kind !== 'element') continue;
        if (c.local === 'segtitle') r.wrap('<th>', () => r.inlined(() => r.children(c, ctx, level)), '</th>');
        else if (c.local === 'seglistitem') items.push(c);
    }
    r.out.push('</tr></thead><tbody>');
    for (const item of items) {
        r.out.push(`<tr${r.pos(item, ctx)}>`);
        for (const seg of item.children) if (seg.kind === 'element') r.wrap('<td>', () => r.children(seg, ctx, level), '</td>');
        r.out.push('</tr>');
    }
    r.out.push('</tbody></table>');
}

function calloutlist(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    listTitle(r, el, ctx, level);
    r.out.push(`<dl class="calloutlist"${r.pos(el, ctx)}>`);
    const t = titleElementOf(el);
    r.asm.eachChild(el, ctx, {
        node: (n, nctx) => { if (n !== t && n.kind === 'element') r.node(n, nctx, level); },
    });
    r.out.push('</dl>');
}

function callout(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const refs = (attr(el, 'arearefs')?.value ?? '').split(/\s+/).filter(Boolean);
    const marks = refs.map((ref) => {
        const n = r.calloutNumbers.get(ref);
        return n !== undefined ? `<a class="co" href="#${escapeHtml(ref)}">(${n})</a>` : `<span class="co unresolved" title="${escapeHtml(`No callout mark ${ref}`)}">(?)</span>`;
    });
    r.wrap(`<dt${r.pos(el, ctx)}>${marks.join(' ')}</dt><dd>`, () => r.asBlock(() => r.children(el, ctx, level)), '</dd>');
}

function procedure(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const title = r.titleHtml(el, ctx, level);
    r.out.push(`<div class="procedure"${r.pos(el, ctx)}>`);
    if (title !== undefined) r.titleLine(title, r.titlePos(el, ctx), r.labelPrefix(el, ctx));
    const t = titleElementOf(el);
    // Content before the first step (intro paras) stays outside the list.
    let listOpen = false;
    r.asBlock(() => r.each(el, ctx, level, (n, nctx) => {
        if (n === t) return;
        if (n.kind === 'element' && isDocbookElement(n) && n.local === 'step') {
            if (!listOpen) { r.out.push('<ol class="procedure" type="1">'); listOpen = true; }
            r.node(n, nctx, level);
        } else if (n.kind === 'element') {
            if (listOpen) extra(r, 'li', () => r.node(n, nctx, level)); else r.node(n, nctx, level);
        }
    }));
    if (listOpen) r.out.push('</ol>');
    r.out.push('</div>');
}

function steps(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const cls = el.local;
    const tag = cls === 'stepalternatives' ? 'ul' : 'ol';
    r.orderedDepth++;
    const type = tag === 'ol' ? ` type="${NESTED_NUMERATION[r.orderedDepth % NESTED_NUMERATION.length]}"` : '';
    r.wrap(`<${tag} class="${cls}"${r.pos(el, ctx)}${type}>`, () => listBody(r, el, ctx, level), `</${tag}>`);
    r.orderedDepth--;
}

function glossentry(r: Renderer, el: XmlElement, ctx: Ctx, level: number): void {
    const wrap = el.parent?.local !== 'glosslist';
    if (wrap) r.out.push('<dl class="glossentry-list">');
    let dtDone = false;
    r.asm.eachChild(el, ctx, {
        node: (n, nctx) => {
            if (n.kind !== 'element') return;
            if (n.local === 'glossterm' && !dtDone) {
                dtDone = true;
                r.out.push(`<dt class="glossentry"${r.pos(el, ctx)}>`);
                r.wrap('<span class="glossterm">', () => r.inlined(() => r.children(n, nctx, level)), '</span>');
                const acronym = childElement(el, 'acronym') ?? childElement(el, 'abbrev');
                if (acronym) r.wrap(' (<abbr>', () => r.inlined(() => r.children(acronym, nctx, level)), '</abbr>)');
                r.out.push('</dt>');
            } else if (n.local === 'acronym' || n.local === 'abbrev') {
                return;
            } else if (n.local === 'glossdef') {
                r.node(n, nctx, level);
            } else if (n.local === 'glosssee' || n.local === 'glossseealso') {
                r.wrap('<dd>', () => r.node(n, nctx, level), '</dd>');
            } else {
                extra(r, 'dd', () => r.node(n, nctx, level));
            }
        },
    });
    if (wrap) r.out.push('</dl>');
}

const block = (tag: string, cls: string): ElementRenderer => (r, el, ctx, level) => r.block(tag, cls, el, ctx, level);

export const LIST_RENDERERS: Record<string, ElementRenderer> = {
    itemizedlist: (r, el, ctx, level) => list(r, el, ctx, level, 'ul'),
    orderedlist: (r, el, ctx, level) => list(r, el, ctx, level, 'ol'),
    listitem: block('li', 'listitem'),
    variablelist, varlistentry,
    simplelist, member: block('li', 'member'),
    segmentedlist,
    calloutlist, callout,
    glosslist: block('dl', 'glosslist'), glossentry, glossdef: block('dd', 'glossdef'),
    procedure, step: titled('li', () => 'step'), substeps: steps, stepalternatives: steps,
};
