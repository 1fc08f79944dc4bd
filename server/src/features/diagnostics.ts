// Diagnostics of one file, by the rules of the real OpenStack build (XInclude, then DocBook XSL
// with the glossary collection as a parameter). Everything is answered from the index, so one
// file costs O(its size + its references); it runs on every keystroke.

import { glossEntriesFor } from '../core/glossary';
import * as path from 'path';
import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Range } from 'vscode-languageserver-types';
import { IdDefinition, Span, XInclude } from '../core/docbookModel';
import { PREDEFINED_ENTITIES } from '../core/entities';
import { NicenessCode, NicenessFinding } from '../core/niceness';
import { pathToUri, rangeOf } from '../core/uri';
import { findSubsetEnd } from '../core/xmlParser';
import { DocbookSettings } from '../settings';
import { IdLocation, IndexedFile, inRegion, Region, WorkspaceIndex } from '../index/workspaceIndex';
import type { FeatureContext } from './context';

export { DIAGNOSTIC_CODES, DIAGNOSTIC_SOURCE, DiagnosticData, severityOf } from './diagnosticCodes';
import { DIAGNOSTIC_SOURCE, DiagnosticData, severityOf } from './diagnosticCodes';

/**
 * Diagnostics of one indexed file; [] for a file outside every workspace folder. `text` (else the
 * editor's text when the file is open) lets entity-file paths in the DOCTYPE be placed exactly;
 * without it a renamed entity-file path is reported at the start of the file.
 */
export interface DiagnosticsParams { file: string; text?: string }

export function provideDiagnostics({ index }: FeatureContext, { file, text }: DiagnosticsParams): Diagnostic[] {
    const entry = index.get(file);
    if (!entry || entry.folder === undefined) return [];
    // XML that is not DocBook (a Maven POM, an SVG) belongs to other tools: say nothing about it,
    // unless asked for its well-formedness (docbook-check always asks: the gate parsed every .xml file).
    if (entry.model.rootElement !== undefined && !entry.model.isDocbook) {
        return index.currentSettings.wellFormedness.allXml ? new FileChecker(index, entry, text ?? entry.openText).runWellFormedness() : [];
    }
    return new FileChecker(index, entry, text ?? entry.openText).run();
}

/** Whether provideDiagnostics places more exactly with the file's text (an entity file path through a renamed folder). */
export function diagnosticsWantText(index: WorkspaceIndex, file: string): boolean {
    const entry = index.get(file);
    if (!entry || entry.folder === undefined) return false;
    const renames = index.currentSettings.folderRenames;
    return entry.entities.missing.some((p) => renamedSegment(relativePath(path.dirname(file), p), renames) !== undefined);
}

export interface RenamedSegment {
    folder: string;
    renamedTo: string | null;
    /** Offset of the segment in the path string. */
    offset: number;
}

/** The first path segment that names an old folder of the reorganisation table. */
export function renamedSegment(written: string, renames: Record<string, string | null>): RenamedSegment | undefined {
    let body = written.replace(/[?#].*$/, '');
    let skip = 0;
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:(\/\/[^/]*)?/.exec(body);
    if (scheme) {
        skip = scheme[0].length;
        body = body.slice(skip);
    }
    const re = /[^/\\]+/g;
    for (let m = re.exec(body); m; m = re.exec(body)) {
        if (Object.prototype.hasOwnProperty.call(renames, m[0])) return { folder: m[0], renamedTo: renames[m[0]], offset: skip + m.index };
    }
    return undefined;
}

export function rewriteRenamed(written: string, seg: RenamedSegment): string | undefined {
    if (seg.renamedTo === null) return undefined;
    return written.slice(0, seg.offset) + seg.renamedTo + written.slice(seg.offset + seg.folder.length);
}

export function relativePath(fromDir: string, to: string): string {
    const rel = path.relative(fromDir, to) || path.basename(to);
    return rel.split(path.sep).join('/');
}

function bookName(index: WorkspaceIndex, book: string): string {
    const title = index.get(book)?.model.title;
    return title ? `${title} (${path.basename(book)})` : path.basename(book);
}

export const MAX_DIAGNOSTICS_PER_FILE = 1000;

interface DuplicateGroup { candidates: IdLocation[]; inThisFile: number; perBook: Map<string, number>; names?: string }

class FileChecker {
    private readonly out: Diagnostic[] = [];
    private readonly settings: DocbookSettings;
    private readonly uri: string;
    private readonly file: string;
    private readonly books: string[];

    constructor(private readonly index: WorkspaceIndex, private readonly entry: IndexedFile, private readonly text: string | undefined) {
        this.settings = index.currentSettings;
        this.file = entry.path;
        this.uri = pathToUri(entry.path);
        this.books = [...index.booksOf(entry.path)];
    }

    run(): Diagnostic[] {
        if (this.entry.readError) {
            this.add('unreadable-file', { start: 0, end: 0 }, `${path.basename(this.file)} cannot be read as XML: ${this.entry.readError}`);
            return this.out;
        }
        this.runWellFormedness();
        for (const p of this.entry.schemaProblems ?? []) this.add('schema', p, p.message, p.data ? { data: { code: 'schema', ...p.data } } : undefined);
        this.checkIds();
        this.checkRefs();
        this.checkIncludes();
        this.checkImages();
        this.checkEntities();
        this.checkGlossTerms();
        this.checkProfiling();
        this.checkOrphan();
        this.checkGate();
        return this.out;
    }

    /** The parser's problems: what stops libxml2, and the namespace errors it survives. */
    runWellFormedness(): Diagnostic[] {
        for (const p of this.entry.model.problems) this.add(p.kind === 'namespace' ? 'namespace-error' : 'not-well-formed', p, p.message);
        return this.out;
    }

    /** Enough said about one file: a hostile file could otherwise yield a diagnostic per byte. */
    private full(): boolean {
        return this.out.length >= MAX_DIAGNOSTICS_PER_FILE;
    }

    private add(
        code: string,
        span: Span,
        message: string,
        extra?: { related?: DiagnosticRelatedInformation[]; data?: DiagnosticData; severity?: DiagnosticSeverity },
    ): void {
        if (this.full()) return;
        let severity = severityOf(code, this.settings);
        if (severity === undefined) return;
        // A lower severity asked by the check (e.g. an include with a fallback) wins over the configured one.
        if (extra?.severity !== undefined && extra.severity > severity) severity = extra.severity;
        const d: Diagnostic = { range: this.range(span), severity, code, source: DIAGNOSTIC_SOURCE, message };
        if (extra?.related?.length) d.relatedInformation = extra.related;
        if (extra?.data) d.data = extra.data;
        this.out.push(d);
    }

    private range(span: Span): Range {
        return rangeOf(this.entry.model.lineStarts, span.start, span.end);
    }

    private locationOf(file: string, span: Span, message: string): DiagnosticRelatedInformation {
        const model = this.index.get(file)?.model;
        const range = model ? rangeOf(model.lineStarts, span.start, span.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        return { location: { uri: pathToUri(file), range }, message };
    }

    private show(target: string): string {
        return relativePath(path.dirname(this.file), target);
    }

    /** Books whose assembled text contains this offset of the file. */
    private booksAt(offset: number): string[] {
        return this.books.filter((b) => this.index.isInBook(this.file, offset, b));
    }

    // ---- ids ------------------------------------------------------------------------------------

    private checkIds(): void {
        // Definitions of one id seen from the same books clash with the same others: worked out once
        // per id and set of books, so a file that repeats an id 100,000 times stays linear.
        const groups = new Map<string, DuplicateGroup>();
        for (const def of this.entry.model.ids) {
            if (this.full()) return;
            const defs = this.index.definitionsOf(def.id);
            if (defs.length < 2) continue;
            const here = this.booksAt(def.start);
            const key = `${def.id}\u0000${here.join('\u0000')}`;
            let group = groups.get(key);
            if (!group) {
                // Holds `def` itself (same file), and every other definition in this file or these books.
                const candidates = defs.length > MANY_DEFINITIONS && !this.mayClash(def, defs, here)
                    ? [] : defs.filter((o) => o.file === this.file || here.some((b) => this.index.isInBook(o.file, o.def.start, b)));
                group = { candidates, inThisFile: candidates.filter((o) => o.file === this.file).length, perBook: new Map() };
                groups.set(key, group);
            }
            if (group.candidates.length < 2) continue;
            const candidates = group.candidates;
            const perBook = group.perBook;
            const countIn = (b: string): number => {
                let n = perBook.get(b);
                if (n === undefined) perBook.set(b, n = candidates.filter((o) => this.index.isInBook(o.file, o.def.start, b)).length);
                return n;
            };
            // `def` is in every book of `here`: another definition shares one when the count exceeds 1.
            const sharedBook = here.find((b) => countIn(b) > 1);
            const where = sharedBook ? ` in the book ${bookName(this.index, sharedBook)}` : ' in this file';
            const related: DiagnosticRelatedInformation[] = [];
            for (const o of candidates) {
                if (related.length >= 10) break;
                if (o.def !== def) related.push(this.locationOf(o.file, o.def, `Also defined here (${this.show(o.file)})`));
            }
            // The same for every definition of the group: `def` is in this file, which is named only if another is too.
            group.names ??= describeLocations(candidates, this.file, group.inThisFile > 1 ? undefined : 'this file');
            this.add('duplicate-id', def, `Duplicate id "${def.id}"${where}: also defined in ${group.names}`, { related, data: { code: 'duplicate-id', id: def.id } });
        }
    }

    /**
     * False when `def` surely has no other definition in this file or in its books `here`: the
     * definitions of this file, plus each book's count of the id less `def` itself, make fewer than
     * two. Saves filtering every definition of an id defined in many books (copies of a guide).
     */
    private mayClash(def: IdDefinition, defs: readonly IdLocation[], here: readonly string[]): boolean {
        let bound = 0;
        for (const o of defs) if (o.file === this.file) bound++;
        for (const b of here) bound += this.index.idCountInBook(b, def.id) - 1;
        return bound >= 2;
    }

    private checkRefs(): void {
        for (const ref of this.entry.model.refs) {
            const all = this.index.definitionsOf(ref.id);
            const scope = this.booksAt(ref.start);
            // A reference in a part of the file that no book takes is checked against the whole workspace.
            if (!scope.length ? all.length > 0 : all.some((d) => scope.some((b) => this.index.isInBook(d.file, d.def.start, b)))) continue;
            const data: DiagnosticData = { code: 'unresolved-id', id: ref.id };
            if (!all.length) {
                this.add('unresolved-id', ref, `No element has xml:id "${ref.id}" (${ref.attribute} of <${ref.element}>)`, { data });
                continue;
            }
            const elsewhere = new Set<string>();
            for (const d of all) for (const b of this.index.booksOf(d.file)) if (this.index.isInBook(d.file, d.def.start, b)) elsewhere.add(b);
            const related = all.slice(0, 5).map((d) => this.locationOf(d.file, d.def, `"${ref.id}" is defined here`));
            const reason = elsewhere.size
                ? `defined in another book: ${[...elsewhere].slice(0, 3).map((b) => bookName(this.index, b)).join(', ')}`
                : `defined only in ${describeLocations(all, this.file)}, which no book includes`;
            this.add('unresolved-id', ref, `Id "${ref.id}" is not in this file's book${scope.length > 1 ? 's' : ''} (${scope.map((b) => path.basename(b)).join(', ')}): ${reason}`, { related, data });
        }
    }

    // ---- includes -------------------------------------------------------------------------------

    private checkIncludes(): void {
        const includes = this.entry.model.includes;
        for (let i = 0; i < includes.length; i++) {
            if (!this.index.isIncludeActive(this.entry, i)) continue;
            const inc = includes[i];
            const hrefSpan = inc.hrefSpan ?? { start: inc.start, end: inc.start + 1 };
            const status = this.index.includeStatus(this.entry, i);
            switch (status.kind) {
                case 'missing':
                    // The user chose not to index it (docbook.exclude): it exists, we just do not look inside.
                    if (this.index.isExcluded(status.path) && this.index.exists(status.path)) break;
                    if (this.reportRenamed(inc.href, hrefSpan, inc.xmlBase)) break;
                    // A file that exists but could not be read (no permission) is missing for the build too.
                    this.add('missing-include', hrefSpan, `Included file ${inc.href} ${this.index.exists(status.path) ? 'cannot be read' : 'does not exist'}${inc.fallback
                        ? '; the build shows the xi:fallback instead'
                        : ` (${status.path})`}`,
                    { data: { code: 'missing-include', href: inc.href, target: status.path }, severity: inc.fallback ? DiagnosticSeverity.Information : undefined });
                    break;
                case 'invalid':
                    this.add('missing-include', hrefSpan, `Cannot include ${inc.href}: ${status.reason}`);
                    break;
                case 'outside-workspace':
                    this.reportOutside(inc.href, hrefSpan, status.path);
                    break;
                case 'remote':
                    this.add('remote-include', hrefSpan, `Remote include ${status.url} is not checked: map it to a local folder (docbook.urlMappings or an XML catalog) to check it${inc.fallback ? '; the build shows the xi:fallback when it cannot fetch it' : ''}`);
                    break;
                case 'unresolved-xpointer':
                    this.add('unresolved-xpointer', inc.pointer?.span ?? inc.xpointerSpan ?? hrefSpan, `${this.show(status.path)} has no element with xml:id "${status.id}"`);
                    break;
                case 'cycle':
                case 'ok': {
                    const chain = inc.parse === 'xml' ? findIncludeCycle(this.index, this.entry, i) : undefined;
                    if (!chain) break;
                    const names = [this.file, ...chain.map((c) => c.target)].map((f) => this.show(f));
                    const related = chain.map((c) => this.locationOf(c.file, c.span, `${path.basename(c.file)} includes ${path.basename(c.target)}`));
                    this.add('include-cycle', hrefSpan, `Include cycle: ${names.join(' → ')}`, { related });
                    break;
                }
            }
        }
    }

    /** An include leading out of the workspace boundary: never read, so nothing about it is known. */
    private reportOutside(href: string, span: Span, target: string): void {
        this.add('outside-workspace', span, `${href} leads outside the workspace folders (${target}): not read; add its folder to docbook.allowedRoots to include it`);
    }

    /** Reports a missing path through a renamed or deleted folder; false when the path has none. */
    private reportRenamed(written: string, span: Span, xmlBase: readonly string[] | undefined): boolean {
        const seg = renamedSegment(written, this.settings.folderRenames);
        if (!seg) return false;
        const rewritten = rewriteRenamed(written, seg);
        let message: string;
        if (rewritten === undefined) {
            message = `Folder "${seg.folder}" was deleted in the reorganisation of the manuals: ${written} does not exist`;
        } else {
            const target = this.index.resolveHref(rewritten, this.file, xmlBase);
            const exists = target.kind === 'file' && this.index.exists(target.path);
            message = `Folder "${seg.folder}" was renamed to "${seg.renamedTo}" in the reorganisation of the manuals: ${written} does not exist${exists ? `; ${rewritten} does` : ''}`;
        }
        const segSpan = { start: span.start + seg.offset, end: span.start + seg.offset + seg.folder.length };
        // The written value may differ from the attribute text (trimmed); only narrow when it lines up.
        const exact = written.length === span.end - span.start ? segSpan : span;
        this.add('renamed-folder', exact, message, { data: { code: 'renamed-folder', written, oldFolder: seg.folder, newFolder: seg.renamedTo, rewritten } });
        return true;
    }

    // ---- images ---------------------------------------------------------------------------------

    private checkImages(): void {
        const images = this.entry.model.images;
        for (let i = 0; i < images.length; i++) {
            const img = images[i];
            // Content of an xi:fallback shows only when its include fails (a remote one may fail).
            if (img.inFallbackOf >= 0 && !this.index.isFallbackActive(this.entry, img.inFallbackOf)) continue;
            const target = this.entry.imageTargets[i];
            if (target.kind !== 'file' || !img.fileref || this.index.exists(target.path)) continue;
            if (this.reportRenamed(img.fileref, img, undefined)) continue;
            this.add('missing-image', img, `Image ${img.fileref} does not exist (${target.path})`, { data: { code: 'missing-image', fileref: img.fileref, target: target.path } });
        }
    }

    // ---- entities -------------------------------------------------------------------------------

    private checkEntities(): void {
        const table = this.entry.entities;
        const missingFiles = table.missing.map((p) => this.show(p));
        if (table.complete) {
            const why = missingFiles.length ? `; ${missingFiles.join(', ')}, which the DOCTYPE loads, could not be read` : '';
            // Where libxml2 stops at an undeclared entity (no external DTD, no %pe;), the parser said so already.
            const reported = new Set(this.entry.model.problems.map((p) => p.start));
            for (const use of this.entry.model.entityUses) {
                if (PREDEFINED_ENTITIES[use.name] !== undefined || table.general.has(use.name) || reported.has(use.start)) continue;
                this.add('undefined-entity', use, `Entity &${use.name}; is not declared${why}`);
            }
        }
        for (const missing of table.missing) {
            const rel = this.show(missing);
            const seg = renamedSegment(rel, this.settings.folderRenames);
            if (!seg) continue;
            const literal = this.entityLiteralFor(missing);
            const written = literal?.value ?? rel;
            const wseg = literal ? renamedSegment(literal.value, this.settings.folderRenames) ?? seg : seg;
            const rewritten = rewriteRenamed(written, wseg);
            const message = wseg.renamedTo === null
                ? `Folder "${wseg.folder}" was deleted in the reorganisation of the manuals: entity file ${written} does not exist`
                : `Folder "${wseg.folder}" was renamed to "${wseg.renamedTo}" in the reorganisation of the manuals: entity file ${written} does not exist`;
            const span = literal ? { start: literal.start + wseg.offset, end: literal.start + wseg.offset + wseg.folder.length } : { start: 0, end: 0 };
            this.add('renamed-folder', span, message, { data: { code: 'renamed-folder', written, oldFolder: wseg.folder, newFolder: wseg.renamedTo, rewritten } });
        }
    }

    /** The SYSTEM literal of the DOCTYPE that names `missing`, found in the file's text when we have it. */
    private entityLiteralFor(missing: string): { value: string; start: number } | undefined {
        const text = this.text;
        if (text === undefined) return undefined;
        const doctype = text.indexOf('<!DOCTYPE');
        if (doctype < 0) return undefined;
        const open = text.indexOf('[', doctype);
        const gt = text.indexOf('>', doctype);
        const end = open >= 0 && (gt < 0 || open < gt) ? findSubsetEnd(text, open + 1) : gt;
        const decl = text.slice(doctype, end < 0 ? text.length : end);
        const re = /(?:SYSTEM|PUBLIC\s+(["'])[^"']*\1)\s+(["'])([^"']*)\2/g;
        for (let m = re.exec(decl); m; m = re.exec(decl)) {
            const value = m[3];
            const target = this.index.resolveHref(value, this.file);
            if (target.kind === 'file' && target.path === missing) return { value, start: doctype + m.index + m[0].length - 1 - value.length };
        }
        return undefined;
    }

    // ---- glossary -------------------------------------------------------------------------------

    private checkGlossTerms(): void {
        let inReach: boolean | undefined;
        for (const use of this.entry.model.glossTerms) {
            if (use.linkend !== undefined) continue; // checked as a reference
            if (!use.text && !use.baseform) continue;
            if (glossEntriesFor(use.text, use.baseform, (term) => (term ? this.index.glossEntriesInScope(this.file, term) : [])).length) continue;
            inReach ??= this.glossaryInReach();
            // A file in no book links against any glossary of the workspace; with none, every glossterm would warn.
            if (!inReach && !this.books.length) return;
            const looked = use.baseform ? `"${use.text}" (baseform "${use.baseform}")` : `"${use.text}"`;
            let message: string;
            if (!inReach) {
                message = `Glossary term ${looked} cannot link: no glossary in reach (the glossary collection ${this.settings.glossaryCollection.join(', ')} was not found from the book's folder)`;
            } else {
                const near = (use.baseform ? this.termDifferingInCase(use.baseform) : undefined) ?? this.termDifferingInCase(use.text);
                message = `Glossary term ${looked} matches no glossentry (the build compares exactly and case-sensitively)${near ? `; the glossary has "${near}"` : ''}`;
            }
            this.add('unknown-glossterm', use.textSpan.end > use.textSpan.start ? use.textSpan : use, message, { data: { code: 'unknown-glossterm', term: use.text, baseform: use.baseform } });
        }
    }

    /** A glossary collection, or a glossentry in one of the file's books (or anywhere, when in no book). */
    private glossaryInReach(): boolean {
        if (!this.books.length) return this.index.hasGlossEntries();
        if (this.index.glossaryCollectionsFor(this.file).length) return true;
        return this.books.some((b) => [...this.index.filesOfBook(b)].some(([f, region]) =>
            this.index.get(f)?.model.glossEntries.some((g) => inRegion(region, g.entryStart))));
    }

    /** A term in scope equal to `text` but for case: distinct terms are few, entries in scope many. */
    private termDifferingInCase(text: string): string | undefined {
        const lower = text.toLowerCase();
        for (const term of this.index.allGlossTerms()) {
            if (term !== text && term.length === text.length && term.toLowerCase() === lower
                && this.index.glossEntriesInScope(this.file, term).length) return term;
        }
        return undefined;
    }

    // ---- settings-raised checks -----------------------------------------------------------------

    private checkProfiling(): void {
        const allowed = this.settings.profileValues;
        if (severityOf('unknown-profile-value', this.settings) === undefined) return;
        for (const use of this.entry.model.profiling) {
            const list = allowed[use.attribute];
            if (!list) continue;
            const unknown = use.values.filter((v) => !list.includes(v));
            if (unknown.length) this.add('unknown-profile-value', use, `${use.attribute}="${unknown.join(';')}": not one of the configured values (${list.join(', ')})`);
        }
    }

    // ---- the OpenStack gate's checks of one file (openstack-doc-test) ---------------------------------

    private checkGate(): void {
        const model = this.entry.model;
        for (const span of model.sectionsWithoutId) {
            this.add('section-id', span, 'Section without xml:id: the OpenStack gate requires an xml:id on every section');
        }
        for (const c of model.profileConflicts) {
            const values = c.outside.map((v) => `"${v}"`).join(', ');
            const parent = `<${c.parentElement} ${c.attribute}="${c.parentValues.join(';')}">`;
            const related = [this.locationOf(this.file, c.parentSpan, `The enclosing ${parent}`)];
            this.add('profile-conflict', c,
                `${c.attribute} ${values} ${c.outside.length > 1 ? 'are' : 'is'} outside the enclosing ${parent}: a build for ${c.outside.length > 1 ? 'them' : 'it'} drops the ${c.parentElement}, and this <${c.element}> with it`,
                { related });
        }
        for (const f of model.niceness) this.add(f.code, f, nicenessMessage(f));
    }

    private checkOrphan(): void {
        const model = this.entry.model;
        if (severityOf('orphan-file', this.settings) === undefined) return;
        if (!model.isDocbook || model.isBook || !model.rootElement || this.books.length) return;
        // The glossary is passed to the build as a parameter, never included.
        for (const book of this.index.books()) if (this.index.glossaryCollectionsFor(book).includes(this.file)) return;
        const span = model.outline[0]?.selection ?? { start: 0, end: 0 };
        this.add('orphan-file', span, `No book includes ${path.basename(this.file)} (<${model.rootElement}>)`);
    }
}

/** Above this many definitions of an id, a duplicate is first ruled out by counts (see mayClash). */
const MANY_DEFINITIONS = 8;

const NICENESS_MESSAGES: Record<NicenessCode, string> = {
    'trailing-whitespace': 'Trailing whitespace',
    'tab': 'Tab character: indent with spaces',
    'nbsp': 'Literal no-break space (U+00A0): write &nbsp; so that it shows in the source',
    'inner-whitespace': 'Whitespace inside the element',
    'final-newline': 'No newline at the end of the file',
};

function nicenessMessage(f: NicenessFinding): string {
    if (f.code !== 'inner-whitespace' || !f.element) return NICENESS_MESSAGES[f.code];
    return f.side === 'start' ? `Whitespace right after <${f.element}>` : `Whitespace right before </${f.element}>`;
}

function describeLocations(list: readonly IdLocation[], from: string, leaveOut?: string): string {
    const names = [...new Set(list.map((l) => l.file === from ? 'this file' : relativePath(path.dirname(from), l.file)))].filter((n) => n !== leaveOut);
    return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}

export interface IncludeStep {
    /** File holding the include. */
    file: string;
    includeIndex: number;
    span: Span;
    target: string;
}

/**
 * A chain of active includes that starts at include `i` of `entry` and comes back to the part of
 * the file that holds it; undefined when there is none. Breadth-first, so the chain is a shortest one.
 */
export function findIncludeCycle(index: WorkspaceIndex, entry: IndexedFile, i: number, budget = 20_000): IncludeStep[] | undefined {
    interface Node { file: string; region: Region; via: IncludeStep; prev: Node | undefined }
    const origin = entry.model.includes[i];
    const first = stepOf(index, entry, i);
    if (!first || !index.mayIncludeBack(entry.path, first.target)) return undefined;
    const queue: Node[] = [{ file: first.target, region: first.region, via: first.step, prev: undefined }];
    const seen = new Set<string>();
    for (let head = 0; head < queue.length && budget > 0; head++, budget--) {
        const node = queue[head];
        if (node.file === entry.path && inRegion(node.region, origin.start)) {
            const chain: IncludeStep[] = [];
            for (let n: Node | undefined = node; n; n = n.prev) chain.unshift(n.via);
            return chain;
        }
        const key = node.file + '\u0000' + (node.region === 'all' ? 'all' : node.region.map((s) => `${s.start}-${s.end}`).join(','));
        if (seen.has(key)) continue;
        seen.add(key);
        const target = index.get(node.file);
        if (!target) continue;
        target.model.includes.forEach((inc, j) => {
            if (!inRegion(node.region, inc.start)) return;
            const next = stepOf(index, target, j);
            if (next) queue.push({ file: next.target, region: next.region, via: next.step, prev: node });
        });
    }
    return undefined;
}

function stepOf(index: WorkspaceIndex, entry: IndexedFile, j: number): { target: string; region: Region; step: IncludeStep } | undefined {
    const inc: XInclude = entry.model.includes[j];
    if (inc.parse === 'text' || !index.isIncludeActive(entry, j)) return undefined;
    const t = entry.includeTargets[j];
    if (t.kind !== 'file') return undefined;
    const target = index.get(t.path);
    if (!target) return undefined;
    let region: Region = 'all';
    if (inc.pointer) {
        const def: IdDefinition | undefined = target.model.ids.find((d) => d.id === inc.pointer!.id);
        if (!def) return undefined;
        region = inc.pointer.mode === 'children' ? [{ start: def.afterTitle, end: def.contentEnd }] : [{ start: def.elementStart, end: def.elementEnd }];
    }
    return {
        target: t.path,
        region,
        step: { file: entry.path, includeIndex: j, span: inc.hrefSpan ?? { start: inc.start, end: inc.start + 1 }, target: t.path },
    };
}

/**
 * Files whose include-cycle diagnostics may change when the includes of `file` change: every file
 * that includes it, directly or through others (a cycle through `file` passes through them all).
 * The index's affected set names only direct includers; publishers add these.
 */
export function includeChainDependents(index: WorkspaceIndex, file: string): Set<string> {
    const out = new Set<string>();
    const queue = [file];
    while (queue.length) {
        for (const includer of index.includersOf(queue.pop()!)) {
            if (out.has(includer)) continue;
            out.add(includer);
            queue.push(includer);
        }
    }
    return out;
}
