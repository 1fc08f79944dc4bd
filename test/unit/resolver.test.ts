// The resolver (core/resolver.ts): where an href or a system id points — a file relative to the
// including file under xml:base, a local folder through a URL mapping or an OASIS catalog, or a URL
// nobody mapped, which is remote (never fetched).

import * as assert from 'assert';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { plainRelativeTarget, readCatalogs, UriResolver } from '../../server/src/core/resolver';
import { indexBehind } from '../helpers';
import { NS, ROOT, serviceOn } from '../fixtures';

const p = (rel: string): string => path.join(ROOT, rel);

describe('remote includes, catalogs and URL mappings (through the index)', () => {
    const files: Record<string, string> = {
        'bk.xml': `<book ${NS}><xi:include href="http://git.openstack.org/cgit/openstack/openstack-manuals/plain/doc/common/ch_preface.xml"/><xi:include href="http://example.org/catalogued/app.xml"/></book>`,
        'mirror/common/ch_preface.xml': `<preface ${NS} xml:id="preface"><title>Preface</title></preface>`,
        'local/app.xml': `<appendix ${NS} xml:id="app"><title>App</title></appendix>`,
        'catalog.xml': `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><rewriteURI uriStartString="http://example.org/catalogued/" rewritePrefix="local/"/></catalog>`,
    };

    it('treats an unmapped URL as remote, not missing', async () => {
        const { service } = await serviceOn(files);
        const bk = indexBehind(service).get(p('bk.xml'))!;
        assert.strictEqual(indexBehind(service).includeStatus(bk, 0).kind, 'remote');
        assert.strictEqual(indexBehind(service).includeStatus(bk, 1).kind, 'remote');
    });

    it('resolves through a URL-prefix mapping and an OASIS catalog', async () => {
        const { service } = await serviceOn(files, {
            urlMappings: { 'http://git.openstack.org/cgit/openstack/openstack-manuals/plain/doc/': p('mirror') + '/' },
            catalogs: [p('catalog.xml')],
        });
        const bk = indexBehind(service).get(p('bk.xml'))!;
        assert.deepStrictEqual(indexBehind(service).includeStatus(bk, 0), { kind: 'ok', path: p('mirror/common/ch_preface.xml') });
        assert.deepStrictEqual(indexBehind(service).includeStatus(bk, 1), { kind: 'ok', path: p('local/app.xml') });
        assert.strictEqual(indexBehind(service).resolveId(p('bk.xml'), 'app').length, 1);
    });
});

describe('UriResolver', () => {
    it('resolves plain relative hrefs without URL parsing to what URL resolution gives', () => {
        const hrefs = [
            'a.xml', 'ch_x.xml', '../common/app_support.xml', './a.xml', 'a/./b.xml', 'a/../b.xml', '../../../../../../x.xml', '...', 'a/...', '.a', 'a.',
            '.', '..', 'a/.', 'a/..', 'a/', 'a//b.xml', '/abs.xml', '//host/x.xml', 'a b.xml', 'a%20b.xml', 'a%2e%2e/b.xml', '%2e%2e/b.xml', 'a#frag.xml',
            'a?q.xml', 'a/b/c.xml', 'a/./b.xml', 'x/../../y/z.png', 'a\\b.xml', 'http://example.org/a.xml', 'file:///x.xml', 'c:/x.xml', 'é.xml', '~user/x.xml', '-', '_', '',
        ];
        const froms = ['/work/doc/book/bk.xml', '/bk.xml', '/a b/c#d/%20/bk.xml', '/a/b/../bk.xml', '/a/b/..', '/a/./bk.xml', '/a/b/', '/', '/a\\b/bk.xml', '/a\n//b/bk.xml', '/a\n/../bk.xml', '/a/.b/..c/bk.xml'];
        const resolver = new UriResolver({}, [], '/');
        for (const from of froms) {
            for (const href of hrefs) {
                let byUrl: string;
                try {
                    byUrl = fileURLToPath(new URL(href, pathToFileURL(from)).href.replace(/[?#].*$/, ''));
                } catch {
                    byUrl = '(invalid)';
                }
                const plain = plainRelativeTarget(href, from);
                if (plain !== undefined) assert.strictEqual(plain, byUrl, `${JSON.stringify(href)} from ${from}`);
                const r = resolver.resolveHref(href, from);
                if (r.kind === 'file') assert.strictEqual(r.path, byUrl, `${JSON.stringify(href)} from ${from}`);
            }
        }
        // The common case does take the fast path.
        assert.strictEqual(plainRelativeTarget('../common/app_support.xml', '/work/doc/book/bk.xml'), '/work/doc/common/app_support.xml');
    });

    const chapter = p('doc/guide/ch.xml');
    const fileAt = (file: string) => ({ kind: 'file', path: file });

    it('resolves a relative href against the including file, and a bad one as invalid', () => {
        const resolver = new UriResolver({}, [], ROOT);
        assert.deepStrictEqual(resolver.resolveHref('section_a.xml', chapter), fileAt(p('doc/guide/section_a.xml')));
        assert.deepStrictEqual(resolver.resolveHref('../common/app.xml', chapter), fileAt(p('doc/common/app.xml')));
        assert.deepStrictEqual(resolver.resolveHref('figures/a%20b.png', chapter), fileAt(p('doc/guide/figures/a b.png')), 'percent-escapes decoded');
        assert.deepStrictEqual(resolver.resolveHref('http://example.org/x.xml', chapter), { kind: 'remote', url: 'http://example.org/x.xml' });
        assert.strictEqual(resolver.resolveHref('http://[bad', chapter).kind, 'invalid');
    });

    it('applies the xml:base values in effect, outermost first', () => {
        const resolver = new UriResolver({}, [], ROOT);
        assert.deepStrictEqual(resolver.resolveHref('a.xml', chapter, ['../shared/', 'sub/']), fileAt(p('doc/shared/sub/a.xml')));
        // An absolute base replaces the file's own location; a URL base makes a relative href remote.
        assert.deepStrictEqual(resolver.resolveHref('a.xml', chapter, [pathToFileURL(p('elsewhere')).href + '/']), fileAt(p('elsewhere/a.xml')));
        assert.deepStrictEqual(resolver.resolveHref('a.xml', chapter, ['http://example.org/base/']), { kind: 'remote', url: 'http://example.org/base/a.xml' });
    });

    it('maps a URL prefix to a folder, the longest prefix winning, also when the prefix comes from xml:base', () => {
        const resolver = new UriResolver({
            'http://git.openstack.org/cgit/openstack/openstack-manuals/plain/doc/': 'mirror/doc/',
            'http://git.openstack.org/cgit/openstack/openstack-manuals/plain/doc/common/': 'common-checkout/',
        }, [], p('settings-dir'));
        const base = 'http://git.openstack.org/cgit/openstack/openstack-manuals/plain/doc/';
        assert.deepStrictEqual(resolver.resolveHref(base + 'install/ch.xml', chapter), fileAt(p('settings-dir/mirror/doc/install/ch.xml')));
        assert.deepStrictEqual(resolver.resolveHref(base + 'common/app_support.xml', chapter), fileAt(p('settings-dir/common-checkout/app_support.xml')));
        assert.deepStrictEqual(resolver.resolveHref('ch_preface.xml', chapter, [base + 'common/']), fileAt(p('settings-dir/common-checkout/ch_preface.xml')));
    });

    it('reads an OASIS catalog (uri, rewriteURI, public, nextCatalog) and resolves by it before the URL mappings', async () => {
        const files: Record<string, string> = {
            [p('catalogs/main.xml')]: `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <uri name="http://example.org/exact.xml" uri="local/exact.xml"/>
  <group xml:base="../vendor/"><rewriteURI uriStartString="http://example.org/docs/" rewritePrefix="docs/"/></group>
  <public publicId="-//OASIS//DTD   DocBook XML V4.5//EN" uri="dtd/docbookx.dtd"/>
  <nextCatalog catalog="more.xml"/>
</catalog>`,
            [p('catalogs/more.xml')]: `<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"><rewriteSystem systemIdStartString="http://example.org/ent/" rewritePrefix="ent/"/></catalog>`,
            [p('catalogs/not-a-catalog.xml')]: `<book ${NS}/>`,
        };
        const { entries, errors } = await readCatalogs([p('catalogs/main.xml'), p('catalogs/not-a-catalog.xml'), p('catalogs/absent.xml')], async (f) => files[f]);
        assert.deepStrictEqual(entries.map((e) => e.kind).sort(), ['public', 'rewriteSystem', 'rewriteURI', 'uri']);
        assert.strictEqual(errors.length, 2, errors.join('\n'));
        assert.match(errors.join('\n'), /not-a-catalog\.xml is not an OASIS XML catalog/);
        assert.match(errors.join('\n'), /absent\.xml cannot be read/);

        const resolver = new UriResolver({ 'http://example.org/': 'mapped' }, entries, ROOT);
        assert.deepStrictEqual(resolver.resolveHref('http://example.org/exact.xml', chapter), fileAt(p('catalogs/local/exact.xml')));
        assert.deepStrictEqual(resolver.resolveHref('http://example.org/docs/a/b.xml', chapter), fileAt(p('vendor/docs/a/b.xml')), 'group xml:base applies');
        assert.deepStrictEqual(resolver.resolveHref('http://example.org/other.xml', chapter), fileAt(p('mapped/other.xml')), 'the URL mapping after the catalog');
        assert.deepStrictEqual(resolver.resolveSystemId('ignored.dtd', '-//OASIS//DTD DocBook XML V4.5//EN', chapter), fileAt(p('catalogs/dtd/docbookx.dtd')), 'public id, whitespace normalized');
        assert.deepStrictEqual(resolver.resolveSystemId('http://example.org/ent/openstack.ent', undefined, chapter), fileAt(p('catalogs/ent/openstack.ent')));
    });
});
