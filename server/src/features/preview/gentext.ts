// The texts and tables docbook-xsl generates (common/en.xml, titlepage.templates.xsl, the HTML
// stylesheets' numeration rules), and which DocBook elements are blocks, divisions and inlines.

export { DEFAULT_TITLES } from '../../core/gentext';

/** Elements rendered as blocks (never inside a <p>). */
export const BLOCK_ELEMENTS = new Set([
    'para', 'simpara', 'formalpara', 'itemizedlist', 'orderedlist', 'variablelist', 'simplelist', 'segmentedlist',
    'calloutlist', 'glosslist', 'bibliolist', 'procedure', 'note', 'tip', 'important', 'warning', 'caution', 'danger',
    'programlisting', 'screen', 'synopsis', 'literallayout', 'address', 'blockquote', 'epigraph', 'figure',
    'informalfigure', 'table', 'informaltable', 'example', 'informalexample', 'equation', 'informalequation',
    'mediaobject', 'screenshot', 'sidebar', 'qandaset', 'qandadiv', 'qandaentry', 'cmdsynopsis', 'funcsynopsis', 'task', 'abstract',
    'legalnotice', 'revhistory', 'bridgehead', 'msgset', 'productionset', 'glossentry', 'programlistingco', 'screenco',
    'mediaobjectco', 'info', 'subtitle', 'caption', 'textobject', 'authorgroup', 'copyright',
    'step', 'substeps', 'stepalternatives', 'listitem', 'varlistentry', 'tgroup', 'thead', 'tbody', 'tfoot', 'tr', 'row',
]);

export const DIVISION_ELEMENTS = new Set([
    'set', 'book', 'part', 'chapter', 'appendix', 'preface', 'article', 'section', 'sect1', 'sect2', 'sect3', 'sect4',
    'sect5', 'simplesect', 'glossary', 'glossdiv', 'bibliography', 'bibliodiv', 'index', 'colophon', 'dedication',
    'acknowledgements', 'reference', 'refentry', 'refsection', 'refsect1', 'refsect2', 'refsect3', 'refsynopsisdiv',
    'partintro', 'topic', 'setindex', 'toc', 'lot',
]);


/** Children of a division's info that docbook-xsl's (x)html title pages show (titlepage.templates.xsl), besides title and subtitle. */
export const TITLEPAGE_INFO = new Set([
    'abstract', 'author', 'authorgroup', 'copyright', 'corpauthor', 'legalnotice', 'othercredit', 'pubdate', 'releaseinfo', 'revhistory', 'revision',
]);

export const TITLE_LABEL_FORMATS: Record<string, string> = {
    chapter: 'Chapter %n. ', appendix: 'Appendix %n. ', part: 'Part %n. ', figure: 'Figure %n. ', table: 'Table %n. ',
    example: 'Example %n. ', equation: 'Equation %n. ', procedure: 'Procedure %n. ',
};

/** docbook-xsl's xref-number-and-title texts (common/en.xml); %n label, %t title. */
export const XREF_FORMATS: Record<string, string> = {
    appendix: 'Appendix %n, %T', chapter: 'Chapter %n, %T', part: 'Part %n, “%t”', figure: 'Figure %n, “%t”',
    table: 'Table %n, “%t”', example: 'Example %n, “%t”', equation: 'Equation %n, “%t”', procedure: 'Procedure %n, “%t”',
    section: 'Section %n, “%t”', sect1: 'Section %n, “%t”', sect2: 'Section %n, “%t”', sect3: 'Section %n, “%t”',
    sect4: 'Section %n, “%t”', sect5: 'Section %n, “%t”',
};

/** Unnumbered targets: how docbook-xsl's "xref" context names them. */
export const XREF_UNNUMBERED_FORMATS: Record<string, string> = {
    section: 'the section called “%t”', sect1: 'the section called “%t”', sect2: 'the section called “%t”',
    sect3: 'the section called “%t”', sect4: 'the section called “%t”', sect5: 'the section called “%t”',
    simplesect: 'the section called “%t”', refsection: 'the section called “%t”', refsect1: 'the section called “%t”',
    refsect2: 'the section called “%t”', refsect3: 'the section called “%t”', bridgehead: 'the section called “%t”',
    book: '%T', chapter: '%T', appendix: '%T',
};

export const ORDERED_NUMERATION: Record<string, string> = { arabic: '1', loweralpha: 'a', upperalpha: 'A', lowerroman: 'i', upperroman: 'I' };
export const NESTED_NUMERATION = ['1', 'a', 'i', 'A', 'I'];

/** Inline elements: [HTML element, class]. A Map: element names such as "constructor" are not Object keys. */
export const INLINE_MAP = new Map<string, [string, string?]>(Object.entries({
    command: ['strong', 'command'], filename: ['code', 'filename'], literal: ['code', 'literal'], option: ['code', 'option'],
    parameter: ['code', 'parameter'], replaceable: ['em', 'replaceable'], userinput: ['strong', 'userinput'],
    computeroutput: ['code', 'computeroutput'], code: ['code', 'code'], prompt: ['code', 'prompt'], systemitem: ['code', 'systemitem'],
    envar: ['code', 'envar'], varname: ['code', 'varname'], classname: ['code', 'classname'], methodname: ['code', 'methodname'],
    function: ['code', 'function'], constant: ['code', 'constant'], property: ['code', 'property'], type: ['code', 'type'],
    token: ['code', 'token'], symbol: ['code', 'symbol'], errorcode: ['code', 'errorcode'], errorname: ['code', 'errorname'],
    errortext: ['code', 'errortext'], errortype: ['code', 'errortype'], returnvalue: ['code', 'returnvalue'], markup: ['code', 'markup'],
    uri: ['code', 'uri'], interfacename: ['code', 'interfacename'], exceptionname: ['code', 'exceptionname'], package: ['code', 'package'],
    database: ['code', 'database'], hardware: ['span', 'hardware'], keycap: ['kbd', 'keycap'], keysym: ['kbd', 'keysym'],
    mousebutton: ['span', 'mousebutton'], guilabel: ['span', 'guilabel'], guibutton: ['span', 'guibutton'], guimenu: ['span', 'guimenu'],
    guimenuitem: ['span', 'guimenuitem'], guisubmenu: ['span', 'guisubmenu'], guiicon: ['span', 'guiicon'], interface: ['span', 'interface'],
    application: ['span', 'application'], productname: ['span', 'productname'], productnumber: ['span', 'productnumber'],
    acronym: ['abbr', 'acronym'], abbrev: ['abbr', 'abbrev'], citetitle: ['cite', 'citetitle'], phrase: ['span', 'phrase'],
    subscript: ['sub', 'subscript'], superscript: ['sup', 'superscript'], firstterm: ['em', 'firstterm'], foreignphrase: ['em', 'foreignphrase'],
    wordasword: ['em', 'wordasword'], lineannotation: ['em', 'lineannotation'], citation: ['span', 'citation'], orgname: ['span', 'orgname'],
    personname: ['span', 'personname'], firstname: ['span', 'firstname'], surname: ['span', 'surname'], othername: ['span', 'othername'],
    honorific: ['span', 'honorific'], lineage: ['span', 'lineage'], author: ['span', 'author'], editor: ['span', 'editor'],
    othercredit: ['span', 'othercredit'], affiliation: ['span', 'affiliation'], jobtitle: ['span', 'jobtitle'], shortaffil: ['span', 'shortaffil'],
    orgdiv: ['span', 'orgdiv'], date: ['span', 'date'], pubdate: ['span', 'pubdate'], year: ['span', 'year'], holder: ['span', 'holder'],
    releaseinfo: ['span', 'releaseinfo'], edition: ['span', 'edition'], accel: ['span', 'accel'], shortcut: ['span', 'shortcut'],
    mathphrase: ['span', 'mathphrase'], optional: ['span', 'optional'], termdef: ['span', 'termdef'], trademark: ['span', 'trademark'],
    emphasis: ['em', 'emphasis'], ooclass: ['code', 'ooclass'], ooexception: ['code', 'ooexception'], oointerface: ['code', 'oointerface'],
    modifier: ['code', 'modifier'], initializer: ['code', 'initializer'], varargs: ['code', 'varargs'], void: ['code', 'void'],
    sgmltag: ['code', 'sgmltag'], revnumber: ['span', 'revnumber'], revremark: ['span', 'revremark'], authorinitials: ['span', 'authorinitials'],
    contrib: ['span', 'contrib'], label: ['span', 'label'], term: ['span', 'term'], attribution: ['span', 'attribution'],
    tag: ['code', 'tag'], title: ['span', 'title'], titleabbrev: ['span', 'titleabbrev'], refname: ['span', 'refname'],
    refpurpose: ['span', 'refpurpose'], email: ['code', 'email'], alt: ['span', 'alt'], street: ['span', 'street'], city: ['span', 'city'],
    postcode: ['span', 'postcode'], country: ['span', 'country'], phone: ['span', 'phone'], fax: ['span', 'fax'], otheraddr: ['span', 'otheraddr'],
    state: ['span', 'state'], pob: ['span', 'pob'], arg: ['span', 'arg'], group: ['span', 'group'], sbr: ['br', ''],
} as Record<string, [string, string?]>));
