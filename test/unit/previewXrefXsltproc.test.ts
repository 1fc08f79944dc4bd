// Every cross reference's generated text in the preview against the build's: each book of the three
// real trees rendered by xsltproc with docbook-xsl-ns (the manuals' parameters) and by renderPreview;
// the n-th xref (or link) to an id in one must read as the n-th one to that id in the other
// (whitespace normalised), and the footnote marks must be the same, in the same order. Trees are
// prepared as in previewXsltproc.test.ts.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderPreview } from '../../server/src/features/preview';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { NodeWorkspace } from '../../server/src/workspace';
import { defaultSettings } from '../../server/src/settings';
import { entityText, emptyEntityTable } from '../../server/src/core/entities';
import { attr, parseXml, XmlElement, XmlNode } from '../../server/src/core/xmlParser';
import { CORPUS } from '../helpers';
import { booksIn, hasXsltproc, referenceCopyOf, TREES, xsltproc } from '../xsltprocReference';

/** Generated navigation of the full build: its entries are titles, not the book's xrefs. */
const NAVIGATION_CLASSES = /^(toc|list-of-figures|list-of-tables|list-of-examples|list-of-procedures|list-of-equations)$/;

const NO_ENTITIES = emptyEntityTable();

function textIn(node: XmlNode, html: string): string {
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

describe('preview xref texts against xsltproc (docbook-xsl-ns) on the real books', function () {
    this.timeout(600_000);
    let tmp: string;

    before(function () {
        if (!hasXsltproc()) {
            console.log('    xsltproc or docbook-xsl-ns missing: apt-get install -y xsltproc libxml2-utils docbook-xsl-ns');
            this.skip();
        }
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dbp-xref-'));
    });

    after(() => {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    let compared = 0;

    for (const tree of TREES) {
        it(`writes every xref and footnote mark of ${tree.name} as docbook-xsl does`, async () => {
            const original = path.join(CORPUS, tree.root);
            const copy = referenceCopyOf(tree, tmp);
            const index = new WorkspaceIndex(new NodeWorkspace(), defaultSettings());
            await index.addFolder(original);
            let total = 0;
            let matching = 0;
            const mismatches: string[] = [];
            for (const book of booksIn(original)) {
                const reference = xrefTexts(await xsltproc(path.join(copy, path.relative(original, book)), tmp));
                const preview = xrefTexts((await renderPreview(index, book, {})).html);
                for (const [id, texts] of reference) {
                    const mine = preview.get(id) ?? [];
                    texts.forEach((text, i) => {
                        total++;
                        if (mine[i] === text) matching++;
                        else mismatches.push(`${path.relative(original, book)} #${id}: build "${text}", preview ${mine[i] === undefined ? '(no xref)' : `"${mine[i]}"`}`);
                    });
                }
            }
            compared += total;
            console.log(`    ${tree.name}: ${matching} of ${total} xref texts and footnote marks match docbook-xsl`
                + (mismatches.length ? `\n      ${mismatches.slice(0, 20).join('\n      ')}` : ''));
            assert.deepStrictEqual(mismatches, []);
        });
    }

    it('compared generated texts at all (the trees have xrefs and footnotes)', () => {
        // The HA guide has neither; the other two have some.
        assert.ok(compared > 20, `${compared} generated texts compared`);
    });
});
