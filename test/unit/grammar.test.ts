import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { CORPUS, requireCorpus } from '../helpers';

const repoRoot = path.resolve(__dirname, '../../..');
const corpusRoot = CORPUS;

const INJECTION = path.join(repoRoot, 'syntaxes/docbook.injection.tmLanguage.json');
const BASE_XML = path.join(repoRoot, 'test/grammar/xml.tmLanguage.json');

const DEFINITION = 'entity.name.label.id.docbook';
const REFERENCE = 'variable.other.reference.docbook';
const PATH = 'string.unquoted.path.xinclude.docbook';
const LINK = 'markup.underline.link';
const XINCLUDE_TAG = 'keyword.control.import.xinclude.docbook';
const PI_TARGET = 'keyword.control.directive.processing-instruction.docbook';
const PI_KEYWORD = 'support.constant.processing-instruction.docbook';
const PI_ATTR = 'entity.other.attribute-name.pseudo-attribute.docbook';
const GLOSSTERM = 'markup.italic.glossterm.docbook';

/** Every scope the injection adds ends in ".docbook" or is a markup.* scope; none should touch plain XML. */
const DOCBOOK_SCOPE = /\.docbook(\.|$)|^markup\./;

interface Tok {
  line: number;
  start: number;
  end: number;
  text: string;
  scopes: string[];
}

// loadWASM may only run once per process; other suites may share this one.
let onigLib: Promise<vsctm.IOnigLib> | undefined;
function getOnigLib(): Promise<vsctm.IOnigLib> {
  if (!onigLib) {
    const wasm = fs.readFileSync(path.join(repoRoot, 'node_modules/vscode-oniguruma/release/onig.wasm'));
    onigLib = oniguruma
      .loadWASM(new Uint8Array(wasm))
      .catch((err: unknown) => {
        if (!String(err).includes('more than once')) throw err;
      })
      .then(() => ({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }));
  }
  return onigLib;
}

async function loadXmlGrammar(): Promise<vsctm.IGrammar> {
  const files: Record<string, string> = { 'text.xml': BASE_XML, 'docbook.injection': INJECTION };
  const registry = new vsctm.Registry({
    onigLib: getOnigLib(),
    loadGrammar: async (scopeName) => {
      const file = files[scopeName];
      return file ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => (scopeName === 'text.xml' ? ['docbook.injection'] : undefined),
  });
  const grammar = await registry.loadGrammar('text.xml');
  if (!grammar) throw new Error('text.xml grammar failed to load');
  return grammar;
}

function tokenize(grammar: vsctm.IGrammar, text: string): Tok[] {
  const out: Tok[] = [];
  let stack = vsctm.INITIAL;
  text.split('\n').forEach((line, lineNo) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (end > t.startIndex) {
        out.push({ line: lineNo, start: t.startIndex, end, text: line.slice(t.startIndex, end), scopes: t.scopes });
      }
    }
    stack = r.ruleStack;
  });
  return out;
}

function hasScope(tok: Tok, scope: string): boolean {
  return tok.scopes.some((s) => s === scope || s.startsWith(scope + '.'));
}

/**
 * Column range of the `nth` occurrence of `needle` on a line. `needle` may mark the
 * target inside some context with «», e.g. 'startref="«d»"'.
 */
function locate(source: string, line: number, needle: string, nth: number): [number, number] {
  const lineText = source.split('\n')[line] ?? '';
  const context = needle.replace(/[«»]/g, '');
  const open = needle.indexOf('«');
  const offset = open >= 0 ? open : 0;
  const length = open >= 0 ? needle.indexOf('»') - open - 1 : context.length;
  let idx = -1;
  for (let i = 0; i <= nth; i++) {
    idx = lineText.indexOf(context, idx + 1);
    assert.ok(idx >= 0, `"${context}" (occurrence ${nth}) not on line ${line}: ${lineText}`);
  }
  return [idx + offset, idx + offset + length];
}

function tokensFor(toks: Tok[], source: string, line: number, needle: string, nth = 0): Tok[] {
  const [from, to] = locate(source, line, needle, nth);
  const hit = toks.filter((t) => t.line === line && t.end > from && t.start < to);
  assert.ok(hit.length > 0, `no tokens for "${needle}"`);
  return hit;
}

function assertScope(toks: Tok[], source: string, line: number, needle: string, scope: string, nth = 0): void {
  for (const t of tokensFor(toks, source, line, needle, nth)) {
    assert.ok(hasScope(t, scope), `"${t.text}" (for "${needle}") lacks ${scope}: ${t.scopes.join(' ')}`);
  }
}

/** As assertScope, and the scope also stops at the target's edges (no spill onto quotes or tag names). */
function assertExact(toks: Tok[], source: string, line: number, needle: string, scope: string, nth = 0): void {
  assertScope(toks, source, line, needle, scope, nth);
  const [from, to] = locate(source, line, needle, nth);
  const before = toks.find((t) => t.line === line && t.end === from);
  const after = toks.find((t) => t.line === line && t.start === to);
  if (before) assert.ok(!hasScope(before, scope), `${scope} spills before "${needle}" onto "${before.text}"`);
  if (after) assert.ok(!hasScope(after, scope), `${scope} spills after "${needle}" onto "${after.text}"`);
}

function assertNoScope(toks: Tok[], source: string, line: number, needle: string, scope: string | RegExp, nth = 0): void {
  for (const t of tokensFor(toks, source, line, needle, nth)) {
    const bad = t.scopes.filter((s) => (typeof scope === 'string' ? s === scope || s.startsWith(scope + '.') : scope.test(s)));
    assert.deepStrictEqual(bad, [], `"${t.text}" (for "${needle}") has unexpected scopes`);
  }
}

/** Lines [from, to] (1-based, inclusive) of a corpus file, so tests track the real markup. */
function corpusLines(rel: string, from: number, to: number): string {
  const file = path.join(corpusRoot, rel);
  return fs.readFileSync(file, 'utf8').split(/\r?\n/).slice(from - 1, to).join('\n');
}

describe('DocBook injection grammar', () => {
  let grammar: vsctm.IGrammar;

  before(async () => {
    grammar = await loadXmlGrammar();
  });

  describe('grammar file', () => {
    it('declares the scope name and injection selector the manifest refers to', () => {
      const raw = JSON.parse(fs.readFileSync(INJECTION, 'utf8')) as { scopeName: string; injectionSelector: string };
      assert.strictEqual(raw.scopeName, 'docbook.injection');
      assert.match(raw.injectionSelector, /^L:text\.xml\b/);
      assert.match(raw.injectionSelector, /-comment\b/);
    });

    it('is actually injected (plain XML scopes still come from the base grammar)', () => {
      const src = '<para role="x">Hello &amp; bye</para>';
      const toks = tokenize(grammar, src);
      assertScope(toks, src, 0, 'para', 'entity.name.tag.xml');
      assertScope(toks, src, 0, 'role', 'entity.other.attribute-name.xml');
      assertScope(toks, src, 0, '"x"', 'string.quoted.double.xml');
      assertScope(toks, src, 0, '&amp;', 'constant.character.entity.xml');
    });
  });

  describe('ID definitions', () => {
    it('scopes the xml:id value as a definition', () => {
      const src = '    <section xml:id="developer-brief-overview">';
      const toks = tokenize(grammar, src);
      assertExact(toks, src, 0, 'developer-brief-overview', DEFINITION);
      assertScope(toks, src, 0, 'developer-brief-overview', 'meta.definition.id.docbook');
      assertScope(toks, src, 0, 'xml', 'entity.other.attribute-name.namespace.xml');
      assertScope(toks, src, 0, 'xml:«id»', 'entity.other.attribute-name.localname.xml');
      assertNoScope(toks, src, 0, 'section', DEFINITION);
    });

    it('scopes a DocBook 4 id value and single-quoted values', () => {
      const src = `<chapter id='ch-one' role="id"><title>t</title></chapter>`;
      const toks = tokenize(grammar, src);
      assertExact(toks, src, 0, 'ch-one', DEFINITION);
      assertNoScope(toks, src, 0, '"id"', DOCBOOK_SCOPE);
    });

    it('finds the xml:id on a continuation line of a multi-line start tag', () => {
      const src = '<section xmlns="http://docbook.org/ns/docbook"\n    version="5.0"\n    xml:id="risks">';
      const toks = tokenize(grammar, src);
      assertExact(toks, src, 2, 'risks', DEFINITION);
      assertNoScope(toks, src, 0, 'http://docbook.org/ns/docbook', DOCBOOK_SCOPE);
      assertNoScope(toks, src, 1, '5.0', DOCBOOK_SCOPE);
    });

    it('does not treat look-alike attributes as ids', () => {
      const src = '<imagedata fileref="a.png" xlink:id="no" myid="no2" id2="no3"/>';
      const toks = tokenize(grammar, src);
      for (const v of ['a.png', 'no', 'no2', 'no3']) assertNoScope(toks, src, 0, `"${v}"`, DOCBOOK_SCOPE);
    });
  });

  describe('ID references', () => {
    it('scopes a linkend value from the corpus as a reference', function () {
      requireCorpus(this);
      const src = corpusLines('training-guides/doc/training-guides/basic-install-guide/ch_heat.xml', 15, 15);
      assert.match(src, /linkend="launch-instance"/);
      const toks = tokenize(grammar, src);
      assertExact(toks, src, 0, 'launch-instance', REFERENCE);
      assertScope(toks, src, 0, 'launch-instance', 'markup.underline.link');
      assertNoScope(toks, src, 0, 'launch an instance', DOCBOOK_SCOPE);
    });

    it('scopes endterm, otherterm and startref', () => {
      const src = '<xref linkend="a" endterm="b"/><glossseealso otherterm="c"/><indexterm class="endofrange" startref="d"/>';
      const toks = tokenize(grammar, src);
      for (const n of ['linkend="«a»"', 'endterm="«b»"', 'otherterm="«c»"', 'startref="«d»"']) assertExact(toks, src, 0, n, REFERENCE);
      assertNoScope(toks, src, 0, 'endofrange', DOCBOOK_SCOPE);
    });

    it('scopes each ID of an IDREFS value (arearefs, linkends) but not the spaces', () => {
      const src = '<callout arearefs="CO1-1 CO1-2"><para/></callout><co linkends="x1"/>';
      const toks = tokenize(grammar, src);
      assertExact(toks, src, 0, 'CO1-1', REFERENCE);
      assertExact(toks, src, 0, 'CO1-2', REFERENCE);
      assertNoScope(toks, src, 0, 'CO1-1« »CO1-2', REFERENCE);
      assertScope(toks, src, 0, 'CO1-1« »CO1-2', 'string.quoted.xml');
      assertExact(toks, src, 0, 'x1', REFERENCE);
    });

    it('scopes arearefs from the corpus', function () {
      requireCorpus(this);
      const src = corpusLines('ha-guide/doc/high-availability-guide/pacemaker/section_set_up_corosync.xml', 90, 90);
      const toks = tokenize(grammar, src);
      assertExact(toks, src, 0, 'CO1-1', REFERENCE);
    });

    it('leaves a linkend="..." that is only text inside a programlisting alone', () => {
      const src = '<programlisting>echo linkend="nope" id="nope2"</programlisting>';
      const toks = tokenize(grammar, src);
      assertNoScope(toks, src, 0, '"nope"', DOCBOOK_SCOPE);
      assertNoScope(toks, src, 0, 'nope2', DOCBOOK_SCOPE);
    });

    it('leaves tags inside CDATA and comments alone', () => {
      const src = '<screen><![CDATA[<section xml:id="cdata-id"><glossterm>g</glossterm>]]></screen>\n<!-- <link linkend="in-comment"/> -->';
      const toks = tokenize(grammar, src);
      assertNoScope(toks, src, 0, 'cdata-id', DOCBOOK_SCOPE);
      assertNoScope(toks, src, 0, 'g</glossterm', DOCBOOK_SCOPE);
      assertScope(toks, src, 0, 'cdata-id', 'string.unquoted.cdata.xml');
      assertNoScope(toks, src, 1, 'in-comment', DOCBOOK_SCOPE);
      assertScope(toks, src, 1, 'in-comment', 'comment.block.xml');
    });
  });

  describe('XInclude', () => {
    const rel = 'training-guides/doc/training-guides/developer-guide/ch_developer-getting-started.xml';

    it('scopes the tag, href and xpointer of a multi-line xi:include from the corpus', function () {
      requireCorpus(this);
      // Lines 28-34: section with xml:id, then <xi:include href=...\n xpointer=...>, fallback, </xi:include>.
      const src = corpusLines(rel, 28, 34);
      const lines = src.split('\n');
      const incLine = lines.findIndex((l) => l.includes('<xi:include href='));
      assert.ok(incLine >= 0 && lines[incLine + 1].trimStart().startsWith('xpointer='), 'corpus layout changed');
      const toks = tokenize(grammar, src);

      assertScope(toks, src, 0, 'developer-brief-overview', DEFINITION);
      assertExact(toks, src, incLine, 'xi:include', XINCLUDE_TAG);
      assertScope(toks, src, incLine, 'xi:include', 'entity.name.tag.xml');
      assertExact(toks, src, incLine, '../common/section_brief-overview.xml', PATH);
      assertScope(toks, src, incLine, '../common/section_brief-overview.xml', LINK);

      const xp = incLine + 1;
      assertScope(toks, src, xp, 'xpointer', 'entity.other.attribute-name.xml');
      assertScope(toks, src, xp, 'xmlns', 'support.function.xpointer-scheme.docbook');
      assertScope(toks, src, xp, 'xpath', 'support.function.xpointer-scheme.docbook');
      assertExact(toks, src, xp, 'section_brief-overview', REFERENCE);
      assertScope(toks, src, xp, 'section_brief-overview', 'string.other.xpointer.xinclude.docbook');
      assertNoScope(toks, src, xp, 'http://docbook.org/ns/docbook', REFERENCE);

      // The fallback's own imagedata fileref is an ordinary attribute, not an include path.
      const fb = lines.findIndex((l) => l.includes('<xi:fallback>'));
      assertNoScope(toks, src, fb, '../figures/openstack-training-remote-content-not-available.png', DOCBOOK_SCOPE);
      assertNoScope(toks, src, fb, 'xi:fallback', XINCLUDE_TAG);
      assertNoScope(toks, src, fb, 'Remote content not available', DOCBOOK_SCOPE);

      const close = lines.findIndex((l) => l.includes('</xi:include>'));
      assertScope(toks, src, close, 'xi:include', XINCLUDE_TAG);
    });

    it('handles href on its own line and a shorthand xpointer', () => {
      const src = '<xi:include\n    href="section_a.xml"\n    xpointer="sec-a"/>\n<para>after</para>';
      const toks = tokenize(grammar, src);
      assertExact(toks, src, 1, 'section_a.xml', PATH);
      assertExact(toks, src, 2, 'sec-a', REFERENCE);
      assertScope(toks, src, 2, '/>', 'punctuation.definition.tag.xml');
      assertNoScope(toks, src, 3, 'after', DOCBOOK_SCOPE);
      assertScope(toks, src, 3, 'para', 'entity.name.tag.xml');
    });

    it('does not give href the path scope outside xi:include', () => {
      const src = '<link href="x.html" xlink:href="http://example.com">l</link>';
      const toks = tokenize(grammar, src);
      assertNoScope(toks, src, 0, 'x.html', DOCBOOK_SCOPE);
      assertNoScope(toks, src, 0, 'http://example.com', DOCBOOK_SCOPE);
    });
  });

  describe('processing instructions', () => {
    it('scopes <?dbhtml stop-chunking?> from the corpus', function () {
      requireCorpus(this);
      const src = corpusLines('security-guide-2014/security-guide/ch037_risks.xml', 7, 7);
      assert.match(src, /<\?dbhtml stop-chunking\?>/);
      const toks = tokenize(grammar, src);
      assertExact(toks, src, 0, 'dbhtml', PI_TARGET);
      assertExact(toks, src, 0, 'stop-chunking', PI_KEYWORD);
      assertScope(toks, src, 0, '?>', 'punctuation.definition.tag.xml');
    });

    it('scopes pseudo-attributes, including a multi-line <?rax?> from the corpus', function () {
      requireCorpus(this);
      const src = corpusLines('training-guides/doc/training-guides/basic-install-guide/bk-openstack-basic-install-guide.xml', 14, 17);
      const toks = tokenize(grammar, src);
      assertScope(toks, src, 0, 'rax', PI_TARGET);
      assertScope(toks, src, 1, 'status.bar.text.font.size', PI_ATTR);
      assertScope(toks, src, 1, '40px', 'string.quoted.docbook');
      assertScope(toks, src, 2, 'status.bar.text', PI_ATTR);
      assertScope(toks, src, 2, 'Kilo', 'string.quoted.docbook');
      assertScope(toks, src, 3, 'rax', PI_TARGET);
      assertExact(toks, src, 3, 'title.font.size', PI_ATTR, 1);
    });

    it('scopes <?dbfo?> and <?dbhtml?> side by side', () => {
      const src = '<?dbhtml bgcolor="#DDFADE" ?><?dbfo bgcolor="#DDFADE" ?>';
      const toks = tokenize(grammar, src);
      assertScope(toks, src, 0, 'dbhtml', PI_TARGET);
      assertScope(toks, src, 0, 'dbfo', PI_TARGET);
      assertScope(toks, src, 0, 'bgcolor', PI_ATTR, 1);
    });

    it('leaves the XML declaration and other PIs to the base grammar', () => {
      const src = '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet href="a.xsl"?>';
      const toks = tokenize(grammar, src);
      assertScope(toks, src, 0, 'xml', 'entity.name.tag.xml');
      assertNoScope(toks, src, 0, 'xml', DOCBOOK_SCOPE);
      assertNoScope(toks, src, 1, 'xml-stylesheet', DOCBOOK_SCOPE);
    });
  });

  describe('glossterm', () => {
    it('scopes glossterm text, and only that text, on a corpus line', function () {
      requireCorpus(this);
      const src = corpusLines('training-guides/doc/training-guides/basic-install-guide/section_neutron-controller-node.xml', 259, 259);
      const toks = tokenize(grammar, src);
      assertExact(toks, src, 0, 'Open vSwitch (OVS)', GLOSSTERM);
      assertNoScope(toks, src, 0, 'Open vSwitch"', GLOSSTERM);
      assertNoScope(toks, src, 0, 'glossterm', GLOSSTERM);
      assertNoScope(toks, src, 0, 'glossterm', GLOSSTERM, 1);
      assertScope(toks, src, 0, 'glossterm', 'entity.name.tag.xml', 1);
    });

    it('handles a start tag split across lines and text after it', function () {
      requireCorpus(this);
      const src = corpusLines('training-guides/doc/training-guides/basic-install-guide/section_cinder-storage-node.xml', 15, 17);
      const toks = tokenize(grammar, src);
      assertExact(toks, src, 0, 'LVM', GLOSSTERM);
      assertNoScope(toks, src, 0, 'driver and provides them', GLOSSTERM);
      assertNoScope(toks, src, 1, 'Internet Small Computer Systems Interface (iSCSI)', GLOSSTERM);
      assertScope(toks, src, 1, 'baseform', 'entity.other.attribute-name.xml');
      assertExact(toks, src, 2, 'iSCSI', GLOSSTERM);
      assertNoScope(toks, src, 2, 'transport. You can follow', GLOSSTERM);
    });

    it('handles glossterm text spanning lines', function () {
      requireCorpus(this);
      const src = corpusLines('training-guides/doc/training-guides/basic-install-guide/ch_trove.xml', 8, 10);
      const toks = tokenize(grammar, src);
      assertNoScope(toks, src, 0, 'Use the', GLOSSTERM);
      assertScope(toks, src, 0, 'Database', GLOSSTERM, 1);
      assertScope(toks, src, 1, 'module', GLOSSTERM);
      assertNoScope(toks, src, 1, 'to create cloud database resources', GLOSSTERM);
      assertExact(toks, src, 2, 'trove', GLOSSTERM);
      assertNoScope(toks, src, 2, '.', GLOSSTERM);
    });

    it('keeps nested markup and a linkend inside the glossterm working', () => {
      const src = '<glossterm linkend="g-api">the <acronym>API</acronym> &amp; co</glossterm> plain';
      const toks = tokenize(grammar, src);
      assertScope(toks, src, 0, 'g-api', REFERENCE);
      assertScope(toks, src, 0, '>«API»<', GLOSSTERM);
      assertScope(toks, src, 0, '«the »<', GLOSSTERM);
      assertScope(toks, src, 0, ' co', GLOSSTERM);
      assertScope(toks, src, 0, 'acronym', 'entity.name.tag.xml');
      assertScope(toks, src, 0, '&amp;', 'constant.character.entity.xml');
      assertNoScope(toks, src, 0, ' plain', GLOSSTERM);
    });

    it('ends an empty or self-closing glossterm without swallowing what follows', () => {
      const src = '<glossterm/><para>a</para><glossterm></glossterm><para>b</para>';
      const toks = tokenize(grammar, src);
      assertNoScope(toks, src, 0, '>«a»<', GLOSSTERM);
      assertNoScope(toks, src, 0, '>«b»<', GLOSSTERM);
      assertNoScope(toks, src, 0, 'para', GLOSSTERM, 1);
      assertScope(toks, src, 0, 'para', 'entity.name.tag.xml', 3);
    });
  });

  describe('ordinary attributes and text', () => {
    it('gives role, os and other attributes no DocBook scope', () => {
      const src = '<phrase role="x" os="opensuse" condition="a;b">text id="t"</phrase>';
      const toks = tokenize(grammar, src);
      assertNoScope(toks, src, 0, '"x"', DOCBOOK_SCOPE);
      assertNoScope(toks, src, 0, 'opensuse', DOCBOOK_SCOPE);
      assertNoScope(toks, src, 0, 'a;b', DOCBOOK_SCOPE);
      assertNoScope(toks, src, 0, 'text id="t"', DOCBOOK_SCOPE);
      assertScope(toks, src, 0, '"x"', 'string.quoted.double.xml');
      assertScope(toks, src, 0, 'role', 'entity.other.attribute-name.xml');
    });
  });
});
