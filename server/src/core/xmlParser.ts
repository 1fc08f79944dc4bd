// A tolerant XML parser that keeps exact source offsets.
//
// Why not sax/saxes: authors edit half-typed files all day, and the index must still read every id,
// reference and include of a file that is not well-formed, with offsets into the very text the
// editor holds. sax-style parsers stop or lose their place at the first error; this one records the
// error and carries on (mismatched end tags close the nearest matching ancestor, unclosed tags end
// at the next `<`). Entities are never substituted into the tree: an `&name;` stays a node of its
// own, so every offset is an offset in the original text.
//
// Well-formed means what libxml2 (the build's parser) accepts: every error that makes libxml2 give up
// on a document is a problem here too (the W3C conformance suite checks it, test/unit/xmlConformance),
// with a position and a plain message. Namespace errors, which libxml2 reports but survives, are
// problems of their own kind (`namespace`). The internal DTD subset is checked by dtdSyntax.ts.

import { checkInternalSubset, DeclaredEntity } from './dtdSyntax';
import { describeChar, isNameCode, isNameStartCode, isPubidChar, isXmlChar } from './xmlChars';

export { isXmlChar } from './xmlChars';

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface XmlProblem {
    message: string;
    start: number;
    end: number;
    /** A namespace error (undeclared prefix): libxml2 reports it but still builds the document. */
    kind?: 'namespace';
}

export interface XmlAttribute {
    name: string;
    /** Raw value as written (entity and character references not expanded). */
    value: string;
    nameStart: number;
    /** Offset of the first character of the value (after the quote); -1 when the attribute has no value. */
    valueStart: number;
    valueEnd: number;
}

export interface XmlElement {
    kind: 'element';
    name: string;
    prefix: string;
    local: string;
    /** Namespace URI, '' when none. */
    ns: string;
    attrs: XmlAttribute[];
    children: XmlNode[];
    parent: XmlElement | undefined;
    start: number;
    /** Offset just after the start tag's `>` (or where the broken start tag was given up). */
    startTagEnd: number;
    /** Offset of the `<` of the end tag (= startTagEnd when self-closing). */
    contentEnd: number;
    /** Offset just after the end tag. */
    end: number;
    selfClosing: boolean;
    /** Namespace scope: prefix -> URI ('' key for the default namespace). */
    nsScope: Record<string, string>;
}

export interface XmlText { kind: 'text'; start: number; end: number }
export interface XmlCData { kind: 'cdata'; start: number; end: number /* content range, without the markers */ }
/** `&name;` or `&#NN;`/`&#xNN;` (name starts with '#'). */
export interface XmlEntityRef { kind: 'entity'; name: string; start: number; end: number }
export interface XmlComment { kind: 'comment'; start: number; end: number }
export interface XmlPI { kind: 'pi'; target: string; data: string; start: number; end: number }

export type XmlNode = XmlElement | XmlText | XmlCData | XmlEntityRef | XmlComment | XmlPI;

export interface XmlDoctype {
    name: string;
    publicId?: string;
    systemId?: string;
    /** Range of the internal subset between `[` and `]`, if any. */
    subsetStart: number;
    subsetEnd: number;
    start: number;
    end: number;
}

export interface XmlDocument {
    text: string;
    root: XmlElement | undefined;
    /** Top-level nodes (prolog, root, epilog). */
    children: XmlNode[];
    doctype: XmlDoctype | undefined;
    /** Encoding named in the XML declaration, if any. */
    declaredEncoding: string | undefined;
    problems: XmlProblem[];
    /** Every named entity reference in content (not character references), in document order. */
    entityRefs: XmlEntityRef[];
}

const enum Ch {
    Tab = 9, LF = 10, CR = 13, Space = 32, Bang = 33, Quote = 34, Hash = 35, Amp = 38, Apos = 39,
    Dash = 45, Dot = 46, Slash = 47, Zero = 48, Nine = 57, Colon = 58, Semi = 59, Lt = 60, Eq = 61,
    Gt = 62, Question = 63, A = 65, Z = 90, LBracket = 91, RBracket = 93, Underscore = 95, a = 97,
    x = 120, z = 122,
}

const isNameStart = isNameStartCode;
const isNameChar = isNameCode;

function isSpace(c: number): boolean {
    return c === Ch.Space || c === Ch.LF || c === Ch.Tab || c === Ch.CR;
}

const PREDEFINED_SCOPE: Record<string, string> = { xml: XML_NS, '': '' };
const PREDEFINED = new Set(['lt', 'gt', 'amp', 'apos', 'quot']);

/** Characters XML forbids (controls but tab, LF, CR; U+FFFE, U+FFFF) and surrogates (forbidden unless paired). */
const SUSPECT_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/g;

function indexOrEnd(text: string, what: string, from: number): number {
    const at = text.indexOf(what, from);
    return at < 0 ? text.length : at;
}

/** Deepest nesting kept as a tree; deeper elements are still scanned but attached flat, so a hostile file cannot blow the stack of later tree walks. */
export const MAX_TREE_DEPTH = 2000;

export function parseXml(text: string): XmlDocument {
    return new Parser(text, undefined).parse();
}

// The last texts of open files parsed: a keystroke's text is parsed once for the index, the schema
// check and the preview. The trees are shared, so nobody may change them.
const SHARED_PARSES = 4;
const SHARED_PARSE_MAX_LENGTH = 1_000_000;
const sharedParses = new Map<string, XmlDocument>();

/** parseXml for an open file's text, shared with the other readers of the same text. */
export function parseXmlShared(text: string): XmlDocument {
    if (text.length > SHARED_PARSE_MAX_LENGTH) return parseXml(text);
    let doc = sharedParses.get(text);
    if (doc) {
        sharedParses.delete(text);
    } else {
        doc = parseXml(text);
        if (sharedParses.size >= SHARED_PARSES) sharedParses.delete(sharedParses.keys().next().value!);
    }
    sharedParses.set(text, doc);
    return doc;
}

/** Drops the shared parses (tests that compare with a parse from scratch). */
export function forgetSharedParses(): void {
    sharedParses.clear();
}

/** The shared parse of `text` if one is kept (nothing is parsed). */
export function keptSharedParse(text: string): XmlDocument | undefined {
    return sharedParses.get(text);
}

/** Makes `doc` (a tree equal to parseXml(doc.text), made without parsing) the shared parse of its text. */
export function shareParse(doc: XmlDocument): void {
    if (doc.text.length > SHARED_PARSE_MAX_LENGTH) return;
    sharedParses.delete(doc.text);
    if (sharedParses.size >= SHARED_PARSES) sharedParses.delete(sharedParses.keys().next().value!);
    sharedParses.set(doc.text, doc);
}

/**
 * The general entities a document declares and the rules for referring to them (WFC: Entity
 * Declared, Parsed Entity, No < in Attribute Values, No Recursion). Each entity's replacement text
 * is checked once, when first referred to, as libxml2 does: a "billion laughs" costs its declarations' size.
 */
interface EntityRules {
    entities: Map<string, DeclaredEntity>;
    /** An undeclared entity is an error: no external subset and no parameter-entity reference, or standalone="yes". */
    mustDeclare: boolean;
    /** name -> the first problem of its replacement text as content ('' when none). */
    contentChecked: Map<string, string>;
    /** name -> the first problem of its replacement text in an attribute value ('' when none). */
    attributeChecked: Map<string, string>;
    /** Entities being checked (a reference to one of them is a loop). */
    active: Set<string>;
}

const MAX_ENTITY_NESTING = 40;

/** A document without internal subset declares nothing: shared, never written (nothing is memoized without declarations). */
const NO_DTD_RULES: EntityRules = {
    entities: new Map(), mustDeclare: true, contentChecked: new Map(), attributeChecked: new Map(), active: new Set(),
};

class Parser {
    private pos = 0;
    private readonly len: number;
    private readonly stack: XmlElement[] = [];
    private readonly top: XmlNode[] = [];
    private readonly problems: XmlProblem[] = [];
    private readonly entityRefs: XmlEntityRef[] = [];
    private root: XmlElement | undefined;
    private doctype: XmlDoctype | undefined;
    private declaredEncoding: string | undefined;
    private reportedExtraContent = false;
    /** Open elements beyond MAX_TREE_DEPTH, not on the stack: their end tags are consumed by count. */
    private overflowDepth = 0;

    private standalone = false;
    /** Offset of the next ']]>' at or after the text being read (len when none); -1 before the first search. */
    private nextCdataClose = -1;
    private rules: EntityRules;
    /** Parsing an entity's replacement text as content: no prolog, any number of top-level nodes. */
    private readonly fragment: boolean;

    constructor(private readonly text: string, fragmentRules: EntityRules | undefined) {
        this.len = text.length;
        this.fragment = fragmentRules !== undefined;
        this.rules = fragmentRules ?? NO_DTD_RULES;
    }

    parse(): XmlDocument {
        const text = this.text;
        if (text.charCodeAt(0) === 0xfeff && !this.fragment) this.pos = 1;
        this.checkChars();
        while (this.pos < this.len) {
            const c = text.charCodeAt(this.pos);
            if (c === Ch.Lt) {
                const n = text.charCodeAt(this.pos + 1);
                if (n === Ch.Slash) this.endTag();
                else if (n === Ch.Question) this.processingInstruction();
                else if (n === Ch.Bang) this.bang();
                else if (isNameStart(n)) this.startTag();
                else {
                    this.problem(`'<' must be followed by a tag name (write &lt; for a literal '<')`, this.pos, this.pos + 1);
                    this.textUntilMarkup(this.pos + 1);
                }
            } else if (c === Ch.Amp) {
                this.reference();
            } else {
                this.textUntilMarkup(this.pos);
            }
        }
        for (let i = this.stack.length - 1; i >= 0; i--) {
            const el = this.stack[i];
            this.problem(`Element <${el.name}> is not closed`, el.start, el.start + 1 + el.name.length);
            el.contentEnd = this.len;
            el.end = this.len;
        }
        if (!this.root && !this.fragment) this.problem('The document has no root element', 0, Math.min(this.len, 1));
        // Forbidden characters were found first, in one search: problems go in document order.
        if (this.problems.length > 1) this.problems.sort((a, b) => a.start - b.start);
        return {
            text, root: this.root, children: this.top, doctype: this.doctype,
            declaredEncoding: this.declaredEncoding, problems: this.problems, entityRefs: this.entityRefs,
        };
    }

    private problem(message: string, start: number, end: number, kind?: 'namespace'): void {
        // A badly broken file can produce an error at every character; a few hundred say enough.
        if (this.problems.length >= 500) return;
        // A construct cut off by the end of the file may point one past it: keep spans inside the text.
        const s = Math.min(Math.max(0, start), this.len);
        const p: XmlProblem = { message, start: s, end: Math.min(Math.max(end, s), this.len) };
        if (kind) p.kind = kind;
        this.problems.push(p);
    }

    private forbiddenChar(at: number): void {
        this.problem(`${describeChar(this.text, at)} is not allowed in XML (delete it; it is often pasted from a word processor)`, at, at + 1);
    }

    /**
     * No character XML forbids may occur anywhere in a document (text, attribute values, comments,
     * the DTD). One search of the whole text by the regular expression engine (a single character
     * class, no backtracking) costs far less than a test in every loop of the parser.
     */
    private checkChars(): void {
        const text = this.text;
        const re = SUSPECT_CHAR;
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) {
            const at = m.index;
            const c = text.charCodeAt(at);
            if (c >= 0xd800 && c <= 0xdbff) {
                const d = text.charCodeAt(at + 1);
                if (d >= 0xdc00 && d <= 0xdfff) { re.lastIndex = at + 2; continue; }
            }
            this.forbiddenChar(at);
            if (this.problems.length >= 100) return;
        }
    }

    private append(node: XmlNode): void {
        const parent = this.stack.length ? this.stack[this.stack.length - 1] : undefined;
        if (parent) {
            parent.children.push(node);
            return;
        }
        this.top.push(node);
        if (this.fragment) return;
        if (node.kind === 'text') {
            if (!isAllSpace(this.text, node.start, node.end)) {
                this.problem('Text is not allowed outside the root element', node.start, node.end);
            }
        } else if (node.kind === 'entity' || node.kind === 'cdata') {
            this.problem('Content is not allowed outside the root element', node.start, node.end);
        }
    }

    private textUntilMarkup(from: number): void {
        const text = this.text;
        let i = from;
        while (i < this.len) {
            const c = text.charCodeAt(i);
            if (c === Ch.Lt || c === Ch.Amp) break;
            i++;
        }
        const start = this.pos;
        this.pos = i;
        if (i > start) {
            // ']]>' may not occur in text. Where the next one is stays known, so the file is searched once.
            if (this.nextCdataClose < start) this.nextCdataClose = indexOrEnd(text, ']]>', start);
            while (this.nextCdataClose < i) {
                this.problem(`']]>' is not allowed in text (write ]]&gt;)`, this.nextCdataClose, this.nextCdataClose + 3);
                this.nextCdataClose = indexOrEnd(text, ']]>', this.nextCdataClose + 1);
            }
            this.append({ kind: 'text', start, end: i });
        }
    }

    private readName(from: number): number {
        let i = from;
        while (i < this.len && isNameChar(this.text.charCodeAt(i))) i++;
        return i;
    }

    private skipSpace(from: number): number {
        let i = from;
        while (i < this.len && isSpace(this.text.charCodeAt(i))) i++;
        return i;
    }

    private reference(): void {
        const start = this.pos;
        const text = this.text;
        let i = start + 1;
        if (text.charCodeAt(i) === Ch.Hash) {
            i++;
            const hex = text.charCodeAt(i) === Ch.x;
            if (hex) i++;
            const digitsStart = i;
            while (i < this.len && isRefDigit(text.charCodeAt(i), hex)) i++;
            if (i > digitsStart && text.charCodeAt(i) === Ch.Semi) {
                const code = parseInt(text.slice(digitsStart, i), hex ? 16 : 10);
                if (!isXmlChar(code)) this.problem(`Character reference ${text.slice(start, i + 1)} is not a legal XML character`, start, i + 1);
                this.pos = i + 1;
                this.append({ kind: 'entity', name: text.slice(start + 1, i), start, end: i + 1 });
                return;
            }
        } else if (isNameStart(text.charCodeAt(i))) {
            const nameEnd = this.readName(i);
            if (text.charCodeAt(nameEnd) === Ch.Semi) {
                this.pos = nameEnd + 1;
                const ref: XmlEntityRef = { kind: 'entity', name: text.slice(i, nameEnd), start, end: nameEnd + 1 };
                this.entityRefs.push(ref);
                this.append(ref);
                if (this.stack.length || this.fragment) this.checkContentReference(ref.name, start, ref.end);
                return;
            }
        }
        this.problem(`'&' must start an entity reference such as &amp; (write &amp; for a literal '&')`, start, start + 1);
        this.pos = start + 1;
        this.append({ kind: 'text', start, end: start + 1 });
    }

    /** An entity referred to in content: declared, parsed, and its replacement text well-formed content. */
    private checkContentReference(name: string, start: number, end: number): void {
        if (PREDEFINED.has(name)) return;
        const rules = this.rules;
        const decl = rules.entities.get(name);
        if (!decl) {
            if (rules.mustDeclare) this.problem(`Entity &${name}; is not declared (declare it in the DOCTYPE, or write the character itself)`, start, end);
            return;
        }
        if (decl.unparsed) {
            this.problem(`&${name}; refers to an unparsed (NDATA) entity, which can only be named in an ENTITY attribute`, start, end);
            return;
        }
        if (decl.value === undefined) return; // an external parsed entity: not read here
        let found = rules.contentChecked.get(name);
        if (found === undefined) {
            if (rules.active.has(name)) {
                this.problem(`Entity &${name}; refers to itself (an entity reference loop)`, start, end);
                return;
            }
            if (rules.active.size >= MAX_ENTITY_NESTING) return;
            rules.active.add(name);
            const inner = new Parser(decl.value, rules).parse();
            rules.active.delete(name);
            const first = inner.problems.find((p) => p.kind === undefined);
            found = first ? first.message : '';
            rules.contentChecked.set(name, found);
        }
        if (found) this.problem(`In the replacement text of &${name};: ${found}`, start, end);
    }

    /** An entity referred to in an attribute value: declared, internal, and no '<' in its replacement text. */
    private checkAttributeReference(name: string, start: number, end: number): void {
        if (PREDEFINED.has(name)) return;
        const found = this.attributeEntityProblem(name);
        if (found) this.problem(found, start, end);
    }

    private attributeEntityProblem(name: string): string {
        const rules = this.rules;
        const decl = rules.entities.get(name);
        if (!decl) return rules.mustDeclare ? `Entity &${name}; is not declared (declare it in the DOCTYPE, or write the character itself)` : '';
        if (decl.unparsed) return `&${name}; refers to an unparsed (NDATA) entity, which can only be named in an ENTITY attribute`;
        if (decl.value === undefined) return `Attribute values cannot refer to the external entity &${name};`;
        let found = rules.attributeChecked.get(name);
        if (found !== undefined) return found;
        if (rules.active.has(name)) return `Entity &${name}; refers to itself (an entity reference loop)`;
        if (rules.active.size >= MAX_ENTITY_NESTING) return '';
        rules.active.add(name);
        found = '';
        const value = decl.value;
        for (let k = 0; k < value.length && !found; k++) {
            const c = value.charCodeAt(k);
            if (c === Ch.Lt) found = `'<' in the replacement text of &${name}; is not allowed in an attribute value`;
            else if (c === Ch.Amp) {
                const m = /^&(#[0-9]+;|#x[0-9a-fA-F]+;|([^\s&;#][^\s&;]*);)/.exec(value.slice(k, k + 200));
                if (!m) found = `In the replacement text of &${name};: '&' must start an entity reference`;
                else {
                    if (m[2] !== undefined && !PREDEFINED.has(m[2])) found = this.attributeEntityProblem(m[2]);
                    k += m[0].length - 1;
                }
            }
        }
        rules.active.delete(name);
        rules.attributeChecked.set(name, found);
        return found;
    }

    private processingInstruction(): void {
        const start = this.pos;
        const text = this.text;
        const targetEnd = this.readName(start + 2);
        const target = text.slice(start + 2, targetEnd);
        let close = text.indexOf('?>', targetEnd);
        let end: number;
        if (close < 0) {
            this.problem(`Processing instruction <?${target} is not closed with '?>'`, start, targetEnd);
            close = this.len;
            end = this.len;
        } else {
            end = close + 2;
        }
        if (!target) this.problem(`Processing instruction has no target name`, start, start + 2);
        const dataStart = this.skipSpace(targetEnd);
        const data = text.slice(dataStart, close);
        this.pos = end;
        if (target.toLowerCase() === 'xml') {
            if (target === 'xml' && (start === 0 || (start === 1 && text.charCodeAt(0) === 0xfeff)) && !this.fragment) {
                this.xmlDeclaration(targetEnd, close);
            } else if (target === 'xml') {
                this.problem('The XML declaration is only allowed at the very start of the file', start, end);
            } else {
                this.problem(`'${target}' is reserved: a processing instruction target cannot be 'xml' in any case`, start + 2, targetEnd);
            }
            return;
        }
        if (target && dataStart === targetEnd && close > targetEnd) {
            this.problem(`White space is required after the processing instruction target ${target}`, targetEnd, targetEnd + 1);
        }
        if (target.includes(':')) this.problem(`A processing instruction target cannot contain ':' (${target})`, start + 2, targetEnd, 'namespace');
        this.append({ kind: 'pi', target, data, start, end });
    }

    /** `<?xml version="1.x" encoding="…" standalone="yes|no"?>`, strictly in that order, as libxml2 reads it. */
    private xmlDeclaration(from: number, close: number): void {
        const text = this.text;
        let i = from;
        const pseudo = (name: string, required: boolean): string | undefined => {
            const spaced = this.skipSpace(i);
            if (!text.startsWith(name, spaced) || spaced >= close) {
                if (required) this.problem(`The XML declaration must start with version="1.0"`, spaced, spaced + 1);
                return undefined;
            }
            if (spaced === i) {
                this.problem(`White space is required before ${name} in the XML declaration`, i, i + 1);
            }
            let k = this.skipSpace(spaced + name.length);
            if (text.charCodeAt(k) !== Ch.Eq) {
                this.problem(`Expected '=' after ${name} in the XML declaration`, k, k + 1);
                i = close;
                return undefined;
            }
            k = this.skipSpace(k + 1);
            const q = text.charCodeAt(k);
            const end = q === Ch.Quote || q === Ch.Apos ? text.indexOf(q === Ch.Quote ? '"' : "'", k + 1) : -1;
            if (end < 0 || end > close) {
                this.problem(`The value of ${name} in the XML declaration must be in quotes`, k, k + 1);
                i = close;
                return undefined;
            }
            i = end + 1;
            return text.slice(k + 1, end);
        };
        const version = pseudo('version', true);
        if (version !== undefined && !/^1\.[0-9]+$/.test(version)) {
            this.problem(`Unsupported XML version "${version}" (write version="1.0")`, from, close);
        }
        if (version === undefined) return;
        const encoding = pseudo('encoding', false);
        if (encoding !== undefined) {
            if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(encoding)) this.problem(`"${encoding}" is not an encoding name`, from, close);
            else this.declaredEncoding = encoding;
        }
        const standalone = pseudo('standalone', false);
        if (standalone !== undefined) {
            if (standalone === 'yes') this.standalone = true;
            else if (standalone !== 'no') this.problem(`standalone must be "yes" or "no" in the XML declaration`, from, close);
        }
        const rest = this.skipSpace(i);
        if (rest < close) this.problem(`Unexpected text in the XML declaration (it takes version, encoding and standalone, in that order)`, rest, close);
    }

    private bang(): void {
        const text = this.text;
        const start = this.pos;
        if (text.startsWith('<!--', start)) {
            const close = text.indexOf('-->', start + 4);
            const end = close < 0 ? this.len : close + 3;
            if (close < 0) this.problem('Comment is not closed with -->', start, start + 4);
            const contentEnd = close < 0 ? this.len : close;
            const dashes = text.indexOf('--', start + 4);
            if (dashes >= 0 && dashes < contentEnd) {
                this.problem(`'--' is not allowed inside a comment (end the comment with -->)`, dashes, dashes + 2);
            }
            this.pos = end;
            this.append({ kind: 'comment', start, end });
        } else if (text.startsWith('<![CDATA[', start)) {
            const close = text.indexOf(']]>', start + 9);
            if (close < 0) this.problem('CDATA section is not closed with ]]>', start, start + 9);
            const contentEnd = close < 0 ? this.len : close;
            this.pos = close < 0 ? this.len : close + 3;
            if (!this.stack.length && !this.fragment) this.problem('CDATA is not allowed outside the root element', start, start + 9);
            else this.append({ kind: 'cdata', start: start + 9, end: contentEnd });
        } else if (text.startsWith('<!DOCTYPE', start)) {
            this.doctypeDecl();
        } else {
            this.problem(`Unknown markup declaration`, start, start + 2);
            this.textUntilMarkup(start + 1);
        }
    }

    private doctypeDecl(): void {
        const text = this.text;
        const start = this.pos;
        const declSpan = start + 9;
        let wrong = '';
        let wrongAt = start;
        const fail = (message: string, at: number): void => {
            if (!wrong) { wrong = message; wrongAt = at; }
        };
        let i = this.skipSpace(declSpan);
        if (i === declSpan) fail("White space is required after '<!DOCTYPE'", i);
        const nameEnd = this.readName(i);
        const name = text.slice(i, nameEnd);
        if (!name || !isNameStart(text.charCodeAt(i))) fail('The DOCTYPE declaration needs the name of the root element', i);
        let publicId: string | undefined;
        let systemId: string | undefined;
        const readQuoted = (what: string): string | undefined => {
            const before = i;
            i = this.skipSpace(i);
            if (i === before) fail(`White space is required before the ${what}`, i);
            const q = text.charCodeAt(i);
            if (q !== Ch.Quote && q !== Ch.Apos) {
                fail(`Expected the ${what} in quotes`, i);
                return undefined;
            }
            const close = text.indexOf(q === Ch.Quote ? '"' : "'", i + 1);
            if (close < 0) {
                fail(`The ${what} is not closed with its quote`, i);
                return undefined;
            }
            const v = text.slice(i + 1, close);
            i = close + 1;
            return v;
        };
        const afterName = this.skipSpace(nameEnd);
        i = nameEnd;
        if (text.startsWith('PUBLIC', afterName)) {
            if (afterName === nameEnd) fail("White space is required before 'PUBLIC'", nameEnd);
            i = afterName + 6;
            const idStart = this.skipSpace(i) + 1;
            publicId = readQuoted('public identifier');
            if (publicId !== undefined) {
                for (let k = 0; k < publicId.length; k++) {
                    if (!isPubidChar(publicId.charCodeAt(k))) { fail(`'${publicId[k]}' is not allowed in a public identifier`, idStart + k); break; }
                }
                systemId = readQuoted('system identifier');
            }
        } else if (text.startsWith('SYSTEM', afterName)) {
            if (afterName === nameEnd) fail("White space is required before 'SYSTEM'", nameEnd);
            i = afterName + 6;
            systemId = readQuoted('system identifier');
        }
        i = this.skipSpace(i);
        let subsetStart = -1;
        let subsetEnd = -1;
        if (text.charCodeAt(i) === Ch.LBracket) {
            subsetStart = i + 1;
            subsetEnd = findSubsetEnd(text, subsetStart);
            if (subsetEnd < 0) {
                this.problem('The DOCTYPE internal subset is not closed with ]>', start, start + 9);
                subsetEnd = this.len;
                i = this.len;
            } else {
                i = this.skipSpace(subsetEnd + 1);
            }
        }
        if (wrong) this.problem(wrong, wrongAt, Math.max(wrongAt + 1, Math.min(this.len, wrongAt + 1)));
        if (text.charCodeAt(i) === Ch.Gt) i++;
        else if (i < this.len) {
            if (!wrong) this.problem(`The DOCTYPE declaration is not closed with '>'`, start, start + 9);
            const gt = text.indexOf('>', i);
            i = gt < 0 ? this.len : gt + 1;
        }
        if (this.root || this.doctype || this.fragment) this.problem('DOCTYPE is only allowed before the root element', start, start + 9);
        this.doctype = { name, publicId, systemId, subsetStart, subsetEnd, start, end: i };
        this.pos = i;
        const hasExternalSubset = systemId !== undefined;
        let peRefs = false;
        if (this.fragment) return;
        this.rules = { entities: new Map(), mustDeclare: true, contentChecked: new Map(), attributeChecked: new Map(), active: new Set() };
        if (subsetStart >= 0) {
            const subset = checkInternalSubset(text, subsetStart, subsetEnd, hasExternalSubset, this.standalone, {
                problem: (message, from, to) => this.problem(message, from, to),
                defaultValue: (from, to, declared) => {
                    this.rules.entities = declared.entities;
                    this.rules.mustDeclare = this.standalone || (!hasExternalSubset && !declared.peRefs);
                    this.checkAttributeValue(from, to);
                },
            });
            this.rules.entities = subset.entities;
            peRefs = subset.peRefs;
        }
        this.rules.mustDeclare = this.standalone || (!hasExternalSubset && !peRefs);
    }

    private startTag(): void {
        const text = this.text;
        const start = this.pos;
        const nameEnd = this.readName(start + 1);
        const name = text.slice(start + 1, nameEnd);
        const attrs: XmlAttribute[] = [];
        let i = nameEnd;
        let selfClosing = false;
        let closed = false;
        for (;;) {
            const before = i;
            i = this.skipSpace(i);
            if (i >= this.len) break;
            const c = text.charCodeAt(i);
            if (c === Ch.Gt) { i++; closed = true; break; }
            if (i === before && attrs.length && isNameStart(c)) {
                this.problem(`White space is required between the attributes of <${name}>`, i, i + 1);
            }
            if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Gt) { i += 2; closed = true; selfClosing = true; break; }
            if (c === Ch.Lt) break;
            if (!isNameStart(c)) {
                this.problem(`Unexpected character '${text[i]}' in the start tag of <${name}>`, i, i + 1);
                i++;
                continue;
            }
            const attrNameEnd = this.readName(i);
            const attrName = text.slice(i, attrNameEnd);
            const nameStart = i;
            i = this.skipSpace(attrNameEnd);
            if (text.charCodeAt(i) !== Ch.Eq) {
                this.problem(`Attribute ${attrName} has no value (write ${attrName}="…")`, nameStart, attrNameEnd);
                attrs.push({ name: attrName, value: '', nameStart, valueStart: -1, valueEnd: -1 });
                continue;
            }
            i = this.skipSpace(i + 1);
            const q = text.charCodeAt(i);
            if (q === Ch.Quote || q === Ch.Apos) {
                const close = text.indexOf(q === Ch.Quote ? '"' : "'", i + 1);
                const lt = text.indexOf('<', i + 1);
                if (close < 0 || (lt >= 0 && lt < close && looksLikeTagStart(text, lt))) {
                    // An unclosed quote would swallow the rest of the file: give the value up at the
                    // line end so that the following markup still parses.
                    let stop = i + 1;
                    while (stop < this.len && text.charCodeAt(stop) !== Ch.LF && text.charCodeAt(stop) !== Ch.Gt && text.charCodeAt(stop) !== Ch.Lt) stop++;
                    this.problem(`The value of attribute ${attrName} is not closed with ${q === Ch.Quote ? '"' : "'"}`, nameStart, stop);
                    attrs.push({ name: attrName, value: text.slice(i + 1, stop), nameStart, valueStart: i + 1, valueEnd: stop });
                    i = stop;
                    continue;
                }
                if (lt >= 0 && lt < close) this.problem(`'<' is not allowed in the value of attribute ${attrName}`, lt, lt + 1);
                this.checkAttributeValue(i + 1, close);
                attrs.push({ name: attrName, value: text.slice(i + 1, close), nameStart, valueStart: i + 1, valueEnd: close });
                i = close + 1;
            } else {
                let stop = i;
                while (stop < this.len && !isSpace(text.charCodeAt(stop)) && text.charCodeAt(stop) !== Ch.Gt && text.charCodeAt(stop) !== Ch.Lt) {
                    if (text.charCodeAt(stop) === Ch.Slash && text.charCodeAt(stop + 1) === Ch.Gt) break;
                    stop++;
                }
                this.problem(`The value of attribute ${attrName} must be in quotes`, i, Math.max(stop, i + 1));
                attrs.push({ name: attrName, value: text.slice(i, stop), nameStart, valueStart: i, valueEnd: stop });
                i = stop;
            }
        }
        if (!closed) this.problem(`The start tag of <${name}> is not closed with '>'`, start, nameEnd);
        for (let a = 1; a < attrs.length; a++) {
            for (let b = 0; b < a; b++) {
                if (attrs[a].name === attrs[b].name) {
                    this.problem(`Attribute ${attrs[a].name} appears twice on <${name}>`, attrs[a].nameStart, attrs[a].nameStart + attrs[a].name.length);
                    break;
                }
            }
        }
        const parent = this.stack.length ? this.stack[this.stack.length - 1] : undefined;
        let scope = parent ? parent.nsScope : PREDEFINED_SCOPE;
        for (const a of attrs) {
            if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
                if (scope === (parent ? parent.nsScope : PREDEFINED_SCOPE)) scope = Object.create(scope) as Record<string, string>;
                scope[a.name === 'xmlns' ? '' : a.name.slice(6)] = a.value;
            }
        }
        const colon = name.indexOf(':');
        const prefix = colon > 0 ? name.slice(0, colon) : '';
        const local = colon > 0 ? name.slice(colon + 1) : name;
        let ns = scope[prefix];
        if (ns === undefined) {
            if (!this.fragment) this.problem(`Namespace prefix ${prefix} of <${name}> is not declared`, start + 1, nameEnd, 'namespace');
            ns = '';
        }
        const el: XmlElement = {
            kind: 'element', name, prefix, local, ns, attrs, children: [], parent,
            start, startTagEnd: i, contentEnd: i, end: i, selfClosing, nsScope: scope,
        };
        this.pos = i;
        if (!parent) {
            if (this.root) {
                if (!this.reportedExtraContent) this.problem('Extra content at the end of the document: only one root element is allowed', start, nameEnd);
                this.reportedExtraContent = true;
            } else {
                this.root = el;
            }
        }
        this.append(el);
        if (!selfClosing && closed) {
            if (this.stack.length >= MAX_TREE_DEPTH) {
                if (this.overflowDepth === 0) this.problem(`Elements are nested more than ${MAX_TREE_DEPTH} deep`, start, nameEnd);
                // Keep scanning, but do not deepen the tree: attach what follows to this level.
                this.overflowDepth++;
                return;
            }
            this.stack.push(el);
        }
    }

    /** An attribute value's characters and references (the value is text[from, to), quotes excluded). */
    private checkAttributeValue(from: number, to: number): void {
        const text = this.text;
        // Scan the value only: indexOf would search on to the next '&' of the file, for every attribute.
        for (let i = from; i < to; i++) {
            if (text.charCodeAt(i) !== Ch.Amp) continue;
            let k = i + 1;
            if (text.charCodeAt(k) === Ch.Hash) {
                k++;
                const hex = text.charCodeAt(k) === Ch.x;
                if (hex) k++;
                const digits = k;
                while (k < to && isRefDigit(text.charCodeAt(k), hex)) k++;
                if (k > digits && k < to && text.charCodeAt(k) === Ch.Semi) {
                    const code = parseInt(text.slice(digits, k), hex ? 16 : 10);
                    if (!isXmlChar(code)) this.problem(`Character reference ${text.slice(i, k + 1)} is not a legal XML character`, i, k + 1);
                    i = k;
                    continue;
                }
            } else if (k < to && isNameStart(text.charCodeAt(k))) {
                while (k < to && isNameChar(text.charCodeAt(k))) k++;
                if (k < to && text.charCodeAt(k) === Ch.Semi) {
                    this.checkAttributeReference(text.slice(i + 1, k), i, k + 1);
                    i = k;
                    continue;
                }
            }
            this.problem(`'&' must start an entity reference such as &amp; (write &amp; for a literal '&')`, i, i + 1);
        }
    }

    private endTag(): void {
        const text = this.text;
        const start = this.pos;
        const nameEnd = this.readName(start + 2);
        const name = text.slice(start + 2, nameEnd);
        let i = this.skipSpace(nameEnd);
        if (text.charCodeAt(i) === Ch.Gt) i++;
        else this.problem(`The end tag </${name}> is not closed with '>'`, start, nameEnd);
        this.pos = Math.max(i, start + 2);
        if (!name) {
            this.problem(`End tag has no name`, start, start + 2);
            return;
        }
        if (this.overflowDepth > 0) {
            this.overflowDepth--;
            return;
        }
        for (let d = this.stack.length - 1; d >= 0; d--) {
            if (this.stack[d].name !== name) continue;
            for (let k = this.stack.length - 1; k > d; k--) {
                const open = this.stack[k];
                this.problem(`Element <${open.name}> is not closed before </${name}>`, open.start, open.start + 1 + open.name.length);
                open.contentEnd = start;
                open.end = start;
            }
            const el = this.stack[d];
            el.contentEnd = start;
            el.end = this.pos;
            this.stack.length = d;
            return;
        }
        const expected = this.stack.length ? ` (expected </${this.stack[this.stack.length - 1].name}>)` : '';
        this.problem(`Unexpected end tag </${name}>${expected}`, start, this.pos);
    }
}

function isRefDigit(c: number, hex: boolean): boolean {
    if (c >= Ch.Zero && c <= Ch.Nine) return true;
    return hex && ((c >= 65 && c <= 70) || (c >= 97 && c <= 102));
}

function looksLikeTagStart(text: string, lt: number): boolean {
    const n = text.charCodeAt(lt + 1);
    return isNameStart(n) || n === Ch.Slash;
}

function isAllSpace(text: string, start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (!isSpace(text.charCodeAt(i))) return false;
    return true;
}

/** Finds the `]` closing a DOCTYPE internal subset, skipping quoted strings, comments and PIs. */
export function findSubsetEnd(text: string, from: number): number {
    let i = from;
    const len = text.length;
    while (i < len) {
        const c = text.charCodeAt(i);
        if (c === Ch.RBracket) return i;
        if (c === Ch.Quote || c === Ch.Apos) {
            const close = text.indexOf(c === Ch.Quote ? '"' : "'", i + 1);
            if (close < 0) return -1;
            i = close + 1;
        } else if (c === Ch.Lt && text.startsWith('<!--', i)) {
            const close = text.indexOf('-->', i + 4);
            if (close < 0) return -1;
            i = close + 3;
        } else if (c === Ch.Lt && text.charCodeAt(i + 1) === Ch.Question) {
            const close = text.indexOf('?>', i + 2);
            if (close < 0) return -1;
            i = close + 2;
        } else {
            i++;
        }
    }
    return -1;
}

export function attr(el: XmlElement, name: string): XmlAttribute | undefined {
    for (const a of el.attrs) if (a.name === name) return a;
    return undefined;
}

/** Attribute by namespace URI and local name (e.g. xml:id, xlink:href whatever the prefix). */
export function attrNS(el: XmlElement, ns: string, local: string): XmlAttribute | undefined {
    for (const a of el.attrs) {
        const colon = a.name.indexOf(':');
        if (colon < 0) continue;
        if (a.name.slice(colon + 1) !== local) continue;
        const prefix = a.name.slice(0, colon);
        if (prefix === 'xmlns') continue;
        if (el.nsScope[prefix] === ns) return a;
    }
    return undefined;
}

export function childElements(el: XmlElement): XmlElement[] {
    const out: XmlElement[] = [];
    for (const c of el.children) if (c.kind === 'element') out.push(c);
    return out;
}
