// Bytes -> text as an XML parser reads them: a BOM, else the XML declaration's encoding, else UTF-8.
import * as buffer from 'buffer';
import { TextDecoder } from 'util';

// Node >= 18.14 / 19.6 (simdutf); without them every file takes the decoder.
const { isAscii, isUtf8 } = buffer as { isAscii?: (b: Uint8Array) => boolean; isUtf8?: (b: Uint8Array) => boolean };

/** `invalidBytes`: where the first byte sequence that is not valid in the encoding was (a U+FFFD in the text). */
export type Decoded = { text: string; invalidBytes?: InvalidBytes } | { error: string };

/** libxml2 stops at bytes that are not valid in the document's encoding; the text shows U+FFFD there. */
export interface InvalidBytes { at: number; encoding: string }


export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;

/** Why a file of `size` bytes is not indexed, or undefined when it is within the limit. */
export function sizeLimitError(size: number, maxSize: number): string | undefined {
    return size > maxSize ? `File is ${(size / 1048576).toFixed(1)} MB, over the ${(maxSize / 1048576).toFixed(0)} MB limit for indexing` : undefined;
}

/** The same for a text the editor holds: its size in UTF-8 bytes, counted only when it could matter. */
export function textSizeLimitError(text: string, maxSize: number): string | undefined {
    if (text.length * 3 <= maxSize) return undefined; // a UTF-16 unit is at most 3 UTF-8 bytes
    return sizeLimitError(text.length > maxSize ? text.length : Buffer.byteLength(text, 'utf8'), maxSize);
}

export function decodeXml(bytes: Uint8Array, maxSize = DEFAULT_MAX_FILE_SIZE): Decoded {
    const tooLarge = sizeLimitError(bytes.length, maxSize);
    if (tooLarge) return { error: tooLarge };
    const encoding = encodingOf(bytes);
    // ASCII reads the same in UTF-8, and as a one-byte copy (~1.4x faster than the decoder).
    if (encoding === 'utf-8' && isAscii?.(bytes) && bytes.indexOf(0) < 0) {
        return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1') };
    }
    let decoder: InstanceType<typeof TextDecoder>;
    try {
        decoder = new TextDecoder(encoding);
    } catch {
        return { error: `Unsupported encoding "${encoding}" in the XML declaration` };
    }
    // A NUL byte never occurs in XML text (UTF-16 aside): a binary file named .xml, unless it starts
    // as markup does (then it is XML with a forbidden character, which the parser reports).
    if (!encoding.startsWith('utf-16') && bytes.indexOf(0) >= 0 && !startsLikeMarkup(bytes)) return { error: 'Binary file: not XML text' };
    const text = decoder.decode(bytes);
    // Only a text with U+FFFD in it can hide bad bytes: decode again, strictly, only then.
    const replacement = encoding.startsWith('utf') ? text.indexOf('\ufffd') : -1;
    if (replacement >= 0) {
        try {
            new TextDecoder(encoding, { fatal: true }).decode(bytes);
        } catch {
            return { text, invalidBytes: { at: replacement, encoding: encoding.toUpperCase() } };
        }
    }
    return { text };
}

/** The encoding an XML parser reads the bytes in: a BOM, else the XML declaration's, else UTF-8. */
function encodingOf(bytes: Uint8Array): string {
    // A byte order mark decides, whatever the declaration says (as in libxml2).
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
    if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
    if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 256)).toString('latin1');
    const m = /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
    // A name that is not an encoding name (EncName starts with a letter) is the declaration's
    // error, which the parser reports: read the bytes as UTF-8 meanwhile.
    return m && /^[A-Za-z]/.test(m[1]) ? m[1].toLowerCase() : 'utf-8';
}

/**
 * Whether decodeXml reads the bytes as UTF-8 without a BOM, and they are valid UTF-8 without NUL:
 * then its text is exactly their decoding, so the text's digest is that of the bytes
 * (`bytesFingerprint`), known without decoding.
 */
export function isPlainUtf8(bytes: Uint8Array, maxSize = DEFAULT_MAX_FILE_SIZE): boolean {
    if (!isUtf8 || bytes.length > maxSize || (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) return false;
    return bytes.indexOf(0) < 0 && encodingOf(bytes) === 'utf-8' && isUtf8(bytes);
}

/** `<` then a name character, `?` or `!`, after an optional UTF-8 BOM, white space and control characters. */
function startsLikeMarkup(bytes: Uint8Array): boolean {
    let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    while (i < bytes.length && bytes[i] <= 0x20) i++;
    const n = bytes[i + 1];
    return bytes[i] === 0x3c && n !== undefined && (n === 0x3f || n === 0x21 || n === 0x5f || n === 0x3a || (n | 0x20) >= 0x61 && (n | 0x20) <= 0x7a);
}
