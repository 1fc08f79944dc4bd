// A tolerant XML parser that keeps exact source offsets.
//
// Why not sax/saxes: authors edit half-typed files all day, and the index must still read every id,
// reference and include of a file that is not well-formed, with offsets into the very text the
// editor holds. sax-style parsers stop or lose their place at the first error; this one records the
// error and carries on (mismatched end tags close the nearest matching ancestor, unclosed tags end
// at the next `<`). Entities are never substituted into the tree: an `&name;` stays a node of its
// own, so every offset is an offset in the original text.

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface XmlProblem {
    message: string;
    start: number;
    end: number;
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

function isNameStart(c: number): boolean {
    return (c >= Ch.a && c <= Ch.z) || (c >= Ch.A && c <= Ch.Z) || c === Ch.Underscore || c === Ch.Colon || c >= 0xc0;
}

function isNameChar(c: number): boolean {
    return isNameStart(c) || (c >= Ch.Zero && c <= Ch.Nine) || c === Ch.Dash || c === Ch.Dot || c === 0xb7;
}

function isSpace(c: number): boolean {
    return c === Ch.Space || c === Ch.LF || c === Ch.Tab || c === Ch.CR;
}

const PREDEFINED_SCOPE: Record<string, string> = { xml: XML_NS, '': '' };

/** Deepest nesting kept as a tree; deeper elements are still scanned but attached flat, so a hostile file cannot blow the stack of later tree walks. */
export const MAX_TREE_DEPTH = 2000;

export function parseXml(text: string): XmlDocument {
    return new Parser(text).parse();
}

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

    constructor(private readonly text: string) {
        this.len = text.length;
    }

    parse(): XmlDocument {
        const text = this.text;
        if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
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
        if (!this.root) this.problem('The document has no root element', 0, Math.min(this.len, 1));
        return {
            text, root: this.root, children: this.top, doctype: this.doctype,
            declaredEncoding: this.declaredEncoding, problems: this.problems, entityRefs: this.entityRefs,
        };
    }

    private problem(message: string, start: number, end: number): void {
        // A badly broken file can produce an error at every character; a few hundred say enough.
        if (this.problems.length >= 500) return;
        // A construct cut off by the end of the file may point one past it: keep spans inside the text.
        const s = Math.min(Math.max(0, start), this.len);
        this.problems.push({ message, start: s, end: Math.min(Math.max(end, s), this.len) });
    }

    private append(node: XmlNode): void {
        const parent = this.stack.length ? this.stack[this.stack.length - 1] : undefined;
        if (parent) {
            parent.children.push(node);
            return;
        }
        this.top.push(node);
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
        if (i > start) this.append({ kind: 'text', start, end: i });
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
                return;
            }
        }
        this.problem(`'&' must start an entity reference such as &amp; (write &amp; for a literal '&')`, start, start + 1);
        this.pos = start + 1;
        this.append({ kind: 'text', start, end: start + 1 });
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
        const data = text.slice(this.skipSpace(targetEnd), close);
        this.pos = end;
        if (target.toLowerCase() === 'xml') {
            if (start !== 0 && !(start === 1 && text.charCodeAt(0) === 0xfeff)) {
                this.problem('The XML declaration is only allowed at the very start of the file', start, end);
            }
            const m = /encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(data);
            if (m) this.declaredEncoding = m[1];
            return;
        }
        this.append({ kind: 'pi', target, data, start, end });
    }

    private bang(): void {
        const text = this.text;
        const start = this.pos;
        if (text.startsWith('<!--', start)) {
            const close = text.indexOf('-->', start + 4);
            const end = close < 0 ? this.len : close + 3;
            if (close < 0) this.problem('Comment is not closed with -->', start, start + 4);
            this.pos = end;
            this.append({ kind: 'comment', start, end });
        } else if (text.startsWith('<![CDATA[', start)) {
            const close = text.indexOf(']]>', start + 9);
            if (close < 0) this.problem('CDATA section is not closed with ]]>', start, start + 9);
            const contentEnd = close < 0 ? this.len : close;
            this.pos = close < 0 ? this.len : close + 3;
            if (!this.stack.length) this.problem('CDATA is not allowed outside the root element', start, start + 9);
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
        let i = this.skipSpace(start + 9);
        const nameEnd = this.readName(i);
        const name = text.slice(i, nameEnd);
        i = this.skipSpace(nameEnd);
        let publicId: string | undefined;
        let systemId: string | undefined;
        const readQuoted = (): string | undefined => {
            i = this.skipSpace(i);
            const q = text.charCodeAt(i);
            if (q !== Ch.Quote && q !== Ch.Apos) return undefined;
            const close = text.indexOf(q === Ch.Quote ? '"' : "'", i + 1);
            if (close < 0) return undefined;
            const v = text.slice(i + 1, close);
            i = close + 1;
            return v;
        };
        if (text.startsWith('PUBLIC', i)) {
            i += 6;
            publicId = readQuoted();
            systemId = readQuoted();
        } else if (text.startsWith('SYSTEM', i)) {
            i += 6;
            systemId = readQuoted();
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
        if (text.charCodeAt(i) === Ch.Gt) i++;
        else if (i < this.len) {
            this.problem(`The DOCTYPE declaration is not closed with '>'`, start, start + 9);
            const gt = text.indexOf('>', i);
            i = gt < 0 ? this.len : gt + 1;
        }
        if (this.root || this.doctype) this.problem('DOCTYPE is only allowed before the root element', start, start + 9);
        this.doctype = { name, publicId, systemId, subsetStart, subsetEnd, start, end: i };
        this.pos = i;
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
            i = this.skipSpace(i);
            if (i >= this.len) break;
            const c = text.charCodeAt(i);
            if (c === Ch.Gt) { i++; closed = true; break; }
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
                this.checkAmpersands(i + 1, close);
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
            this.problem(`Namespace prefix ${prefix} of <${name}> is not declared`, start + 1, nameEnd);
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

    private checkAmpersands(from: number, to: number): void {
        const text = this.text;
        // Scan the value only: indexOf would search on to the next '&' of the file, for every attribute.
        for (let i = from; i < to; i++) {
            if (text.charCodeAt(i) !== Ch.Amp) continue;
            const m = /^&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_:\u00c0-\uffff][\w.:\u00b7\u00c0-\uffff-]*);/.exec(text.slice(i, Math.min(to, i + 80)));
            if (!m) this.problem(`'&' must start an entity reference such as &amp; (write &amp; for a literal '&')`, i, i + 1);
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

export function isXmlChar(code: number): boolean {
    return code === 9 || code === 10 || code === 13
        || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
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
