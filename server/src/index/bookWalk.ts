// Books as the build assembles them: which files (and which parts of them, for xpointers) a book
// takes through its xi:includes, and the status of each include. Pure: it sees files only through
// `BookSource`, so it is tested on models built in memory and knows nothing of the disk.

import { FileModel, Span } from '../core/docbookModel';
import { Resolved } from '../core/resolver';

/** The part of a file that a book takes: all of it, or the spans an xpointer selects. */
export type Region = 'all' | Span[];

/** What the walk needs of a file: its includes (with their resolved targets) and its ids. */
export interface BookFile {
    path: string;
    model: Pick<FileModel, 'includes' | 'ids' | 'isBook'>;
    /** Parallel to model.includes. */
    includeTargets: readonly Resolved[];
}

export interface BookSource {
    /** The parsed file at a path; undefined when it is not loaded (missing, unreadable, not followed). */
    file(path: string): BookFile | undefined;
    /** Whether a path exists (for text includes, which are not parsed). */
    exists(path: string): boolean;
    /** Whether a path lies outside the folders includes may reach (the workspace boundary). */
    isOutside(path: string): boolean;
}

export type IncludeStatus =
    | { kind: 'ok'; path: string }
    | { kind: 'missing'; path: string }
    | { kind: 'remote'; url: string }
    | { kind: 'invalid'; reason: string }
    | { kind: 'outside-workspace'; path: string }
    | { kind: 'unresolved-xpointer'; path: string; id: string }
    | { kind: 'cycle'; path: string };

export const MAX_BOOK_VISITS = 200_000;

/** The files (with the part taken) that the book assembles, the book itself included. */
export function walkBook(source: BookSource, book: string, budget = MAX_BOOK_VISITS): Map<string, Region> {
    const result = new Map<string, Region>();
    const seen = new Set<string>();
    // Depth-first with an explicit stack, and the include path as counts: a chain of 20,000
    // includes must neither overflow the call stack nor search the path at every step.
    const frames: { entry: BookFile | undefined; region: Region; next: number }[] = [];
    const onPath = new Map<string, number>();
    const enter = (file: string, region: Region): void => {
        const key = file + '\u0000' + regionKey(region);
        if (seen.has(key) || budget-- <= 0) return;
        seen.add(key);
        result.set(file, mergeRegions(result.get(file), region));
        frames.push({ entry: source.file(file), region, next: 0 });
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
        if (inc.parse === 'text' || !inRegion(frame.region, inc.start) || !isIncludeActive(source, entry, i)) continue;
        const status = includeStatusOnPath(source, entry, i, isOnPath, frames.length);
        if (status.kind !== 'ok') continue;
        const target = source.file(status.path)!;
        const targetRegion = inc.pointer ? pointerRegion(target, inc.pointer.id, inc.pointer.mode) : 'all';
        if (targetRegion) enter(status.path, targetRegion);
    }
    return result;
}

/** An include inside an xi:fallback counts only when every enclosing include failed. */
export function isIncludeActive(source: BookSource, entry: BookFile, index: number): boolean {
    let k = entry.model.includes[index].inFallbackOf;
    while (k >= 0) {
        if (includeStatus(source, entry, k).kind === 'ok') return false;
        k = entry.model.includes[k].inFallbackOf;
    }
    return true;
}

/** The status of one include of a file, seen on its own (a cycle only when it includes itself). */
export function includeStatus(source: BookSource, entry: BookFile, index: number): IncludeStatus {
    return includeStatusOnPath(source, entry, index, (file) => file === entry.path, 1);
}

/** `onPath`: whether a file is on the include path that reached `entry` (`depth` files long, `entry` last). */
function includeStatusOnPath(source: BookSource, entry: BookFile, index: number, onPath: (file: string) => boolean, depth: number): IncludeStatus {
    const t = entry.includeTargets[index];
    const inc = entry.model.includes[index];
    if (t.kind === 'remote') return { kind: 'remote', url: t.url };
    if (t.kind === 'invalid') return { kind: 'invalid', reason: t.reason };
    if (source.isOutside(t.path)) return { kind: 'outside-workspace', path: t.path };
    if (inc.parse === 'text') return source.exists(t.path) ? { kind: 'ok', path: t.path } : { kind: 'missing', path: t.path };
    const target = source.file(t.path);
    if (!target) return { kind: 'missing', path: t.path };
    if (inc.pointer && !target.model.ids.some((d) => d.id === inc.pointer!.id)) return { kind: 'unresolved-xpointer', path: t.path, id: inc.pointer.id };
    // Including its own file with an xpointer is legal; without one, or through a chain, it is a cycle.
    if (onPath(t.path) && !(t.path === entry.path && inc.pointer && depth === 1)) return { kind: 'cycle', path: t.path };
    return { kind: 'ok', path: t.path };
}

export function inRegion(region: Region, offset: number): boolean {
    if (region === 'all') return true;
    for (const s of region) if (offset >= s.start && offset < s.end) return true;
    return false;
}

/** A value equal for equal regions, to tell whether a file's part in a book changed. */
export function regionKey(region: Region | undefined): string {
    if (region === undefined) return '';
    if (region === 'all') return 'all';
    return region.map((s) => `${s.start}-${s.end}`).join(',');
}

export function mergeRegions(a: Region | undefined, b: Region): Region {
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

/** The part of `target` an xpointer to `id` selects: the element, or its content after the title. */
function pointerRegion(target: BookFile, id: string, mode: 'element' | 'children'): Region | undefined {
    const def = target.model.ids.find((d) => d.id === id);
    if (!def) return undefined;
    return mode === 'children' ? [{ start: def.afterTitle, end: def.contentEnd }] : [{ start: def.elementStart, end: def.elementEnd }];
}
