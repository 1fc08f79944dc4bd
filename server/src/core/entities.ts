// Entity declarations: a document's DOCTYPE internal subset, the parameter-entity files it pulls in
// (`<!ENTITY % openstack SYSTEM "../openstack.ent"> %openstack;`) and, when reachable, its external DTD.
// Entities are expanded only for display text (titles, glossary definitions), always under a budget:
// a "billion laughs" document costs at most MAX_EXPANSION characters.

import { own, ownOpt } from './strings';

export interface EntityDecl {
    name: string;
    /** Replacement text with character references already decoded; undefined for external entities. */
    value?: string;
    systemId?: string;
    publicId?: string;
    /** File that declares it ('' = the document's own internal subset). */
    source: string;
    /** Offset of the declaration in its source. */
    start: number;
}

/** What reading one DTD text (a subset, an .ent file, an external DTD) needs from outside. */
export interface DtdLoader {
    /**
     * Text of an external DTD part named by a system id, relative to `base` (a file path).
     * `missing`: a local file that does not exist; `remote`: a URL with no local mapping (unknowable).
     */
    load(systemId: string, publicId: string | undefined, base: string): Promise<DtdLoad>;
}

export type DtdLoad =
    | { kind: 'text'; path: string; text: string }
    | { kind: 'missing'; path: string }
    | { kind: 'remote'; url: string };

export interface EntityTable {
    general: Map<string, EntityDecl>;
    /** Files read to build this table (for invalidation when one changes). */
    dependencies: string[];
    /** Local files named but not found; their entities are truly undefined for the build too. */
    missing: string[];
    /** False when a part could not be known (remote DTD or entity file): undefined entities are then not errors. */
    complete: boolean;
}

export const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

const MAX_DTD_FILES = 64;
export const MAX_EXPANSION = 100_000;
/**
 * Characters of DTD text one document may cost: read (subset, entity files, parameter-entity
 * values) or produced by expanding parameter entities in declarations. "Billion laughs" built from
 * parameter entities would otherwise blow up where they are declared, or loop where they are used.
 */
export const MAX_DTD_TEXT = 4_000_000;
const MAX_DEPTH = 16;

export function emptyEntityTable(): EntityTable {
    return { general: new Map(), dependencies: [], missing: [], complete: true };
}

export interface DoctypeInfo {
    publicId?: string;
    systemId?: string;
    subset: string;
    subsetOffset: number;
}

export async function buildEntityTable(doctype: DoctypeInfo | undefined, documentPath: string, loader: DtdLoader): Promise<EntityTable> {
    const table = emptyEntityTable();
    if (!doctype) return table;
    const reader = new DtdReader(table, loader);
    // The internal subset is read first, so its declarations win over the external DTD's.
    await reader.read(doctype.subset, '', documentPath, doctype.subsetOffset, 0);
    if (doctype.systemId) await reader.readExternal(doctype.systemId, doctype.publicId, documentPath, 0);
    return table;
}

class DtdReader {
    private readonly parameter = new Map<string, EntityDecl>();
    private filesRead = 0;
    private budget = MAX_DTD_TEXT;

    constructor(private readonly table: EntityTable, private readonly loader: DtdLoader) {}

    async readExternal(systemId: string, publicId: string | undefined, base: string, depth: number): Promise<void> {
        if (depth > MAX_DEPTH || this.filesRead >= MAX_DTD_FILES) {
            this.table.complete = false;
            return;
        }
        this.filesRead++;
        const loaded = await this.loader.load(systemId, publicId, base);
        if (loaded.kind === 'remote') {
            this.table.complete = false;
            return;
        }
        if (loaded.kind === 'missing') {
            if (!this.table.missing.includes(loaded.path)) this.table.missing.push(loaded.path);
            if (!this.table.dependencies.includes(loaded.path)) this.table.dependencies.push(loaded.path);
            return;
        }
        if (!this.table.dependencies.includes(loaded.path)) this.table.dependencies.push(loaded.path);
        await this.read(loaded.text, loaded.path, loaded.path, 0, depth + 1);
    }

    /** `source` names the declaring file in results; `base` resolves relative system ids. */
    async read(text: string, source: string, base: string, offset: number, depth: number): Promise<void> {
        if (!this.spend(text.length)) return;
        let i = 0;
        const len = text.length;
        while (i < len) {
            const c = text.charCodeAt(i);
            if (c === 60 /* < */) {
                if (text.startsWith('<!--', i)) {
                    const close = text.indexOf('-->', i + 4);
                    i = close < 0 ? len : close + 3;
                } else if (text.startsWith('<?', i)) {
                    const close = text.indexOf('?>', i + 2);
                    i = close < 0 ? len : close + 2;
                } else if (text.startsWith('<!ENTITY', i)) {
                    const end = declEnd(text, i + 8);
                    this.declare(text.slice(i + 8, end), source, offset + i);
                    i = end + 1;
                } else if (text.startsWith('<![', i)) {
                    i = await this.conditional(text, i, source, base, offset, depth);
                } else {
                    i = declEnd(text, i + 2) + 1;
                }
            } else if (c === 37 /* % */) {
                const m = /^%([A-Za-z_:][\w.:-]*);/.exec(text.slice(i, i + 200));
                if (!m) { i++; continue; }
                i += m[0].length;
                const pe = this.parameter.get(m[1]);
                if (!pe) { this.table.complete = false; continue; }
                if (pe.value !== undefined) {
                    if (depth < MAX_DEPTH) await this.read(pe.value, source, base, offset, depth + 1);
                } else if (pe.systemId !== undefined) {
                    await this.readExternal(pe.systemId, pe.publicId, pe.source || base, depth);
                }
            } else {
                i++;
            }
        }
    }

    private async conditional(text: string, i: number, source: string, base: string, offset: number, depth: number): Promise<number> {
        const open = text.indexOf('[', i + 3);
        if (open < 0) return text.length;
        let keyword = text.slice(i + 3, open).trim();
        const pe = /^%([\w.:-]+);$/.exec(keyword);
        if (pe) keyword = (this.parameter.get(pe[1])?.value ?? 'IGNORE').trim();
        // Find the matching ]]> with nesting.
        let level = 1;
        let j = open + 1;
        while (j < text.length && level > 0) {
            const nextOpen = text.indexOf('<![', j);
            const nextClose = text.indexOf(']]>', j);
            if (nextClose < 0) { j = text.length; break; }
            if (nextOpen >= 0 && nextOpen < nextClose) { level++; j = nextOpen + 3; } else { level--; j = nextClose + 3; }
        }
        if (keyword === 'INCLUDE') await this.read(text.slice(open + 1, Math.max(open + 1, j - 3)), source, base, offset + open + 1, depth + 1);
        return j;
    }

    private declare(body: string, source: string, start: number): void {
        const m = /^\s+(%\s+)?([A-Za-z_:][\w.:\u00b7-]*)\s+/.exec(body);
        if (!m) return;
        const isParameter = !!m[1];
        const name = own(m[2]);
        const rest = body.slice(m[0].length);
        const decl: EntityDecl = { name, source, start };
        const literal = /^(["'])([\s\S]*?)\1/.exec(rest);
        if (literal) {
            decl.value = own(this.expandParameters(decodeCharRefs(literal[2])));
        } else {
            const ext = /^(?:SYSTEM\s+(["'])([\s\S]*?)\1|PUBLIC\s+(["'])([\s\S]*?)\3\s+(["'])([\s\S]*?)\5)/.exec(rest);
            if (!ext) return;
            decl.systemId = own(ext[2] ?? ext[6]);
            decl.publicId = ownOpt(ext[4]);
        }
        // XML: the first declaration of a name is binding.
        const map = isParameter ? this.parameter : this.table.general;
        if (!map.has(name)) map.set(name, decl);
    }

    private expandParameters(value: string): string {
        if (!value.includes('%')) return value;
        let out = '';
        let last = 0;
        const re = /%([A-Za-z_:][\w.:-]*);/g;
        for (let m = re.exec(value); m; m = re.exec(value)) {
            const replacement = this.parameter.get(m[1])?.value;
            if (replacement === undefined) continue;
            if (!this.spend(replacement.length)) break; // over budget: the rest stays unexpanded
            out += value.slice(last, m.index) + replacement;
            last = m.index + m[0].length;
        }
        return out + value.slice(last);
    }

    /** Takes `n` characters from the budget; false (and the table incomplete) when it is spent. */
    private spend(n: number): boolean {
        if (n > this.budget) {
            this.budget = 0;
            this.table.complete = false;
            return false;
        }
        this.budget -= n;
        return true;
    }
}

function declEnd(text: string, from: number): number {
    let i = from;
    while (i < text.length) {
        const c = text.charCodeAt(i);
        if (c === 62 /* > */) return i;
        if (c === 34 || c === 39) {
            const close = text.indexOf(c === 34 ? '"' : "'", i + 1);
            if (close < 0) return text.length;
            i = close + 1;
        } else {
            i++;
        }
    }
    return text.length;
}

export function decodeCharRefs(s: string): string {
    if (!s.includes('&#')) return s;
    return s.replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (all, n: string) => {
        const code = n[0] === 'x' ? parseInt(n.slice(1), 16) : parseInt(n, 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    });
}

/** The characters a reference stands for as display text; markup inside entity values is dropped. */
export function entityText(name: string, table: EntityTable, budget = { left: MAX_EXPANSION }, depth = 0): string | undefined {
    if (name.startsWith('#')) {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
    }
    const predefined = PREDEFINED_ENTITIES[name];
    if (predefined !== undefined) return predefined;
    const decl = table.general.get(name);
    if (!decl || decl.value === undefined) return undefined;
    if (depth > MAX_DEPTH || budget.left <= 0) return '';
    const stripped = decl.value.replace(/<[^>]*>/g, '');
    let out = '';
    let last = 0;
    const re = /&([A-Za-z_:][\w.:-]*|#x[0-9a-fA-F]+|#[0-9]+);/g;
    for (let m = re.exec(stripped); m; m = re.exec(stripped)) {
        out += stripped.slice(last, m.index);
        out += entityText(m[1], table, budget, depth + 1) ?? m[0];
        last = m.index + m[0].length;
        if (budget.left - out.length <= 0) break;
    }
    out += stripped.slice(last);
    if (out.length > budget.left) out = out.slice(0, Math.max(0, budget.left));
    budget.left -= out.length;
    return out;
}

/** Extracts the internal subset's text from a document for buildEntityTable. */
export function doctypeInfo(
    text: string,
    doctype: { publicId?: string; systemId?: string; subsetStart: number; subsetEnd: number } | undefined,
): DoctypeInfo | undefined {
    if (!doctype) return undefined;
    const subset = doctype.subsetStart >= 0 ? text.slice(doctype.subsetStart, doctype.subsetEnd) : '';
    return { publicId: doctype.publicId, systemId: doctype.systemId, subset, subsetOffset: Math.max(0, doctype.subsetStart) };
}
