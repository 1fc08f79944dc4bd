// docbook-check: the server's diagnostics for CI and pre-commit hooks. Same engine (the language
// service the editor's server runs), so the editor and CI never disagree. Exit 0 = no error, 1 = errors (or
// warnings with --strict), 2 = bad usage or nothing to check; always one line, never a stack trace.

import { constants as fsConstants, promises as fs } from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { DIAGNOSTIC_CODES, DiagnosticData, severityOf } from '../features/diagnostics';
import { GATE_NICENESS_CODES } from '../features/diagnosticCodes';
import { pathToUri, uriToPath } from '../core/uri';
import { cacheDisabledByEnv, defaultCacheDir, packageVersion } from '../index/modelCache';
import { DocbookLanguageService } from '../languageService';
import { DocbookSettings, resolveSettings } from '../settings';
import { NodeWorkspace } from '../workspace';
import { changesSince, GitChanges } from './changedSince';
import { boundHeapGrowth, describeFsError, exitQuietlyOnClosedPipe, Output, processOutput, UsageError } from './cliSupport';

const HELP = `Usage: docbook-check [options] [PATH ...]

Checks DocBook 5 books assembled with XInclude, as the docbook language server does:
unresolved and duplicate ids, missing or cyclic includes, xpointers, undefined entities,
missing images, glossary terms, renamed folders, well-formedness; and the OpenStack gate's
checks: sections without xml:id, profiling conflicts, whitespace niceness (errors here,
warnings in the editor, unless the settings give them a severity).

PATH                     folders or .xml files to check (default: the current folder)
  --format text|json|sarif  output format (default: text)
  --book FILE              check only the files of this book (or set)
  --changed-since REF      check what changed since the git commit REF, as the gate checked a
                           change: the files changed since REF (committed, staged, unstaged and
                           untracked), the books that include them, and includes and images of
                           files deleted since REF
  --strict                 warnings fail the run too
  --config FILE            settings file (default: .docbook.json in the first PATH)
  --cache-dir DIR          keep the index cache there (default: $XDG_CACHE_HOME/docbook-openstack
                           or ~/.cache/docbook-openstack); a CI cache can keep it between runs
  --no-cache               neither read nor write the index cache
  -h, --help               show this help

Exit status: 0 no error, 1 errors found (or warnings with --strict), 2 bad usage.`;

type Format = 'text' | 'json' | 'sarif';

interface Options {
    format: Format;
    book?: string;
    changedSince?: string;
    strict: boolean;
    config?: string;
    cacheDir?: string;
    noCache: boolean;
    help: boolean;
    paths: string[];
}


export async function main(argv: string[], io: Output = processOutput, cwd = process.cwd()): Promise<number> {
    exitQuietlyOnClosedPipe(io);
    if (io === processOutput) boundHeapGrowth();
    try {
        const options = parseArgs(argv);
        if (options.help) {
            io.out(HELP + '\n');
            return 0;
        }
        return await check(options, io, cwd);
    } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        io.err(`docbook-check: ${e instanceof UsageError ? '' : 'internal error: '}${message}\n`);
        if (!(e instanceof UsageError)) io.err('docbook-check: run with --help for usage\n');
        return 2;
    }
}

function parseArgs(argv: string[]): Options {
    const options: Options = { format: 'text', strict: false, noCache: false, help: false, paths: [] };
    let onlyPaths = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (onlyPaths || !arg.startsWith('-') || arg === '-') {
            options.paths.push(arg);
            continue;
        }
        if (arg === '--') { onlyPaths = true; continue; }
        const eq = arg.indexOf('=');
        const flag = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
        const value = (): string => {
            if (eq > 0 && arg.startsWith('--')) return arg.slice(eq + 1);
            const v = argv[++i];
            if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${flag} needs a value (see --help)`);
            return v;
        };
        switch (flag) {
            case '-h': case '--help': options.help = true; break;
            case '--strict': options.strict = true; break;
            case '--format': {
                const f = value();
                if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format "${f}": use text, json or sarif`);
                options.format = f;
                break;
            }
            case '--book': options.book = value(); break;
            case '--changed-since': options.changedSince = value(); break;
            case '--config': options.config = value(); break;
            case '--cache-dir': options.cacheDir = value(); break;
            case '--no-cache': options.noCache = true; break;
            default: throw new UsageError(`unknown option ${arg} (see --help)`);
        }
    }
    return options;
}

interface Target { path: string; kind: 'file' | 'directory' }

async function checkArgument(p: string, cwd: string): Promise<Target> {
    const abs = path.resolve(cwd, p);
    let stat;
    try {
        stat = await fs.stat(abs);
    } catch (e) {
        throw new UsageError(`${p}: ${describeFsError(e)}`);
    }
    // Opening a fifo waits for a writer and a device never ends: only folders and regular files are checked.
    if (!stat.isDirectory() && !stat.isFile()) throw new UsageError(`${p}: not a regular file (${kindOfSpecial(stat)})`);
    const kind = stat.isDirectory() ? 'directory' : 'file';
    try {
        await fs.access(abs, kind === 'directory' ? fsConstants.R_OK | fsConstants.X_OK : fsConstants.R_OK);
        if (kind === 'directory') await fs.readdir(abs);
        else await (await fs.open(abs, 'r')).close();
    } catch (e) {
        throw new UsageError(`${p}: ${describeFsError(e)}`);
    }
    if (kind === 'file' && !p.toLowerCase().endsWith('.xml')) throw new UsageError(`${p}: not an XML file (docbook-check reads *.xml)`);
    return { path: abs, kind };
}

/**
 * Why a regular file the index could not read cannot be read: the error of reading its first byte
 * (opening is not enough: /proc/self/mem opens, then fails with EIO).
 */
async function readFailure(file: string): Promise<string> {
    try {
        const handle = await fs.open(file, 'r');
        try {
            await handle.read(Buffer.alloc(1), 0, 1, 0);
        } finally {
            await handle.close();
        }
        return 'cannot be read';
    } catch (e) {
        return `cannot be read: ${describeFsError(e)}`;
    }
}

function kindOfSpecial(stat: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
    return stat.isFIFO() ? 'a fifo' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a file';
}

/** Settings files are small; a bigger one is a mistake (or /dev/zero), not something to read. */
const MAX_SETTINGS_SIZE = 1024 * 1024;

/** The folder that gives a single file its context (its books): the nearest project root. */
async function contextFolder(file: string, cwd: string): Promise<string> {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
        for (const marker of ['.docbook.json', '.git']) {
            if (await fs.stat(path.join(dir, marker)).then(() => true, () => false)) return dir;
        }
        if (path.dirname(dir) === dir) break;
    }
    return isUnder(file, cwd) ? cwd : path.dirname(file);
}

function isUnder(file: string, folder: string): boolean {
    return file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}

/** Where the index cache lives for this run, or undefined when it is off. */
function cacheFolder(options: Options, cwd: string): string | undefined {
    if (options.noCache || cacheDisabledByEnv()) return undefined;
    return options.cacheDir !== undefined ? path.resolve(cwd, options.cacheDir) : defaultCacheDir();
}

/** `firstFolder`: the first PATH, or the project folder of the first PATH when it is a file. */
async function loadSettings(options: Options, firstFolder: string, cwd: string): Promise<DocbookSettings> {
    let file: string | undefined;
    if (options.config) {
        file = path.resolve(cwd, options.config);
    } else {
        const candidate = path.join(firstFolder, '.docbook.json');
        if (await fs.stat(candidate).then((s) => s.isFile(), () => false)) file = candidate;
    }
    if (!file) return resolveSettings(undefined);
    let raw: string;
    try {
        const stat = await fs.stat(file);
        if (!stat.isFile()) throw new UsageError(`cannot read the settings file ${options.config ?? file}: ${stat.isDirectory() ? 'it is a folder' : `not a regular file (${kindOfSpecial(stat)})`}`);
        if (stat.size > MAX_SETTINGS_SIZE) throw new UsageError(`cannot read the settings file ${options.config ?? file}: ${(stat.size / 1048576).toFixed(1)} MB is not a settings file`);
        raw = await fs.readFile(file, 'utf8');
    } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`cannot read the settings file ${options.config ?? file}: ${describeFsError(e)}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(raw);
    } catch (e) {
        throw new UsageError(`${options.config ?? file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`${options.config ?? file} must hold a JSON object of settings`);
    const settings = resolveSettings(parsed);
    // Relative catalog and mapping paths mean "next to the settings file", wherever the tool runs.
    const base = path.dirname(file);
    settings.catalogs = settings.catalogs.map((c) => path.resolve(base, c));
    settings.allowedRoots = settings.allowedRoots.map((r) => path.resolve(base, r));
    settings.urlMappings = Object.fromEntries(Object.entries(settings.urlMappings).map(([prefix, folder]) => [prefix, path.resolve(base, folder) + (/[\\/]$/.test(folder) ? path.sep : '')]));
    return settings;
}

export interface Reported {
    file: string;
    diagnostic: Diagnostic;
}

async function check(options: Options, io: Output, cwd: string): Promise<number> {
    const started = Date.now();
    const targets: Target[] = [];
    for (const p of options.paths.length ? options.paths : ['.']) targets.push(await checkArgument(p, cwd));
    const folders: string[] = [];
    for (const t of targets) folders.push(t.kind === 'directory' ? t.path : await contextFolder(t.path, cwd));
    const settings = gateSeverities(await loadSettings(options, folders[0], cwd));
    // The gate parsed every .xml file, DocBook or not (WADL, XSD, samples break a build too).
    settings.wellFormedness = { allXml: true };
    let book: string | undefined;
    if (options.book) {
        book = (await checkArgument(options.book, cwd)).path;
        if (!folders.some((f) => isUnder(book!, f))) folders.push(await contextFolder(book, cwd));
    }
    // A folder inside another is indexed with it.
    const roots = [...new Set(folders)].filter((f, _i, all) => !all.some((o) => o !== f && isUnder(f, o)));

    const service = new DocbookLanguageService(new NodeWorkspace(), settings);
    service.useCache(cacheFolder(options, cwd));
    await service.initialize([], settings);
    for (const e of service.configurationErrors) io.err(`docbook-check: warning: ${e}\n`);
    for (const f of roots) await service.addFolder(f);

    const fileTargets = new Set(targets.filter((t) => t.kind === 'file').map((t) => t.path));
    const dirTargets = targets.filter((t) => t.kind === 'directory').map((t) => t.path);
    const selected = (file: string): boolean => fileTargets.has(file) || dirTargets.some((d) => isUnder(file, d));

    for (const f of fileTargets) {
        const info = service.fileInfo(pathToUri(f));
        if (!info && service.isExcluded(pathToUri(f))) throw new UsageError(`${relativeTo(cwd, f)}: excluded by the settings ("exclude")`);
        if (!info) throw new UsageError(`${relativeTo(cwd, f)}: ${await readFailure(f)}`);
        if (info?.readError) throw new UsageError(`${relativeTo(cwd, f)}: ${/limit/.test(info.readError) ? 'too large to check' : 'not XML'}: ${info.readError}`);
        if (info && !info.rootElement) throw new UsageError(`${relativeTo(cwd, f)}: not XML: no root element`);
    }

    let bookUri: string | undefined;
    let bookFiles: Set<string> | undefined;
    if (book) {
        bookUri = pathToUri(book);
        const info = service.fileInfo(bookUri);
        if (!info?.isBook) {
            const root = info?.rootElement;
            throw new UsageError(`${options.book}: not a book${root ? ` (its root is <${root}>, not <book> or <set>)` : ''}`);
        }
        bookFiles = new Set(service.filesOfBook(bookUri));
    }

    const fileUris = service.workspaceFiles().filter((u) => (bookFiles ? bookFiles.has(u) : selected(uriToPath(u)!)));
    const files = fileUris.map((u) => uriToPath(u)!);
    const unreadable = bookFiles ? [] : await unreadableFiles(service, roots, selected, io);
    if (!files.length && !unreadable.length) {
        const where = options.paths.length ? options.paths.join(', ') : 'the current folder';
        throw new UsageError(`no .xml files in ${where}`);
    }

    // With --changed-since, git is asked before the diagnostics: a bad ref is a usage error.
    const changes = options.changedSince !== undefined ? await changesSince(folders[0], options.changedSince) : undefined;
    let reported: Reported[] = [];
    for (const { uri, diagnostics } of await service.diagnosticsOfFiles(fileUris, { book: bookUri })) {
        const file = uriToPath(uri)!;
        for (const d of diagnostics) reported.push({ file, diagnostic: d });
    }
    for (const u of unreadable) reported.push(u);
    reported.push(...outsideLinks(service, selected));
    let changeReport: ChangeReport | undefined;
    let checkedFiles = files.length + unreadable.length;
    if (changes) {
        changeReport = changeScope(service, changes, options.changedSince!, selected);
        reported = reportedForChange(reported, changeReport);
        checkedFiles = changeReport.checked.size;
    }
    reported.sort((a, b) => compare(a.file, b.file)
        || a.diagnostic.range.start.line - b.diagnostic.range.start.line
        || a.diagnostic.range.start.character - b.diagnostic.range.start.character);

    const summary = summarize(reported, checkedFiles);
    if (options.format === 'json') io.out(JSON.stringify({ ...toJson(reported, summary, cwd), ...(changeReport ? { changedSince: changeJson(changeReport, cwd) } : {}) }, null, 2) + '\n');
    else if (options.format === 'sarif') io.out(JSON.stringify(toSarif(reported, cwd), null, 2) + '\n');
    else io.out(toText(reported, summary, cwd, Date.now() - started, changeReport && changeText(changeReport, cwd)));
    service.saveCache();
    return summary.errors > 0 || (options.strict && summary.warnings > 0) ? 1 : 0;
}

/**
 * The gate failed a change on its niceness findings: docbook-check reports them as errors unless
 * the settings name a severity (or false) for them; the editor keeps them warnings.
 */
export function gateSeverities(settings: DocbookSettings): DocbookSettings {
    const diagnostics = { ...settings.diagnostics };
    for (const code of GATE_NICENESS_CODES) if (diagnostics[code] === undefined || diagnostics[code] === true) diagnostics[code] = 'error';
    return { ...settings, diagnostics };
}

interface ChangeReport {
    ref: string;
    changes: GitChanges;
    /** Changed files among the checked ones. */
    changed: Set<string>;
    deleted: Set<string>;
    /** The books (and sets) that include a changed file, or are one. */
    books: string[];
    /** Files whose diagnostics count: the changed ones and those of the books. */
    checked: Set<string>;
    bookFiles: Set<string>;
}

/** The checks the gate ran on each changed file alone; the rest of a book was only built. */
const PER_CHANGED_FILE_CODES = new Set<string>(['section-id', 'profile-conflict', ...GATE_NICENESS_CODES]);

function changeScope(service: DocbookLanguageService, changes: GitChanges, ref: string, selected: (f: string) => boolean): ChangeReport {
    const changed = new Set(changes.changed.filter((f) => selected(f) && service.fileInfo(pathToUri(f))));
    // What the index does not hold (an image, an entity file, a text include) reaches books through its users.
    const reaching = new Set(changed);
    for (const f of changes.changed) if (!changed.has(f)) for (const u of service.usersOf(pathToUri(f))) reaching.add(uriToPath(u)!);
    const books = new Set<string>();
    for (const f of reaching) for (const b of service.booksOf(pathToUri(f))) books.add(uriToPath(b)!);
    const bookFiles = new Set<string>();
    for (const b of books) for (const u of service.filesOfBook(pathToUri(b))) bookFiles.add(uriToPath(u)!);
    return {
        ref, changes, changed, deleted: new Set(changes.deleted), books: [...books].sort(compare),
        checked: new Set([...changed, ...[...bookFiles].filter(selected)]), bookFiles,
    };
}

/** What a change is answerable for, with the includes and images of deleted files named as deletions (errors, as the gate had them). */
function reportedForChange(reported: Reported[], change: ChangeReport): Reported[] {
    const out: Reported[] = [];
    for (const r of reported) {
        const d = r.diagnostic;
        const data = d.data as DiagnosticData | undefined;
        const deletedTarget = (data?.code === 'missing-include' || data?.code === 'missing-image') && change.deleted.has(data.target) ? data : undefined;
        if (deletedTarget) {
            const what = deletedTarget.code === 'missing-include' ? `Included file ${deletedTarget.href}` : `Image ${deletedTarget.fileref}`;
            out.push({ file: r.file, diagnostic: { ...d, severity: DiagnosticSeverity.Error, message: `${what} was deleted since ${change.ref} (${deletedTarget.target})` } });
        } else if (change.changed.has(r.file) || (change.bookFiles.has(r.file) && !PER_CHANGED_FILE_CODES.has(String(d.code)))) {
            out.push(r);
        }
    }
    return out;
}

function changeText(change: ChangeReport, cwd: string): string {
    const books = change.books.map((b) => relativeTo(cwd, b));
    return `changed since ${change.ref}: ${plural(change.changed.size, 'checked file')}, ${plural(change.deleted.size, 'deleted file')}; `
        + (books.length ? `${plural(books.length, 'book')} affected: ${books.join(', ')}` : 'no book affected');
}

function changeJson(change: ChangeReport, cwd: string): object {
    return {
        ref: change.ref,
        changed: [...change.changed].sort(compare).map((f) => relativeTo(cwd, f)),
        deleted: [...change.deleted].map((f) => relativeTo(cwd, f)),
        books: change.books.map((b) => relativeTo(cwd, b)),
    };
}

/** Links in the checked folders that lead outside them (to / or $HOME, say): reported, never followed. */
function outsideLinks(service: DocbookLanguageService, selected: (f: string) => boolean): Reported[] {
    const severity = severityOf('outside-workspace', service.settings);
    if (severity === undefined) return [];
    const zero = { line: 0, character: 0 };
    return service.outsideLinks()
        .map(({ uri, target }) => ({ file: uriToPath(uri)!, target }))
        .filter(({ file }) => selected(file))
        .map(({ file, target }) => ({
            file,
            diagnostic: { range: { start: zero, end: zero }, severity, code: 'outside-workspace', source: 'docbook', message: `${path.basename(file)} links to ${target}, outside the checked folders and allowedRoots: not followed` },
        }));
}

/** *.xml files the index could not read at all (no permission): it drops them, CI must not. From the index's own walk: the tree is walked once. */
async function unreadableFiles(service: DocbookLanguageService, roots: string[], selected: (f: string) => boolean, io: Output): Promise<Reported[]> {
    const out: Reported[] = [];
    const outside = new Set(service.outsideLinks().map((l) => l.uri));
    const severity = severityOf('unreadable-file', service.settings);
    const zero = { line: 0, character: 0 };
    for (const root of roots) {
        const listing = service.folderListing(root);
        if (!listing) continue;
        for (const [dir, e] of listing.unreadableFolders) io.err(`docbook-check: warning: cannot read folder ${dir}: ${describeFsError(e)}\n`);
        if (severity === undefined) continue;
        for (const p of listing.files) {
            const uri = pathToUri(p);
            // Links out of the checked folders are reported as outside-workspace.
            if (!selected(p) || outside.has(uri) || service.fileInfo(uri)) continue;
            out.push({ file: p, diagnostic: { range: { start: zero, end: zero }, severity, code: 'unreadable-file', source: 'docbook', message: `${path.basename(p)} ${await readFailure(p)}` } });
        }
    }
    return out;
}

function messageOf(d: Diagnostic): string {
    return typeof d.message === 'string' ? d.message : d.message.value;
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

export function relativeTo(cwd: string, file: string): string {
    const rel = path.relative(cwd, file);
    return (path.isAbsolute(rel) ? rel : rel || '.').split(path.sep).join('/');
}

const SEVERITY_NAMES: Record<number, string> = {
    [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning',
    [DiagnosticSeverity.Information]: 'information', [DiagnosticSeverity.Hint]: 'hint',
};

interface Summary { files: number; errors: number; warnings: number; information: number; hints: number }

function summarize(reported: Reported[], files: number): Summary {
    const s: Summary = { files, errors: 0, warnings: 0, information: 0, hints: 0 };
    for (const { diagnostic: d } of reported) {
        if (d.severity === DiagnosticSeverity.Error) s.errors++;
        else if (d.severity === DiagnosticSeverity.Warning) s.warnings++;
        else if (d.severity === DiagnosticSeverity.Information) s.information++;
        else s.hints++;
    }
    return s;
}

function plural(n: number, word: string, many = word + 's'): string {
    return `${n} ${n === 1 ? word : many}`;
}

function toText(reported: Reported[], s: Summary, cwd: string, ms: number, preamble?: string): string {
    const lines = reported.map(({ file, diagnostic: d }) =>
        `${relativeTo(cwd, file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${SEVERITY_NAMES[d.severity ?? 1]} ${d.code} ${messageOf(d)}`);
    if (preamble) lines.unshift(preamble);
    const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning'), `${s.information} information`];
    if (s.hints) parts.push(plural(s.hints, 'hint'));
    lines.push(`${parts.join(', ')} in ${plural(s.files, 'file')} (${ms} ms)`);
    return lines.join('\n') + '\n';
}

function toJson(reported: Reported[], s: Summary, cwd: string): object {
    return {
        version: 1,
        files: s.files,
        diagnostics: reported.map(({ file, diagnostic: d }) => ({
            file: relativeTo(cwd, file),
            line: d.range.start.line + 1,
            column: d.range.start.character + 1,
            endLine: d.range.end.line + 1,
            endColumn: d.range.end.character + 1,
            severity: SEVERITY_NAMES[d.severity ?? 1],
            code: String(d.code),
            message: messageOf(d),
        })),
        summary: { errors: s.errors, warnings: s.warnings, information: s.information, hints: s.hints },
    };
}

const SARIF_LEVEL: Record<number, string> = {
    [DiagnosticSeverity.Error]: 'error', [DiagnosticSeverity.Warning]: 'warning',
    [DiagnosticSeverity.Information]: 'note', [DiagnosticSeverity.Hint]: 'note',
};

function toolVersion(): string {
    return packageVersion();
}

function toSarif(reported: Reported[], cwd: string): object {
    const ruleIds = Object.keys(DIAGNOSTIC_CODES);
    const srcRoot = pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href;
    const artifact = (file: string): { uri: string; uriBaseId?: string } => {
        const rel = path.relative(cwd, file);
        if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
        return { uri: pathToFileURL(file).href };
    };
    const region = (r: Diagnostic['range']): object => ({
        startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1,
    });
    return {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [{
            tool: {
                driver: {
                    name: 'docbook-check',
                    version: toolVersion(),
                    rules: ruleIds.map((id) => ({
                        id,
                        name: id,
                        shortDescription: { text: DIAGNOSTIC_CODES[id].description },
                        defaultConfiguration: { level: SARIF_LEVEL[DIAGNOSTIC_CODES[id].severity] },
                    })),
                },
            },
            originalUriBaseIds: { '%SRCROOT%': { uri: srcRoot } },
            columnKind: 'utf16CodeUnits',
            results: reported.map(({ file, diagnostic: d }) => {
                const result: Record<string, unknown> = {
                    ruleId: String(d.code),
                    ruleIndex: ruleIds.indexOf(String(d.code)),
                    level: SARIF_LEVEL[d.severity ?? 1],
                    message: { text: messageOf(d) },
                    locations: [{ physicalLocation: { artifactLocation: artifact(file), region: region(d.range) } }],
                };
                if (d.relatedInformation?.length) {
                    result.relatedLocations = d.relatedInformation.map((r, i) => {
                        const relatedPath = uriToPath(r.location.uri);
                        const related = relatedPath ? artifact(relatedPath) : { uri: r.location.uri };
                        return { id: i + 1, message: { text: r.message }, physicalLocation: { artifactLocation: related, region: region(r.location.range) } };
                    });
                }
                return result;
            }),
        }],
    };
}
