// Character classes of XML 1.0 (fifth edition), as libxml2 applies them. The ASCII cases come first:
// they are nearly every character a parser sees, and cost one or two comparisons.

export function isNameStartCode(c: number): boolean {
    if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
    return (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff)
        || (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) || c === 0x200c || c === 0x200d
        || (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff)
        || (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd)
        // A surrogate pair stands for a character of #x10000-#xEFFFF, all name characters; the
        // parser reads names by UTF-16 unit, so both halves count (a lone one is caught as a bad character).
        || (c >= 0xd800 && c <= 0xdfff);
}

export function isNameCode(c: number): boolean {
    if (c < 0x80) {
        return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 58 || c === 45 || c === 46;
    }
    return c === 0xb7 || isNameStartCode(c) || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

/** Whether a code point may occur in an XML 1.0 document. */
export function isXmlChar(code: number): boolean {
    return code === 9 || code === 10 || code === 13
        || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** How a forbidden character is named in messages: U+000C (form feed). */
export function describeChar(text: string, at: number): string {
    const c = text.charCodeAt(at);
    const hex = c.toString(16).toUpperCase().padStart(4, '0');
    const names: Record<number, string> = { 0: 'NUL', 8: 'backspace', 11: 'vertical tab', 12: 'form feed', 27: 'escape', 0xfffe: 'a non-character', 0xffff: 'a non-character' };
    const name = c >= 0xd800 && c <= 0xdfff ? 'a lone surrogate half' : names[c] ?? 'a control character';
    return `U+${hex} (${name})`;
}

export function isPubidChar(c: number): boolean {
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return true;
    return c === 0x20 || c === 0xd || c === 0xa || "-'()+,./:=?;!*#@$_%".includes(String.fromCharCode(c));
}
