// The files one render sees, and the parses kept between renders.
//
// Speed: parses are cached per file and text (and index entry, which changes whenever the index
// re-reads a file), so a keystroke re-parses one file; all files a render needs are loaded first, so
// the render itself is one synchronous walk over fixed texts.

import type { CancellationToken } from '../../api';
import { idAttributeOf, isDocbook4Root, isXInclude } from '../../core/docbookModel';
import { EntityTable, emptyEntityTable, PREDEFINED_ENTITIES } from '../../core/entities';
import { computeLineStarts } from '../../core/lineMap';
import { Resolved } from '../../core/resolver';
import { attr, attrNS, parseXml, parseXmlShared, XML_NS, XmlDocument, XmlElement } from '../../core/xmlParser';
import { decodeAttr } from './html';
import { IndexedSource, PreviewLookup } from './lookup';

interface IncludeSite { target: string | undefined; parse: 'xml' | 'text' }

export interface ParsedFile {
    path: string;
    text: string;
    doc: XmlDocument;
    lineStarts: Uint32Array;
    entities: EntityTable;
    /** A DocBook 4 file: its elements take their id from `id` too (the index's rule). */
    docbook4: boolean;
    /** Entity-value fragments: their offsets are not the file's, every block maps to the reference's line. */
    fixedLine?: number;
    ids?: Map<string, XmlElement>;
    /** Include targets and image files named anywhere in the file (for loading before the render). */
    sites?: { includes: IncludeSite[]; images: string[] };
}

interface CacheEntry { indexed: IndexedSource | undefined; parsed: ParsedFile; usedBy: number }

interface ParseCache { entries: Map<string, CacheEntry>; renders: number }

const parseCaches = new WeakMap<PreviewLookup, ParseCache>();

/** Files no render used for this many renders are dropped, so the cache holds about the books being previewed. */
const CACHE_KEEP_RENDERS = 4;

function cacheOf(lookup: PreviewLookup): ParseCache {
    let cache = parseCaches.get(lookup);
    if (!cache) {
        cache = { entries: new Map(), renders: 0 };
        parseCaches.set(lookup, cache);
    }
    return cache;
}

/** An element's id, by the index's rule. */
export function idOf(el: XmlElement, pf: ParsedFile): string | undefined {
    const v = idAttributeOf(el, pf.docbook4)?.value.trim();
    return v || undefined;
}

/** The files one render sees, loaded up front so that a render is one synchronous walk over fixed texts. */
export class Snapshot {
    readonly files = new Map<string, ParsedFile | null>();
    readonly texts = new Map<string, string | null>();
    readonly images = new Map<string, boolean>();
    /** Files that exist but are not read (binary, too large, devices), with the reason. */
    readonly unreadable = new Map<string, string>();
    private readonly render: number;
    private readonly cache: ParseCache;

    constructor(readonly lookup: PreviewLookup) {
        this.cache = cacheOf(lookup);
        this.render = ++this.cache.renders;
    }

    private async readText(file: string): Promise<string | undefined> {
        const read = await this.lookup.readText(file);
        if (read && 'unreadable' in read) {
            this.unreadable.set(file, read.unreadable);
            return undefined;
        }
        return read?.text;
    }

    async load(file: string): Promise<ParsedFile | undefined> {
        const known = this.files.get(file);
        if (known !== undefined) return known ?? undefined;
        const indexed = this.lookup.indexed(file);
        const cached = this.cache.entries.get(file);
        let parsed: ParsedFile | undefined;
        if (indexed?.readError) {
            this.unreadable.set(file, indexed.readError);
        } else if (cached && cached.indexed === indexed && indexed && (indexed.openText === undefined || indexed.openText === cached.parsed.text)) {
            parsed = cached.parsed;
            cached.usedBy = this.render;
        } else {
            const text = indexed?.openText ?? await this.readText(file);
            if (text !== undefined) {
                const entities = indexed?.entities ?? emptyEntityTable();
                if (cached && cached.parsed.text === text) {
                    parsed = cached.parsed.entities === entities ? cached.parsed : { ...cached.parsed, entities, ids: undefined, sites: undefined };
                } else {
                    // An open file's text was just parsed and mapped for the index; so was a text a one-shot command's index kept.
                    const open = indexed?.openText === text;
                    const kept = !open && indexed?.diskRead?.text === text;
                    const doc = open ? parseXmlShared(text) : (kept && indexed.diskDoc) || parseXml(text);
                    const lineStarts = (open || kept) && indexed.model?.textLength === text.length ? indexed.model.lineStarts : computeLineStarts(text);
                    parsed = { path: file, text, doc, lineStarts, entities, docbook4: isDocbook4Root(doc.root, doc.doctype) };
                }
                this.cache.entries.set(file, { indexed, parsed, usedBy: this.render });
            } else {
                this.cache.entries.delete(file);
            }
        }
        this.files.set(file, parsed ?? null);
        return parsed;
    }

    /** Loads a file, everything it includes (transitively), the text includes and the existence of its images. */
    async loadTree(file: string, token?: CancellationToken): Promise<void> {
        const queue = [file];
        const pending: Promise<unknown>[] = [];
        while (queue.length && !token?.isCancellationRequested) {
            const batch = [...new Set(queue.splice(0))].filter((f) => !this.files.has(f));
            const loaded = await Promise.all(batch.map((f) => this.load(f)));
            for (const pf of loaded) {
                if (!pf) continue;
                const sites = sitesOf(pf, this.lookup);
                for (const inc of sites.includes) {
                    if (!inc.target) continue;
                    if (inc.parse === 'text') {
                        if (!this.texts.has(inc.target)) {
                            this.texts.set(inc.target, null);
                            const target = inc.target;
                            pending.push(this.readText(target).then((t) => { this.texts.set(target, t ?? null); }));
                        }
                    } else if (!this.files.has(inc.target)) {
                        queue.push(inc.target);
                    }
                }
                for (const img of sites.images) {
                    if (this.images.has(img)) continue;
                    this.images.set(img, this.lookup.exists(img));
                    if (!this.images.get(img)) pending.push(this.lookup.existsOnDisk(img).then((e) => { this.images.set(img, e); }));
                }
            }
        }
        await Promise.all(pending);
    }

    /** Drops cached parses that recent renders did not use. */
    evictStale(): void {
        for (const [file, entry] of this.cache.entries) {
            if (entry.usedBy <= this.render - CACHE_KEEP_RENDERS) this.cache.entries.delete(file);
        }
    }
}

/** Include targets and image files of a parsed file, found once per parse. */
function sitesOf(pf: ParsedFile, lookup: PreviewLookup): { includes: IncludeSite[]; images: string[] } {
    if (pf.sites) return pf.sites;
    const includes: IncludeSite[] = [];
    const images: string[] = [];
    const fragmentsSeen = new Set<string>();
    const visit = (el: XmlElement, bases: string[]): void => {
        const base = attrNS(el, XML_NS, 'base');
        const b = base ? [...bases, base.value] : bases;
        if (isXInclude(el)) {
            const href = decodeAttr(attr(el, 'href')?.value ?? '', pf.entities).trim();
            const resolved = resolveRef(lookup, el, href, pf.path, b);
            includes.push({ target: resolved.kind === 'file' ? resolved.path : undefined, parse: attr(el, 'parse')?.value.trim() === 'text' ? 'text' : 'xml' });
        } else if (el.local === 'imagedata' || el.local === 'graphic' || el.local === 'inlinegraphic') {
            const fileref = decodeAttr(attr(el, 'fileref')?.value ?? '', pf.entities).trim();
            if (fileref) {
                const r = resolveRef(lookup, el, fileref, pf.path, b);
                if (r.kind === 'file') images.push(r.path);
            }
        }
        for (const c of el.children) {
            if (c.kind === 'element') visit(c, b);
            else if (c.kind === 'entity' && !fragmentsSeen.has(c.name)) {
                // Entity values with markup (&CHECK; is an inlinemediaobject) name images too.
                fragmentsSeen.add(c.name);
                const frag = entityFragment(c.name, pf.entities, el.nsScope);
                if (frag) for (const fc of frag.root?.children ?? []) if (fc.kind === 'element') visit(fc, b);
            }
        }
    };
    if (pf.doc.root) visit(pf.doc.root, []);
    pf.sites = { includes, images };
    return pf.sites;
}

const resolvedRefs = new WeakMap<XmlElement, { key: object; file: string; bases: readonly string[]; value: string; resolved: Resolved }>();

/** An href or fileref resolved once per element (URL parsing is a good part of a render's time), again when its file, bases or value differ. */
export function resolveRef(lookup: PreviewLookup, el: XmlElement, value: string, file: string, bases: readonly string[]): Resolved {
    const known = resolvedRefs.get(el);
    // New settings (catalogs, URL mappings) resolve differently: they are part of the key.
    const key = lookup.resolutionKey;
    if (known && known.key === key && known.file === file && known.value === value
        && (known.bases === bases || (known.bases.length === 0 && bases.length === 0))) return known.resolved;
    const resolved: Resolved = value ? lookup.resolveHref(value, file, bases) : { kind: 'file', path: file };
    resolvedRefs.set(el, { key, file, bases, value, resolved });
    return resolved;
}

export function idMapOf(pf: ParsedFile): Map<string, XmlElement> {
    if (pf.ids) return pf.ids;
    const ids = new Map<string, XmlElement>();
    const stack: XmlElement[] = pf.doc.root ? [pf.doc.root] : [];
    while (stack.length) {
        const el = stack.pop()!;
        const id = idOf(el, pf);
        if (id && !ids.has(id)) ids.set(id, el);
        for (let i = el.children.length - 1; i >= 0; i--) {
            const c = el.children[i];
            if (c.kind === 'element') stack.push(c);
        }
    }
    pf.ids = ids;
    return ids;
}

const fragmentCache = new WeakMap<EntityTable, Map<string, XmlDocument | null>>();

/** An entity value with markup or references, parsed as content in the namespaces in scope where it is used. */
export function entityFragment(name: string, table: EntityTable, nsScope: Record<string, string>): XmlDocument | undefined {
    if (name.startsWith('#') || PREDEFINED_ENTITIES[name] !== undefined) return undefined;
    const decl = table.general.get(name);
    if (!decl || decl.value === undefined || (!decl.value.includes('<') && !decl.value.includes('&'))) return undefined;
    let perTable = fragmentCache.get(table);
    if (!perTable) {
        perTable = new Map();
        fragmentCache.set(table, perTable);
    }
    let decls = '';
    for (const prefix in nsScope) {
        if (prefix === 'xml') continue;
        const uri = nsScope[prefix];
        const q = uri.includes('"') ? "'" : '"';
        decls += ` ${prefix ? 'xmlns:' + prefix : 'xmlns'}=${q}${uri}${q}`;
    }
    const key = name + '\u0000' + decls;
    let doc = perTable.get(key);
    if (doc === undefined) {
        doc = parseXml(`<dbp-entity${decls}>${decl.value}</dbp-entity>`);
        perTable.set(key, doc);
    }
    return doc ?? undefined;
}
