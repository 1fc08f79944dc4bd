// The language service sees files only through this interface, so tests run on in-memory trees and
// the LSP adapter can overlay open editors. Paths are absolute file-system paths.

import * as fs from 'fs';
import * as path from 'path';
import { sizeLimitError } from './core/decode';

export type FileType = 'file' | 'directory';

export interface FileStat { type: FileType; size: number }

export type DirectoryEntry = [name: string, type: FileType, isLink?: boolean];

export interface Workspace {
    /** Raw bytes, or undefined when the file cannot be read (missing, directory, no permission). */
    readFile(file: string): Promise<Uint8Array | undefined>;
    stat(file: string): Promise<FileStat | undefined>;
    /**
     * Entries of a folder (symbolic links followed); empty when unreadable, and then `onError` is
     * told why. The third element, when known, says whether the entry is a symbolic link.
     */
    readDirectory(dir: string, onError?: (error: unknown) => void): Promise<DirectoryEntry[]>;
    /** A stable identity for a folder, so that symbolic-link loops are walked once. */
    realPath(p: string): Promise<string>;
    /**
     * stat(), then the bytes of a regular file of at most `maxSize` bytes (none when the read
     * fails), in one call: NodeWorkspace asks the disk for the stat once, not again in readFile.
     */
    readRegularFile?(file: string, maxSize: number): Promise<{ stat?: FileStat; bytes?: Uint8Array }>;
}

/**
 * The real file system. Calls are synchronous behind the async interface: for the many small files
 * of a book, fs.promises costs four thread-pool round trips per file and made indexing 3x slower.
 */
export class NodeWorkspace implements Workspace {
    async readFile(file: string): Promise<Uint8Array | undefined> {
        try {
            // Only regular files: reading /dev/zero or a fifo would never end.
            if (!fs.statSync(file).isFile()) return undefined;
            return fs.readFileSync(file);
        } catch {
            return undefined;
        }
    }

    async readRegularFile(file: string, maxSize: number): Promise<{ stat?: FileStat; bytes?: Uint8Array }> {
        const stat = await this.stat(file);
        if (!stat || stat.type !== 'file' || stat.size > maxSize) return { stat };
        try {
            return { stat, bytes: fs.readFileSync(file) };
        } catch {
            return { stat };
        }
    }

    async stat(file: string): Promise<FileStat | undefined> {
        try {
            // A missing file is common (images, existence checks): no exception for it, they cost ~10 us each.
            const s = fs.statSync(file, { throwIfNoEntry: false });
            if (!s || (!s.isFile() && !s.isDirectory())) return undefined; // missing; devices, fifos, sockets
            return { type: s.isDirectory() ? 'directory' : 'file', size: s.size };
        } catch {
            return undefined;
        }
    }

    async readDirectory(dir: string, onError?: (error: unknown) => void): Promise<DirectoryEntry[]> {
        let entries;
        try {
            entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch (e) {
            onError?.(e);
            return [];
        }
        const out: DirectoryEntry[] = [];
        for (const e of entries) {
            if (e.isDirectory()) out.push([e.name, 'directory', false]);
            else if (e.isFile()) out.push([e.name, 'file', false]);
            else if (e.isSymbolicLink()) {
                const s = await this.stat(path.join(dir, e.name));
                if (s) out.push([e.name, s.type, true]);
            }
        }
        return out;
    }

    async realPath(p: string): Promise<string> {
        try {
            // The native call: the JavaScript one lstat()s every component of every path (~5x slower).
            return fs.realpathSync.native(p);
        } catch {
            return p;
        }
    }
}

/**
 * Why a path the real disk knows must not be read as text: a device or fifo (an include of
 * /dev/zero would never end), a folder, or a file over the index's size limit. Undefined for
 * readable files and for paths the disk does not know (the workspace decides those: tests run on
 * in-memory trees). Asked before reading a file the index does not hold (the preview's includes).
 */
export function diskReadProblem(file: string, maxSize: number): string | undefined {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch {
        return undefined;
    }
    if (!stat.isFile()) return stat.isDirectory() ? 'a folder' : 'not a regular file';
    return sizeLimitError(stat.size, maxSize);
}

/** A workspace held in memory: path -> content. Folders are implied by the paths. */
export class InMemoryWorkspace implements Workspace {
    readonly files = new Map<string, Uint8Array>();

    constructor(files: Record<string, string | Uint8Array> = {}) {
        for (const [p, c] of Object.entries(files)) this.write(p, c);
    }

    write(file: string, content: string | Uint8Array): void {
        this.files.set(path.resolve(file), typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    }

    delete(file: string): void {
        this.files.delete(path.resolve(file));
    }

    async readFile(file: string): Promise<Uint8Array | undefined> {
        return this.files.get(path.resolve(file));
    }

    async stat(file: string): Promise<FileStat | undefined> {
        const p = path.resolve(file);
        const f = this.files.get(p);
        if (f) return { type: 'file', size: f.length };
        const prefix = p.endsWith(path.sep) ? p : p + path.sep;
        for (const k of this.files.keys()) if (k.startsWith(prefix)) return { type: 'directory', size: 0 };
        return undefined;
    }

    async readDirectory(dir: string): Promise<DirectoryEntry[]> {
        const prefix = path.resolve(dir) + path.sep;
        const out = new Map<string, FileType>();
        for (const k of this.files.keys()) {
            if (!k.startsWith(prefix)) continue;
            const rest = k.slice(prefix.length);
            const slash = rest.indexOf(path.sep);
            if (slash < 0) out.set(rest, 'file');
            else out.set(rest.slice(0, slash), 'directory');
        }
        return [...out];
    }

    async realPath(p: string): Promise<string> {
        return path.resolve(p);
    }
}
