// Tells DocBook XML from other XML by its head, so the extension stays out of generic XML
// (pom.xml, Red Hat's XML users): DocBook 5 = root element in the DocBook namespace, DocBook 4 =
// a DocBook DOCTYPE. Only the head is read: the root's start tag comes before any content.

export const DOCBOOK5_NAMESPACE = 'http://docbook.org/ns/docbook';

/** Enough characters for the prolog of the manuals' files (licence comments, entity DOCTYPEs). */
export const HEAD_LENGTH = 16 * 1024;

const DOCBOOK4_DOCTYPE = /^<!DOCTYPE\s+[\w.:-]+\s+(?:PUBLIC\s+["']-\/\/OASIS\/\/DTD DocBook|SYSTEM\s+["'][^"']*docbookx?\.dtd)/i;

/** Whether an XML text (or its first HEAD_LENGTH characters) is a DocBook document. */
export function isDocbookText(head: string): boolean {
    let i = 0;
    for (;;) {
        i = head.indexOf('<', i);
        if (i < 0) return false;
        if (head.startsWith('<?', i)) {
            i = endOf(head, '?>', i);
        } else if (head.startsWith('<!--', i)) {
            i = endOf(head, '-->', i);
        } else if (head.startsWith('<!DOCTYPE', i)) {
            if (DOCBOOK4_DOCTYPE.test(head.slice(i, i + 300))) return true;
            i = doctypeEnd(head, i);
        } else {
            return rootInDocbookNamespace(head, i);
        }
        if (i < 0) return false;
    }
}

function endOf(text: string, terminator: string, from: number): number {
    const j = text.indexOf(terminator, from);
    return j < 0 ? -1 : j + terminator.length;
}

/** The end of a DOCTYPE whose internal subset may hold `>` in comments and quoted values. */
function doctypeEnd(text: string, from: number): number {
    let depth = 0;
    for (let j = from + 2; j < text.length; j++) {
        if (text.startsWith('<!--', j)) {
            j = text.indexOf('-->', j + 4);
            if (j < 0) return -1;
            j += 2;
            continue;
        }
        const c = text[j];
        if (c === '"' || c === "'") {
            j = text.indexOf(c, j + 1);
            if (j < 0) return -1;
        } else if (c === '[') {
            depth++;
        } else if (c === ']') {
            depth--;
        } else if (c === '>' && depth <= 0) {
            return j + 1;
        }
    }
    return -1;
}

function rootInDocbookNamespace(text: string, tagStart: number): boolean {
    const name = /^<([\w.-]+)(?::([\w.-]+))?/.exec(text.slice(tagStart, tagStart + 200));
    if (!name) return false;
    const prefix = name[2] === undefined ? '' : name[1];
    let tagEnd = text.indexOf('>', tagStart);
    if (tagEnd < 0) tagEnd = text.length;
    const tag = text.slice(tagStart, tagEnd);
    const attribute = prefix ? `xmlns:${prefix}` : 'xmlns';
    const declared = new RegExp(`\\s${attribute.replace(/\./g, '\\.')}\\s*=\\s*(["'])([^"']*)\\1`).exec(tag);
    return declared?.[2] === DOCBOOK5_NAMESPACE;
}
