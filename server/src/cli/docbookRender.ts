// docbook-render: the live preview's renderer as a command. Writes a standalone HTML page (strict
// Content-Security-Policy, no script) of a chapter, section or whole book, numbered in the context
// of the book that includes it. Exit 0 = written, 1 = the output could not be written, 2 = bad usage
// or unreadable input; errors are one line, never a stack trace.

import * as fs from 'fs';
import * as path from 'path';
import { pathToUri } from '../core/uri';
import { ALWAYS_SKIPPED_FOLDERS } from '../index/loader';
import { cacheDisabledByEnv, defaultCacheDir } from '../index/modelCache';
import { DocbookLanguageService } from '../languageService';
import { DocbookSettings, resolveSettings } from '../settings';
import { NodeWorkspace, Workspace } from '../workspace';
import { describeFsError, exitQuietlyOnClosedPipe, Output, processOutput, UsageError } from './cliSupport';

const HELP = `Usage: docbook-render FILE [options]

Renders a DocBook chapter, section or book as one standalone HTML page, with XIncludes
expanded, entities resolved and numbers and cross-references taken from the book
that includes FILE.

  -o, --output OUT.html     write the page there (default: standard output)
  --profile ATTR=VALUE      render as a profiled build, e.g. --profile os=ubuntu
                            (repeat it, or separate pairs with commas)
  --book BOOK               the book that gives FILE its context (default: the first
                            book that includes it)
  --root DIR                folder that bounds what is read (default: the nearest folder
                            with .docbook.json or .git, else the folder above FILE's books);
                            only FILE's books, what they include and their glossary are read
  --config FILE             settings file (default: .docbook.json in the indexed folder)
  --cache-dir DIR           keep the index cache there (default: $XDG_CACHE_HOME/docbook-openstack
                            or ~/.cache/docbook-openstack)
  --no-cache                neither read nor write the index cache
  -h, --help                show this help

Exit status: 0 written, 1 the output could not be written, 2 bad usage or unreadable input.`;

interface Options {
    file?: string;
    output?: string;
    profile: Record<string, string>;
    book?: string;
    root?: string;
    config?: string;
    cacheDir?: string;
    noCache: boolean;
    help: boolean;
}

/** The page was rendered but could not be written: one line, exit 1. */
class OutputError extends Error {}

/** `workspace`: the disk (tests pass one that records what is read). */
export async function main(argv: string[], io: Output = processOutput, cwd = process.cwd(), workspace: Workspace = new NodeWorkspace()): Promise<number> {
    exitQuietlyOnClosedPipe(io);
    try {
        const options = parseArgs(argv);
        if (options.help) {
            io.out(HELP + '\n');
            return 0;
        }
        await render(options, io, cwd, workspace);
        return 0;
    } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        const known = e instanceof UsageError || e instanceof OutputError;
        io.err(`docbook-render: ${known ? '' : 'internal error: '}${message}\n`);
        if (e instanceof UsageError) io.err('docbook-render: run with --help for usage\n');
        return e instanceof OutputError ? 1 : 2;
    }
}

function parseArgs(argv: string[]): Options {
    const options: Options = { profile: {}, noCache: false, help: false };
    let onlyPaths = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (onlyPaths || !arg.startsWith('-') || arg === '-') {
            if (options.file !== undefined) throw new UsageError(`one FILE only (got ${options.file} and ${arg})`);
            options.file = arg;
            continue;
        }
        const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
        const name = eq > 0 ? arg.slice(0, eq) : arg;
        const value = (): string => {
            if (eq > 0) return arg.slice(eq + 1);
            const v = argv[++i];
            if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${name} needs a value`);
            return v;
        };
        switch (name) {
            case '--': onlyPaths = true; break;
            case '-h': case '--help': options.help = true; break;
            case '-o': case '--output': options.output = value(); break;
            case '--book': options.book = value(); break;
            case '--root': options.root = value(); break;
            case '--config': options.config = value(); break;
            case '--cache-dir': options.cacheDir = value(); break;
            case '--no-cache': options.noCache = true; break;
            case '--profile':
                for (const pair of value().split(',')) {
                    const m = /^\s*([A-Za-z][\w.-]*)\s*=\s*(\S(?:.*\S)?)\s*$/.exec(pair);
                    if (!m) throw new UsageError(`--profile takes ATTR=VALUE (e.g. os=ubuntu), not "${pair}"`);
                    options.profile[m[1]] = options.profile[m[1]] ? `${options.profile[m[1]]};${m[2]}` : m[2];
                }
                break;
            default: throw new UsageError(`unknown option ${arg}`);
        }
    }
    if (!options.help && options.file === undefined) throw new UsageError('no FILE given');
    return options;
}

// The few files and folders looked at before indexing are asked synchronously: each fs.promises
// call is a round trip through the thread pool, and a one-shot command has nothing to overlap.

function readableFile(p: string, cwd: string, what: string): string {
    const abs = path.resolve(cwd, p);
    try {
        if (fs.statSync(abs).isDirectory()) throw new UsageError(`${p}: is a folder; give the ${what} .xml file`);
        fs.closeSync(fs.openSync(abs, 'r'));
    } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`${p}: ${describeFsError(e)}`);
    }
    return abs;
}

function isDirectory(p: string): boolean {
    try {
        return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
    } catch {
        return false;
    }
}

/** Without an exception for a missing path: the walk up to / asks for .docbook.json and .git in every folder. */
function exists(p: string): boolean {
    try {
        return fs.statSync(p, { throwIfNoEntry: false }) !== undefined;
    } catch {
        return false; // no permission to look, say
    }
}

const BOOK_HEAD = /^(?:\uFEFF)?(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>|\s)*<(?:\w+:)?(?:book|set)[\s>/]/;

/**
 * The book and set files a folder holds directly, told by their root element in the first 4 KB.
 * Only regular files are opened (a fifo or device named .xml never is) and only their head is read.
 * Remembered per folder: the context folder and the candidate books look at the same folders.
 */
function bookFilesIn(dir: string, known: Map<string, string[]>): string[] {
    let out = known.get(dir);
    if (out) return out;
    out = [];
    known.set(dir, out);
    let names: string[];
    try {
        names = fs.readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.xml')).sort();
    } catch {
        return out;
    }
    const head = Buffer.alloc(4096);
    for (const name of names) {
        const file = path.join(dir, name);
        let fd: number | undefined;
        try {
            if (!fs.statSync(file).isFile()) continue;
            fd = fs.openSync(file, 'r');
            const bytes = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
            const text = bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.toString('utf16le') : bytes.toString('utf8');
            if (BOOK_HEAD.test(text)) out.push(file);
        } catch {
            // unreadable: not a book for us
        } finally {
            if (fd !== undefined) fs.closeSync(fd);
        }
    }
    return out;
}

/**
 * The folder that bounds what FILE's rendering may read (its books, shared includes such as
 * ../common and the glossary collection such as ../glossary): the nearest project root
 * (.docbook.json or .git); else the folder above the folders holding books, going up from FILE
 * while each holds one (OpenStack keeps each book in a sibling folder of doc/). The chain stops at
 * the first folder without a book: a stray book file higher up (an assembled copy in /tmp, say)
 * does not pull in everything around it.
 */
function contextFolder(file: string, known: Map<string, string[]>): string {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
        if (exists(path.join(dir, '.docbook.json')) || exists(path.join(dir, '.git'))) return dir;
        if (path.dirname(dir) === dir) break;
    }
    let topBookFolder: string | undefined;
    for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
        if (bookFilesIn(dir, known).length) topBookFolder = dir;
        else if (topBookFolder) break;
    }
    if (!topBookFolder) return path.dirname(file);
    const parent = path.dirname(topBookFolder);
    return path.dirname(parent) === parent ? topBookFolder : parent;
}

/**
 * The books that may include FILE, as the build finds them: book files in FILE's folder and each
 * folder above it up to `root`, and in the folders right below those (sibling book folders). Only
 * their heads are read here; the index then reads their include closures, nothing else.
 */
function candidateBooks(file: string, root: string, known: Map<string, string[]>): string[] {
    const out = new Set<string>();
    for (let dir = path.dirname(file); isUnder(dir, root); dir = path.dirname(dir)) {
        for (const b of bookFilesIn(dir, known)) out.add(b);
        let subfolders: string[] = [];
        try {
            subfolders = fs.readdirSync(dir, { withFileTypes: true })
                .filter((e) => e.isDirectory() && !ALWAYS_SKIPPED_FOLDERS.has(e.name))
                .map((e) => path.join(dir, e.name));
        } catch {
            // unreadable folder: no books from it
        }
        for (const sub of subfolders) for (const b of bookFilesIn(sub, known)) out.add(b);
        if (dir === root || path.dirname(dir) === dir) break;
    }
    return [...out];
}

function loadSettings(configFile: string | undefined, root: string, cwd: string): DocbookSettings {
    const file = configFile ? path.resolve(cwd, configFile) : path.join(root, '.docbook.json');
    if (!configFile && !exists(file)) return resolveSettings(undefined);
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
        throw new UsageError(e instanceof SyntaxError ? `${file} is not valid JSON: ${e.message}` : `cannot read the settings file ${file}: ${describeFsError(e)}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${file} must hold a JSON object of settings`);
    const settings = resolveSettings(parsed);
    // Relative catalog and mapping paths mean "next to the settings file".
    const base = path.dirname(file);
    settings.catalogs = settings.catalogs.map((c) => path.resolve(base, c));
    settings.allowedRoots = settings.allowedRoots.map((r) => path.resolve(base, r));
    settings.urlMappings = Object.fromEntries(Object.entries(settings.urlMappings).map(([prefix, folder]) => [prefix, path.resolve(base, folder) + (/[\\/]$/.test(folder) ? path.sep : '')]));
    return settings;
}

function isUnder(file: string, folder: string): boolean {
    return file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

async function render(options: Options, io: Output, cwd: string, workspace: Workspace): Promise<void> {
    const file = readableFile(options.file!, cwd, 'chapter, section or book');
    const bookFiles = new Map<string, string[]>();
    let root: string;
    if (options.root !== undefined) {
        root = path.resolve(cwd, options.root);
        if (!isDirectory(root)) throw new UsageError(`--root ${options.root}: not a folder`);
    } else {
        root = contextFolder(file, bookFiles);
    }
    const book = options.book !== undefined ? readableFile(options.book, cwd, 'book') : undefined;
    const settings = loadSettings(options.config, root, cwd);
    const service = new DocbookLanguageService(workspace, settings);
    service.keepDiskTexts();
    if (!options.noCache && !cacheDisabledByEnv()) service.useCache(options.cacheDir !== undefined ? path.resolve(cwd, options.cacheDir) : defaultCacheDir());
    await service.initialize([], settings);
    for (const e of service.configurationErrors) io.err(`docbook-render: warning: ${e}\n`);
    // Only FILE, its possible books and what they include: what the build of those books reads.
    await service.addClosure(root, [file, ...book !== undefined ? [book] : [], ...candidateBooks(file, root, bookFiles)]);
    for (const f of [file, book]) {
        if (f && !isUnder(f, root)) await service.addClosure(path.dirname(f), [f]);
    }

    const fileUri = pathToUri(file);
    const bookUri = book !== undefined ? pathToUri(book) : undefined;
    const info = service.fileInfo(fileUri);
    if (info?.readError) throw new UsageError(`${options.file}: not XML: ${info.readError}`);
    if (!info?.rootElement) throw new UsageError(`${options.file}: not XML: no root element`);
    if (bookUri) {
        const b = service.fileInfo(bookUri);
        if (!b?.isBook) throw new UsageError(`--book ${options.book}: not a book${b?.rootElement ? ` (its root is <${b.rootElement}>)` : ''}`);
        if (book !== file && !service.booksOf(fileUri).includes(bookUri)) throw new UsageError(`--book ${options.book}: does not include ${options.file}`);
    }

    const page = await service.previewPage({ uri: fileUri, book: bookUri, profile: options.profile });
    try {
        if (options.output === undefined || options.output === '-') {
            io.out(page);
            return;
        }
        const out = path.resolve(cwd, options.output);
        try {
            // No mkdir -p: a mistyped folder should be an error, not a new folder (and recursive mkdir loops on /proc in Node 20).
            fs.writeFileSync(out, page);
        } catch (e) {
            throw new OutputError(`cannot write ${options.output}: ${describeFsError(e)}`);
        }
    } finally {
        service.saveCache();
    }
}
