// The persistent index cache: file models kept between runs, so that reopening a workspace (or a
// second docbook-check in CI) reads and hashes each file but parses and models only what changed.
//
// Trust nothing read back. An entry is used only when the file's text has the same digest as the
// text the model was built from (never by mtime: a file rewritten within the same second or
// restored by git must not be served stale) and the entity table the file sees now has the same
// digest as the one the model was built with. The whole file is ignored when its magic, code stamp
// (package version, model-format version and the built code itself), settings or checksum differ,
// or when it does not deserialize into the expected shape. Writes go to a temporary file renamed
// over the old one, so a reader never sees half a file and two writers leave one whole file.
// The cache is the only thing the tools write; it never lives in the workspace.

import { createHash, Hash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import type { FileModel } from '../core/docbookModel';
import type { DoctypeInfo, EntityTable } from '../core/entities';
import { builtinSchemaPath } from '../schema/grammar';
import type { SchemaProblem } from '../schema/validate';
import type { DocbookSettings } from '../settings';

/** Bump when FileModel, or what a cached entry holds, changes shape or meaning. */
export const MODEL_FORMAT = 2;

const MAGIC = Buffer.from('DBKCACHE');
/** Entries kept for files outside the folders of this run (a folder since removed, say). */
const MAX_ENTRIES = 200_000;
/** Temporary files of writers that died are removed after this. */
const STALE_TEMP_MS = 10 * 60_000;
/** A workspace's cache not written for this long is removed (the next run there starts cold). */
const STALE_CACHE_MS = 30 * 24 * 3600_000;

export interface CachedModel {
    /** Digest of the text (textFingerprint), which is also the entry's `fingerprint`. */
    hash: string;
    doctype: DoctypeInfo | undefined;
    /** Digest of the entity table the model was built with. */
    entities: string;
    model: FileModel;
    /**
     * The file's problems against the built-in DocBook schema, once a run has checked it (the check
     * costs more than parsing and modelling together); undefined until then, or when the file is
     * checked against another schema (an xml-model), which is checked again each run.
     */
    schema?: SchemaProblem[];
}

/** Where the CLIs and docbook-ls keep the cache: $DOCBOOK_OPENSTACK_CACHE_DIR, $XDG_CACHE_HOME/docbook-openstack or ~/.cache/docbook-openstack. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
    if (env.DOCBOOK_OPENSTACK_CACHE_DIR) return path.resolve(env.DOCBOOK_OPENSTACK_CACHE_DIR);
    const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
    return path.join(base, 'docbook-openstack');
}

/** Whether the environment turns the cache off (DOCBOOK_OPENSTACK_NO_CACHE=1), as --no-cache does. */
export function cacheDisabledByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
    return !!env.DOCBOOK_OPENSTACK_NO_CACHE && env.DOCBOOK_OPENSTACK_NO_CACHE !== '0';
}

let version: string | undefined;

/** The package's version, from the package.json above this module (out/server/src/index or dist/). */
export function packageVersion(): string {
    if (version !== undefined) return version;
    version = '0.0.0';
    for (let dir = __dirname, up = 0; up < 6; dir = path.dirname(dir), up++) {
        const file = path.join(dir, 'package.json');
        if (!fs.existsSync(file)) continue;
        try {
            const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
            if (pkg.name === 'docbook-openstack') return version = pkg.version ?? '0.0.0';
        } catch {
            // unreadable or not JSON: look further up
        }
    }
    return version;
}

let stamp: string | undefined;

/**
 * Identifies the code that builds models: the running bundle (dist/*.js) or, when run from out/,
 * the compiled core modules (parser, model builder, entities). Any rebuild changes it, so a parser
 * change invalidates the cache even when nobody bumps MODEL_FORMAT.
 */
function codeStamp(): string {
    if (stamp !== undefined) return stamp;
    const parts = [`format ${MODEL_FORMAT}`, `version ${packageVersion()}`, `node ${process.versions.modules}`];
    const files = [__filename];
    // The compiled built-in schema: its problems are cached with the models.
    const schema = builtinSchemaPath();
    if (schema) files.push(schema);
    const core = path.join(__dirname, '..', 'core');
    // Bundled, __filename is the whole program; from out/, the core modules are files of their own.
    if (fs.existsSync(core)) for (const f of fs.readdirSync(core).sort()) if (f.endsWith('.js')) files.push(path.join(core, f));
    for (const f of files) {
        const s = fs.statSync(f, { throwIfNoEntry: false });
        parts.push(`${path.basename(f)} ${s ? `${s.size} ${s.mtimeMs}` : '?'}`);
    }
    return stamp = parts.join('\n');
}

/** The settings a model can depend on (through entity resolution), the file size limit and the schema setting. */
function settingsKey(settings: DocbookSettings): string {
    return JSON.stringify([settings.catalogs, settings.urlMappings, settings.allowedRoots, settings.maxFileSize, settings.schema]);
}

const entityDigests = new WeakMap<EntityTable, string>();

/** A digest of everything in an entity table a model can depend on; tables are shared, so it is computed once each. */
export function entityTableDigest(table: EntityTable): string {
    let digest = entityDigests.get(table);
    if (digest === undefined) {
        const hash = createHash('sha1');
        for (const [name, d] of table.general) hash.update(JSON.stringify([name, d.value, d.systemId, d.publicId, d.source, d.start]));
        hash.update(JSON.stringify([table.dependencies, table.missing, table.complete]));
        digest = hash.digest('base64');
        entityDigests.set(table, digest);
    }
    return digest;
}

function sha1(data: Uint8Array): string {
    return createHash('sha1').update(data).digest('base64');
}

/**
 * Rows per serialized chunk. The language server's write serializes smaller ones, up to STEP_BYTES
 * per step: serializing runs at 100-170 MB/s here, so a step holds the event loop 3-5 ms.
 */
const ROWS_PER_CHUNK = 64;
const ROWS_PER_STEP_CHUNK = 8;
export const STEP_BYTES = 512 * 1024;

/** The payload is a run of chunks, each its length (4 bytes) and a v8-serialized array of rows. */
function encodeChunk(rows: Row[], payload: Hash): Buffer {
    const body = v8.serialize(rows);
    const chunk = Buffer.alloc(4 + body.length);
    chunk.writeUInt32LE(body.length);
    body.copy(chunk, 4);
    payload.update(chunk);
    return chunk;
}

/** The rows of a payload, or undefined when it is not a run of whole chunks of arrays. */
function decodeChunks(payload: Buffer): unknown[] | undefined {
    const rows: unknown[] = [];
    for (let at = 0; at < payload.length;) {
        if (at + 4 > payload.length) return undefined;
        const end = at + 4 + payload.readUInt32LE(at);
        if (end > payload.length) return undefined;
        const chunk = v8.deserialize(payload.subarray(at + 4, end)) as unknown;
        if (!Array.isArray(chunk)) return undefined;
        for (const row of chunk) rows.push(row);
        at = end;
    }
    return rows;
}

type Row = [file: string, hash: string, doctype: DoctypeInfo | undefined, entities: string, model: FileModel, schema: SchemaProblem[] | undefined];

function isRow(r: unknown): r is Row {
    if (!Array.isArray(r) || r.length !== 6) return false;
    const [file, hash, doctype, entities, model, schema] = r as unknown[];
    if (typeof file !== 'string' || typeof hash !== 'string' || typeof entities !== 'string') return false;
    if (schema !== undefined && !(Array.isArray(schema) && schema.every((p) => p && typeof p === 'object' && typeof (p as SchemaProblem).message === 'string'))) return false;
    if (doctype !== undefined && (typeof doctype !== 'object' || doctype === null || typeof (doctype as DoctypeInfo).subset !== 'string')) return false;
    if (!model || typeof model !== 'object') return false;
    const m = model as Record<string, unknown>;
    return m.lineStarts instanceof Uint32Array && typeof m.textLength === 'number'
        && ['ids', 'refs', 'includes', 'images', 'glossEntries', 'glossTerms', 'outline', 'profiling', 'entityUses', 'problems'].every((k) => Array.isArray(m[k]));
}

export interface ModelCacheStats {
    hits: number;
    misses: number;
    loaded: number;
    /** Schema checks answered from the cache, and those stored for the next run. */
    schemaHits: number;
    schemaStored: number;
    ignored?: string;
}

export class ModelCache {
    private entries: Map<string, CachedModel> | undefined;
    /** Files whose entries this run used or stored: they are what the next run needs. */
    private readonly touched = new Set<string>();
    /** Changes to the entries, and how many of them the cache file on disk holds. */
    private changes = 0;
    private writtenChanges = 0;
    private readonly stamp: string;
    private readonly settings: string;
    private cacheFile: string | undefined;
    /** The write in steps under way (flushInSteps), if any. */
    private writing: object | undefined;
    readonly stats: ModelCacheStats = { hits: 0, misses: 0, loaded: 0, schemaHits: 0, schemaStored: 0 };

    constructor(readonly dir: string, settings: DocbookSettings) {
        this.settings = settingsKey(settings);
        this.stamp = codeStamp();
    }

    /**
     * Names the cache file after the workspace folders (the first ones the index is given) and the
     * settings: each workspace reads only its own models, and another configuration's models are
     * another cache, not a conflict.
     */
    bind(folders: readonly string[]): void {
        if (this.cacheFile !== undefined || !folders.length) return;
        const key = createHash('sha1').update(this.settings).update(JSON.stringify([...folders].sort())).digest('hex').slice(0, 20);
        this.cacheFile = path.join(this.dir, `models-${key}.bin`);
    }

    get file(): string {
        if (this.cacheFile === undefined) this.bind([process.cwd()]);
        return this.cacheFile!;
    }

    /** The model stored for a file if it was built from text with this digest; its entity digest is checked by the caller. */
    get(file: string, hash: string): CachedModel | undefined {
        const hit = this.load().get(file);
        if (hit && hit.hash === hash) return hit;
        return undefined;
    }

    hit(file: string): void {
        this.touched.add(file);
        this.stats.hits++;
    }

    put(file: string, entry: CachedModel): void {
        this.load().set(file, entry);
        this.touched.add(file);
        this.changes++;
        this.stats.misses++;
    }

    /** The built-in schema's problems stored for a file whose text has this digest, if a run checked it. */
    schemaProblems(file: string, hash: string): SchemaProblem[] | undefined {
        const hit = this.load().get(file);
        if (!hit || hit.hash !== hash || hit.schema === undefined) return undefined;
        this.stats.schemaHits++;
        return hit.schema;
    }

    /** Keeps the built-in schema's problems with the model of the text they were found in (not for another text). */
    putSchemaProblems(file: string, hash: string, problems: SchemaProblem[]): void {
        const entry = this.load().get(file);
        if (!entry || entry.hash !== hash || entry.schema !== undefined) return;
        entry.schema = problems;
        this.changes++;
        this.stats.schemaStored++;
    }

    /**
     * Writes the cache if anything changed: the entries this run used or built, and those of files
     * outside `folders` (another project with the same settings), dropping entries of files under
     * `folders` that this run did not see (deleted). Never throws: a cache that cannot be written
     * only costs the next run its speed. A write in steps under way is superseded.
     */
    flush(folders: readonly string[]): void {
        this.writing = undefined;
        const snapshot = this.rowsToWrite(folders);
        if (!snapshot) return;
        const { rows } = snapshot;
        try {
            const payload: Buffer[] = [];
            const digest = createHash('sha1');
            for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) payload.push(encodeChunk(rows.slice(i, i + ROWS_PER_CHUNK), digest));
            const temp = this.prepareWrite();
            try {
                fs.writeFileSync(temp, Buffer.concat([...this.head(digest, rows.length), ...payload]), { mode: 0o600 });
                fs.renameSync(temp, this.file);
                this.written(snapshot);
            } catch (e) {
                fs.rmSync(temp, { force: true });
                throw e;
            }
        } catch (e) {
            this.notWritten(e);
        }
    }

    /**
     * The same write for a process that keeps serving (the language server): the entries are
     * serialized in steps of about STEP_BYTES with `pause()` between (at 10,000 files one write held the
     * event loop 300-530 ms), and written to disk asynchronously. What it writes is what the cache
     * held when it started; changes made meanwhile are left for the next write. A newer write, or a
     * flush, supersedes it: it then renames nothing, so an older snapshot never replaces a newer one.
     */
    async flushInSteps(folders: readonly string[], pause: () => Promise<void>): Promise<void> {
        const snapshot = this.rowsToWrite(folders);
        if (!snapshot) return;
        const { rows } = snapshot;
        const token = {};
        this.writing = token;
        let temp: string | undefined;
        try {
            const payload: Buffer[] = [];
            const digest = createHash('sha1');
            let stepBytes = 0;
            for (let i = 0; i < rows.length; i += ROWS_PER_STEP_CHUNK) {
                const chunk = encodeChunk(rows.slice(i, i + ROWS_PER_STEP_CHUNK), digest);
                payload.push(chunk);
                if ((stepBytes += chunk.length) < STEP_BYTES) continue;
                stepBytes = 0;
                await pause();
                if (this.writing !== token) return;
            }
            temp = this.prepareWrite();
            await fs.promises.writeFile(temp, [...this.head(digest, rows.length), ...payload], { mode: 0o600 });
            if (this.writing !== token) return;
            fs.renameSync(temp, this.file);
            temp = undefined;
            this.written(snapshot);
        } catch (e) {
            this.notWritten(e);
        } finally {
            if (this.writing === token) this.writing = undefined;
            if (temp !== undefined) fs.rmSync(temp, { force: true });
        }
    }

    /** The rows the next run needs and the changes they hold, or undefined when the file on disk already holds them. */
    private rowsToWrite(folders: readonly string[]): { rows: Row[]; changes: number; dropped: string[] } | undefined {
        const entries = this.entries;
        if (!entries) return undefined;
        const under = (f: string): boolean => folders.some((d) => f === d || f.startsWith(d.endsWith(path.sep) ? d : d + path.sep));
        const rows: Row[] = [];
        const dropped: string[] = [];
        for (const [file, e] of entries) {
            if (this.touched.has(file) || (!under(file) && entries.size <= MAX_ENTRIES)) rows.push([file, e.hash, e.doctype, e.entities, e.model, e.schema]);
            else dropped.push(file);
        }
        if (this.changes === this.writtenChanges && !dropped.length) return undefined;
        return { rows, changes: this.changes, dropped };
    }

    /** The file on disk now holds these changes, and not the entries dropped (unless this run used them since). */
    private written({ changes, dropped }: { changes: number; dropped: string[] }): void {
        this.writtenChanges = changes;
        for (const file of dropped) if (!this.touched.has(file)) this.entries?.delete(file);
    }

    /** The magic, the header's length and the header of a cache file whose payload has this digest. */
    private head(payload: Hash, rows: number): Buffer[] {
        const header = Buffer.from(JSON.stringify({ stamp: this.stamp, settings: this.settings, sha1: payload.digest('base64'), rows }));
        const length = Buffer.alloc(4);
        length.writeUInt32LE(header.length);
        return [MAGIC, length, header];
    }

    /** Makes the folder, clears what dead writers left, and names this write's temporary file. */
    private prepareWrite(): string {
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.removeStaleFiles();
        return `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    }

    private notWritten(e: unknown): void {
        this.stats.ignored = `not written: ${e instanceof Error ? e.message : String(e)}`;
    }

    /** Temporary files of writers that died, and caches of workspaces not indexed for a month. */
    private removeStaleFiles(): void {
        for (const name of fs.readdirSync(this.dir)) {
            const temporary = name.endsWith('.tmp');
            if (!name.startsWith('models-') || !(temporary || name.endsWith('.bin'))) continue;
            const p = path.join(this.dir, name);
            try {
                if (Date.now() - fs.statSync(p).mtimeMs > (temporary ? STALE_TEMP_MS : STALE_CACHE_MS)) fs.rmSync(p, { force: true });
            } catch {
                // another process removed or renamed it
            }
        }
    }

    /** Reads the cache file once; anything unexpected makes it an empty cache (rebuilt on flush). */
    private load(): Map<string, CachedModel> {
        if (this.entries) return this.entries;
        this.entries = new Map();
        let bytes: Buffer;
        try {
            bytes = fs.readFileSync(this.file);
        } catch {
            return this.entries; // none yet
        }
        const ignore = (why: string): Map<string, CachedModel> => {
            this.stats.ignored = why;
            this.changes++; // rewrite it whole
            return this.entries = new Map();
        };
        try {
            if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return ignore('not a cache file');
            const headerLength = bytes.readUInt32LE(MAGIC.length);
            const start = MAGIC.length + 4 + headerLength;
            if (start > bytes.length) return ignore('truncated');
            const header = JSON.parse(bytes.subarray(MAGIC.length + 4, start).toString('utf8')) as { stamp?: unknown; settings?: unknown; sha1?: unknown; rows?: unknown };
            if (header.stamp !== this.stamp) return ignore('built by other code');
            if (header.settings !== this.settings) return ignore('other settings');
            const payload = bytes.subarray(start);
            if (header.sha1 !== sha1(payload)) return ignore('checksum mismatch (truncated or corrupt)');
            const rows = decodeChunks(payload);
            if (!rows || rows.length !== header.rows || !rows.every(isRow)) return ignore('unexpected content');
            for (const [file, hash, doctype, entities, model, schema] of rows as Row[]) this.entries.set(file, { hash, doctype, entities, model, schema });
            this.stats.loaded = this.entries.size;
        } catch (e) {
            return ignore(`unreadable: ${e instanceof Error ? e.message : String(e)}`);
        }
        return this.entries;
    }
}
