// Every cross reference's generated text in the preview against the build's: each book of the three
// real trees rendered by xsltproc with docbook-xsl-ns (the manuals' parameters) and by providePreview;
// the n-th xref (or link) to an id in one must read as the n-th one to that id in the other
// (whitespace normalised), and the footnote marks must be the same, in the same order. Trees are
// prepared as in previewXsltproc.test.ts.

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { providePreview } from '../../server/src/features/preview';
import { WorkspaceIndex } from '../../server/src/index/workspaceIndex';
import { NodeWorkspace } from '../../server/src/workspace';
import { defaultSettings } from '../../server/src/settings';
import { contextOf, CORPUS } from '../helpers';
import { booksIn, hasXsltproc, referenceCopyOf, TREES, xrefTexts, xsltproc } from '../xsltprocReference';

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
                const preview = xrefTexts((await providePreview(contextOf(index), { file: book })).html);
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
