import * as assert from 'assert';
import { buildFileModel, parseXPointer } from '../../server/src/core/docbookModel';
import { buildEntityTable, doctypeInfo, emptyEntityTable, entityText } from '../../server/src/core/entities';
import { computeLineStarts, offsetAt, positionAt } from '../../server/src/core/lineMap';
import { parseXml } from '../../server/src/core/xmlParser';
import { decodeXml } from '../../server/src/core/decode';

const DB = 'xmlns="http://docbook.org/ns/docbook" xmlns:xi="http://www.w3.org/2001/XInclude"';

function model(text: string) {
    return buildFileModel(parseXml(text), emptyEntityTable());
}

describe('tolerant XML parser', () => {
    it('keeps exact offsets of attribute values, also after CRLF, comments, CDATA and astral characters', () => {
        const text = `<?xml version="1.0"?>\r\n<!-- a <comment> with linkend="no" -->\r\n<chapter ${DB} xml:id="c1">\r\n<para>😀 <![CDATA[ <xref linkend="nope"/> ]]> <xref linkend="target"/></para></chapter>`;
        const m = model(text);
        assert.deepStrictEqual(m.ids.map((d) => d.id), ['c1']);
        assert.deepStrictEqual(m.refs.map((r) => r.id), ['target'], 'references inside comments and CDATA are not references');
        const ref = m.refs[0];
        assert.strictEqual(text.slice(ref.start, ref.end), 'target');
        const pos = positionAt(m.lineStarts, ref.start);
        assert.strictEqual(pos.line, 3);
        const line = text.split('\r\n')[3];
        // The emoji is two UTF-16 code units, as LSP counts characters.
        assert.strictEqual(pos.character, line.indexOf('target'));
        assert.strictEqual(offsetAt(m.lineStarts, pos, text.length), ref.start);
        assert.deepStrictEqual(m.problems, []);
    });

    describe('well-formedness as libxml2 judges it: where, what, and the rest still read', () => {
        /** Each problem as `text at its span: message`, and the ids read despite it. */
        function judge(body: string, prolog = ''): { problems: string[]; ids: string[] } {
            const text = `${prolog}<chapter ${DB} xml:id="c">${body}<para xml:id="after"/></chapter>`;
            const doc = parseXml(text);
            return {
                problems: doc.problems.map((p) => `${text.slice(p.start, p.end)}: ${p.message}`),
                ids: buildFileModel(doc, emptyEntityTable()).ids.map((d) => d.id),
            };
        }

        const messageOnly = (p: string): string => p.slice(p.indexOf(': ') + 2);

        it("'--' inside a comment, as in <!-- run nova --debug -->", () => {
            assert.deepStrictEqual(judge('<!-- run nova --debug -->'), {
                problems: ["--: '--' is not allowed inside a comment (end the comment with -->)"], ids: ['c', 'after'],
            });
            assert.deepStrictEqual(judge('<!-- a comment that ends in a dash --->').problems.length, 1);
            assert.deepStrictEqual(judge('<!-- fine - single dashes -->').problems, []);
        });

        it("']]>' in text, characters XML forbids, a bad character reference", () => {
            assert.deepStrictEqual(judge('<para>a[b]]>c</para>').problems, ["]]>: ']]>' is not allowed in text (write ]]&gt;)"]);
            assert.deepStrictEqual(judge('<para><![CDATA[x]]></para><para>]] > ]]</para>').problems, []);
            assert.deepStrictEqual(judge('<para>page\fbreak</para>').problems, ['\f: U+000C (form feed) is not allowed in XML (delete it; it is often pasted from a word processor)']);
            assert.deepStrictEqual(judge('<para role="a\u0001b">x</para>').problems.length, 1, 'in an attribute value too');
            assert.deepStrictEqual(judge('<para>\ud83d\ude00 \ud83d</para>').problems.map(messageOnly), ['U+D83D (a lone surrogate half) is not allowed in XML (delete it; it is often pasted from a word processor)']);
            assert.deepStrictEqual(judge('<para>&#xC;</para>').problems, ['&#xC;: Character reference &#xC; is not a legal XML character']);
        });

        it('the XML declaration, PI targets and attributes', () => {
            assert.deepStrictEqual(judge('', '<?xml encoding="UTF-8"?>').problems.map(messageOnly), ['The XML declaration must start with version="1.0"']);
            assert.deepStrictEqual(judge('', '<?xml version="1.0" standalone="maybe"?>').problems.length, 1);
            assert.deepStrictEqual(judge('', '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n').problems, []);
            assert.deepStrictEqual(judge('<?XML x?>').problems.map(messageOnly), ["'XML' is reserved: a processing instruction target cannot be 'xml' in any case"]);
            assert.deepStrictEqual(judge('<para a="1"b="2"/>').problems, ['b: White space is required between the attributes of <para>']);
        });

        it('entities: declared, parsed, no loops, no < in attribute values; namespace errors are their own kind', () => {
            assert.deepStrictEqual(judge('<para>&nova;</para>').problems, ['&nova;: Entity &nova; is not declared (declare it in the DOCTYPE, or write the character itself)']);
            // With a parameter entity (an .ent file) or an external DTD, an undeclared entity is not libxml2's fatal error.
            assert.deepStrictEqual(judge('<para>&nova;</para>', '<!DOCTYPE chapter [ <!ENTITY % ent SYSTEM "x.ent"> %ent; ]>').problems, []);
            const subset = '<!DOCTYPE chapter [ <!ENTITY a "&b;"> <!ENTITY b "&a;"> <!ENTITY lt2 "&#60;"> <!ENTITY ok "<emphasis>fine</emphasis>"> ]>';
            assert.deepStrictEqual(judge('<para>&ok; &a;</para><para role="&lt2;"/>', subset).problems, [
                '&a;: In the replacement text of &a;: In the replacement text of &b;: Entity &a; refers to itself (an entity reference loop)',
                "&lt2;: '<' in the replacement text of &lt2; is not allowed in an attribute value",
            ]);
            const ns = parseXml(`<chapter ${DB}><db:para/></chapter>`).problems;
            assert.deepStrictEqual(ns.map((p) => [p.kind, p.message]), [['namespace', 'Namespace prefix db of <db:para> is not declared']]);
        });

        it('the internal DTD subset: one problem per broken declaration, and the next one still read', () => {
            const subset = '<!DOCTYPE chapter [\n<!ELEMENT para (#PCDATA|emphasis)>\n<!ATTLIST para role CDATA #IMPLIED>\n<!ENTITY nova "Compute">\n]>\n';
            const { problems } = judge('<para>&nova;</para>', subset);
            assert.deepStrictEqual(problems, ['>: Mixed content with element names must end with )*']);
            assert.deepStrictEqual(judge('<para>&nova;</para>', '<!DOCTYPE chapter [ <!ENTITY swift Storage> <!ENTITY nova "Compute"> ]>').problems.map(messageOnly),
                ['Expected the entity value in quotes, or SYSTEM or PUBLIC']);
        });
    });

    it('reads what it can from a file that is not well-formed and says where it breaks', () => {
        const text = `<chapter ${DB} xml:id="c">\n<section xml:id="s1"><title>One</title>\n<para>unclosed <emphasis>text</para>\n</section>\n<section xml:id="s2"><para><xref linkend="s1"/></para>\n`;
        const doc = parseXml(text);
        const m = buildFileModel(doc, emptyEntityTable());
        assert.deepStrictEqual(m.ids.map((d) => d.id), ['c', 's1', 's2']);
        assert.deepStrictEqual(m.refs.map((r) => r.id), ['s1']);
        const messages = doc.problems.map((p) => `${positionAt(m.lineStarts, p.start).line}: ${p.message}`);
        assert.ok(messages.some((msg) => msg.startsWith('2: Element <emphasis> is not closed')), messages.join('\n'));
        assert.ok(messages.some((msg) => /Element <chapter> is not closed/.test(msg)), messages.join('\n'));
    });

    it('survives an unclosed attribute quote without swallowing the rest of the file', () => {
        const text = `<chapter ${DB}>\n<xref linkend="broken/>\n<section xml:id="later"/>\n</chapter>`;
        const m = model(text);
        assert.deepStrictEqual(m.ids.map((d) => d.id), ['later']);
        assert.ok(m.problems.some((p) => /not closed with "/.test(p.message)));
    });

    it('handles 100,000 nested elements without deep recursion', () => {
        const depth = 100_000;
        const text = `<chapter ${DB}>` + '<para>'.repeat(depth) + 'x' + '</para>'.repeat(depth) + '<section xml:id="after"/></chapter>';
        const m = model(text);
        assert.deepStrictEqual(m.ids.map((d) => d.id), ['after']);
        assert.ok(m.problems.some((p) => /nested more than/.test(p.message)));
    });

    it('resolves namespaces: xi:include by namespace, not by prefix', () => {
        const text = `<book xmlns="http://docbook.org/ns/docbook" xmlns:x="http://www.w3.org/2001/XInclude"><x:include href="a.xml"/><xi:include href="b.xml" xmlns:xi="urn:not-xinclude"/></book>`;
        const m = model(text);
        assert.deepStrictEqual(m.includes.map((i) => i.href), ['a.xml']);
        assert.ok(m.isBook);
    });

    it('finds DocBook 4 ids only in DocBook 4 files', () => {
        assert.deepStrictEqual(model(`<!DOCTYPE chapter PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "x.dtd"><chapter id="c4"><para id="p"/></chapter>`).ids.map((d) => d.id), ['c4', 'p']);
        assert.deepStrictEqual(model(`<chapter ${DB} id="not-an-id"/>`).ids, []);
    });
});

describe('xpointer forms', () => {
    const cases: [string, string, 'element' | 'children'][] = [
        ['intro', 'intro', 'element'],
        ['element(intro)', 'intro', 'element'],
        ['element(intro/1/2)', 'intro', 'element'],
        ["xpointer(id('intro'))", 'intro', 'element'],
        ["xpointer(//*[@xml:id='intro'])", 'intro', 'element'],
        ["xmlns(db=http://docbook.org/ns/docbook) xpath(//*[@xml:id = 'intro']/*[not(self::db:title)])", 'intro', 'children'],
    ];
    for (const [value, id, mode] of cases) {
        it(`${value} selects ${mode === 'children' ? "the children of" : 'the element'} ${id}`, () => {
            const p = parseXPointer(value);
            assert.ok(p);
            assert.strictEqual(p.id, id);
            assert.strictEqual(p.mode, mode);
            assert.strictEqual(value.slice(p.offset, p.offset + id.length), id, 'offset points at the id inside the value');
        });
    }
});

describe('entities', () => {
    it('reads the internal subset and parameter-entity files; expansion is bounded', async () => {
        const text = `<!DOCTYPE chapter [\n<!ENTITY % os SYSTEM "os.ent">\n%os;\n<!ENTITY product "Open&#x53;tack">\n<!ENTITY a "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n<!ENTITY b "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n<!ENTITY c "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">\n<!ENTITY d "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">\n<!ENTITY e "lollollollollollollollollollol">\n]>\n<chapter ${DB}><title>&product; &mdash; &ubuntu;</title></chapter>`;
        const doc = parseXml(text);
        const table = await buildEntityTable(doctypeInfo(text, doc.doctype), '/ws/ch.xml', {
            load: async (systemId) => systemId === 'os.ent' ? { kind: 'text', path: '/ws/os.ent', text: '<!ENTITY ubuntu "Ubuntu">\n<!ENTITY mdash "&#x2014;">' } : { kind: 'missing', path: systemId },
        });
        assert.ok(table.complete);
        assert.deepStrictEqual(table.dependencies, ['/ws/os.ent']);
        const m = buildFileModel(doc, table);
        assert.strictEqual(m.title, 'OpenStack — Ubuntu');
        const bomb = entityText('a', table) ?? '';
        assert.ok(bomb.length <= 100_000, `expansion is bounded (${bomb.length})`);
    });

    it('marks the table incomplete when an entity file is remote, and lists a missing local one', async () => {
        const text = `<!DOCTYPE chapter [<!ENTITY % r SYSTEM "http://example.org/x.ent"> %r; <!ENTITY % m SYSTEM "../common/entities/openstack.ent"> %m;]><chapter/>`;
        const table = await buildEntityTable(doctypeInfo(text, parseXml(text).doctype), '/ws/a/ch.xml', {
            load: async (systemId) => systemId.startsWith('http') ? { kind: 'remote', url: systemId } : { kind: 'missing', path: '/ws/common/entities/openstack.ent' },
        });
        assert.strictEqual(table.complete, false);
        assert.deepStrictEqual(table.missing, ['/ws/common/entities/openstack.ent']);
    });
});

describe('decoding', () => {
    it('honours the XML declaration encoding, UTF-16 BOMs, and refuses binary files', () => {
        const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><para>caf\xe9</para>', 'latin1');
        assert.deepStrictEqual(decodeXml(latin1), { text: '<?xml version="1.0" encoding="ISO-8859-1"?><para>café</para>' });
        const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<para>é</para>', 'utf16le')]);
        assert.strictEqual((decodeXml(utf16) as { text: string }).text.replace(/^\uFEFF/, ''), '<para>é</para>');
        assert.ok('error' in decodeXml(Buffer.from([0x3c, 0x00, 0x01, 0x02, 0x00, 0xff])));
    });
});

describe('line map', () => {
    it('counts \\r\\n, \\n and lone \\r as line breaks', () => {
        const ls = computeLineStarts('a\r\nb\nc\rd');
        assert.deepStrictEqual([...ls], [0, 3, 5, 7]);
        assert.deepStrictEqual(positionAt(ls, 7), { line: 3, character: 0 });
    });
});
