// The validation events salve takes, read from OUR tolerant parser's tree, so every event keeps the
// exact offsets of what it stands for. Names are resolved by the parser (its namespace scopes);
// text between two tags is one event (comments and processing instructions do not split it);
// entity references stay unexpanded: a character or predefined entity is its character, another
// entity counts as text. xi:include is an element like any other (the schema allows it).

import { XML_NS, XmlAttribute, XmlDocument, XmlElement } from '../core/xmlParser';

export type SchemaEvent =
    | { name: 'enterStartTag'; ns: string; local: string; el: XmlElement }
    | { name: 'attributeName'; ns: string; local: string; el: XmlElement; attr: XmlAttribute }
    | { name: 'attributeValue'; value: string; el: XmlElement; attr: XmlAttribute }
    | { name: 'leaveStartTag'; el: XmlElement }
    | { name: 'text'; value: string; start: number; end: number }
    | { name: 'endTag'; ns: string; local: string; el: XmlElement };

export function salveParams(e: SchemaEvent): string[] {
    switch (e.name) {
        case 'enterStartTag': case 'attributeName': case 'endTag': return [e.ns, e.local];
        case 'attributeValue': case 'text': return [e.value];
        case 'leaveStartTag': return [];
    }
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The value of `&name;`/`&#NN;` as far as validation cares; unknown entities stand for some text. */
function entityValue(name: string): string {
    if (name.startsWith('#')) {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '?';
    }
    return PREDEFINED[name] ?? '\u00a0';
}

function decode(raw: string): string {
    return raw.includes('&') ? raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[^\s;&]+);/g, (_m, n: string) => entityValue(n)) : raw;
}

/** Attribute value normalisation for CDATA attributes (XML 1.0 §3.3.3). */
function attributeValue(raw: string): string {
    return decode(raw.replace(/[\t\n\r]/g, ' '));
}

/** Namespace URI of an attribute name: unprefixed names are in no namespace. */
export function attributeNs(el: XmlElement, name: string): { ns: string; local: string } | undefined {
    const colon = name.indexOf(':');
    if (colon < 0) return { ns: '', local: name };
    const prefix = name.slice(0, colon);
    const ns = prefix === 'xml' ? XML_NS : el.nsScope[prefix];
    return ns === undefined ? undefined : { ns, local: name.slice(colon + 1) };
}

export function isNamespaceDeclaration(name: string): boolean {
    return name === 'xmlns' || name.startsWith('xmlns:');
}

/** The start tag's events (enterStartTag, the attributes; leaveStartTag when `leave`). */
export function startTagEvents(el: XmlElement, out: SchemaEvent[], leave = true): void {
    out.push({ name: 'enterStartTag', ns: el.ns, local: el.local, el });
    for (const attr of el.attrs) {
        if (isNamespaceDeclaration(attr.name)) continue;
        const n = attributeNs(el, attr.name);
        if (!n) continue; // an undeclared prefix is a well-formedness problem, reported as such
        out.push({ name: 'attributeName', ns: n.ns, local: n.local, el, attr });
        out.push({ name: 'attributeValue', value: attributeValue(attr.value), el, attr });
    }
    if (leave) out.push({ name: 'leaveStartTag', el });
}

/**
 * The events of a whole document, in document order, or of those at or after `from` (a validation
 * resumed there: the elements that end before it are not even visited). With `openAtEnd`, the
 * document is a prefix of a text cut at the cursor: an element whose end tag is not in it stays open
 * (no endTag event), and the events stop at its last child, so the walker is left where the cursor is.
 */
export function documentEvents(doc: XmlDocument, openAtEnd = false, from = 0): SchemaEvent[] {
    const out: SchemaEvent[] = [];
    if (doc.root) elementEvents(doc, doc.root, out, openAtEnd, from);
    if (from > 0) {
        let skip = 0;
        while (skip < out.length && eventOffset(out[skip]) < from) skip++;
        return skip ? out.slice(skip) : out;
    }
    return out;
}

function hasEndTag(text: string, el: XmlElement): boolean {
    return el.selfClosing || (el.end > el.contentEnd && text.startsWith('</', el.contentEnd));
}

/** Returns false when the element was left open (the cursor is inside it): nothing may follow. */
function elementEvents(doc: XmlDocument, el: XmlElement, out: SchemaEvent[], openAtEnd: boolean, from: number): boolean {
    const text = doc.text;
    if (el.start >= from) startTagEvents(el, out);
    let pending = '';
    let pendingStart = -1;
    let pendingEnd = -1;
    const flush = (): void => {
        if (pending !== '') out.push({ name: 'text', value: pending, start: pendingStart, end: pendingEnd });
        pending = '';
        pendingStart = -1;
    };
    const addText = (value: string, start: number, end: number): void => {
        if (value === '') return;
        if (pendingStart < 0) pendingStart = start;
        pending += value;
        pendingEnd = end;
    };
    for (const c of el.children) {
        switch (c.kind) {
            case 'text': addText(decode(text.slice(c.start, c.end)), c.start, c.end); break;
            case 'cdata': addText(text.slice(c.start, c.end), c.start, c.end); break;
            case 'entity': addText(entityValue(c.name), c.start, c.end); break;
            case 'element':
                flush();
                if (c.end <= from) break;
                if (!elementEvents(doc, c, out, openAtEnd, from)) return false;
                break;
            default: break; // comments and processing instructions are not content
        }
    }
    flush();
    if (openAtEnd && !hasEndTag(text, el)) return false;
    out.push({ name: 'endTag', ns: el.ns, local: el.local, el });
    return true;
}

/** Where an event is in the text (document order): the tag's `<`, the text's start, the end tag's `<`. */
export function eventOffset(e: SchemaEvent): number {
    switch (e.name) {
        case 'text': return e.start;
        case 'endTag': return e.el.selfClosing ? e.el.start : e.el.contentEnd;
        default: return e.el.start;
    }
}
