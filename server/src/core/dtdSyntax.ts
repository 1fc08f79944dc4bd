// The grammar of a DOCTYPE's internal subset, checked as libxml2 checks it: a malformed declaration
// there stops the real build as surely as a broken tag. One pass, no backtracking; after an error the
// reader skips to the end of that declaration and goes on, so one slip gives one problem.
// It also collects the general entities declared there: the parser needs them for the entity rules
// of well-formedness (declared, parsed, no '<' in attribute values, no loops).

import { isNameCode, isNameStartCode, isPubidChar, isXmlChar } from './xmlChars';

export interface DeclaredEntity {
    name: string;
    /** Replacement text (character references decoded); undefined for an external entity. */
    value?: string;
    /** An external entity with NDATA: never referenced by `&name;`. */
    unparsed: boolean;
    start: number;
}

export interface InternalSubset {
    /** General entities, the first declaration of each name. */
    entities: Map<string, DeclaredEntity>;
    /** Whether a parameter-entity reference occurs between declarations. */
    peRefs: boolean;
}

export interface SubsetCallbacks {
    problem(message: string, start: number, end: number): void;
    /**
     * An attribute default value (the range inside the quotes), when it is declared: its entity
     * references must name entities declared before it.
     */
    defaultValue(start: number, end: number, subset: InternalSubset): void;
}

type ProblemSink = (message: string, start: number, end: number) => void;

class DeclError extends Error {
    constructor(readonly at: number, message: string) { super(message); }
}

const ATTRIBUTE_TYPES = new Set(['CDATA', 'ID', 'IDREF', 'IDREFS', 'ENTITY', 'ENTITIES', 'NMTOKEN', 'NMTOKENS']);
const MAX_GROUP_DEPTH = 256;
const MAX_PE_DEPTH = 16;

/** Checks text[from, to) as an internal subset; problems have offsets into `text`. */
export function checkInternalSubset(
    text: string, from: number, to: number, hasExternalSubset: boolean, standalone: boolean, callbacks: SubsetCallbacks,
): InternalSubset {
    const result: InternalSubset = { entities: new Map(), peRefs: false };
    const shared: Shared = { result, parameters: new Map(), active: new Set(), hasExternalSubset, standalone, defaultValue: callbacks.defaultValue };
    new SubsetReader(text, from, to, shared, callbacks.problem, false).run();
    return result;
}

interface Shared {
    result: InternalSubset;
    parameters: Map<string, DeclaredEntity>;
    active: Set<string>;
    hasExternalSubset: boolean;
    standalone: boolean;
    defaultValue: SubsetCallbacks['defaultValue'];
}

class SubsetReader {
    private i: number;

    constructor(
        private readonly src: string, from: number, private readonly end: number, private readonly shared: Shared,
        private readonly report: ProblemSink, private readonly nested: boolean,
    ) {
        this.i = from;
    }

    run(): void {
        const src = this.src;
        while (this.i < this.end) {
            const c = src.charCodeAt(this.i);
            if (c === 32 || c === 10 || c === 9 || c === 13) { this.i++; continue; }
            const start = this.i;
            try {
                if (c === 37 /* % */) this.peReference();
                else if (src.startsWith('<!--', start)) this.comment();
                else if (src.startsWith('<?', start)) this.pi();
                else if (src.startsWith('<!ELEMENT', start)) this.elementDecl();
                else if (src.startsWith('<!ATTLIST', start)) this.attlistDecl();
                else if (src.startsWith('<!ENTITY', start)) this.entityDecl();
                else if (src.startsWith('<!NOTATION', start)) this.notationDecl();
                else if (src.startsWith('<![', start)) {
                    const close = src.indexOf(']]>', start);
                    this.i = close < 0 || close >= this.end ? this.end : close + 3;
                    this.problem('Conditional sections (<![INCLUDE[ … ]]>) are only allowed in an external DTD, not in the internal subset', start, start + 3);
                } else {
                    throw new DeclError(start, 'Expected a declaration (<!ELEMENT, <!ATTLIST, <!ENTITY, <!NOTATION), a comment or a processing instruction in the DOCTYPE internal subset');
                }
            } catch (e) {
                if (!(e instanceof DeclError)) throw e;
                this.problem(e.message, e.at, e.at + 1);
                this.i = Math.max(this.skipDeclaration(e.at), start + 1);
            }
        }
    }

    private problem(message: string, start: number, end: number): void {
        this.report(message, start, Math.min(Math.max(end, start), this.end));
    }

    /** After an error: on past the `>` that ends the declaration (quotes respected), or to the next `<`. */
    private skipDeclaration(from: number): number {
        const src = this.src;
        let i = from;
        while (i < this.end) {
            const c = src.charCodeAt(i);
            if (c === 62 /* > */) return i + 1;
            if (c === 60 /* < */ && i > from) return i;
            if (c === 34 || c === 39) {
                const close = src.indexOf(c === 34 ? '"' : "'", i + 1);
                if (close < 0 || close >= this.end) return this.end;
                i = close + 1;
            } else {
                i++;
            }
        }
        return this.end;
    }

    // ---- pieces ----------------------------------------------------------------------------------

    /** Skips white space; `what` makes it required. A `%` here is a parameter entity inside a declaration. */
    private space(what?: string): boolean {
        const src = this.src;
        const start = this.i;
        while (this.i < this.end) {
            const c = src.charCodeAt(this.i);
            if (c === 32 || c === 10 || c === 9 || c === 13) this.i++;
            else break;
        }
        if (src.charCodeAt(this.i) === 37 && this.i < this.end && isNameStartCode(src.charCodeAt(this.i + 1))) {
            throw new DeclError(this.i, 'Parameter-entity references (%name;) are not allowed inside declarations in the internal subset');
        }
        if (what !== undefined && this.i === start) throw new DeclError(this.i, `White space is required ${what}`);
        return this.i > start;
    }

    private name(what: string): string {
        const src = this.src;
        const start = this.i;
        if (this.i >= this.end || !isNameStartCode(src.charCodeAt(this.i))) throw new DeclError(this.i, `Expected ${what}`);
        this.i++;
        while (this.i < this.end && isNameCode(src.charCodeAt(this.i))) this.i++;
        return src.slice(start, this.i);
    }

    private nmtoken(what: string): void {
        const start = this.i;
        while (this.i < this.end && isNameCode(this.src.charCodeAt(this.i))) this.i++;
        if (this.i === start) throw new DeclError(start, `Expected ${what}`);
    }

    private keyword(word: string): boolean {
        if (!this.src.startsWith(word, this.i) || this.i + word.length > this.end) return false;
        if (isNameCode(this.src.charCodeAt(this.i + word.length)) && this.i + word.length < this.end) return false;
        this.i += word.length;
        return true;
    }

    private expect(ch: string, message: string): void {
        if (this.src[this.i] !== ch || this.i >= this.end) throw new DeclError(this.i, message);
        this.i++;
    }

    /** A quoted literal; returns the range of its content. */
    private literal(what: string): [number, number] {
        const q = this.src.charCodeAt(this.i);
        if (q !== 34 && q !== 39) throw new DeclError(this.i, `Expected ${what} in quotes`);
        const close = this.src.indexOf(q === 34 ? '"' : "'", this.i + 1);
        if (close < 0 || close >= this.end) throw new DeclError(this.i, `${what[0].toUpperCase()}${what.slice(1)} is not closed with its quote`);
        const range: [number, number] = [this.i + 1, close];
        this.i = close + 1;
        return range;
    }

    private pubidLiteral(): void {
        const [from, to] = this.literal('a public identifier');
        for (let k = from; k < to; k++) {
            if (!isPubidChar(this.src.charCodeAt(k))) throw new DeclError(k, `'${this.src[k]}' is not allowed in a public identifier`);
        }
    }

    /** `SYSTEM "…"` or `PUBLIC "…" "…"` (for a notation, the system literal is optional). Returns false when neither keyword is there. */
    private externalId(notation: boolean): boolean {
        if (this.keyword('SYSTEM')) {
            this.space("after 'SYSTEM'");
            this.literal('a system identifier');
            return true;
        }
        if (this.keyword('PUBLIC')) {
            this.space("after 'PUBLIC'");
            this.pubidLiteral();
            const before = this.i;
            const spaced = this.space();
            const q = this.src.charCodeAt(this.i);
            if (q === 34 || q === 39) {
                if (!spaced) throw new DeclError(this.i, 'White space is required between the public and the system identifier');
                this.literal('a system identifier');
            } else if (!notation) {
                throw new DeclError(this.i, 'A PUBLIC identifier must be followed by a system identifier in quotes');
            } else {
                this.i = spaced ? this.i : before;
            }
            return true;
        }
        return false;
    }

    private close(what: string): void {
        this.space();
        this.expect('>', `The ${what} declaration is not closed with '>'`);
    }

    // ---- declarations ----------------------------------------------------------------------------

    private comment(): void {
        const start = this.i;
        const close = this.src.indexOf('-->', start + 4);
        if (close < 0 || close + 3 > this.end) throw new DeclError(start, 'Comment is not closed with -->');
        const dashes = this.src.indexOf('--', start + 4);
        if (dashes < close) throw new DeclError(dashes, "'--' is not allowed inside a comment (end the comment with -->)");
        this.i = close + 3;
    }

    private pi(): void {
        const start = this.i;
        this.i += 2;
        const target = this.name('a processing instruction target after <?');
        if (target.toLowerCase() === 'xml') throw new DeclError(start, 'An XML declaration (<?xml …?>) is only allowed at the very start of the file');
        const close = this.src.indexOf('?>', this.i);
        if (close < 0 || close + 2 > this.end) throw new DeclError(start, `Processing instruction <?${target} is not closed with '?>'`);
        if (close > this.i && !this.space()) throw new DeclError(this.i, `White space is required after the processing instruction target ${target}`);
        this.i = close + 2;
    }

    private elementDecl(): void {
        this.i += 9;
        this.space("after '<!ELEMENT'");
        this.name('an element name after <!ELEMENT');
        this.space('after the element name');
        if (!this.keyword('EMPTY') && !this.keyword('ANY')) {
            if (this.src[this.i] !== '(') throw new DeclError(this.i, "Expected a content model: EMPTY, ANY or a group in parentheses");
            this.i++;
            this.space();
            if (this.src.startsWith('#PCDATA', this.i)) this.mixed();
            else this.group(0);
        }
        this.close('<!ELEMENT');
    }

    /** After `(#PCDATA`: `)`, `)*`, or `| a | b )*`. */
    private mixed(): void {
        this.i += 7;
        let names = 0;
        for (;;) {
            this.space();
            const c = this.src[this.i];
            if (c === ')') {
                this.i++;
                if (this.src[this.i] === '*') this.i++;
                else if (names > 0) throw new DeclError(this.i, 'Mixed content with element names must end with )*');
                return;
            }
            if (c !== '|') throw new DeclError(this.i, "Expected '|' or ')' in mixed content (#PCDATA | name | …)*");
            this.i++;
            this.space();
            this.name('an element name in mixed content');
            names++;
        }
    }

    /** The rest of a choice or sequence after its `(`, then its occurrence mark. */
    private group(depth: number): void {
        if (depth > MAX_GROUP_DEPTH) throw new DeclError(this.i, 'Content model groups are nested too deep');
        let separator = '';
        this.particle(depth);
        for (;;) {
            this.space();
            const c = this.src[this.i];
            if (c === ')') { this.i++; break; }
            if (c !== '|' && c !== ',') throw new DeclError(this.i, "Expected ',', '|' or ')' in the content model");
            if (separator && c !== separator) throw new DeclError(this.i, "A content model group cannot mix ',' and '|': use parentheses");
            separator = c;
            this.i++;
            this.space();
            this.particle(depth);
        }
        this.occurrence();
    }

    private particle(depth: number): void {
        if (this.src[this.i] === '(') {
            this.i++;
            this.space();
            this.group(depth + 1);
            return;
        }
        if (this.src.startsWith('#PCDATA', this.i)) throw new DeclError(this.i, '#PCDATA is only allowed first in a mixed content model: (#PCDATA | a | b)*');
        this.name('an element name or ( in the content model');
        this.occurrence();
    }

    private occurrence(): void {
        const c = this.src[this.i];
        if (c === '?' || c === '*' || c === '+') this.i++;
    }

    private attlistDecl(): void {
        this.i += 9;
        this.space("after '<!ATTLIST'");
        this.name('an element name after <!ATTLIST');
        for (;;) {
            const spaced = this.space();
            if (this.src[this.i] === '>' && this.i < this.end) { this.i++; return; }
            if (!spaced) throw new DeclError(this.i, 'White space is required before an attribute definition');
            this.name('an attribute name (or >) in <!ATTLIST');
            this.space('after the attribute name');
            if (this.src[this.i] === '(') {
                this.enumeration(false);
            } else if (this.keyword('NOTATION')) {
                this.space("after 'NOTATION'");
                if (this.src[this.i] !== '(') throw new DeclError(this.i, "Expected '(' after NOTATION");
                this.enumeration(true);
            } else {
                const typeStart = this.i;
                const type = this.i < this.end && isNameStartCode(this.src.charCodeAt(this.i)) ? this.name('an attribute type') : '';
                if (!ATTRIBUTE_TYPES.has(type)) throw new DeclError(typeStart, 'Expected an attribute type: CDATA, ID, IDREF, IDREFS, ENTITY, ENTITIES, NMTOKEN, NMTOKENS, NOTATION or (a|b)');
            }
            this.space('after the attribute type');
            if (this.src[this.i] === '#') {
                if (this.keyword('#REQUIRED') || this.keyword('#IMPLIED')) continue;
                if (!this.keyword('#FIXED')) throw new DeclError(this.i, 'Expected #REQUIRED, #IMPLIED, #FIXED or a default value');
                this.space("after '#FIXED'");
            }
            const [from, to] = this.literal('a default value');
            this.attributeValue(from, to);
        }
    }

    private enumeration(names: boolean): void {
        this.i++;
        for (;;) {
            this.space();
            if (names) this.name('a notation name'); else this.nmtoken('a name token in the enumeration');
            this.space();
            const c = this.src[this.i];
            if (c === ')') { this.i++; return; }
            if (c !== '|') throw new DeclError(this.i, "Expected '|' or ')' in the enumeration");
            this.i++;
        }
    }

    private attributeValue(from: number, to: number): void {
        const src = this.src;
        for (let k = from; k < to; k++) {
            const c = src.charCodeAt(k);
            if (c === 60) throw new DeclError(k, "'<' is not allowed in an attribute value (write &lt;)");
            if (c === 38) k = this.reference(k, to, 'general') - 1;
        }
        // Offsets into a parameter entity's text mean nothing to the parser: only the subset's own values.
        if (!this.nested) this.shared.defaultValue(from, to, this.shared.result);
    }

    /** A reference starting at `&` (or `%` in an entity value): its end, or an error. */
    private reference(at: number, to: number, kind: 'general' | 'entity-value'): number {
        const src = this.src;
        let k = at + 1;
        if (src.charCodeAt(k) === 35 /* # */) {
            k++;
            const hex = src.charCodeAt(k) === 120;
            if (hex) k++;
            const digits = k;
            while (k < to && ((src.charCodeAt(k) >= 48 && src.charCodeAt(k) <= 57) || (hex && /[a-fA-F]/.test(src[k])))) k++;
            if (k === digits || src.charCodeAt(k) !== 59 || k >= to) throw new DeclError(at, `Malformed character reference: write &#NNN; or &#xHHHH;`);
            const code = parseInt(src.slice(digits, k), hex ? 16 : 10);
            if (!isXmlChar(code)) throw new DeclError(at, `Character reference ${src.slice(at, k + 1)} is not a legal XML character`);
            return k + 1;
        }
        if (k >= to || !isNameStartCode(src.charCodeAt(k))) {
            throw new DeclError(at, kind === 'entity-value' ? "'&' in an entity value must start a reference (write &#38;#38; for a literal '&')" : "'&' must start an entity reference such as &amp; (write &amp; for a literal '&')");
        }
        while (k < to && isNameCode(src.charCodeAt(k))) k++;
        if (src.charCodeAt(k) !== 59 || k >= to) throw new DeclError(at, `Entity reference ${src.slice(at, k)} is not closed with ';'`);
        return k + 1;
    }

    private entityDecl(): void {
        const start = this.i;
        this.i += 8;
        this.space("after '<!ENTITY'");
        let parameter = false;
        if (this.src[this.i] === '%') {
            this.i++;
            this.space("after '%' in a parameter-entity declaration");
            parameter = true;
        }
        const name = this.name('an entity name');
        this.space('after the entity name');
        const decl: DeclaredEntity = { name, unparsed: false, start };
        const q = this.src.charCodeAt(this.i);
        if (q === 34 || q === 39) {
            const [from, to] = this.literal('the entity value');
            decl.value = this.entityValue(from, to);
        } else {
            if (!this.externalId(false)) throw new DeclError(this.i, 'Expected the entity value in quotes, or SYSTEM or PUBLIC');
            if (!parameter) {
                const spaced = this.space();
                if (this.src.startsWith('NDATA', this.i)) {
                    if (!spaced) throw new DeclError(this.i, "White space is required before 'NDATA'");
                    this.i += 5;
                    this.space("after 'NDATA'");
                    this.name('a notation name after NDATA');
                    decl.unparsed = true;
                }
            }
        }
        this.close('<!ENTITY');
        const map = parameter ? this.shared.parameters : this.shared.result.entities;
        if (!map.has(name)) map.set(name, decl);
    }

    /** Checks an entity value and returns its replacement text (character references decoded). */
    private entityValue(from: number, to: number): string {
        const src = this.src;
        let out = '';
        let last = from;
        for (let k = from; k < to; k++) {
            const c = src.charCodeAt(k);
            if (c === 37 /* % */) {
                throw new DeclError(k, 'Parameter-entity references (%name;) are not allowed in entity values in the internal subset');
            }
            if (c !== 38) continue;
            const end = this.reference(k, to, 'entity-value');
            if (src.charCodeAt(k + 1) === 35) {
                const hex = src.charCodeAt(k + 2) === 120;
                out += src.slice(last, k) + String.fromCodePoint(parseInt(src.slice(k + (hex ? 3 : 2), end - 1), hex ? 16 : 10));
                last = end;
            }
            k = end - 1;
        }
        return out + src.slice(last, to);
    }

    private notationDecl(): void {
        this.i += 10;
        this.space("after '<!NOTATION'");
        this.name('a notation name after <!NOTATION');
        this.space('after the notation name');
        if (!this.externalId(true)) throw new DeclError(this.i, 'Expected SYSTEM or PUBLIC in the notation declaration');
        this.close('<!NOTATION');
    }

    /** `%name;` between declarations: an internal parameter entity's text is read as declarations. */
    private peReference(): void {
        const start = this.i;
        this.i++;
        const name = this.name("a parameter-entity name after '%'");
        this.expect(';', `The parameter-entity reference %${name} is not closed with ';'`);
        const shared = this.shared;
        const pe = shared.parameters.get(name);
        if (!pe) {
            if (shared.standalone || (!shared.hasExternalSubset && !shared.result.peRefs)) {
                this.problem(`Parameter entity %${name}; is not declared (declare it before it is used)`, start, this.i);
            }
        }
        shared.result.peRefs = true;
        if (!pe || pe.value === undefined || shared.active.has(name) || shared.active.size >= MAX_PE_DEPTH) {
            if (pe && shared.active.has(name)) this.problem(`Parameter entity %${name}; refers to itself`, start, this.i);
            return;
        }
        // Its declarations are checked as if written here; problems point at the reference.
        const refEnd = this.i;
        shared.active.add(name);
        try {
            const inner = new SubsetReader(pe.value, 0, pe.value.length, shared, (message) => this.problem(`In %${name};: ${message}`, start, refEnd), true);
            inner.run();
        } finally {
            shared.active.delete(name);
        }
    }
}
