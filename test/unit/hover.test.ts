// Hover: what a reference points at, how often an id is used, where an include goes, what a glossary
// term and an entity mean.

import * as assert from 'assert';
import * as path from 'path';
import { Hover, MarkupContent } from 'vscode-languageserver-types';
import { pathToUri } from '../../server/src/core/uri';
import { at, filesWithCursor, NS, ROOT, serviceOn, twoBooks } from '../fixtures';

const p = (rel: string): string => path.join(ROOT, rel);

const markdown = (hover: Hover | undefined): string => {
    assert.ok(hover, 'a hover');
    return (hover.contents as MarkupContent).value;
};

describe('hover', () => {
    // The symbols half of this test is in symbols.test.ts ('outline of a chapter', 'workspace symbols').
    it('shows the target of a reference', async () => {
        const { service } = await serviceOn(twoBooks);
        const hover = service.hover(pathToUri(p('a/ch_a.xml')), at(twoBooks, 'a/ch_a.xml', 'linkend="shared"', 10));
        assert.match(JSON.stringify(hover!.contents), /<chapter>`.*Shared.*ch_shared\.xml/);
    });

    const book = (marked: Record<string, string>) => filesWithCursor({
        'bk.xml': `<book ${NS}><title>B</title><xi:include href="ch1.xml"/><xi:include href="ch2.xml"/></book>`,
        'ch2.xml': `<chapter ${NS} xml:id="ch2"><title>Two</title><section xml:id="setup"><title>Setting up</title><para><xref linkend="setup"/></para></section></chapter>`,
        ...marked,
    });

    it('on an id, names its element and title and counts its references', async () => {
        const { files, rel, position } = book({
            'ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title><para><xref linkend="setup"/> <xref linkend="setup"/></para></chapter>`,
            'ch2.xml': `<chapter ${NS} xml:id="ch2"><title>Two</title><section xml:id="se|tup"><title>Setting up</title><para><xref linkend="setup"/></para></section></chapter>`,
        });
        const { service, uri } = await serviceOn(files);
        const text = markdown(service.hover(uri(rel), position));
        assert.match(text, /`<section>` “Setting up”/);
        assert.match(text, /\b3 references\b/);
    });

    it('on a linkend to nothing, says the id is not defined; on one defined outside the books, says where', async () => {
        const missing = book({ 'ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title><para><xref linkend="nowh|ere"/></para></chapter>` });
        const first = await serviceOn(missing.files);
        assert.match(markdown(first.service.hover(first.uri(missing.rel), missing.position)), /`nowhere` is not defined/);

        const outside = book({
            'ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title><para><xref linkend="loo|se"/></para></chapter>`,
            'drafts/loose.xml': `<section ${NS} xml:id="loose"/>`,
        });
        const second = await serviceOn(outside.files);
        assert.match(markdown(second.service.hover(second.uri(outside.rel), outside.position)), /`loose` is not in this file's books; it is defined in `drafts\/loose\.xml`/);
    });

    it('on an include href, names the file and its title, or says it is missing', async () => {
        const { files, rel, position } = filesWithCursor({
            'bk.xml': `<book ${NS}><title>B</title><xi:include href="ch|1.xml"/><xi:include href="gone.xml"/></book>`,
            'ch1.xml': `<chapter ${NS} xml:id="ch1"><title>Getting started</title></chapter>`,
        });
        const { service, uri } = await serviceOn(files);
        assert.match(markdown(service.hover(uri(rel), position)), /`ch1\.xml` “Getting started”/);
        assert.match(markdown(service.hover(uri(rel), at(files, 'bk.xml', 'gone.xml', 2))), /Missing file: `gone\.xml`/);
    });

    it('on a glossterm, shows the entry of the glossary collection', async () => {
        const { files, rel, position } = filesWithCursor({
            'ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title><para>The <glossterm>Com|pute</glossterm> service.</para></chapter>`,
            'glossary/glossary-terms.xml': `<glossary ${NS}><glossentry><glossterm>Compute</glossterm><glossdef><para>Runs instances.</para></glossdef></glossentry></glossary>`,
        });
        const { service, uri } = await serviceOn(files, { glossaryCollection: ['glossary/glossary-terms.xml'] });
        const text = markdown(service.hover(uri(rel), position));
        assert.match(text, /\*\*Compute\*\*/);
        assert.match(text, /Runs instances\./);
        assert.match(text, /glossary\/glossary-terms\.xml/);
    });

    it('on plain text, shows nothing', async () => {
        const { files, rel, position } = filesWithCursor({ 'ch1.xml': `<chapter ${NS} xml:id="ch1"><title>One</title><para>Plain te|xt.</para></chapter>` });
        const { service, uri } = await serviceOn(files);
        assert.strictEqual(service.hover(uri(rel), position), undefined);
    });
});
