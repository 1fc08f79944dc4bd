// The real build's renderer for tests that compare the preview with it: xsltproc with Debian's
// docbook-xsl-ns and the OpenStack manuals' parameters, on copies of the corpus trees that libxml2 can
// assemble (see test/unit/previewXsltproc.test.ts for why each tree is prepared the way it is).

import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { copyWithXpointerScheme, CORPUS } from './helpers';
import { entityText, emptyEntityTable } from '../server/src/core/entities';
import { attr, parseXml, XmlElement, XmlNode } from '../server/src/core/xmlParser';

const execFileP = promisify(execFile);
export const STYLESHEET = '/usr/share/xml/docbook/stylesheet/docbook-xsl-ns/xhtml/docbook.xsl';
/** The OpenStack build numbered sections (clouddocs-maven-plugin); the preview does the same. */
export const BUILD_PARAMS = ['--stringparam', 'section.autolabel', '1', '--stringparam', 'section.label.includes.component.label', '1'];

export const TREES: { name: string; root: string; supply?: [string, string][] }[] = [
    { name: 'training-guides', root: 'training-guides' },
    {
        name: 'security-guide-2014', root: 'security-guide-2014',
        supply: [['training-guides/doc/training-guides/openstack.ent', 'security-guide-2014/common/entities/openstack.ent']],
    },
    { name: 'ha-guide', root: 'ha-guide' },
];

export function booksIn(root: string): string[] {
    const out: string[] = [];
    const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith('.xml') && /<(book|set)[\s>]/.test(fs.readFileSync(p, 'utf8').slice(0, 4000))) out.push(p);
        }
    };
    walk(root);
    return out.sort();
}

/** Output of a command that exits non-zero on recoverable errors but still writes its result. */
async function run(command: string, args: string[]): Promise<string> {
    try {
        return (await execFileP(command, args, { maxBuffer: 256 * 1024 * 1024 })).stdout;
    } catch (e) {
        const out = (e as { stdout?: string }).stdout;
        if (out) return out;
        throw e;
    }
}

/**
 * The book as the real toolchain renders it. `xsltproc --xinclude` writes nothing at all when one
 * include fails (a remote include under --nonet, a file missing from these split repositories), so
 * the includes are resolved by xmllint (which keeps going and leaves failed includes in place) and
 * the result is rendered by xsltproc: the same libxml2 XInclude, the same stylesheets.
 */
export async function xsltproc(book: string, tmp: string): Promise<string> {
    const assembled = path.join(tmp, path.basename(book) + '.assembled.xml');
    fs.writeFileSync(assembled, await run('xmllint', ['--xinclude', '--noent', '--nonet', book]));
    return run('xsltproc', ['--nonet', ...BUILD_PARAMS, STYLESHEET, assembled]);
}

export function hasXsltproc(): boolean {
    return fs.existsSync(STYLESHEET) && fs.existsSync('/usr/bin/xsltproc') && fs.existsSync('/usr/bin/xmllint');
}

/** A copy of a corpus tree under `tmp` that xsltproc assembles like the build; returns the copy's root. */
export function referenceCopyOf(tree: (typeof TREES)[number], tmp: string): string {
    const copy = path.join(tmp, tree.root);
    if (fs.existsSync(copy)) return copy;
    copyWithXpointerScheme(path.join(CORPUS, tree.root), copy);
    for (const [from, to] of tree.supply ?? []) {
        fs.mkdirSync(path.dirname(path.join(tmp, to)), { recursive: true });
        fs.copyFileSync(path.join(CORPUS, from), path.join(tmp, to));
    }
    return copy;
}

/** Generated navigation of the full build: its entries are titles, not the book's xrefs. */
const NAVIGATION_CLASSES = /^(toc|list-of-figures|list-of-tables|list-of-examples|list-of-procedures|list-of-equations)$/;

const NO_ENTITIES = emptyEntityTable();

/** The text of a node of parsed HTML, entities as characters. */
export function textIn(node: XmlNode, html: string): string {
    if (node.kind === 'text' || node.kind === 'cdata') return html.slice(node.start, node.end);
    if (node.kind === 'entity') return entityText(node.name, NO_ENTITIES) ?? '';
    if (node.kind === 'element') return node.children.map((c) => textIn(c, html)).join('');
    return '';
}

/** Key under which xrefTexts lists the footnote marks ("[1]", "[a]") in document order. */
export const FOOTNOTE_MARKS = '(footnote marks)';

/**
 * The texts of an HTML page's internal links (`<a class="xref|link" href="#id">`), per target id, in
 * document order; and its footnote marks (`<sup class="footnote">`, in both renderers).
 */
export function xrefTexts(html: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const add = (key: string, el: XmlElement): void => {
        const text = textIn(el, html).replace(/\s+/g, ' ').trim();
        const list = out.get(key);
        if (list) list.push(text); else out.set(key, [text]);
    };
    const walk = (el: XmlElement): void => {
        const classes = (attr(el, 'class')?.value ?? '').split(/\s+/);
        if (classes.some((c) => NAVIGATION_CLASSES.test(c))) return;
        const href = attr(el, 'href')?.value;
        if (el.local === 'a' && href?.startsWith('#') && (classes.includes('xref') || classes.includes('link'))) return add(href.slice(1), el);
        if (el.local === 'sup' && classes.includes('footnote')) return add(FOOTNOTE_MARKS, el);
        for (const c of el.children) if (c.kind === 'element') walk(c);
    };
    const doc = parseXml(html);
    if (doc.root) walk(doc.root);
    return out;
}
