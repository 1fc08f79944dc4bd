// The reverse tables of the index: for an id, a glossary term, an included file or an entity
// file, the files that define or use it, so that every "who uses X" question is O(1).

import { FileModel, GlossEntryDef, IdDefinition } from '../core/docbookModel';
import { EntityTable } from '../core/entities';
import { Resolved } from '../core/resolver';

import type { XmlRead } from '../api';
import type { XmlDocument } from '../core/xmlParser';
import type { Schema } from '../schema/grammar';
import type { SchemaProblem } from '../schema/validate';

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
    /**
     * Problems found by the schema check (DocBook 5 files that are well-formed) and the schema used;
     * set by ensureSchemaChecked when diagnostics are first asked for.
     */
    schemaProblems?: SchemaProblem[];
    schema?: Schema;
    /**
     * Only for one-shot commands (WorkspaceIndex.keepDiskTexts): the read the model was built from,
     * and its parse when the model was not cached, so that a render does not read and parse again.
     */
    diskRead?: XmlRead & { kind: 'text' };
    diskDoc?: XmlDocument;
}

export interface IdLocation { file: string; def: IdDefinition }
export interface GlossLocation { file: string; entry: GlossEntryDef }

export class ReverseTables {
    readonly idDefs = new Map<string, IdLocation[]>();
    readonly refFiles = new Map<string, Set<string>>();
    readonly includers = new Map<string, Set<string>>();
    readonly imageUsers = new Map<string, Set<string>>();
    readonly glossByTerm = new Map<string, GlossLocation[]>();
    readonly glossUsers = new Map<string, Set<string>>();
    readonly entityDependents = new Map<string, Set<string>>();

    register(entry: IndexedFile): void {
        const m = entry.model;
        // Definitions in path order, whatever order the files were read or changed in: answers and
        // diagnostics do not depend on the index's history (the editor and a fresh docbook-check agree).
        // Inserted in place (the lists are kept sorted): sorting each list again per file was quadratic
        // in the copies of an id (10,000 files of 34 copies of the same books).
        for (const def of m.ids) insertByPlace(this.idDefs, def.id, { file: entry.path, def }, def.start, (l) => l.def.start);
        for (const ref of m.refs) addTo(this.refFiles, ref.id, entry.path);
        for (const t of entry.includeTargets) if (t.kind === 'file') addTo(this.includers, t.path, entry.path);
        for (const t of entry.imageTargets) if (t.kind === 'file') addTo(this.imageUsers, t.path, entry.path);
        for (const g of m.glossEntries) insertByPlace(this.glossByTerm, g.term, { file: entry.path, entry: g }, g.entryStart, (l) => l.entry.entryStart);
        for (const u of m.glossTerms) {
            addTo(this.glossUsers, u.text, entry.path);
            if (u.baseform) addTo(this.glossUsers, u.baseform, entry.path);
        }
        for (const dep of entry.entities.dependencies) addTo(this.entityDependents, dep, entry.path);
    }

    unregister(entry: IndexedFile): void {
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
}

/** Inserts after every element at or before (file, start): the order a stable sort by (file, start) of the list with `value` pushed gives. */
function insertByPlace<V extends { file: string }>(map: Map<string, V[]>, key: string, value: V, at: number, start: (v: V) => number): void {
    const list = map.get(key);
    if (!list) {
        map.set(key, [value]);
        return;
    }
    const file = value.file;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const other = list[mid];
        if (other.file < file || (other.file === file && start(other) <= at)) lo = mid + 1; else hi = mid;
    }
    if (lo === list.length) list.push(value); else list.splice(lo, 0, value);
}

function removeWhere<V>(map: Map<string, V[]>, key: string, pred: (v: V) => boolean): void {
    const list = map.get(key);
    if (!list) return;
    const kept = list.filter((v) => !pred(v));
    if (kept.length) map.set(key, kept); else map.delete(key);
}

export function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
    const set = map.get(key);
    if (set) set.add(value); else map.set(key, new Set([value]));
}

export function removeFrom(map: Map<string, Set<string>>, key: string, value: string): void {
    const set = map.get(key);
    if (!set) return;
    set.delete(value);
    if (!set.size) map.delete(key);
}
