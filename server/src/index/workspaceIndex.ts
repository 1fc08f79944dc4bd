// The workspace index: every XML file's model, the XInclude graph, which books hold which parts of
// which files, and the tables that answer "where is id X" and "who uses id X" in O(1).
//
// Every mutation (a file read, an edit, a deletion) re-registers one file and recomputes only the
// books that contain it; it returns the set of files whose diagnostics may have changed, so callers
// never re-check the workspace.

import * as path from 'path';
import picomatch from 'picomatch';
import { decodeXml, sizeLimitError, textSizeLimitError } from '../core/decode';
import { textFingerprint } from '../core/fingerprint';
import { DocbookSettings } from '../settings';
import { buildFileModel, FileModel, GlossEntryDef, IdDefinition, Span, XInclude } from '../core/docbookModel';
import { buildEntityTable, DoctypeInfo, doctypeInfo, DtdLoad, emptyEntityTable, EntityTable } from '../core/entities';
import { CatalogEntry, readCatalogs, Resolved, UriResolver } from '../core/resolver';
import { parseXml } from '../core/xmlParser';
import { Workspace } from '../workspace';

/** The part of a file that a book takes: all of it, or the spans an xpointer selects. */
export type Region = 'all' | Span[];

export interface IndexedFile {
    path: string;
    /** Workspace folder holding the file; undefined for a file outside every folder, reached by an include. */
    folder: string | undefined;
    model: FileModel;
    entities: EntityTable;
    /** Parallel to model.includes. */
    includeTargets: Resolved[];
    /** Parallel to model.images. */
    imageTargets: Resolved[];
    /** Editor version when the file is open; its text then comes from the editor, not the disk. */
    version?: number;
    openText?: string;
    /** Why the file could not be read as XML text (binary, too large, unreadable). */
    readError?: string;
    /** Digest of the text the model was built from, for files read from disk (see readIndexedText). */
    fingerprint?: string;
}

export interface IdLocation { file: string; def: IdDefinition }
export interface GlossLocation { file: string; entry: GlossEntryDef }

export type IncludeStatus =
    | { kind: 'ok'; path: string }
    | { kind: 'missing'; path: string }
    | { kind: 'remote'; url: string }
    | { kind: 'invalid'; reason: string }
    | { kind: 'unresolved-xpointer'; path: string; id: string }
    | { kind: 'cycle'; path: string };

export const ALWAYS_SKIPPED_FOLDERS = new Set(['.git', 'node_modules', 'target', '.svn', '.hg']);
const MAX_BOOK_VISITS = 200_000;
const READ_CONCURRENCY = 16;

export class WorkspaceIndex {
    private readonly files = new Map<string, IndexedFile>();
    private readonly idDefs = new Map<string, IdLocation[]>();
    private readonly refFiles = new Map<string, Set<string>>();
    private readonly includers = new Map<string, Set<string>>();
    private readonly imageUsers = new Map<string, Set<string>>();
    private readonly glossByTerm = new Map<string, GlossLocation[]>();
    private readonly glossUsers = new Map<string, Set<string>>();
    private readonly entityDependents = new Map<string, Set<string>>();
    private readonly bookFiles = new Map<string, Map<string, Region>>();
    private readonly fileBooks = new Map<string, Set<string>>();
    private readonly bookIdCache = new Map<string, IdLocation[]>();
    private allIdsCache: IdLocation[] | undefined;
    /** Existence of files that are not indexed XML (images, text includes, entity files, excluded files). */
    private readonly existence = new Map<string, boolean>();
    private readonly dtdCache = new Map<string, DtdLoad>();
    private readonly entityTables = new Map<string, Promise<EntityTable>>();
    private readonly generations = new Map<string, number>();
    private folderList: string[] = [];
    private excludeMatchers: ((relative: string) => boolean)[] = [];
    private resolver: UriResolver;
    private catalogEntries: CatalogEntry[] = [];
    private bulk = false;
    /** Problems with the configuration (unreadable catalogs), shown to the user once. */
    configurationErrors: string[] = [];

    constructor(private readonly workspace: Workspace, private settings: DocbookSettings) {
        this.resolver = new UriResolver(settings.urlMappings, [], process.cwd());
        this.setExcludes(settings.exclude);
    }

    // ---- configuration and folders -------------------------------------------------------------

    get folders(): readonly string[] { return this.folderList; }
    get currentSettings(): DocbookSettings { return this.settings; }

    /** Applies new settings; the caller re-indexes (catalogs and mappings change every resolution). */
    async configure(settings: DocbookSettings): Promise<void> {
        this.settings = settings;
        this.setExcludes(settings.exclude);
        const base = this.folderList[0] ?? process.cwd();
        const catalogs = settings.catalogs.map((c) => path.resolve(base, c));
        const { entries, errors } = await readCatalogs(catalogs, async (f) => {
            const bytes = await this.workspace.readFile(f);
            return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
        });
        this.catalogEntries = entries;
        this.configurationErrors = errors;
        this.resolver = new UriResolver(settings.urlMappings, entries, base);
    }

    private setExcludes(globs: string[]): void {
        this.excludeMatchers = globs.map((g) => picomatch(g, { dot: true }));
    }

    isExcluded(file: string): boolean {
        const folder = this.folderOf(file);
        if (!folder) return false;
        const rel = path.relative(folder, file).split(path.sep);
        if (rel.some((seg) => ALWAYS_SKIPPED_FOLDERS.has(seg))) return true;
        const relative = rel.join('/');
        return this.excludeMatchers.some((m) => m(relative));
    }

    folderOf(file: string): string | undefined {
        let best: string | undefined;
        for (const f of this.folderList) {
            if ((file === f || file.startsWith(f.endsWith(path.sep) ? f : f + path.sep)) && (!best || f.length > best.length)) best = f;
        }
        return best;
    }

    /** Indexes every *.xml under a folder; `progress` is called as files are read. */
    async addFolder(folder: string, progress?: (done: number, total: number) => void): Promise<Set<string>> {
        folder = path.resolve(folder);
        if (!this.folderList.includes(folder)) this.folderList.push(folder);
        const list = await this.listXmlFiles(folder);
        return this.indexFiles(list, progress);
    }

    async removeFolder(folder: string): Promise<Set<string>> {
        folder = path.resolve(folder);
        this.folderList = this.folderList.filter((f) => f !== folder);
        const affected = new Set<string>();
        for (const file of [...this.files.keys()]) {
            if (this.folderOf(file) === undefined && this.isUnder(file, folder)) {
                for (const a of this.replace(file, undefined)) affected.add(a);
            }
        }
        return affected;
    }

    /** Re-reads everything (after a settings change). */
    async reindexAll(progress?: (done: number, total: number) => void): Promise<Set<string>> {
        const affected = new Set<string>(this.files.keys());
        const open = [...this.files.values()].filter((f) => f.openText !== undefined);
        for (const file of [...this.files.keys()]) this.replace(file, undefined);
        this.dtdCache.clear();
        this.entityTables.clear();
        this.existence.clear();
        const lists = await Promise.all(this.folderList.map((f) => this.listXmlFiles(f)));
        for (const o of open) await this.setOpenDocument(o.path, o.openText!, o.version ?? 0);
        for (const a of await this.indexFiles(lists.flat(), progress)) affected.add(a);
        return affected;
    }

    private isUnder(file: string, folder: string): boolean {
        return file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
    }

    private async listXmlFiles(folder: string): Promise<string[]> {
        const out: string[] = [];
        const seenDirs = new Set<string>();
        const walk = async (dir: string): Promise<void> => {
            const real = await this.workspace.realPath(dir);
            if (seenDirs.has(real)) return; // symbolic-link loop
            seenDirs.add(real);
            const entries = await this.workspace.readDirectory(dir);
            entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
            for (const [name, type] of entries) {
                const p = path.join(dir, name);
                if (type === 'directory') {
                    if (ALWAYS_SKIPPED_FOLDERS.has(name) || this.isExcluded(p)) continue;
                    await walk(p);
                } else if (name.toLowerCase().endsWith('.xml') && !this.isExcluded(p)) {
                    out.push(p);
                }
            }
        };
        await walk(folder);
        return out;
    }

    private async indexFiles(list: string[], progress?: (done: number, total: number) => void): Promise<Set<string>> {
        const affected = new Set<string>();
        this.bulk = true;
        try {
            let next = 0;
            let done = 0;
            const worker = async (): Promise<void> => {
                while (next < list.length) {
                    const file = list[next++];
                    for (const a of await this.loadFromDisk(file)) affected.add(a);
                    done++;
                    progress?.(done, list.length);
                }
            };
            await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, list.length) }, worker));
            await this.loadExternalIncludeTargets([...this.files.keys()]);
        } finally {
            this.bulk = false;
        }
        for (const a of this.recomputeBooks(new Set([...this.files.values()].filter((f) => f.model.isBook).map((f) => f.path)))) affected.add(a);
        this.invalidateIdCaches();
        return affected;
    }

    // ---- file updates --------------------------------------------------------------------------

    /** A file changed or appeared on disk. Open documents keep the editor's text. */
    async fileChangedOnDisk(file: string): Promise<Set<string>> {
        file = path.resolve(file);
        this.existence.delete(file);
        this.forgetDtd(file);
        const affected = new Set<string>();
        const stat = await this.workspace.stat(file);
        if (stat?.type === 'directory') {
            // A folder event (a checkout, an unpacked archive) can mean thousands of files: read them as
            // indexing does, then walk the books once, not once per file. Only inside the workspace
            // folders: an event for "/" must not walk the disk.
            const roots = this.folderOf(file) !== undefined ? [file] : this.folderList.filter((f) => this.isUnder(f, file));
            const lists = await Promise.all(roots.map((r) => this.listXmlFiles(r)));
            return this.indexFiles(lists.flat());
        }
        this.existence.set(file, !!stat);
        if (this.isIndexable(file)) {
            for (const a of await this.loadFromDisk(file)) affected.add(a);
        }
        // An entity file or a non-XML include target: its dependents and includers see it change.
        for (const dep of this.entityDependents.get(file) ?? []) for (const a of await this.reload(dep)) affected.add(a);
        for (const inc of this.includers.get(file) ?? []) affected.add(inc);
        for (const f of this.filesReferencingPath(file)) affected.add(f);
        return affected;
    }

    /** A file or folder was deleted on disk. */
    async fileDeletedOnDisk(file: string): Promise<Set<string>> {
        file = path.resolve(file);
        const affected = new Set<string>();
        this.forgetDtd(file);
        // A known file is removed directly; anything else may be a folder, whose contents go too.
        const known = this.files.has(file) || this.existence.has(file);
        const gone = known ? [file] : [...this.files.keys(), ...this.existence.keys()].filter((k) => this.isUnder(k, file));
        gone.push(file);
        for (const f of new Set(gone)) {
            this.existence.set(f, false);
            const entry = this.files.get(f);
            // The editor still holds an open file: its text lives on until it is closed.
            if (entry && entry.openText === undefined) for (const a of this.replace(f, undefined)) affected.add(a);
            for (const dep of this.entityDependents.get(f) ?? []) for (const a of await this.reload(dep)) affected.add(a);
            for (const u of this.filesReferencingPath(f)) affected.add(u);
        }
        return affected;
    }

    async setOpenDocument(file: string, text: string, version: number): Promise<Set<string>> {
        file = path.resolve(file);
        const generation = this.nextGeneration(file);
        // Over the size limit an open file is what it is on disk: not indexed (parsing 50 MB on every keystroke would stall every request).
        const tooLarge = textSizeLimitError(text, this.settings.maxFileSize);
        const entry = await this.buildEntry(file, tooLarge ? '' : text, tooLarge, true);
        if (this.generations.get(file) !== generation) return new Set();
        entry.version = version;
        entry.openText = text;
        return this.replace(file, entry);
    }

    /** The editor closed the file: from now on the disk is the truth. */
    async closeDocument(file: string): Promise<Set<string>> {
        file = path.resolve(file);
        const entry = this.files.get(file);
        if (entry) {
            entry.openText = undefined;
            entry.version = undefined;
        }
        // A file outside the folders stays only while an include reaches it.
        if (!this.isIndexable(file) && !this.includers.get(file)?.size) return this.replace(file, undefined);
        return this.loadFromDisk(file, true);
    }

    private isIndexable(file: string): boolean {
        return file.toLowerCase().endsWith('.xml') && this.folderOf(file) !== undefined && !this.isExcluded(file);
    }

    private async reload(file: string): Promise<Set<string>> {
        const entry = this.files.get(file);
        if (entry?.openText !== undefined) return this.setOpenDocument(file, entry.openText, entry.version ?? 0);
        return this.loadFromDisk(file, true);
    }

    /** An entity file or DTD changed: every table built from it is stale. */
    private forgetDtd(file: string): void {
        if (this.dtdCache.delete(file) || this.entityDependents.has(file)) this.entityTables.clear();
    }

    private nextGeneration(file: string): number {
        const g = (this.generations.get(file) ?? 0) + 1;
        this.generations.set(file, g);
        return g;
    }

    private async loadFromDisk(file: string, force = false): Promise<Set<string>> {
        if (!force && this.files.get(file)?.openText !== undefined) return new Set();
        const generation = this.nextGeneration(file);
        // A huge file is refused before it is read, so it never sits in memory.
        const stat = await this.workspace.stat(file);
        if (stat && stat.size > this.settings.maxFileSize) {
            const tooLarge = await this.buildEntry(file, '', sizeLimitError(stat.size, this.settings.maxFileSize));
            return this.generations.get(file) === generation ? this.replace(file, tooLarge) : new Set();
        }
        const bytes = await this.workspace.readFile(file);
        if (this.generations.get(file) !== generation) return new Set();
        if (this.files.get(file)?.openText !== undefined) return new Set();
        if (!bytes) return this.replace(file, undefined);
        const decoded = decodeXml(bytes, this.settings.maxFileSize);
        const entry = await this.buildEntry(file, 'text' in decoded ? decoded.text : '', 'error' in decoded ? decoded.error : undefined);
        if (this.generations.get(file) !== generation) return new Set();
        const affected = this.replace(file, entry);
        if (!this.bulk) {
            await this.loadExternalIncludeTargets([file]);
        }
        return affected;
    }

    /** `fromEditor`: the editor's text, which the entry keeps (no digest needed to know it is the one indexed). */
    private async buildEntry(file: string, text: string, readError: string | undefined, fromEditor = false): Promise<IndexedFile> {
        const doc = parseXml(text);
        const entities = await this.entityTableFor(doc.doctype ? doctypeInfo(text, doc.doctype) : undefined, file);
        const model = buildFileModel(doc, entities);
        if (readError) model.problems = [];
        const includeTargets = model.includes.map((inc): Resolved => inc.href ? this.resolver.resolveHref(inc.href, file, inc.xmlBase) : { kind: 'file', path: file });
        const imageTargets = model.images.map((img): Resolved => this.resolver.resolveHref(img.fileref, file));
        // Existence of what is not indexed XML is checked once here, so features can answer synchronously.
        const toCheck = [...includeTargets, ...imageTargets].filter((t): t is { kind: 'file'; path: string } => t.kind === 'file');
        await Promise.all(toCheck.map((t) => this.checkExists(t.path)));
        return { path: file, folder: this.folderOf(file), model, entities, includeTargets, imageTargets, readError, fingerprint: fromEditor ? undefined : textFingerprint(text) };
    }

    private async checkExists(file: string): Promise<void> {
        if (this.files.has(file) || this.existence.has(file)) return;
        const stat = await this.workspace.stat(file);
        this.existence.set(file, stat?.type === 'file');
    }

    /**
     * Chapters of a book share one DOCTYPE (`<!ENTITY % openstack SYSTEM "../openstack.ent">`):
     * files with the same DOCTYPE text in the same folder share one entity table.
     */
    private entityTableFor(doctype: DoctypeInfo | undefined, file: string): Promise<EntityTable> {
        if (!doctype) return Promise.resolve(EMPTY_ENTITIES);
        const key = `${path.dirname(file)}\u0000${doctype.publicId ?? ''}\u0000${doctype.systemId ?? ''}\u0000${doctype.subset}`;
        let table = this.entityTables.get(key);
        if (!table) {
            if (this.entityTables.size > 10_000) this.entityTables.clear();
            table = buildEntityTable(doctype, file, { load: (systemId, publicId, base) => this.loadDtd(systemId, publicId, base) });
            this.entityTables.set(key, table);
        }
        return table;
    }

    private async loadDtd(systemId: string, publicId: string | undefined, base: string): Promise<DtdLoad> {
        const resolved = this.resolver.resolveSystemId(systemId, publicId, base);
        if (resolved.kind === 'remote') return { kind: 'remote', url: resolved.url };
        if (resolved.kind === 'invalid') return { kind: 'missing', path: systemId };
        const cached = this.dtdCache.get(resolved.path);
        if (cached) return cached;
        const bytes = await this.workspace.readFile(resolved.path);
        let load: DtdLoad;
        if (!bytes) load = { kind: 'missing', path: resolved.path };
        else {
            const decoded = decodeXml(bytes, this.settings.maxFileSize);
            load = 'text' in decoded ? { kind: 'text', path: resolved.path, text: decoded.text } : { kind: 'missing', path: resolved.path };
        }
        this.dtdCache.set(resolved.path, load);
        return load;
    }

    /** Includes may reach XML files outside every workspace folder; the build reads them, so do we. */
    private async loadExternalIncludeTargets(from: string[]): Promise<void> {
        const queue = [...from];
        let budget = 1000;
        while (queue.length && budget > 0) {
            const entry = this.files.get(queue.pop()!);
            if (!entry) continue;
            for (let i = 0; i < entry.includeTargets.length; i++) {
                const t = entry.includeTargets[i];
                if (t.kind !== 'file' || entry.model.includes[i].parse === 'text' || this.files.has(t.path)) continue;
                if (this.folderOf(t.path) !== undefined || this.existence.get(t.path) !== true) continue;
                budget--;
                const stat = await this.workspace.stat(t.path);
                if (!stat || stat.type !== 'file' || stat.size > this.settings.maxFileSize) continue;
                const bytes = await this.workspace.readFile(t.path);
                if (!bytes || this.files.has(t.path)) continue;
                const decoded = decodeXml(bytes, this.settings.maxFileSize);
                const external = await this.buildEntry(t.path, 'text' in decoded ? decoded.text : '', 'error' in decoded ? decoded.error : undefined);
                this.replace(t.path, external);
                queue.push(t.path);
            }
        }
    }

    // ---- registration --------------------------------------------------------------------------

    /** Swaps a file's entry (undefined removes it) and returns the files whose diagnostics may change. */
    private replace(file: string, entry: IndexedFile | undefined): Set<string> {
        const old = this.files.get(file);
        const affected = new Set<string>([file]);
        const changedIds = new Set<string>();
        const changedTerms = new Set<string>();
        const hadGlossary = this.glossByTerm.size > 0;
        if (old) this.unregister(old);
        if (entry) {
            this.files.set(file, entry);
            this.existence.delete(file);
            this.register(entry);
        } else {
            this.files.delete(file);
        }
        diffKeys(old?.model.ids.map((d) => d.id), entry?.model.ids.map((d) => d.id), changedIds);
        diffKeys(old?.model.glossEntries.map((g) => g.term), entry?.model.glossEntries.map((g) => g.term), changedTerms);
        // Ids defined more than once: the other definitions' diagnostics point here.
        for (const d of entry?.model.ids ?? []) if ((this.idDefs.get(d.id)?.length ?? 0) > 1) changedIds.add(d.id);

        const includesChanged = !old || !entry || old.model.isBook !== entry.model.isBook || includeSignature(old) !== includeSignature(entry);
        const books = new Set<string>(this.fileBooks.get(file) ?? []);
        if (old?.model.isBook || entry?.model.isBook) books.add(file);
        if (includesChanged || !old || !entry) {
            // A new or vanished file changes the books of those who include it.
            for (const inc of this.includers.get(file) ?? []) {
                for (const b of this.fileBooks.get(inc) ?? []) books.add(b);
                affected.add(inc);
            }
        }
        if (!this.bulk) {
            for (const moved of this.recomputeBooks(books)) {
                affected.add(moved);
                for (const d of this.files.get(moved)?.model.ids ?? []) changedIds.add(d.id);
            }
            this.invalidateIdCaches();
        }
        for (const id of changedIds) {
            for (const f of this.refFiles.get(id) ?? []) affected.add(f);
            for (const d of this.idDefs.get(id) ?? []) affected.add(d.file);
        }
        for (const term of changedTerms) for (const f of this.glossUsers.get(term) ?? []) affected.add(f);
        // The first glossary of the workspace, or the last one gone: glossterms in no book start or stop being checked.
        if (hadGlossary !== this.glossByTerm.size > 0) for (const users of this.glossUsers.values()) for (const f of users) affected.add(f);
        return affected;
    }

    private register(entry: IndexedFile): void {
        const m = entry.model;
        for (const def of m.ids) push(this.idDefs, def.id, { file: entry.path, def });
        // Definitions in path order, whatever order the files were read or changed in: answers and
        // diagnostics do not depend on the index's history (the editor and a fresh docbook-check agree).
        for (const id of new Set(m.ids.map((d) => d.id))) sortByPlace(this.idDefs.get(id)!, (l) => l.def.start);
        for (const ref of m.refs) addTo(this.refFiles, ref.id, entry.path);
        for (const t of entry.includeTargets) if (t.kind === 'file') addTo(this.includers, t.path, entry.path);
        for (const t of entry.imageTargets) if (t.kind === 'file') addTo(this.imageUsers, t.path, entry.path);
        for (const g of m.glossEntries) push(this.glossByTerm, g.term, { file: entry.path, entry: g });
        for (const term of new Set(m.glossEntries.map((g) => g.term))) sortByPlace(this.glossByTerm.get(term)!, (l) => l.entry.entryStart);
        for (const u of m.glossTerms) {
            addTo(this.glossUsers, u.text, entry.path);
            if (u.baseform) addTo(this.glossUsers, u.baseform, entry.path);
        }
        for (const dep of entry.entities.dependencies) addTo(this.entityDependents, dep, entry.path);
    }

    private unregister(entry: IndexedFile): void {
        const m = entry.model;
        // Once per distinct name: a file repeating an id 100,000 times must not filter the list 100,000 times.
        for (const id of new Set(m.ids.map((d) => d.id))) removeWhere(this.idDefs, id, (l) => l.file === entry.path);
        for (const ref of m.refs) removeFrom(this.refFiles, ref.id, entry.path);
        for (const t of entry.includeTargets) if (t.kind === 'file') removeFrom(this.includers, t.path, entry.path);
        for (const t of entry.imageTargets) if (t.kind === 'file') removeFrom(this.imageUsers, t.path, entry.path);
        for (const term of new Set(m.glossEntries.map((g) => g.term))) removeWhere(this.glossByTerm, term, (l) => l.file === entry.path);
        for (const u of m.glossTerms) {
            removeFrom(this.glossUsers, u.text, entry.path);
            if (u.baseform) removeFrom(this.glossUsers, u.baseform, entry.path);
        }
        for (const dep of entry.entities.dependencies) removeFrom(this.entityDependents, dep, entry.path);
    }

    private invalidateIdCaches(): void {
        this.bookIdCache.clear();
        this.allIdsCache = undefined;
    }

    private filesReferencingPath(file: string): Set<string> {
        return new Set([...this.includers.get(file) ?? [], ...this.imageUsers.get(file) ?? []]);
    }

    // ---- books ---------------------------------------------------------------------------------

    /** Re-walks the given books; returns files whose membership changed. */
    private recomputeBooks(books: Set<string>): Set<string> {
        const moved = new Set<string>();
        for (const book of books) {
            const before = this.bookFiles.get(book);
            for (const f of before?.keys() ?? []) removeFrom(this.fileBooks, f, book);
            this.bookFiles.delete(book);
            const entry = this.files.get(book);
            const after = entry?.model.isBook ? this.walkBook(book) : new Map<string, Region>();
            if (after.size) this.bookFiles.set(book, after);
            for (const f of after.keys()) addTo(this.fileBooks, f, book);
            for (const [f, region] of after) if (!before || regionKey(before.get(f)) !== regionKey(region)) moved.add(f);
            for (const f of before?.keys() ?? []) if (!after.has(f)) moved.add(f);
        }
        return moved;
    }

    private walkBook(book: string): Map<string, Region> {
        const result = new Map<string, Region>();
        const seen = new Set<string>();
        let budget = MAX_BOOK_VISITS;
        // Depth-first with an explicit stack, and the include path as counts: a chain of 20,000
        // includes must neither overflow the call stack nor search the path at every step.
        const frames: { entry: IndexedFile | undefined; region: Region; next: number }[] = [];
        const onPath = new Map<string, number>();
        const enter = (file: string, region: Region): void => {
            const key = file + '\u0000' + regionKey(region);
            if (seen.has(key) || budget-- <= 0) return;
            seen.add(key);
            result.set(file, mergeRegions(result.get(file), region));
            frames.push({ entry: this.files.get(file), region, next: 0 });
            onPath.set(file, (onPath.get(file) ?? 0) + 1);
        };
        const isOnPath = (file: string): boolean => onPath.has(file);
        enter(book, 'all');
        while (frames.length) {
            const frame = frames[frames.length - 1];
            const entry = frame.entry;
            if (!entry || frame.next >= entry.model.includes.length) {
                frames.pop();
                if (entry) {
                    const n = onPath.get(entry.path)! - 1;
                    if (n) onPath.set(entry.path, n); else onPath.delete(entry.path);
                }
                continue;
            }
            const i = frame.next++;
            const inc = entry.model.includes[i];
            if (inc.parse === 'text' || !inRegion(frame.region, inc.start) || !this.isIncludeActive(entry, i)) continue;
            const status = this.includeStatusInStack(entry, i, isOnPath, frames.length);
            if (status.kind !== 'ok') continue;
            const target = this.files.get(status.path)!;
            const targetRegion = inc.pointer ? pointerRegion(target, inc.pointer.id, inc.pointer.mode) : 'all';
            if (targetRegion) enter(status.path, targetRegion);
        }
        return result;
    }

    /** An include inside an xi:fallback counts only when every enclosing include failed. */
    isIncludeActive(entry: IndexedFile, index: number): boolean {
        let k = entry.model.includes[index].inFallbackOf;
        while (k >= 0) {
            if (this.includeStatus(entry, k).kind === 'ok') return false;
            k = entry.model.includes[k].inFallbackOf;
        }
        return true;
    }

    /** Whether content inside the given include's xi:fallback is what the build shows. */
    isFallbackActive(entry: IndexedFile, includeIndex: number): boolean {
        return this.includeStatus(entry, includeIndex).kind !== 'ok' && this.isIncludeActive(entry, includeIndex);
    }

    includeStatus(entry: IndexedFile, index: number): IncludeStatus {
        return this.includeStatusInStack(entry, index, (file) => file === entry.path, 1);
    }

    /** `onPath`: whether a file is on the include path that reached `entry` (`depth` files long, `entry` last). */
    private includeStatusInStack(entry: IndexedFile, index: number, onPath: (file: string) => boolean, depth: number): IncludeStatus {
        const t = entry.includeTargets[index];
        const inc = entry.model.includes[index];
        if (t.kind === 'remote') return { kind: 'remote', url: t.url };
        if (t.kind === 'invalid') return { kind: 'invalid', reason: t.reason };
        if (inc.parse === 'text') return this.exists(t.path) ? { kind: 'ok', path: t.path } : { kind: 'missing', path: t.path };
        const target = this.files.get(t.path);
        if (!target) return { kind: 'missing', path: t.path };
        if (inc.pointer && !target.model.ids.some((d) => d.id === inc.pointer!.id)) return { kind: 'unresolved-xpointer', path: t.path, id: inc.pointer.id };
        // Including its own file with an xpointer is legal; without one, or through a chain, it is a cycle.
        if (onPath(t.path) && !(t.path === entry.path && inc.pointer && depth === 1)) return { kind: 'cycle', path: t.path };
        return { kind: 'ok', path: t.path };
    }

    // ---- queries -------------------------------------------------------------------------------

    get(file: string): IndexedFile | undefined { return this.files.get(file); }
    allFiles(): IterableIterator<IndexedFile> { return this.files.values(); }
    get fileCount(): number { return this.files.size; }
    get idCount(): number { let n = 0; for (const l of this.idDefs.values()) n += l.length; return n; }
    books(): string[] { return [...this.files.values()].filter((f) => f.model.isBook).map((f) => f.path); }
    includersOf(file: string): ReadonlySet<string> { return this.includers.get(file) ?? EMPTY_SET; }
    definitionsOf(id: string): readonly IdLocation[] { return this.idDefs.get(id) ?? []; }
    filesReferencing(id: string): ReadonlySet<string> { return this.refFiles.get(id) ?? EMPTY_SET; }
    glossEntriesFor(term: string): readonly GlossLocation[] { return this.glossByTerm.get(term) ?? []; }
    allGlossTerms(): IterableIterator<string> { return this.glossByTerm.keys(); }
    /** Files with a glossterm whose text or baseform is `term`. */
    filesUsingGlossTerm(term: string): ReadonlySet<string> { return this.glossUsers.get(term) ?? EMPTY_SET; }
    catalog(): readonly CatalogEntry[] { return this.catalogEntries; }
    resolveHref(href: string, fromFile: string, xmlBase?: readonly string[]): Resolved { return this.resolver.resolveHref(href, fromFile, xmlBase); }

    /** Whether a path exists as far as the index knows (indexed XML, or checked when it was named). */
    exists(file: string): boolean {
        return this.files.has(file) || this.existence.get(file) === true;
    }

    async existsOnDisk(file: string): Promise<boolean> {
        await this.checkExists(file);
        return this.exists(file);
    }

    /** Books that contain (part of) the file, directly or through other files. */
    booksOf(file: string): ReadonlySet<string> {
        return this.fileBooks.get(file) ?? EMPTY_SET;
    }

    /** Files (with the part taken) that a book assembles. */
    filesOfBook(book: string): ReadonlyMap<string, Region> {
        return this.bookFiles.get(book) ?? new Map();
    }

    isInBook(file: string, offset: number, book: string): boolean {
        const region = this.bookFiles.get(book)?.get(file);
        return region !== undefined && inRegion(region, offset);
    }

    /** Definitions of an id that a reference in `file` can see: those of the file's books, or of the whole workspace for a file in no book. */
    resolveId(file: string, id: string): IdLocation[] {
        const defs = this.idDefs.get(id);
        if (!defs) return [];
        const books = this.booksOf(file);
        if (!books.size) return [...defs];
        return defs.filter((d) => this.isVisibleIn(d, books));
    }

    private isVisibleIn(d: IdLocation, books: ReadonlySet<string>): boolean {
        for (const b of books) if (this.isInBook(d.file, d.def.start, b)) return true;
        return false;
    }

    /** Ids a reference in `file` can use: its books' ids, or all ids for a file in no book. */
    idsInScope(file: string): IdLocation[] {
        const books = this.booksOf(file);
        if (!books.size) {
            if (!this.allIdsCache) this.allIdsCache = [...this.idDefs.values()].flat();
            return this.allIdsCache;
        }
        if (books.size === 1) return this.idsOfBook([...books][0]);
        const seen = new Set<IdDefinition>();
        const out: IdLocation[] = [];
        for (const b of books) for (const l of this.idsOfBook(b)) if (!seen.has(l.def)) { seen.add(l.def); out.push(l); }
        return out;
    }

    idsOfBook(book: string): IdLocation[] {
        let cached = this.bookIdCache.get(book);
        if (!cached) {
            cached = [];
            for (const [file, region] of this.filesOfBook(book)) {
                for (const def of this.files.get(file)?.model.ids ?? []) if (inRegion(region, def.start)) cached.push({ file, def });
            }
            this.bookIdCache.set(book, cached);
        }
        return cached;
    }

    /** Glossary collection files for a file: the configured path looked up from each of its books' folders upward. */
    glossaryCollectionsFor(file: string): string[] {
        const starts = this.booksOf(file).size ? [...this.booksOf(file)] : [file];
        const out: string[] = [];
        for (const start of starts) {
            const root = this.folderOf(start) ?? path.dirname(start);
            for (let dir = path.dirname(start); ; dir = path.dirname(dir)) {
                const found = this.settings.glossaryCollection.map((rel) => path.resolve(dir, rel)).find((p) => this.files.has(p));
                if (found) { if (!out.includes(found)) out.push(found); break; }
                if (dir === root || path.dirname(dir) === dir || !this.isUnder(dir, root)) break;
            }
        }
        return out;
    }

    /**
     * Glossary entries a glossterm in `file` can link to: its books' own glossentries, then the
     * collection. A file in no book sees every glossentry of the workspace, as it sees every id.
     */
    glossEntriesInScope(file: string, term: string): GlossLocation[] {
        const all = this.glossByTerm.get(term);
        if (!all) return [];
        const books = this.booksOf(file);
        if (!books.size) return [...all];
        const collections = this.glossaryCollectionsFor(file);
        return all.filter((g) => collections.includes(g.file) || [...books].some((b) => this.isInBook(g.file, g.entry.entryStart, b)));
    }

    /** All glossary entries a glossterm in `file` can link to (for completion); the collection's first for a file in no book. */
    glossaryInScope(file: string): GlossLocation[] {
        const out: GlossLocation[] = [];
        const collections = new Set(this.glossaryCollectionsFor(file));
        const books = this.booksOf(file);
        for (const list of this.glossByTerm.values()) {
            for (const g of list) {
                if (!books.size || collections.has(g.file) || [...books].some((b) => this.isInBook(g.file, g.entry.entryStart, b))) out.push(g);
            }
        }
        if (!books.size) out.sort((a, b) => Number(!collections.has(a.file)) - Number(!collections.has(b.file)));
        return out;
    }

    /** Whether the workspace has a glossentry anywhere (a file in no book can link to any). */
    hasGlossEntries(): boolean {
        return this.glossByTerm.size > 0;
    }

    /**
     * The text of a file only if it is still exactly the text the index was built from; undefined when
     * it changed since (on disk, not yet reported). Edits computed from indexed offsets need this.
     */
    async readIndexedText(file: string): Promise<string | undefined> {
        const entry = this.files.get(file);
        if (!entry || entry.readError) return undefined;
        const text = await this.readText(file);
        if (text === undefined || text.length !== entry.model.textLength) return undefined;
        if (entry.openText !== undefined) return entry.openText === text ? text : undefined;
        return entry.fingerprint !== undefined && textFingerprint(text) === entry.fingerprint ? text : undefined;
    }

    /** The text of a file: the editor's when open, else read from disk. */
    async readText(file: string): Promise<string | undefined> {
        const entry = this.files.get(file);
        if (entry?.openText !== undefined) return entry.openText;
        const bytes = await this.workspace.readFile(file);
        if (!bytes) return undefined;
        const decoded = decodeXml(bytes, Number.MAX_SAFE_INTEGER);
        return 'text' in decoded ? decoded.text : undefined;
    }

    /** Which include in `file` (by index) pulls in `target`, for "go to including file". */
    includesOf(file: string, target: string): number[] {
        const entry = this.files.get(file);
        if (!entry) return [];
        const out: number[] = [];
        entry.includeTargets.forEach((t, i) => { if (t.kind === 'file' && t.path === target) out.push(i); });
        return out;
    }
}

const EMPTY_SET: ReadonlySet<string> = new Set();
const EMPTY_ENTITIES: EntityTable = emptyEntityTable();

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
    const list = map.get(key);
    if (list) list.push(value); else map.set(key, [value]);
}

function sortByPlace<V extends { file: string }>(list: V[], start: (v: V) => number): void {
    if (list.length > 1) list.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : start(a) - start(b)));
}

function removeWhere<V>(map: Map<string, V[]>, key: string, pred: (v: V) => boolean): void {
    const list = map.get(key);
    if (!list) return;
    const kept = list.filter((v) => !pred(v));
    if (kept.length) map.set(key, kept); else map.delete(key);
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
    const set = map.get(key);
    if (set) set.add(value); else map.set(key, new Set([value]));
}

function removeFrom(map: Map<string, Set<string>>, key: string, value: string): void {
    const set = map.get(key);
    if (!set) return;
    set.delete(value);
    if (!set.size) map.delete(key);
}

function diffKeys(a: string[] | undefined, b: string[] | undefined, out: Set<string>): void {
    const sa = new Set(a ?? []);
    const sb = new Set(b ?? []);
    for (const k of sa) if (!sb.has(k)) out.add(k);
    for (const k of sb) if (!sa.has(k)) out.add(k);
}

function includeSignature(entry: IndexedFile): string {
    return entry.model.includes.map((inc: XInclude, i) => {
        const t = entry.includeTargets[i];
        return `${inc.parse}|${t.kind === 'file' ? t.path : t.kind}|${inc.pointer?.id ?? ''}|${inc.pointer?.mode ?? ''}|${inc.inFallbackOf}`;
    }).join('\n');
}

export function inRegion(region: Region, offset: number): boolean {
    if (region === 'all') return true;
    for (const s of region) if (offset >= s.start && offset < s.end) return true;
    return false;
}

function regionKey(region: Region | undefined): string {
    if (region === undefined) return '';
    if (region === 'all') return 'all';
    return region.map((s) => `${s.start}-${s.end}`).join(',');
}

function mergeRegions(a: Region | undefined, b: Region): Region {
    if (a === undefined) return b;
    if (a === 'all' || b === 'all') return 'all';
    const spans = [...a, ...b].sort((x, y) => x.start - y.start);
    const out: Span[] = [];
    for (const s of spans) {
        const last = out[out.length - 1];
        if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
        else out.push({ ...s });
    }
    return out;
}

function pointerRegion(target: IndexedFile, id: string, mode: 'element' | 'children'): Region | undefined {
    const def = target.model.ids.find((d) => d.id === id);
    if (!def) return undefined;
    return mode === 'children' ? [{ start: def.afterTitle, end: def.contentEnd }] : [{ start: def.elementStart, end: def.elementEnd }];
}
