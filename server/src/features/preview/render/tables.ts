// Tables: CALS (tgroup, colspec and spanspec spans, morerows, nested entrytbl) and HTML-model
// tables (caption, thead/tbody/tfoot, tr, td/th with colspan and rowspan).

import { titleElementOf } from '../../../core/docbookModel';
import { attr, XmlElement } from '../../../core/xmlParser';
import { Ctx } from '../assembler';
import { positiveInt } from '../html';
import { ElementRenderer, hasBlockChild, Renderer } from './core';

function calsTable(r: Renderer, tgroup: XmlElement, ctx: Ctx, level: number, nested: boolean): void {
    const colnums = new Map<string, number>();
    const spans = new Map<string, [string, string]>();
    let next = 1;
    for (const c of tgroup.children) {
        if (c.kind !== 'element') continue;
        if (c.local === 'colspec') {
            const n = positiveInt(attr(c, 'colnum')?.value, 1000) ?? next;
            next = n + 1;
            const name = attr(c, 'colname')?.value.trim();
            if (name) colnums.set(name, n);
        } else if (c.local === 'spanspec') {
            const name = attr(c, 'spanname')?.value.trim();
            const st = attr(c, 'namest')?.value.trim();
            const en = attr(c, 'nameend')?.value.trim();
            if (name && st && en) spans.set(name, [st, en]);
        }
    }
    const entry = (e: XmlElement, ectx: Ctx, head: boolean): void => {
        if (e.local === 'entrytbl') { calsTable(r, e, ectx, level, true); return; }
        if (e.local !== 'entry') return;
        let colspan = 1;
        const spanname = attr(e, 'spanname')?.value.trim();
        const [st, en] = spanname && spans.get(spanname) ? spans.get(spanname)! : [attr(e, 'namest')?.value.trim(), attr(e, 'nameend')?.value.trim()];
        if (st && en && colnums.has(st) && colnums.has(en)) colspan = Math.max(1, colnums.get(en)! - colnums.get(st)! + 1);
        const morerows = /^\s*\d+\s*$/.test(attr(e, 'morerows')?.value ?? '') ? parseInt(attr(e, 'morerows')!.value, 10) : 0;
        cellWith(r, e, ectx, level, head ? 'th' : 'td', colspan, morerows + 1);
    };
    if (nested) r.out.push('<td>');
    r.out.push(`<table class="cals"${r.pos(tgroup, ctx)}>`);
    r.asm.eachChild(tgroup, ctx, {
        node: (section, sctx) => {
            if (section.kind !== 'element' || !['thead', 'tbody', 'tfoot'].includes(section.local)) return;
            const head = section.local === 'thead';
            r.wrap(`<${section.local}>`, () => r.asm.eachChild(section, sctx, {
                node: (row, rctx) => {
                    if (row.kind !== 'element' || row.local !== 'row' || r.asm.isProfiledOut(row)) return;
                    r.wrap(`<tr${r.pos(row, rctx)}>`, () => r.asm.eachChild(row, rctx, {
                        node: (e, ectx) => { if (e.kind === 'element' && !r.asm.isProfiledOut(e)) entry(e, ectx, head); },
                    }), '</tr>');
                },
            }), `</${section.local}>`);
        },
    });
    r.out.push('</table>');
    if (nested) r.out.push('</td>');
}

export function htmlTable(r: Renderer, table: XmlElement, ctx: Ctx, level: number): void {
    r.out.push(`<table class="html-table"${r.pos(table, ctx, false)}>`);
    const t = titleElementOf(table);
    r.asm.eachChild(table, ctx, {
        node: (n, nctx) => {
            if (n.kind !== 'element' || n === t) return;
            if (n.local === 'caption') {
                // An HTML-model table's caption is its title: docbook-xsl numbers it.
                r.wrap(`<caption>${t ? '' : r.labelPrefix(table, ctx)}`, () => r.inlined(() => r.children(n, nctx, level)), '</caption>');
            } else if (n.local === 'tr') {
                htmlRow(r, n, nctx, level, false);
            } else if (n.local === 'thead' || n.local === 'tbody' || n.local === 'tfoot') {
                r.wrap(`<${n.local}>`, () => r.asm.eachChild(n, nctx, {
                    node: (row, rctx) => { if (row.kind === 'element' && row.local === 'tr') htmlRow(r, row, rctx, level, n.local === 'thead'); },
                }), `</${n.local}>`);
            } else if (n.local !== 'col' && n.local !== 'colgroup' && n.local !== 'info' && n.local !== 'textobject') {
                r.wrap('<tr><td>', () => r.node(n, nctx, level), '</td></tr>');
            }
        },
    });
    r.out.push('</table>');
}

function htmlRow(r: Renderer, row: XmlElement, ctx: Ctx, level: number, head: boolean): void {
    if (r.asm.isProfiledOut(row)) return;
    r.wrap(`<tr${r.pos(row, ctx)}>`, () => r.asm.eachChild(row, ctx, {
        node: (c, cctx) => {
            if (c.kind !== 'element' || (c.local !== 'td' && c.local !== 'th')) return;
            cell(r, c, cctx, level, head || c.local === 'th' ? 'th' : 'td');
        },
    }), '</tr>');
}

function cell(r: Renderer, el: XmlElement, ctx: Ctx, level: number, tag: 'td' | 'th'): void {
    cellWith(r, el, ctx, level, tag, positiveInt(attr(el, 'colspan')?.value, 1000) ?? 1, positiveInt(attr(el, 'rowspan')?.value, 10000) ?? 1);
}

function cellWith(r: Renderer, el: XmlElement, ctx: Ctx, level: number, tag: 'td' | 'th', colspan: number, rowspan: number): void {
    if (r.asm.isProfiledOut(el)) return;
    r.out.push(`<${tag}${colspan > 1 ? ` colspan="${colspan}"` : ''}${rowspan > 1 ? ` rowspan="${rowspan}"` : ''}${r.pos(el, ctx)}>`);
    r.asBlock(() => {
        if (hasBlockChild(el)) r.flow(el, ctx, level);
        else { r.inline = 1; r.children(el, ctx, level); }
    });
    r.out.push(`</${tag}>`);
}

export const TABLE_RENDERERS: Record<string, ElementRenderer> = {
    tgroup: (r, el, ctx, level) => calsTable(r, el, ctx, level, false),
    entrytbl: (r, el, ctx, level) => calsTable(r, el, ctx, level, true),
    tr: (r, el, ctx, level) => r.block('tr', '', el, ctx, level), row: (r, el, ctx, level) => r.block('tr', '', el, ctx, level),
    td: (r, el, ctx, level) => cell(r, el, ctx, level, 'td'), entry: (r, el, ctx, level) => cell(r, el, ctx, level, 'td'),
    th: (r, el, ctx, level) => cell(r, el, ctx, level, 'th'),
    thead: (r, el, ctx, level) => r.block('thead', '', el, ctx, level), tbody: (r, el, ctx, level) => r.block('tbody', '', el, ctx, level),
    tfoot: (r, el, ctx, level) => r.block('tfoot', '', el, ctx, level),
    colspec: () => undefined, spanspec: () => undefined, col: () => undefined, colgroup: () => undefined,
};
