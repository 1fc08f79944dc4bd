// core/uri.ts writes plain paths as URIs without vscode-uri: the answers must be vscode-uri's, for
// plain paths and for every kind of path that is not plain (escapes, authorities, odd characters).

import * as assert from 'assert';
import { URI } from 'vscode-uri';
import { pathToUri, uriToPath } from '../../server/src/core/uri';
import { CORPUS, listXml } from '../helpers';
import * as fs from 'fs';

const PATHS = [
    '/', '/a', '/a/b.xml', '/work/shared/corpus/ha-guide/doc/high-availability-guide/bk-ha-guide.xml',
    '/a/./b/../c.xml', '/a/b/', '/a_b-c~d.e/F9.XML', '/a//b.xml', '//server/share/x.xml', '//',
    '/a b/c.xml', '/a%20b/c.xml', '/a#b/c?.xml', '/c:/x.xml', '/C:/x.xml', '/a:b/c.xml', '/a\\b.xml',
    '/é/ü.xml', '/日本/語.xml', '/a+b/c=d&e.xml', "/a'b/(c)!*.xml", '/a@b/c$.xml', '/a[1]/b.xml', '/a;b,c.xml',
    '/\u0000x', '/a\tb', '/a/b\n.xml', 'relative/x.xml', '',
];

describe('core/uri: plain paths without vscode-uri', () => {
    it('pathToUri and uriToPath give what vscode-uri gives, for plain and other paths', () => {
        const corpus = fs.existsSync(CORPUS) ? listXml(CORPUS) : [];
        for (const p of [...PATHS, ...corpus]) {
            const expected = URI.file(p).toString();
            assert.strictEqual(pathToUri(p), expected, `pathToUri(${JSON.stringify(p)})`);
            const parsed = URI.parse(expected);
            assert.strictEqual(uriToPath(expected), parsed.fsPath, `uriToPath(${JSON.stringify(expected)})`);
        }
    });

    it('uriToPath reads URIs as vscode-uri does, escaped or not, and other schemes as no path', () => {
        const uris = [
            'file:///a/b.xml', 'file:///a%20b/c.xml', 'file:///a b/c.xml', 'file://host/a/b.xml', 'file:////a/b.xml', 'file:///c:/x.xml',
            'file:///C%3A/x.xml', 'file:///a/b.xml?q=1', 'file:///a/b.xml#frag', 'file:/a/b.xml', 'file:a.xml', 'FILE:///a/b.xml',
            'untitled:Untitled-1', 'https://example.org/a.xml', 'vscode-notebook-cell:///a/b.xml', 'file:///%E6%97%A5.xml', 'file:///a/%2e%2e/b.xml',
        ];
        const answer = (f: () => string | undefined): string | undefined => {
            try {
                return f();
            } catch (e) {
                return `throws ${String(e)}`;
            }
        };
        for (const u of uris) {
            const expected = answer(() => {
                const parsed = URI.parse(u);
                return parsed.scheme === 'file' ? parsed.fsPath : undefined;
            });
            assert.strictEqual(answer(() => uriToPath(u)), expected, `uriToPath(${JSON.stringify(u)})`);
        }
    });
});
