// Reading XML from the workspace: the one place that decides whether a file may be read (the
// workspace boundary), whether it should be (devices, fifos, the size limit) and how its bytes
// become text. The index, the preview and the CLIs read XML only through `readXml`.
//
// The boundary: links and includes are followed only into the workspace folders and the folders
// the settings name (docbook.allowedRoots, the targets of docbook.urlMappings and of catalogs).
// It is decided on real paths, so a symbolic link to / or $HOME inside a folder leads nowhere.

import * as path from 'path';
import { fileURLToPath } from 'url';
import type { XmlRead } from '../api';
import { decodeXml, isPlainUtf8, sizeLimitError } from '../core/decode';
import { buildEntityTable, DoctypeInfo, DtdLoad, emptyEntityTable, EntityTable } from '../core/entities';
import { textFingerprint } from '../core/fingerprint';
import { CatalogEntry, UriResolver } from '../core/resolver';
import { DocbookSettings } from '../settings';
import { FileStat, Workspace } from '../workspace';

const EMPTY_ENTITIES: EntityTable = emptyEntityTable();

export const ALWAYS_SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'target', '.svn', '.hg']);

export function isUnder(file: string, folder: string): boolean {
    return file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

export class WorkspaceLoader {
    /** Allowed folders besides the workspace folders (settings, mappings, catalogs), as written and as real paths. */
    private extraRoots: string[] = [];
    private roots: string[] = [];
    /** Real-path verdicts, so that include statuses can be answered synchronously. */
    private readonly verdicts = new Map<string, boolean>();
    /** Folders and files of the workspace that are links leading outside it: link -> real target. */
    readonly outsideLinks = new Map<string, string>();
    private readonly dtdCache = new Map<string, DtdLoad>();
    private readonly entityTables = new Map<string, Promise<EntityTable>>();

    constructor(private readonly workspace: Workspace, private maxFileSize: number) {}

    /**
     * The folders includes and links may reach besides the workspace folders: `allowedRoots`
     * (relative to `base`), the urlMappings' folders and the folders catalogs point into.
     */
    configure(settings: DocbookSettings, base: string, catalogFiles: readonly string[], catalog: readonly CatalogEntry[]): void {
        this.maxFileSize = settings.maxFileSize;
        const extra = [
            ...settings.allowedRoots.map((r) => path.resolve(base, r)),
            ...Object.values(settings.urlMappings).map((r) => path.resolve(base, r)),
            ...catalogFiles.map((f) => path.dirname(f)),
        ];
        for (const e of catalog) {
            if (!e.target.startsWith('file:')) continue;
            try {
                const target = fileURLToPath(e.target);
                // A rewrite target is a folder prefix; a uri/system/public target a file.
                extra.push(e.kind.startsWith('rewrite') && e.target.endsWith('/') ? target : path.dirname(target));
            } catch {
                // not a local path: nothing to allow
            }
        }
        this.extraRoots = extra;
    }

    /**
     * Sets the workspace folders; every root is also known by its real path. A folder inside a git
     * checkout brings the checkout: an author who opens one book folder (doc/install-guide) still
     * gets the ../common files it includes, as the build does.
     */
    async setFolders(folders: readonly string[]): Promise<void> {
        const checkouts = (await Promise.all(folders.map((f) => this.enclosingCheckout(f)))).filter((c): c is string => c !== undefined);
        const lexical = [...new Set([...folders, ...checkouts, ...this.extraRoots])];
        const real = await Promise.all(lexical.map((r) => this.workspace.realPath(r)));
        this.roots = [...new Set([...lexical, ...real])];
        this.verdicts.clear();
        this.outsideLinks.clear();
    }

    /** The nearest folder above `folder` that holds a `.git`, unless that is / or the home folder (a dotfiles repository). */
    private async enclosingCheckout(folder: string): Promise<string | undefined> {
        const home = process.env.HOME ? path.resolve(process.env.HOME) : undefined;
        for (let dir = path.dirname(folder), up = 0; up < 16; dir = path.dirname(dir), up++) {
            if (dir === path.dirname(dir) || dir === home) return undefined;
            if (await this.workspace.stat(path.join(dir, '.git'))) return dir;
        }
        return undefined;
    }

    /** Whether a path is outside every allowed folder: the real-path verdict when known, else by its written path. */
    isOutside(file: string): boolean {
        const known = this.verdicts.get(file);
        return known !== undefined ? !known : !this.underRoot(file);
    }

    /** Decides (and remembers) whether a path is inside the boundary, following links. */
    async checkInside(file: string): Promise<boolean> {
        let inside = this.verdicts.get(file);
        if (inside === undefined) {
            const written = this.underRoot(file);
            const real = written ? await this.workspace.realPath(file) : file;
            inside = written && this.underRoot(real);
            // Written inside, real outside: a link that leads out of the workspace.
            if (written && !inside) this.outsideLinks.set(file, real);
            if (this.verdicts.size > 200_000) this.verdicts.clear();
            this.verdicts.set(file, inside);
        }
        return inside;
    }

    private underRoot(file: string): boolean {
        return this.roots.some((r) => isUnder(file, r));
    }

    /**
     * The text of an XML (or text-include) file, or why it was not read. Devices and fifos are never
     * opened (an include of /dev/zero would never end), a file over the size limit is refused before
     * it is read, and nothing outside the boundary is read.
     */
    async readXml(file: string): Promise<XmlRead> {
        const read = await this.readXmlBytes(file);
        return read.kind === 'bytes' ? this.decode(read.bytes) : read;
    }

    /**
     * readXml before decoding: the index digests a file of plain UTF-8 as bytes (`isPlainUtf8`) and
     * decodes it only when it has no cached model for them.
     */
    async readXmlBytes(file: string): Promise<Exclude<XmlRead, { kind: 'text' }> | { kind: 'bytes'; bytes: Uint8Array }> {
        if (!await this.checkInside(file)) return { kind: 'outside-workspace', reason: `${file} is outside the workspace folders and docbook.allowedRoots` };
        const { stat, bytes } = this.workspace.readRegularFile ? await this.workspace.readRegularFile(file, this.maxFileSize) : await this.statThenRead(file);
        if (!stat) return { kind: 'unreadable', reason: 'missing, or not a regular file' };
        if (stat.type === 'directory') return { kind: 'unreadable', reason: 'a folder' };
        const tooLarge = sizeLimitError(stat.size, this.maxFileSize);
        if (tooLarge) return { kind: 'not-text', reason: tooLarge };
        if (!bytes) return { kind: 'unreadable', reason: 'cannot be read' };
        return { kind: 'bytes', bytes };
    }

    private async statThenRead(file: string): Promise<{ stat?: FileStat; bytes?: Uint8Array }> {
        const stat = await this.workspace.stat(file);
        if (!stat || stat.type !== 'file' || stat.size > this.maxFileSize) return { stat };
        return { stat, bytes: await this.workspace.readFile(file) };
    }

    /** The bytes of a file as readXml returns them: its text, or why it is not XML text. */
    decode(bytes: Uint8Array): XmlRead & ({ kind: 'text' } | { kind: 'not-text' }) {
        const decoded = decodeXml(bytes, this.maxFileSize);
        if (!('text' in decoded)) return { kind: 'not-text', reason: decoded.error };
        return decoded.invalidBytes ? { kind: 'text', text: decoded.text, invalidBytes: decoded.invalidBytes } : { kind: 'text', text: decoded.text };
    }

    /** Whether readXmlBytes' bytes are plain UTF-8 within the size limit (`isPlainUtf8`). */
    isPlainUtf8(bytes: Uint8Array): boolean {
        return isPlainUtf8(bytes, this.maxFileSize);
    }

    // ---- entity files and DTDs ---------------------------------------------------------------------

    /**
     * Chapters of a book share one DOCTYPE (`<!ENTITY % openstack SYSTEM "../openstack.ent">`):
     * files with the same DOCTYPE text in the same folder share one entity table.
     */
    entityTableFor(doctype: DoctypeInfo | undefined, file: string, resolver: UriResolver): Promise<EntityTable> {
        if (!doctype) return Promise.resolve(EMPTY_ENTITIES);
        // The subset is a slice of the file's text: as part of a key kept for the session it would keep
        // that whole text alive (a 275 KB glossary per folder), so the key holds its digest.
        const key = `${path.dirname(file)}\u0000${doctype.publicId ?? ''}\u0000${doctype.systemId ?? ''}\u0000${textFingerprint(doctype.subset)}`;
        let table = this.entityTables.get(key);
        if (!table) {
            if (this.entityTables.size > 10_000) this.entityTables.clear();
            table = buildEntityTable(doctype, file, { load: (systemId, publicId, base) => this.loadDtd(resolver, systemId, publicId, base) });
            this.entityTables.set(key, table);
        }
        return table;
    }

    private async loadDtd(resolver: UriResolver, systemId: string, publicId: string | undefined, base: string): Promise<DtdLoad> {
        const resolved = resolver.resolveSystemId(systemId, publicId, base);
        if (resolved.kind === 'remote') return { kind: 'remote', url: resolved.url };
        if (resolved.kind === 'invalid') return { kind: 'missing', path: systemId };
        const cached = this.dtdCache.get(resolved.path);
        if (cached) return cached;
        const read = await this.readXml(resolved.path);
        const load: DtdLoad = read.kind === 'text' ? { kind: 'text', path: resolved.path, text: read.text } : { kind: 'missing', path: resolved.path };
        this.dtdCache.set(resolved.path, load);
        return load;
    }

    /** An entity file or DTD changed: every table built from it is stale (`hasDependents`: files were built from it). */
    forgetDtd(file: string, hasDependents: boolean): void {
        if (this.dtdCache.delete(file) || hasDependents) this.entityTables.clear();
    }

    forgetEntities(): void {
        this.dtdCache.clear();
        this.entityTables.clear();
    }

    // ---- discovery ---------------------------------------------------------------------------------

    /**
     * Every *.xml under a folder, in path order; folders that are links out of the boundary are
     * recorded, not walked; folders that cannot be read are told to `onUnreadableFolder`. A regular
     * file (not a link) in a folder whose real path is inside the boundary is inside too: its
     * verdict is known without asking the disk for its real path again.
     */
    async listXmlFiles(folder: string, isExcluded: (file: string) => boolean, onUnreadableFolder?: (dir: string, error: unknown) => void): Promise<string[]> {
        const out: string[] = [];
        const seenDirs = new Set<string>();
        const walk = async (dir: string): Promise<void> => {
            const real = await this.workspace.realPath(dir);
            if (seenDirs.has(real)) return; // symbolic-link loop
            seenDirs.add(real);
            if (!this.underRoot(real)) {
                this.outsideLinks.set(dir, real);
                return;
            }
            const entries = await this.workspace.readDirectory(dir, onUnreadableFolder && ((e) => onUnreadableFolder(dir, e)));
            entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
            for (const [name, type, isLink] of entries) {
                const p = path.join(dir, name);
                if (type === 'directory') {
                    if (ALWAYS_SKIPPED_FOLDERS.has(name) || isExcluded(p)) continue;
                    await walk(p);
                } else if (name.toLowerCase().endsWith('.xml') && !isExcluded(p)) {
                    out.push(p);
                    if (isLink === false && this.underRoot(p) && this.verdicts.size < 200_000) this.verdicts.set(p, true);
                }
            }
        };
        await walk(folder);
        return out;
    }
}
