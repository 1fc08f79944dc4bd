// Which books hold which files (and which parts of them), kept up to date as books are re-walked,
// and the id scopes that follow from it: the ids a reference in a file can see.

import { IdDefinition } from '../core/docbookModel';
import { BookSource, inRegion, Region, regionKey, walkBook } from './bookWalk';
import { addTo, IdLocation, removeFrom, ReverseTables } from './tables';

const EMPTY_SET: ReadonlySet<string> = new Set();

export class BookMembership {
    private readonly bookFiles = new Map<string, Map<string, Region>>();
    readonly fileBooks = new Map<string, Set<string>>();
    private readonly bookIdCache = new Map<string, IdLocation[]>();
    private readonly bookIdCounts = new Map<string, Map<string, number>>();
    private allIdsCache: IdLocation[] | undefined;

    constructor(private readonly source: BookSource, private readonly tables: ReverseTables) {}

    /** Re-walks the given books; returns files whose membership changed. */
    recompute(books: Set<string>): Set<string> {
        const moved = new Set<string>();
        for (const book of books) {
            const before = this.bookFiles.get(book);
            for (const f of before?.keys() ?? []) removeFrom(this.fileBooks, f, book);
            this.bookFiles.delete(book);
            const entry = this.source.file(book);
            const after = entry?.model.isBook ? walkBook(this.source, book) : new Map<string, Region>();
            if (after.size) this.bookFiles.set(book, after);
            for (const f of after.keys()) addTo(this.fileBooks, f, book);
            for (const [f, region] of after) if (!before || regionKey(before.get(f)) !== regionKey(region)) moved.add(f);
            for (const f of before?.keys() ?? []) if (!after.has(f)) moved.add(f);
        }
        return moved;
    }

    invalidateIdCaches(): void {
        this.bookIdCache.clear();
        this.bookIdCounts.clear();
        this.allIdsCache = undefined;
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
        const defs = this.tables.idDefs.get(id);
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
            if (!this.allIdsCache) this.allIdsCache = [...this.tables.idDefs.values()].flat();
            return this.allIdsCache;
        }
        if (books.size === 1) return this.idsOfBook([...books][0]);
        const seen = new Set<IdDefinition>();
        const out: IdLocation[] = [];
        for (const b of books) for (const l of this.idsOfBook(b)) if (!seen.has(l.def)) { seen.add(l.def); out.push(l); }
        return out;
    }

    /** How many definitions of `id` a book takes (idsOfBook, counted once per book). */
    idCountInBook(book: string, id: string): number {
        let counts = this.bookIdCounts.get(book);
        if (!counts) {
            counts = new Map();
            for (const l of this.idsOfBook(book)) counts.set(l.def.id, (counts.get(l.def.id) ?? 0) + 1);
            this.bookIdCounts.set(book, counts);
        }
        return counts.get(id) ?? 0;
    }

    idsOfBook(book: string): IdLocation[] {
        let cached = this.bookIdCache.get(book);
        if (!cached) {
            cached = [];
            for (const [file, region] of this.filesOfBook(book)) {
                for (const def of this.source.file(file)?.model.ids ?? []) if (inRegion(region, def.start)) cached.push({ file, def });
            }
            this.bookIdCache.set(book, cached);
        }
        return cached;
    }
}
