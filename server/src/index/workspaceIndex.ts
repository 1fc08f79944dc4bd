// The workspace index: every XML file's model, the XInclude graph, which books hold which parts of
// which files, and the tables that answer "where is id X" and "who uses id X" in O(1).
//
// Every mutation (a file read, an edit, a deletion) re-registers one file and recomputes only the
// books that contain it; it returns the set of files whose diagnostics may have changed, so callers
// never re-check the workspace.

import * as path from 'path';
import picomatch from 'picomatch';
import { textSizeLimitError } from '../core/decode';
import { bytesFingerprint, textFingerprint } from '../core/fingerprint';
import { DocbookSettings } from '../settings';
import { buildFileModel, DOCBOOK_NS, FileModel, XInclude } from '../core/docbookModel';
import { doctypeInfo, EntityTable } from '../core/entities';
import { CatalogEntry, readCatalogs, Resolved, UriResolver } from '../core/resolver';
import { editInText, modelAfterEdit } from '../core/incremental';
import { keptSharedParse, parseXml, parseXmlShared, shareParse, XmlDocument } from '../core/xmlParser';
import type { InvalidBytes } from '../core/decode';
import { builtinSchema } from '../schema/grammar';
import { checkAgainstSchema } from '../schema/select';
import { Workspace } from '../workspace';
import { BookMembership } from './books';
import { BookSource, includeStatus, inRegion, IncludeStatus, isIncludeActive, Region } from './bookWalk';
import type { XmlRead } from '../api';
import { ALWAYS_SKIPPED_FOLDERS, isUnder, WorkspaceLoader } from './loader';
import { entityTableDigest, ModelCache, ModelCacheStats } from './modelCache';
import { GlossLocation, IdLocation, IndexedFile, ReverseTables } from './tables';

export { ALWAYS_SKIPPED_FOLDERS, inRegion };
export type { GlossLocation, IdLocation, IncludeStatus, IndexedFile, Region, XmlRead };

const READ_CONCURRENCY = 16;

export interface FolderListing {
    readonly files: readonly string[];
    readonly unreadableFolders: readonly [folder: string, error: unknown][];
}

/** The incremental path of a keystroke (core/incremental.ts); off: every edit is parsed from scratch (for comparisons). */
export const INCREMENTAL = { enabled: process.env.DOCBOOK_OPENSTACK_NO_INCREMENTAL !== '1' };

/** Files larger than this are not schema-checked (a 50 MB file would take a minute). */
const MAX_SCHEMA_CHECK_SIZE = 4 * 1024 * 1024;

export class WorkspaceIndex {
    private readonly files = new Map<string, IndexedFile>();
    private readonly tables = new ReverseTables();
    /** Existence of files that are not indexed XML (images, text includes, entity files, excluded files). */
    private readonly existence = new Map<string, boolean>();
    private readonly generations = new Map<string, number>();
    private folderList: string[] = [];
    private excludeMatchers: ((relative: string) => boolean)[] = [];
    private resolver: UriResolver;
    private catalogEntries: CatalogEntry[] = [];
    private bulk = false;
    /**
     * During a bulk indexing: the ids and glossary terms replace() found changed, turned into the
     * files they affect once at the end, not once per file (34 copies of a tree define each id 34
     * times: each file added looked at every earlier definition and reference of its ids).
     */
    private bulkChanges: { ids: Set<string>; terms: Set<string> } | undefined;
    private readonly loader: WorkspaceLoader;
    /** What the book walk sees of the index. */
    private readonly bookSource: BookSource = {
        file: (file) => this.files.get(file),
        exists: (file) => this.exists(file),
        isOutside: (file) => this.loader.isOutside(file),
    };
    private readonly membership: BookMembership;
    /** Problems with the configuration (unreadable catalogs), shown to the user once. */
    configurationErrors: string[] = [];
    /** The persistent model cache's folder (undefined: no cache) and the cache for the current settings. */
    private cacheDir: string | undefined;
    private cache: ModelCache | undefined;
    /** Strongly connected components of the file-level include graph (see mayReachThroughIncludes), until includes change. */
    private includeComponents: Map<string, number> | undefined;
    /** glossaryCollectionsFor's answers, until the next change of the index. */
    private readonly glossaryCollections = new Map<string, string[]>();
    /** The last walk of each workspace folder (see folderListing). */
    private readonly listings = new Map<string, FolderListing>();
    /** Keep each file's text (and parse) with its entry: see keepDiskTexts. */
    private keepTexts = false;

    constructor(private readonly workspace: Workspace, private settings: DocbookSettings) {
        this.resolver = new UriResolver(settings.urlMappings, [], process.cwd());
        this.loader = new WorkspaceLoader(workspace, settings.maxFileSize);
        this.loader.configure(settings, process.cwd(), [], []);
        this.membership = new BookMembership(this.bookSource, this.tables);
        this.setExcludes(settings.exclude);
    }

    // ---- configuration and folders -------------------------------------------------------------

    get folders(): readonly string[] { return this.folderList; }
    get currentSettings(): DocbookSettings { return this.settings; }

    /**
     * Keeps file models between runs in `dir` (see modelCache.ts); undefined turns the cache off.
     * Models read back are used only for files whose text and entity table are unchanged.
     */
    useCache(dir: string | undefined): void {
        this.cacheDir = dir;
        this.cache = dir !== undefined ? new ModelCache(dir, this.settings) : undefined;
    }

    get cacheStats(): ModelCacheStats | undefined { return this.cache?.stats; }

    /**
     * For one-shot commands over a bounded set of files (docbook-render): entries keep the text they
     * were built from, and its parse when they parsed it, and later reads of the file get that text.
     * A render then reads and parses each file once, not once for the index and again for itself.
     * Not for the server (the texts would stay in memory) nor docbook-check over a whole tree.
     */
    keepDiskTexts(): void {
        this.keepTexts = true;
    }

    /**
     * Writes the models built since the cache was read, if any (the owner calls it once the answer
     * that was waited for is out: writing is not on the way to the first diagnostics). Never throws.
     */
    saveCache(): void {
        this.cache?.flush(this.folderList);
    }

    /** saveCache for a process that keeps serving: serialized between turns of the event loop, written asynchronously. */
    async saveCacheInSteps(pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))): Promise<void> {
        await this.cache?.flushInSteps(this.folderList, pause);
    }

    /** Applies new settings; the caller re-indexes (catalogs and mappings change every resolution). */
    async configure(settings: DocbookSettings, firstFolder?: string): Promise<void> {
        this.settings = settings;
        this.glossaryCollections.clear();
        if (this.cacheDir !== undefined) {
            this.cache = new ModelCache(this.cacheDir, settings);
            this.cache.bind(this.folderList);
        }
        this.setExcludes(settings.exclude);
        // Relative paths in the settings are relative to the first workspace folder, also before it is added.
        const base = this.folderList[0] ?? (firstFolder !== undefined ? path.resolve(firstFolder) : process.cwd());
        const catalogs = settings.catalogs.map((c) => path.resolve(base, c));
        const { entries, errors } = await readCatalogs(catalogs, async (f) => {
            const bytes = await this.workspace.readFile(f);
            return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
        });
        this.catalogEntries = entries;
        this.configurationErrors = errors;
        this.resolver = new UriResolver(settings.urlMappings, entries, base);
        this.loader.configure(settings, base, catalogs, entries);
        await this.loader.setFolders(this.folderList);
    }

    private setExcludes(globs: string[]): void {
        this.excludeMatchers = globs.map((g) => picomatch(g, { dot: true }));
    }

    isExcluded(file: string): boolean {
        const folder = this.folderOf(file);
        if (!folder) return false;
        // A normalized path under its folder is relative by slicing (path.relative resolves both: ~2 us, for every file walked).
        const plain = file.length > folder.length && !file.endsWith(path.sep) && path.normalize(file) === file;
        const rel = (plain ? file.slice(folder.endsWith(path.sep) ? folder.length : folder.length + 1) : path.relative(folder, file)).split(path.sep);
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
        await this.loader.setFolders(this.folderList);
        this.cache?.bind(this.folderList);
        const list = await this.walkFolder(folder);
        return this.indexFiles(list, progress);
    }

    /**
     * What the last walk of a workspace folder found: every *.xml file the index tried to read (those
     * it could not read are not indexed) and the folders it could not read, with the error. The
     * CLI reports both from here rather than walking the tree again.
     */
    folderListing(folder: string): FolderListing | undefined {
        return this.listings.get(path.resolve(folder));
    }

    private async walkFolder(folder: string): Promise<string[]> {
        const unreadableFolders: [string, unknown][] = [];
        const files = await this.loader.listXmlFiles(folder, (p) => this.isExcluded(p), (dir, e) => unreadableFolders.push([dir, e]));
        this.listings.set(folder, { files, unreadableFolders });
        return files;
    }

    /**
     * Makes `folder` a workspace folder (the boundary) but indexes only `starts`, what they include,
     * transitively, and the glossary collections of the books among them: what a build of those
     * books reads, not the whole folder (docbook-render).
     */
    async addClosure(folder: string, starts: string[]): Promise<Set<string>> {
        folder = path.resolve(folder);
        if (!this.folderList.includes(folder)) this.folderList.push(folder);
        await this.loader.setFolders(this.folderList);
        this.cache?.bind(this.folderList);
        const affected = await this.indexFiles(starts.filter((f) => this.isIndexable(f) && !this.files.has(f)), undefined, true);
        const glossaries = new Set<string>();
        for (const book of this.books()) {
            const root = this.folderOf(book) ?? path.dirname(book);
            for (let dir = path.dirname(book); isUnder(dir, root); dir = path.dirname(dir)) {
                for (const rel of this.settings.glossaryCollection) {
                    const candidate = path.resolve(dir, rel);
                    if (!this.files.has(candidate) && this.isIndexable(candidate) && await this.existsOnDisk(candidate)) glossaries.add(candidate);
                }
                if (dir === root || path.dirname(dir) === dir) break;
            }
        }
        if (glossaries.size) for (const a of await this.indexFiles([...glossaries], undefined, true)) affected.add(a);
        return affected;
    }

    async removeFolder(folder: string): Promise<Set<string>> {
        folder = path.resolve(folder);
        this.folderList = this.folderList.filter((f) => f !== folder);
        this.listings.delete(folder);
        await this.loader.setFolders(this.folderList);
        const affected = new Set<string>();
        for (const file of [...this.files.keys()]) {
            if (this.folderOf(file) === undefined && isUnder(file, folder)) {
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
        this.loader.forgetEntities();
        this.existence.clear();
        await this.loader.setFolders(this.folderList);
        const lists = await Promise.all(this.folderList.map((f) => this.walkFolder(f)));
        for (const o of open) await this.setOpenDocument(o.path, o.openText!, o.version ?? 0);
        for (const a of await this.indexFiles(lists.flat(), progress)) affected.add(a);
        return affected;
    }

    private listXmlFiles(folder: string): Promise<string[]> {
        return this.loader.listXmlFiles(folder, (p) => this.isExcluded(p));
    }

    /** `closure`: also index what the files include inside the workspace folders (the list is not every file). */
    private async indexFiles(list: string[], progress?: (done: number, total: number) => void, closure = false): Promise<Set<string>> {
        const affected = new Set<string>();
        this.bulk = true;
        const changes = this.bulkChanges = { ids: new Set<string>(), terms: new Set<string>() };
        try {
            let next = 0;
            let done = 0;
            const queued = new Set(list);
            const worker = async (): Promise<void> => {
                while (next < list.length) {
                    const file = list[next++];
                    for (const a of await this.loadFromDisk(file)) affected.add(a);
                    done++;
                    progress?.(done, list.length);
                    if (!closure) continue;
                    const entry = this.files.get(file);
                    entry?.includeTargets.forEach((t, i) => {
                        if (t.kind !== 'file' || entry.model.includes[i].parse === 'text' || queued.has(t.path) || this.files.has(t.path)) return;
                        if (!this.isIndexable(t.path) || this.existence.get(t.path) !== true) return;
                        queued.add(t.path);
                        list.push(t.path);
                    });
                }
            };
            await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, list.length) }, worker));
            await this.loadExternalIncludeTargets([...this.files.keys()]);
        } finally {
            this.bulk = false;
            this.bulkChanges = undefined;
        }
        // The tables now, not as each replace() saw them: a file that referenced or defined an id then
        // and does not now was replaced since, so it is in already.
        this.addAffectedBy(changes.ids, changes.terms, affected);
        for (const a of this.membership.recompute(new Set([...this.files.values()].filter((f) => f.model.isBook).map((f) => f.path)))) affected.add(a);
        this.membership.invalidateIdCaches();
        this.glossaryCollections.clear();
        return affected;
    }

    // ---- file updates --------------------------------------------------------------------------

    /** A file changed or appeared on disk. Open documents keep the editor's text. */
    async fileChangedOnDisk(file: string): Promise<Set<string>> {
        file = path.resolve(file);
        this.existence.delete(file);
        this.loader.forgetDtd(file, this.tables.entityDependents.has(file));
        const affected = new Set<string>();
        const stat = await this.workspace.stat(file);
        if (stat?.type === 'directory') {
            // A folder event (a checkout, an unpacked archive) can mean thousands of files: read them as
            // indexing does, then walk the books once, not once per file. Only inside the workspace
            // folders: an event for "/" must not walk the disk.
            const roots = this.folderOf(file) !== undefined ? [file] : this.folderList.filter((f) => isUnder(f, file));
            const lists = await Promise.all(roots.map((r) => this.listXmlFiles(r)));
            return this.indexFiles(lists.flat());
        }
        this.existence.set(file, !!stat);
        if (this.isIndexable(file)) {
            for (const a of await this.loadFromDisk(file)) affected.add(a);
        }
        // An entity file or a non-XML include target: its dependents and includers see it change.
        for (const dep of this.tables.entityDependents.get(file) ?? []) for (const a of await this.reload(dep)) affected.add(a);
        for (const inc of this.tables.includers.get(file) ?? []) affected.add(inc);
        for (const f of this.filesReferencingPath(file)) affected.add(f);
        return affected;
    }

    /** A file or folder was deleted on disk. */
    async fileDeletedOnDisk(file: string): Promise<Set<string>> {
        file = path.resolve(file);
        const affected = new Set<string>();
        this.loader.forgetDtd(file, this.tables.entityDependents.has(file));
        // A known file is removed directly; anything else may be a folder, whose contents go too.
        const known = this.files.has(file) || this.existence.has(file);
        const gone = known ? [file] : [...this.files.keys(), ...this.existence.keys()].filter((k) => isUnder(k, file));
        gone.push(file);
        for (const f of new Set(gone)) {
            this.existence.set(f, false);
            const entry = this.files.get(f);
            // The editor still holds an open file: its text lives on until it is closed.
            if (entry && entry.openText === undefined) for (const a of this.replace(f, undefined)) affected.add(a);
            for (const dep of this.tables.entityDependents.get(f) ?? []) for (const a of await this.reload(dep)) affected.add(a);
            for (const u of this.filesReferencingPath(f)) affected.add(u);
        }
        return affected;
    }

    async setOpenDocument(file: string, text: string, version: number): Promise<Set<string>> {
        file = path.resolve(file);
        const generation = this.nextGeneration(file);
        // Over the size limit an open file is what it is on disk: not indexed (parsing 50 MB on every keystroke would stall every request).
        const tooLarge = textSizeLimitError(text, this.settings.maxFileSize);
        const before = this.files.get(file);
        const entry = await this.buildEntry(file, tooLarge ? '' : text, tooLarge, true, undefined, tooLarge ? undefined : before);
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
        if (!this.isIndexable(file) && !this.tables.includers.get(file)?.size) return this.replace(file, undefined);
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

    private nextGeneration(file: string): number {
        const g = (this.generations.get(file) ?? 0) + 1;
        this.generations.set(file, g);
        return g;
    }

    private async loadFromDisk(file: string, force = false): Promise<Set<string>> {
        if (!force && this.files.get(file)?.openText !== undefined) return new Set();
        const generation = this.nextGeneration(file);
        const bytesRead = await this.loader.readXmlBytes(file);
        if (this.generations.get(file) !== generation) return new Set();
        if (this.files.get(file)?.openText !== undefined) return new Set();
        if (bytesRead.kind === 'unreadable' || bytesRead.kind === 'outside-workspace') return this.replace(file, undefined);
        // Plain UTF-8 is decoded only if its model must be built (most of a cached start is not).
        const plain = bytesRead.kind === 'bytes' && !this.keepTexts && this.loader.isPlainUtf8(bytesRead.bytes) ? bytesRead.bytes : undefined;
        const read = plain || bytesRead.kind !== 'bytes' ? undefined : this.loader.decode(bytesRead.bytes);
        const readError = bytesRead.kind === 'not-text' ? bytesRead.reason : read?.kind === 'not-text' ? read.reason : undefined;
        const source = plain ?? (read?.kind === 'text' ? read.text : '');
        const entry = await this.buildEntry(file, source, readError, false, read?.kind === 'text' ? read.invalidBytes : undefined);
        if (this.generations.get(file) !== generation) return new Set();
        if (this.keepTexts && read?.kind === 'text') entry.diskRead = read;
        const affected = this.replace(file, entry);
        if (!this.bulk) {
            await this.loadExternalIncludeTargets([file]);
        }
        return affected;
    }

    /**
     * `fromEditor`: the editor's text, which the entry keeps (no digest needed to know it is the one
     * indexed). Text read from disk is digested anyway; with the cache on, a model stored for the same
     * digest and entity table is used instead of parsing. `source` is the text, or the bytes of a
     * file of plain UTF-8 (`isPlainUtf8`), digested as bytes and decoded only to be parsed.
     * `before`: the file's entry when the editor changed it; an edit in the words of its text then
     * takes the incremental path (core/incremental.ts) instead of a parse and a model from scratch.
     */
    private async buildEntry(
        file: string, source: string | Uint8Array, readError: string | undefined, fromEditor = false, invalidBytes?: InvalidBytes, before?: IndexedFile,
    ): Promise<IndexedFile> {
        // Bytes are plain UTF-8 (isPlainUtf8): their text's digest without decoding them. Its length is
        // not compared with the cached model's as the text's is: counting it costs more than decoding
        // (2.6 ns a byte), and the same digest is the same text.
        const bytes = typeof source === 'string' ? undefined : source;
        const fingerprint = fromEditor ? undefined : bytes ? bytesFingerprint(bytes) : textFingerprint(source as string);
        const cache = fingerprint !== undefined && !readError ? this.cache : undefined;
        let model: FileModel | undefined;
        let entities: EntityTable | undefined;
        let parsed: XmlDocument | undefined;
        const cached = cache?.get(file, fingerprint!);
        if (cached && (bytes || cached.model.textLength === source.length)) {
            entities = await this.loader.entityTableFor(cached.doctype, file, this.resolver);
            if (entityTableDigest(entities) === cached.entities) {
                model = cached.model;
                cache!.hit(file);
            }
        }
        if (!model || !entities) {
            const decoded = bytes && this.loader.decode(bytes);
            const text = decoded ? (decoded.kind === 'text' ? decoded.text : '') : source as string;
            // The tree of the editor's text before the edit, if still kept, and the model built from it.
            const treeBefore = fromEditor && INCREMENTAL.enabled && before?.openText !== undefined && !before.readError
                ? keptSharedParse(before.openText) : undefined;
            const edited = treeBefore && !invalidBytes ? editInText(treeBefore, text) : undefined;
            if (edited) shareParse(edited.doc);
            // The problems of a text with invalid bytes are added to its tree: that one is not shared.
            const doc = edited ? edited.doc : fromEditor && !invalidBytes ? parseXmlShared(text) : parseXml(text);
            if (invalidBytes) {
                // The build's parser stops at bytes the encoding does not allow; the decoded text shows U+FFFD there.
                doc.problems.unshift({
                    message: `Bytes that are not valid ${invalidBytes.encoding} (shown as U+FFFD): save the file as ${invalidBytes.encoding} or declare its real encoding`,
                    start: invalidBytes.at, end: invalidBytes.at + 1,
                });
            }
            const doctype = doc.doctype ? doctypeInfo(text, doc.doctype) : undefined;
            entities = await this.loader.entityTableFor(doctype, file, this.resolver);
            model = edited && treeBefore && before
                ? modelAfterEdit(before.model, treeBefore.text, edited, entities, entities === before.entities)
                : buildFileModel(doc, entities);
            if (readError) model.problems = [];
            if (this.keepTexts && !fromEditor && !invalidBytes && !readError) parsed = doc;
            cache?.put(file, { hash: fingerprint!, doctype, entities: entityTableDigest(entities), model });
        }
        const includeTargets = model.includes.map((inc): Resolved => inc.href ? this.resolver.resolveHref(inc.href, file, inc.xmlBase) : { kind: 'file', path: file });
        const imageTargets = model.images.map((img): Resolved => this.resolver.resolveHref(img.fileref, file));
        // Existence of what is not indexed XML is checked once here, so features can answer synchronously.
        // Include targets outside the workspace boundary are not even looked at.
        const fileIncludes = includeTargets.filter((t): t is { kind: 'file'; path: string } => t.kind === 'file');
        const inside = await Promise.all(fileIncludes.map((t) => this.loader.checkInside(t.path)));
        const toCheck = [...fileIncludes.filter((_t, i) => inside[i]), ...imageTargets.filter((t): t is { kind: 'file'; path: string } => t.kind === 'file')];
        await Promise.all(toCheck.map((t) => this.checkExists(t.path)));
        return {
            path: file, folder: this.folderOf(file), model, entities, includeTargets, imageTargets, readError,
            fingerprint, diskDoc: parsed,
        };
    }

    private async checkExists(file: string): Promise<void> {
        if (this.files.has(file) || this.existence.has(file)) return;
        const stat = await this.workspace.stat(file);
        this.existence.set(file, stat?.type === 'file');
    }

    /** Includes may reach XML files outside every workspace folder (allowedRoots, mappings); the build reads them, so do we. */
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
                const read = await this.loader.readXml(t.path);
                if (read.kind !== 'text' || this.files.has(t.path)) continue;
                const external = await this.buildEntry(t.path, read.text, undefined);
                if (this.keepTexts) external.diskRead = read;
                this.replace(t.path, external);
                queue.push(t.path);
            }
        }
    }

    // ---- registration --------------------------------------------------------------------------

    /** Swaps a file's entry (undefined removes it) and returns the files whose diagnostics may change. */
    private replace(file: string, entry: IndexedFile | undefined): Set<string> {
        this.glossaryCollections.clear();
        const old = this.files.get(file);
        const affected = new Set<string>([file]);
        const changedIds = new Set<string>();
        const changedTerms = new Set<string>();
        const hadGlossary = this.tables.glossByTerm.size > 0;
        if (old) this.tables.unregister(old);
        if (entry) {
            this.files.set(file, entry);
            this.existence.delete(file);
            this.tables.register(entry);
        } else {
            this.files.delete(file);
        }
        diffKeys(old?.model.ids.map((d) => d.id), entry?.model.ids.map((d) => d.id), changedIds);
        diffKeys(old?.model.glossEntries.map((g) => g.term), entry?.model.glossEntries.map((g) => g.term), changedTerms);
        // Ids defined more than once: the other definitions' diagnostics point here.
        for (const d of entry?.model.ids ?? []) if ((this.tables.idDefs.get(d.id)?.length ?? 0) > 1) changedIds.add(d.id);

        const includesChanged = !old || !entry || old.model.isBook !== entry.model.isBook || includeSignature(old) !== includeSignature(entry);
        if (includesChanged) this.includeComponents = undefined;
        const books = new Set<string>(this.membership.fileBooks.get(file) ?? []);
        if (old?.model.isBook || entry?.model.isBook) books.add(file);
        if (includesChanged || !old || !entry) {
            // A new or vanished file changes the books of those who include it.
            for (const inc of this.tables.includers.get(file) ?? []) {
                for (const b of this.membership.fileBooks.get(inc) ?? []) books.add(b);
                affected.add(inc);
            }
        }
        if (!this.bulk) {
            for (const moved of this.membership.recompute(books)) {
                affected.add(moved);
                for (const d of this.files.get(moved)?.model.ids ?? []) changedIds.add(d.id);
            }
            this.membership.invalidateIdCaches();
        }
        if (this.bulkChanges) {
            for (const id of changedIds) this.bulkChanges.ids.add(id);
            for (const term of changedTerms) this.bulkChanges.terms.add(term);
        } else {
            this.addAffectedBy(changedIds, changedTerms, affected);
        }
        // The first glossary of the workspace, or the last one gone: glossterms in no book start or stop being checked.
        if (hadGlossary !== this.tables.glossByTerm.size > 0) for (const users of this.tables.glossUsers.values()) for (const f of users) affected.add(f);
        return affected;
    }

    /** Files that reference or define these ids, and that use these glossary terms. */
    private addAffectedBy(ids: Iterable<string>, terms: Iterable<string>, affected: Set<string>): void {
        for (const id of ids) {
            for (const f of this.tables.refFiles.get(id) ?? []) affected.add(f);
            for (const d of this.tables.idDefs.get(id) ?? []) affected.add(d.file);
        }
        for (const term of terms) for (const f of this.tables.glossUsers.get(term) ?? []) affected.add(f);
    }

    /**
     * Whether `to` may be reached from `from` through XML includes and back, i.e. whether an include
     * of `from` into `to` can close a cycle: both in one strongly connected component of the include
     * graph between files (regions, xpointers and profiling ignored: a necessary condition only).
     * The cycle check of every include asks this first, and walks the includes only when it holds.
     */
    mayIncludeBack(from: string, to: string): boolean {
        if (from === to) return true;
        this.includeComponents ??= this.findIncludeComponents();
        const c = this.includeComponents.get(from);
        return c !== undefined && c === this.includeComponents.get(to);
    }

    /** Tarjan's algorithm, without recursion (include chains can be thousands of files long). */
    private findIncludeComponents(): Map<string, number> {
        const component = new Map<string, number>();
        const index = new Map<string, number>();
        const low = new Map<string, number>();
        const stack: string[] = [];
        const onStack = new Set<string>();
        let counter = 0;
        let components = 0;
        const targetsOf = (file: string): string[] => {
            const entry = this.files.get(file)!;
            const out: string[] = [];
            entry.includeTargets.forEach((t, j) => {
                if (t.kind === 'file' && entry.model.includes[j].parse !== 'text' && this.files.has(t.path)) out.push(t.path);
            });
            return out;
        };
        for (const start of this.files.keys()) {
            if (index.has(start)) continue;
            const frames: { file: string; targets: string[]; next: number }[] = [];
            const open = (file: string): void => {
                index.set(file, counter);
                low.set(file, counter++);
                stack.push(file);
                onStack.add(file);
                frames.push({ file, targets: targetsOf(file), next: 0 });
            };
            open(start);
            while (frames.length) {
                const frame = frames[frames.length - 1];
                if (frame.next < frame.targets.length) {
                    const t = frame.targets[frame.next++];
                    if (!index.has(t)) open(t);
                    else if (onStack.has(t)) low.set(frame.file, Math.min(low.get(frame.file)!, index.get(t)!));
                    continue;
                }
                frames.pop();
                if (frames.length) {
                    const parent = frames[frames.length - 1].file;
                    low.set(parent, Math.min(low.get(parent)!, low.get(frame.file)!));
                }
                if (low.get(frame.file) === index.get(frame.file)) {
                    let member: string;
                    do {
                        member = stack.pop()!;
                        onStack.delete(member);
                        component.set(member, components);
                    } while (member !== frame.file);
                    components++;
                }
            }
        }
        return component;
    }

    private filesReferencingPath(file: string): Set<string> {
        return new Set([...this.tables.includers.get(file) ?? [], ...this.tables.imageUsers.get(file) ?? []]);
    }

    // ---- books ---------------------------------------------------------------------------------

    /** An include inside an xi:fallback counts only when every enclosing include failed. */
    isIncludeActive(entry: IndexedFile, index: number): boolean {
        return isIncludeActive(this.bookSource, entry, index);
    }

    /** Whether content inside the given include's xi:fallback is what the build shows. */
    isFallbackActive(entry: IndexedFile, includeIndex: number): boolean {
        return this.includeStatus(entry, includeIndex).kind !== 'ok' && this.isIncludeActive(entry, includeIndex);
    }

    includeStatus(entry: IndexedFile, index: number): IncludeStatus {
        return includeStatus(this.bookSource, entry, index);
    }

    // ---- queries -------------------------------------------------------------------------------

    /** Books that contain (part of) the file, directly or through other files. */
    booksOf(file: string): ReadonlySet<string> { return this.membership.booksOf(file); }
    /** Files (with the part taken) that a book assembles. */
    filesOfBook(book: string): ReadonlyMap<string, Region> { return this.membership.filesOfBook(book); }
    isInBook(file: string, offset: number, book: string): boolean { return this.membership.isInBook(file, offset, book); }
    /** Definitions of an id that a reference in `file` can see: those of the file's books, or of the whole workspace for a file in no book. */
    resolveId(file: string, id: string): IdLocation[] { return this.membership.resolveId(file, id); }
    /** Ids a reference in `file` can use: its books' ids, or all ids for a file in no book. */
    idsInScope(file: string): IdLocation[] { return this.membership.idsInScope(file); }
    idsOfBook(book: string): IdLocation[] { return this.membership.idsOfBook(book); }
    idCountInBook(book: string, id: string): number { return this.membership.idCountInBook(book, id); }

    get(file: string): IndexedFile | undefined { return this.files.get(file); }
    allFiles(): IterableIterator<IndexedFile> { return this.files.values(); }
    get fileCount(): number { return this.files.size; }
    get idCount(): number { let n = 0; for (const l of this.tables.idDefs.values()) n += l.length; return n; }
    books(): string[] { return [...this.files.values()].filter((f) => f.model.isBook).map((f) => f.path); }
    includersOf(file: string): ReadonlySet<string> { return this.tables.includers.get(file) ?? EMPTY_SET; }
    /** Files that include `file`, show it as an image or load it as an entity file. */
    usersOf(file: string): Set<string> {
        return new Set([...this.includersOf(file), ...this.tables.imageUsers.get(file) ?? [], ...this.tables.entityDependents.get(file) ?? []]);
    }
    definitionsOf(id: string): readonly IdLocation[] { return this.tables.idDefs.get(id) ?? []; }
    /** Every id's definitions, one list per id name (never empty). */
    idDefinitionLists(): IterableIterator<readonly IdLocation[]> { return this.tables.idDefs.values(); }
    filesReferencing(id: string): ReadonlySet<string> { return this.tables.refFiles.get(id) ?? EMPTY_SET; }
    glossEntriesFor(term: string): readonly GlossLocation[] { return this.tables.glossByTerm.get(term) ?? []; }
    allGlossTerms(): IterableIterator<string> { return this.tables.glossByTerm.keys(); }
    /** Files with a glossterm whose text or baseform is `term`. */
    filesUsingGlossTerm(term: string): ReadonlySet<string> { return this.tables.glossUsers.get(term) ?? EMPTY_SET; }
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

    /** Glossary collection files for a file: the configured path looked up from each of its books' folders upward. */
    glossaryCollectionsFor(file: string): readonly string[] {
        // Asked for every glossterm of a file: remembered until the index or the settings change.
        let out = this.glossaryCollections.get(file);
        if (!out) {
            out = this.findGlossaryCollections(file);
            this.glossaryCollections.set(file, out);
        }
        return out;
    }

    private findGlossaryCollections(file: string): string[] {
        const starts = this.booksOf(file).size ? [...this.booksOf(file)] : [file];
        const out: string[] = [];
        for (const start of starts) {
            const root = this.folderOf(start) ?? path.dirname(start);
            for (let dir = path.dirname(start); ; dir = path.dirname(dir)) {
                const found = this.settings.glossaryCollection.map((rel) => path.resolve(dir, rel)).find((p) => this.files.has(p));
                if (found) { if (!out.includes(found)) out.push(found); break; }
                if (dir === root || path.dirname(dir) === dir || !isUnder(dir, root)) break;
            }
        }
        return out;
    }

    /**
     * Glossary entries a glossterm in `file` can link to: its books' own glossentries, then the
     * collection. A file in no book sees every glossentry of the workspace, as it sees every id.
     */
    glossEntriesInScope(file: string, term: string): GlossLocation[] {
        const all = this.tables.glossByTerm.get(term);
        if (!all) return [];
        const books = this.booksOf(file);
        if (!books.size) return [...all];
        const collections = this.glossaryCollectionsFor(file);
        return all.filter((g) => {
            if (collections.includes(g.file)) return true;
            for (const b of books) if (this.isInBook(g.file, g.entry.entryStart, b)) return true;
            return false;
        });
    }

    /**
     * The glossary entries a glossterm in `file` can link to, one per term (the first by place): its
     * books' and glossary collections' entries, or every term (the collections' first) for a file in
     * no book. Found from the files in scope: a workspace of many guides holds a glossary copy per
     * guide, and walking every copy's entries made a glossterm's completion grow with the workspace.
     */
    glossaryTermsInScope(file: string): GlossLocation[] {
        const first = new Map<string, GlossLocation>();
        const offer = (loc: GlossLocation): void => {
            const known = first.get(loc.entry.term);
            if (!known || loc.file < known.file || (loc.file === known.file && loc.entry.entryStart < known.entry.entryStart)) first.set(loc.entry.term, loc);
        };
        for (const c of this.glossaryCollectionsFor(file)) for (const entry of this.files.get(c)?.model.glossEntries ?? []) offer({ file: c, entry });
        const books = this.booksOf(file);
        for (const b of books) {
            for (const [f, region] of this.filesOfBook(b)) {
                for (const entry of this.files.get(f)?.model.glossEntries ?? []) if (inRegion(region, entry.entryStart)) offer({ file: f, entry });
            }
        }
        const out: GlossLocation[] = [];
        for (const term of this.tables.glossByTerm.keys()) {
            const g = first.get(term);
            if (g) out.push(g);
        }
        // A file in no book can link to any entry: the collections' terms first, then each other term's first entry.
        if (!books.size) for (const [term, list] of this.tables.glossByTerm) if (!first.has(term)) out.push(list[0]);
        return out;
    }

    /** Whether the workspace has a glossentry anywhere (a file in no book can link to any). */
    hasGlossEntries(): boolean {
        return this.tables.glossByTerm.size > 0;
    }

    /**
     * The text of a file only if it is still exactly the text the index was built from; undefined when
     * it changed since (on disk, not yet reported). Edits computed from indexed offsets need this.
     */
    async readIndexedText(file: string): Promise<string | undefined> {
        const entry = this.files.get(file);
        if (!entry || entry.readError) return undefined;
        if (entry.diskRead && entry.openText === undefined) return entry.diskRead.text;
        const text = await this.readText(file);
        if (text === undefined || text.length !== entry.model.textLength) return undefined;
        if (entry.openText !== undefined) return entry.openText === text ? text : undefined;
        return entry.fingerprint !== undefined && textFingerprint(text) === entry.fingerprint ? text : undefined;
    }

    /**
     * Settles a file's schema problems when that needs no check: a file that is not checked, or whose
     * problems the cache holds for its text. False: it has to be checked.
     */
    private settleSchemaProblems(file: string, entry: IndexedFile): boolean {
        if (entry.schemaProblems !== undefined) return true;
        const m = entry.model;
        if (entry.readError || entry.folder === undefined || m.rootNamespace !== DOCBOOK_NS || m.problems.length || m.textLength > MAX_SCHEMA_CHECK_SIZE
            || this.settings.diagnostics.schema === false) {
            entry.schemaProblems = [];
            return true;
        }
        const stored = entry.openText === undefined && entry.fingerprint !== undefined ? this.cache?.schemaProblems(file, entry.fingerprint) : undefined;
        if (stored) entry.schemaProblems = stored;
        return stored !== undefined;
    }

    /**
     * Checks a DocBook 5 file against its schema, once per version of the file, when its diagnostics
     * are first asked for (indexing never pays for it). The tree is parsed again and dropped: only
     * the problems are kept on the entry.
     */
    async ensureSchemaChecked(file: string): Promise<void> {
        const entry = this.files.get(file);
        if (!entry || this.settleSchemaProblems(file, entry)) return;
        const open = entry.openText !== undefined;
        const text = open ? entry.openText : await this.readIndexedText(file);
        if (text === undefined || this.files.get(file) !== entry) return;
        const checked = await checkAgainstSchema(open ? parseXmlShared(text) : parseXml(text), {
            setting: this.settings.schema,
            folder: entry.folder,
            cacheKey: open ? file : undefined,
            resolveHref: (href) => {
                const r = this.resolver.resolveHref(href, file);
                return r.kind === 'file' && !this.loader.isOutside(r.path) ? r.path : undefined;
            },
        });
        if (this.files.get(file) !== entry) return;
        entry.schemaProblems = checked.problems;
        entry.schema = checked.schema;
        // Only the built-in schema's verdict is kept: it depends on nothing but the text and the code
        // (an xml-model's schema file can change without the text changing).
        const builtin = checked.schema !== undefined ? checked.schema === builtinSchema() : checked.problems.length === 0;
        if (!open && builtin && entry.fingerprint !== undefined) this.cache?.putSchemaProblems(file, entry.fingerprint, checked.problems);
    }

    /** The text of a file: the editor's when open, else read from disk. */
    async readText(file: string): Promise<string | undefined> {
        const entry = this.files.get(file);
        if (entry?.openText !== undefined) return entry.openText;
        if (entry?.diskRead) return entry.diskRead.text;
        const read = await this.loader.readXml(file);
        return read.kind === 'text' ? read.text : undefined;
    }

    /**
     * A file's text as the index reads it (the editor's when open), or why it is not read: outside
     * the workspace boundary, a device or fifo, over the size limit, not text. The preview and the
     * CLIs read through this, so they never read what the index would not.
     */
    async readXml(file: string): Promise<XmlRead> {
        const entry = this.files.get(file);
        if (entry?.openText !== undefined) return { kind: 'text', text: entry.openText };
        if (entry?.diskRead) return entry.diskRead;
        return this.loader.readXml(file);
    }

    /** Whether a path lies outside the folders links and includes may reach. */
    isOutsideWorkspace(file: string): boolean {
        return this.loader.isOutside(file);
    }

    /** Links inside the workspace folders that lead outside them (link -> real target); they are not followed. */
    outsideLinks(): ReadonlyMap<string, string> {
        return this.loader.outsideLinks;
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
