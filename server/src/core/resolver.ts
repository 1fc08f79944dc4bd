// Where an href, a system id or a fileref points: a local file, or a URL nobody mapped.
// Real books include files by URL (http://git.openstack.org/cgit/.../doc/common/app_support.xml);
// an OASIS XML catalog or a URL-prefix -> folder setting turns those into local files, as
// libxml2's catalog resolution does for the real build. Nothing here ever fetches a URL.

import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { parseXml, XmlElement } from './xmlParser';

export type Resolved =
    | { kind: 'file'; path: string }
    | { kind: 'remote'; url: string }
    | { kind: 'invalid'; reason: string };

export interface CatalogEntry {
    kind: 'uri' | 'rewriteURI' | 'system' | 'rewriteSystem' | 'public';
    /** The name, start string or public id matched against. */
    match: string;
    /** Absolute URL (usually file:) that replaces the match. */
    target: string;
}

export class UriResolver {
    private readonly mappings: [string, string][];

    /** `urlMappings`: URL prefix -> local folder (absolute, or relative to `mappingBase`). */
    constructor(urlMappings: Record<string, string>, private readonly catalog: CatalogEntry[], mappingBase: string) {
        this.mappings = Object.entries(urlMappings)
            .map(([prefix, folder]): [string, string] => [prefix, pathToFileURL(path.resolve(mappingBase, folder)).href + (folder.endsWith('/') || folder.endsWith(path.sep) ? '/' : '')])
            .sort((a, b) => b[0].length - a[0].length);
    }

    /** Resolves an xi:include href (or imagedata fileref) written in `fromFile`, under the xml:base values in effect. */
    resolveHref(href: string, fromFile: string, xmlBase: readonly string[] = []): Resolved {
        if (!xmlBase.length) {
            const plain = plainRelativeTarget(href, fromFile);
            if (plain !== undefined) return { kind: 'file', path: plain };
        }
        let base = pathToFileURL(fromFile).href;
        try {
            for (const b of xmlBase) base = this.map(new URL(b, base).href);
            return this.toResolved(this.map(new URL(href, base).href));
        } catch {
            return { kind: 'invalid', reason: `"${href}" is not a valid URI reference` };
        }
    }

    /** Resolves an external entity's system id (with its public id, for catalogs). */
    resolveSystemId(systemId: string, publicId: string | undefined, fromFile: string): Resolved {
        if (publicId) {
            const byPublic = this.catalog.find((e) => e.kind === 'public' && e.match === publicId.trim().replace(/\s+/g, ' '));
            if (byPublic) return this.toResolved(byPublic.target);
        }
        return this.resolveHref(systemId, fromFile);
    }

    private map(url: string): string {
        if (url.startsWith('file:')) return url;
        for (const e of this.catalog) {
            if ((e.kind === 'uri' || e.kind === 'system') && e.match === url) return e.target;
        }
        let best: CatalogEntry | undefined;
        for (const e of this.catalog) {
            if ((e.kind === 'rewriteURI' || e.kind === 'rewriteSystem') && url.startsWith(e.match) && (!best || e.match.length > best.match.length)) best = e;
        }
        if (best) return best.target + url.slice(best.match.length);
        for (const [prefix, folder] of this.mappings) {
            if (url.startsWith(prefix)) return joinUrl(folder, url.slice(prefix.length));
        }
        return url;
    }

    private toResolved(url: string): Resolved {
        if (url.startsWith('file:')) {
            try {
                return { kind: 'file', path: fileURLToPath(url.replace(/[?#].*$/, '')) };
            } catch {
                return { kind: 'invalid', reason: `"${url}" is not a local file URL` };
            }
        }
        return { kind: 'remote', url };
    }
}

/** A relative path of unreserved characters, without empty segments and not ending in a dot segment or a slash. */
const PLAIN_RELATIVE_HREF = /^(?![/])(?!.*\/\/)[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]$/;
const DOT_SEGMENT_END = /(?:^|\/)\.\.?$/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;
/** A normalized absolute path of a file: no empty or dot segment, no slash at the end. */
const NORMAL_FILE_PATH = /^\/(?![\s\S]*\/\/)(?![\s\S]*\/\.\.?(?:\/|$))(?![\s\S]*\/$)/;
const URLS_ARE_PATHS = process.platform !== 'win32';

/**
 * The file a plain relative href (`section_x.xml`, `../common/app.xml`) names, without URL parsing:
 * for such an href, resolving it as a URL against the file's URL and back gives the same path as
 * path.resolve from the file's folder (dot segments are removed alike, nothing is escaped, no
 * catalog or mapping applies to file: URLs). Undefined for anything else. Includes and images are
 * resolved for every file a check reads, and URL parsing was most of that.
 */
export function plainRelativeTarget(href: string, fromFile: string): string | undefined {
    if (!URLS_ARE_PATHS || !PLAIN_RELATIVE_HREF.test(href) || DOT_SEGMENT_END.test(href)) return undefined;
    if (!path.isAbsolute(fromFile) || !NORMAL_FILE_PATH.test(fromFile)) return undefined;
    const dir = path.dirname(fromFile);
    // Without dot segments, resolving is joining (the common case: `section_x.xml`, `figures/a.png`).
    if (!DOT_SEGMENT.test(href)) return dir === '/' ? dir + href : dir + '/' + href;
    return path.resolve(dir, href);
}

function joinUrl(folderUrl: string, rest: string): string {
    if (folderUrl.endsWith('/') || rest.startsWith('/') || rest === '') return folderUrl + rest;
    return folderUrl + '/' + rest;
}

const CATALOG_KINDS = new Set(['uri', 'rewriteURI', 'system', 'rewriteSystem', 'public', 'nextCatalog', 'group']);

/**
 * Reads an OASIS XML catalog. `readText` returns a file's text (undefined when unreadable);
 * nextCatalog entries are followed (each file once).
 */
export async function readCatalogs(
    files: readonly string[],
    readText: (file: string) => Promise<string | undefined>,
): Promise<{ entries: CatalogEntry[]; errors: string[] }> {
    const entries: CatalogEntry[] = [];
    const errors: string[] = [];
    const seen = new Set<string>();
    const queue = [...files];
    while (queue.length && seen.size < 64) {
        const file = path.resolve(queue.shift()!);
        if (seen.has(file)) continue;
        seen.add(file);
        const text = await readText(file);
        if (text === undefined) {
            errors.push(`XML catalog ${file} cannot be read`);
            continue;
        }
        const doc = parseXml(text);
        if (!doc.root || doc.root.local !== 'catalog') {
            errors.push(`${file} is not an OASIS XML catalog (no <catalog> root)`);
            continue;
        }
        const visit = (el: XmlElement, base: string): void => {
            for (const c of el.children) {
                if (c.kind !== 'element' || !CATALOG_KINDS.has(c.local)) continue;
                const get = (n: string): string | undefined => c.attrs.find((a) => a.name === n)?.value;
                const childBase = get('xml:base') ? new URL(get('xml:base')!, base).href : base;
                const abs = (v: string): string => new URL(v, childBase).href;
                try {
                    switch (c.local) {
                        case 'uri': if (get('name') && get('uri')) entries.push({ kind: 'uri', match: get('name')!, target: abs(get('uri')!) }); break;
                        case 'system': if (get('systemId') && get('uri')) entries.push({ kind: 'system', match: get('systemId')!, target: abs(get('uri')!) }); break;
                        case 'public': if (get('publicId') && get('uri')) entries.push({ kind: 'public', match: get('publicId')!.trim().replace(/\s+/g, ' '), target: abs(get('uri')!) }); break;
                        case 'rewriteURI': if (get('uriStartString') && get('rewritePrefix')) entries.push({ kind: 'rewriteURI', match: get('uriStartString')!, target: abs(get('rewritePrefix')!) }); break;
                        case 'rewriteSystem': if (get('systemIdStartString') && get('rewritePrefix')) entries.push({ kind: 'rewriteSystem', match: get('systemIdStartString')!, target: abs(get('rewritePrefix')!) }); break;
                        case 'nextCatalog': if (get('catalog')) queue.push(fileURLToPath(abs(get('catalog')!))); break;
                        case 'group': visit(c, childBase); break;
                    }
                } catch {
                    errors.push(`${file}: entry <${c.local}> has an invalid URI`);
                }
            }
        };
        visit(doc.root, pathToFileURL(file).href);
    }
    return { entries, errors };
}
