// Small helpers for writing HTML from document text, and for reading the attributes and shapes of
// DocBook elements that many renderers ask about.

import * as path from 'path';
import { pathToFileURL } from 'url';
import { EntityTable, entityText } from '../../core/entities';
import { XmlElement, XmlNode } from '../../core/xmlParser';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\u0000': '\ufffd' };

export function escapeHtml(s: string): string {
    return /[&<>"'\u0000]/.test(s) ? s.replace(/[&<>"'\u0000]/g, (c) => HTML_ESCAPES[c]) : s;
}

/** An attribute value with its entity and character references replaced. */
export function decodeAttr(value: string, entities: EntityTable): string {
    if (!value.includes('&')) return value;
    return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*);/g, (all, n: string) => entityText(n, entities) ?? all);
}

export function positiveInt(value: string | undefined, max: number): number | undefined {
    if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
    const n = parseInt(value, 10);
    return n >= 1 && n <= max ? n : undefined;
}

export function pixels(value: string | undefined): number | undefined {
    const m = /^\s*(\d{1,5})(?:\.\d+)?\s*(px)?\s*$/.exec(value ?? '');
    return m ? parseInt(m[1], 10) : undefined;
}

/** A document URL the output may link to: http(s) and mailto as written, relative paths resolved to local files. */
export function safeHref(raw: string, fromFile: string, resourceUri: (p: string) => string): string | undefined {
    // Judge the URL a browser would see: it trims C0 controls and spaces and drops tabs and newlines ("java\tscript:").
    const v = raw.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
    if (!v || /[\u0000-\u001f\u007f]/.test(v)) return undefined;
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(v);
    if (scheme) {
        const s = scheme[1].toLowerCase();
        if (s !== 'http' && s !== 'https' && s !== 'mailto') return undefined;
        try {
            return new URL(v).href;
        } catch {
            return undefined;
        }
    }
    if (v.startsWith('#')) return v;
    if (v.startsWith('//') || v.includes('\\')) return undefined;
    const hash = v.indexOf('#');
    const query = v.search(/[?#]/);
    const rel = query >= 0 ? v.slice(0, query) : v;
    let decoded: string;
    try {
        decoded = decodeURIComponent(rel);
    } catch {
        return undefined;
    }
    const abs = path.resolve(path.dirname(fromFile), decoded);
    return resourceUri(abs) + (hash >= 0 ? v.slice(hash) : '');
}

export function defaultResourceUri(absPath: string): string {
    return pathToFileURL(absPath).href;
}

export function childElement(el: XmlElement | undefined, local: string): XmlElement | undefined {
    if (!el) return undefined;
    for (const c of el.children) if (c.kind === 'element' && c.local === local) return c;
    return undefined;
}

export function hasElementChild(el: XmlElement): boolean {
    return el.children.some((c) => c.kind === 'element' && c.local !== 'title' && c.local !== 'info');
}

/** Whether an element has text or elements (an empty <link/> or <glosssee/> gets generated text). */
export function hasContent(el: XmlElement): boolean {
    return el.children.some((c) => c.kind === 'element' || c.kind === 'entity' || c.kind === 'cdata' || c.kind === 'text');
}

/** Whether a node is only layout: a comment, a processing instruction or white space. */
export function isBlank(n: XmlNode, text: string): boolean {
    return n.kind === 'comment' || n.kind === 'pi' || (n.kind === 'text' && !/\S/.test(text.slice(n.start, n.end)));
}

/** All text under an element, without recursion (for nesting too deep to render as structure). */
export function flatText(el: XmlElement, text: string): string {
    const parts: string[] = [];
    const stack: XmlNode[] = [el];
    while (stack.length) {
        const n = stack.pop()!;
        if (n.kind === 'text' || n.kind === 'cdata') parts.push(text.slice(n.start, n.end));
        else if (n.kind === 'entity') parts.push(`&${n.name};`);
        else if (n.kind === 'element') for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    return parts.join('');
}
