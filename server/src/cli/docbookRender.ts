// docbook-render: the live preview's renderer as a command. Writes a standalone HTML page (strict
// Content-Security-Policy, no script) of a chapter, section or whole book, numbered in the context
// of the book that includes it. Exit 0 = written, 1 = the output could not be written, 2 = bad usage
// or unreadable input; errors are one line, never a stack trace.

import { promises as fs } from 'fs';
import * as path from 'path';
import { DEFAULT_MAX_FILE_SIZE } from '../core/decode';
import { pathToUri } from '../core/uri';
import { WorkspaceLoader } from '../index/loader';
import { DocbookLanguageService } from '../languageService';
import { DocbookSettings, resolveSettings } from '../settings';
import { NodeWorkspace } from '../workspace';
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
  --root DIR                folder to index for books (default: the nearest folder with
                            .docbook.json or .git, else the folder above FILE's books)
  --config FILE             settings file (default: .docbook.json in the indexed folder)
  -h, --help                show this help

Exit status: 0 written, 1 the output could not be written, 2 bad usage or unreadable input.`;

interface Options {
    file?: string;
    output?: string;
    profile: Record<string, string>;
    book?: string;
    root?: string;
    config?: string;
    help: boolean;
}

/** The page was rendered but could not be written: one line, exit 1. */
class OutputError extends Error {}

export async function main(argv: string[], io: Output = processOutput, cwd = process.cwd()): Promise<number> {
    exitQuietlyOnClosedPipe(io);
    try {
        const options = parseArgs(argv);
        if (options.help) {
            io.out(HELP + '\n');
            return 0;
        }
        await render(options, io, cwd);
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
    const options: Options = { profile: {}, help: false };
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

async function readableFile(p: string, cwd: string, what: string): Promise<string> {
    const abs = path.resolve(cwd, p);
    try {
        const stat = await fs.stat(abs);
        if (stat.isDirectory()) throw new UsageError(`${p}: is a folder; give the ${what} .xml file`);
        await (await fs.open(abs, 'r')).close();
    } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`${p}: ${describeFsError(e)}`);
    }
    return abs;
}

async function isDirectory(p: string): Promise<boolean> {
    return fs.stat(p).then((s) => s.isDirectory(), () => false);
}

async function exists(p: string): Promise<boolean> {
    return fs.stat(p).then(() => true, () => false);
}

/**
 * Whether a folder holds a book or set file directly (its root element, from the file's start).
 * Read as the index reads XML: a fifo or device named .xml is never opened, a huge file not read.
 */
async function holdsBook(dir: string): Promise<boolean> {
    let names: string[];
    try {
        names = await fs.readdir(dir);
    } catch {
        return false;
    }
    const loader = new WorkspaceLoader(new NodeWorkspace(), DEFAULT_MAX_FILE_SIZE);
    await loader.setFolders([dir]);
    for (const name of names) {
        if (!name.toLowerCase().endsWith('.xml')) continue;
        const read = await loader.readXml(path.join(dir, name));
        if (read.kind !== 'text') continue;
        const head = read.text.slice(0, 4096);
        if (/^(?:\uFEFF)?(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>|\s)*<(?:\w+:)?(?:book|set)[\s>/]/.test(head)) return true;
    }
    return false;
}

/**
 * The folder to index so that FILE has its books, shared includes (../common) and the glossary
 * collection (../glossary): the nearest project root (.docbook.json or .git); else the folder above
 * the top-most folder holding a book (OpenStack keeps each book in a sibling folder of doc/).
 */
async function contextFolder(file: string): Promise<string> {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
        if (await exists(path.join(dir, '.docbook.json')) || await exists(path.join(dir, '.git'))) return dir;
        if (path.dirname(dir) === dir) break;
    }
    let topBookFolder: string | undefined;
    for (let dir = path.dirname(file); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
        if (await holdsBook(dir)) topBookFolder = dir;
    }
    if (!topBookFolder) return path.dirname(file);
    const parent = path.dirname(topBookFolder);
    return path.dirname(parent) === parent ? topBookFolder : parent;
}

async function loadSettings(configFile: string | undefined, root: string, cwd: string): Promise<DocbookSettings> {
    const file = configFile ? path.resolve(cwd, configFile) : path.join(root, '.docbook.json');
    if (!configFile && !await exists(file)) return resolveSettings(undefined);
    let parsed: unknown;
    try {
        parsed = JSON.parse(await fs.readFile(file, 'utf8'));
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

async function render(options: Options, io: Output, cwd: string): Promise<void> {
    const file = await readableFile(options.file!, cwd, 'chapter, section or book');
    let root: string;
    if (options.root !== undefined) {
        root = path.resolve(cwd, options.root);
        if (!await isDirectory(root)) throw new UsageError(`--root ${options.root}: not a folder`);
    } else {
        root = await contextFolder(file);
    }
    const book = options.book !== undefined ? await readableFile(options.book, cwd, 'book') : undefined;
    const settings = await loadSettings(options.config, root, cwd);
    const service = new DocbookLanguageService(new NodeWorkspace(), settings);
    await service.initialize([], settings);
    for (const e of service.configurationErrors) io.err(`docbook-render: warning: ${e}\n`);
    await service.addFolder(root);
    for (const f of [file, book]) {
        if (f && !isUnder(f, root)) await service.addFolder(path.dirname(f));
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
    if (options.output === undefined || options.output === '-') {
        io.out(page);
        return;
    }
    const out = path.resolve(cwd, options.output);
    try {
        // No mkdir -p: a mistyped folder should be an error, not a new folder (and recursive mkdir loops on /proc in Node 20).
        await fs.writeFile(out, page);
    } catch (e) {
        throw new OutputError(`cannot write ${options.output}: ${describeFsError(e)}`);
    }
}
