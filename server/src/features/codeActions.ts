// Quick fixes for the diagnostics of diagnostics.ts. Each is a WorkspaceEdit offered to the user;
// nothing is ever applied here.

import * as path from 'path';
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { GlossTermUse, OutlineNode, ProfileConflict, Span } from '../core/docbookModel';
import { offsetAt } from '../core/lineMap';
import { isFixable, NICENESS_CODES, NicenessCode, NicenessFinding, nicenessFix, nicenessFixes, TextReplacement } from '../core/niceness';
import { parseXml, XmlElement } from '../core/xmlParser';
import { pathToUri, rangeOf } from '../core/uri';
import { IndexedFile, WorkspaceIndex } from '../index/workspaceIndex';
import type { FeatureContext } from './context';
import { DIAGNOSTIC_SOURCE, DiagnosticData, diagnosticsWantText, provideDiagnostics, relativePath, severityOf } from './diagnostics';

const MAX_ID_SUGGESTIONS = 5;
const MAX_FILE_SUGGESTIONS = 5;

/**
 * The problems at `range` of `file` (the editor's diagnostics there) that fixes are wanted for;
 * `only`: the kinds of action asked for (all quick fixes when absent; `source.fixAll` for the whole file).
 */
export interface CodeActionParams { file: string; range: Range; diagnostics: Diagnostic[]; only?: string[] }

export async function provideCodeActions(ctx: FeatureContext, { file, range, diagnostics, only }: CodeActionParams): Promise<CodeAction[]> {
    const index = ctx.index;
    const entry = index.get(file);
    if (!entry || entry.folder === undefined) return [];
    const wants = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
    const actions: CodeAction[] = [];
    // A request may carry the diagnostics of a whole file (1,000 of them): read its text once.
    let text: Promise<string | undefined> | undefined;
    const indexedText = (): Promise<string | undefined> => text ??= index.readIndexedText(entry.path);
    const fixAll = new Map<NicenessCode, TextReplacement[]>();
    const gate: GateFixContext = {
        text: indexedText,
        fixAllOf: (code, t) => fixAll.get(code) ?? fixAll.set(code, nicenessFixes(t, [code], declaresNbsp(entry))).get(code)!,
    };
    if (only?.length && wants(CodeActionKind.SourceFixAll)) actions.push(...await fixAllNiceness(index, entry, gate));
    if (!wants(CodeActionKind.QuickFix)) return actions;
    for (const d of diagnostics) {
        if (d.source !== DIAGNOSTIC_SOURCE || !overlaps(d.range, range)) continue;
        switch (d.code) {
            case 'unresolved-id': actions.push(...idFixes(index, entry, d)); break;
            case 'unknown-glossterm': actions.push(...await glossTermFixes(index, entry, d)); break;
            case 'renamed-folder': actions.push(...await renamedFolderFixes(ctx, entry, d)); break;
            case 'missing-include': actions.push(...sameNameFixes(index, entry, d)); break;
            case 'section-id': actions.push(...await sectionIdFixes(index, entry, d, gate)); break;
            case 'profile-conflict': actions.push(...await profileConflictFixes(entry, d, gate)); break;
            case 'schema': actions.push(...await schemaFixes(index, entry, d)); break;
            default:
                if ((NICENESS_CODES as readonly unknown[]).includes(d.code)) actions.push(...await nicenessActions(entry, d, d.code as NicenessCode, gate));
                break;
        }
    }
    return actions;
}

function overlaps(a: Range, b: Range): boolean {
    const before = (p: Range['start'], q: Range['start']): boolean => p.line < q.line || (p.line === q.line && p.character < q.character);
    return !before(a.end, b.start) && !before(b.end, a.start);
}

function spanOf(entry: IndexedFile, range: Range): Span {
    const m = entry.model;
    return { start: offsetAt(m.lineStarts, range.start, m.textLength), end: offsetAt(m.lineStarts, range.end, m.textLength) };
}

function quickFix(title: string, diagnostic: Diagnostic, changes: Record<string, TextEdit[]>, isPreferred = false): CodeAction {
    const edit: WorkspaceEdit = { changes };
    const action: CodeAction = { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
    if (isPreferred) action.isPreferred = true;
    return action;
}

function dataOf<C extends DiagnosticData['code']>(d: Diagnostic, code: C): Extract<DiagnosticData, { code: C }> | undefined {
    const data = d.data as DiagnosticData | undefined;
    return data && data.code === code ? data as Extract<DiagnosticData, { code: C }> : undefined;
}

// ---- unresolved-id ------------------------------------------------------------------------------

function idFixes(index: WorkspaceIndex, entry: IndexedFile, d: Diagnostic): CodeAction[] {
    const span = spanOf(entry, d.range);
    const ref = entry.model.refs.find((r) => r.start === span.start) ?? entry.model.refs.find((r) => r.start <= span.start && span.start <= r.end);
    const id = dataOf(d, 'unresolved-id')?.id ?? ref?.id;
    if (!id) return [];
    const inScope = new Set(index.idsInScope(entry.path).map((l) => l.def.id));
    const everywhere = new Set<string>(inScope);
    for (const f of index.allFiles()) for (const def of f.model.ids) everywhere.add(def.id);
    const limit = Math.max(3, Math.ceil(id.length * 0.4));
    const ranked: { id: string; distance: number; sameBook: boolean }[] = [];
    for (const candidate of everywhere) {
        if (candidate === id) continue;
        const distance = idDistance(id, candidate, limit);
        if (distance <= limit) ranked.push({ id: candidate, distance, sameBook: inScope.has(candidate) });
    }
    ranked.sort((a, b) => Number(b.sameBook) - Number(a.sameBook) || a.distance - b.distance || (a.id < b.id ? -1 : 1));
    const uri = pathToUri(entry.path);
    const target = ref ? rangeOf(entry.model.lineStarts, ref.start, ref.end) : d.range;
    return ranked.slice(0, MAX_ID_SUGGESTIONS).map((c, i) => quickFix(
        c.sameBook ? `Change to "${c.id}"` : `Change to "${c.id}" (defined in another book)`,
        d, { [uri]: [TextEdit.replace(target, c.id)] }, i === 0 && c.sameBook));
}

/** Edit distance that treats a difference of case as half a change (ids differ mostly by typo or case). */
function idDistance(a: string, b: string, limit: number): number {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    if (a.toLowerCase() === b.toLowerCase()) return 0.5;
    return levenshtein(a, b, limit);
}

/** Levenshtein distance, giving up (limit + 1) as soon as it must exceed `limit`. */
export function levenshtein(a: string, b: string, limit = Infinity): number {
    if (a === b) return 0;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    let cur = new Array<number>(b.length + 1);
    for (let i = 1; i <= a.length; i++) {
        cur[0] = i;
        let rowMin = cur[0];
        for (let j = 1; j <= b.length; j++) {
            const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (cur[j] < rowMin) rowMin = cur[j];
        }
        if (rowMin > limit) return limit + 1;
        [prev, cur] = [cur, prev];
    }
    return prev[b.length];
}

// ---- unknown-glossterm --------------------------------------------------------------------------

function findGlossTerm(entry: IndexedFile, d: Diagnostic): GlossTermUse | undefined {
    const span = spanOf(entry, d.range);
    return entry.model.glossTerms.find((u) => u.textSpan.start === span.start || (u.start <= span.start && span.start <= u.end));
}

/** Lower case, singular, without spaces and hyphens: the differences a baseform papers over. */
function formKey(s: string): string {
    let k = s.toLowerCase().replace(/[-_\s]+/g, '');
    if (/ies$/.test(k)) k = k.slice(0, -3) + 'y';
    else if (/(s|x|z|ch|sh)es$/.test(k)) k = k.slice(0, -2);
    else if (/[^s]s$/.test(k)) k = k.slice(0, -1);
    return k;
}

/** Glossary terms that differ from `text` only by case, plural or hyphenation, or whose acronym it is: "LVM" → "Logical Volume Manager (LVM)". */
export function glossaryFormsOf(text: string, terms: Iterable<string>): string[] {
    const key = formKey(text);
    const out: string[] = [];
    for (const term of terms) {
        if (term === text) continue;
        const acronym = /\(([^()]+)\)\s*$/.exec(term)?.[1];
        if (formKey(term) === key || (acronym !== undefined && formKey(acronym) === key)) out.push(term);
    }
    return [...new Set(out)].sort();
}

async function glossTermFixes(index: WorkspaceIndex, entry: IndexedFile, d: Diagnostic): Promise<CodeAction[]> {
    const use = findGlossTerm(entry, d);
    if (!use) return [];
    const uri = pathToUri(entry.path);
    const inScope = index.glossaryTermsInScope(entry.path).map((g) => g.entry.term);
    const forms = glossaryFormsOf(use.text, inScope);
    if (use.baseform) for (const f of glossaryFormsOf(use.baseform, inScope)) if (!forms.includes(f)) forms.push(f);
    if (forms.length) {
        const edits: CodeAction[] = [];
        let insertAt: number | undefined;
        if (!use.baseformSpan) {
            // Offsets from the index are only good for the text it indexed.
            const text = await index.readIndexedText(entry.path);
            if (text === undefined) return [];
            insertAt = startTagNameEnd(text, use.start);
        }
        for (const term of forms.slice(0, 3)) {
            const edit = use.baseformSpan
                ? TextEdit.replace(rangeOf(entry.model.lineStarts, use.baseformSpan.start, use.baseformSpan.end), escapeAttribute(term))
                : TextEdit.insert(rangeOf(entry.model.lineStarts, insertAt!, insertAt!).start, ` baseform="${escapeAttribute(term)}"`);
            edits.push(quickFix(`Link to the glossary entry "${term}" (baseform="${term}")`, d, { [uri]: [edit] }, edits.length === 0));
        }
        return edits;
    }
    const glossary = index.glossaryCollectionsFor(entry.path)[0];
    if (!glossary) return [];
    const term = use.baseform ?? use.text;
    const edit = await glossEntryInsertion(index, glossary, term);
    if (!edit) return [];
    return [quickFix(`Add a glossentry for "${term}" to ${relativePath(path.dirname(entry.path), glossary)}`, d, { [pathToUri(glossary)]: [edit] })];
}

function startTagNameEnd(text: string, elementStart: number): number {
    let i = elementStart + 1;
    while (i < text.length && /[\w.:-]/.test(text[i])) i++;
    return i;
}

function escapeAttribute(s: string): string {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

function escapeText(s: string): string {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/**
 * Inserts a glossentry in alphabetical place: after the last entry that sorts before the term when
 * it shares the term's first letter (the OpenStack glossary groups entries in one glossdiv per
 * letter), else before the first entry that sorts after it.
 */
async function glossEntryInsertion(index: WorkspaceIndex, glossary: string, term: string): Promise<TextEdit | undefined> {
    const target = index.get(glossary);
    // The glossary is usually closed: its offsets are only good if it has not changed on disk since.
    const text = await index.readIndexedText(glossary);
    if (!target || text === undefined) return undefined;
    const entries = target.model.glossEntries;
    const compare = (a: string, b: string): number => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true });
    const initial = (s: string): string => s.trim().charAt(0).toLowerCase();
    const nextIndex = entries.findIndex((e) => compare(e.term, term) > 0);
    const prev = nextIndex < 0 ? entries[entries.length - 1] : entries[nextIndex - 1];
    const next = nextIndex < 0 ? undefined : entries[nextIndex];
    const lineStarts = target.model.lineStarts;
    const indentOf = (offset: number): string => {
        const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
        return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
    };
    const block = (indent: string): string => {
        const inner = indent + (indent.includes('\t') ? '\t' : '  ');
        return `<glossentry>\n${inner}<glossterm>${escapeText(term)}</glossterm>\n${inner}<glossdef>\n${inner}  <para></para>\n${inner}</glossdef>\n${indent}</glossentry>`;
    };
    if (prev && (!next || initial(prev.term) === initial(term) || initial(next.term) !== initial(term))) {
        const indent = indentOf(prev.entryStart);
        return TextEdit.insert(rangeOf(lineStarts, prev.entryEnd, prev.entryEnd).start, `\n\n${indent}${block(indent)}`);
    }
    if (next) {
        const indent = indentOf(next.entryStart);
        return TextEdit.insert(rangeOf(lineStarts, next.entryStart, next.entryStart).start, `${block(indent)}\n\n${indent}`);
    }
    // An empty glossary: before its end tag.
    const close = text.lastIndexOf('</');
    if (close < 0) return undefined;
    return TextEdit.insert(rangeOf(lineStarts, close, close).start, `  ${block('  ')}\n`);
}

// ---- renamed-folder -----------------------------------------------------------------------------

async function renamedFolderFixes(ctx: FeatureContext, entry: IndexedFile, d: Diagnostic): Promise<CodeAction[]> {
    const index = ctx.index;
    const data = dataOf(d, 'renamed-folder');
    if (!data) return [];
    const actions: CodeAction[] = [];
    if (data.newFolder !== null) {
        const uri = pathToUri(entry.path);
        actions.push(quickFix(`Rewrite the path to the new folder "${data.newFolder}"`, d, { [uri]: [renamedFolderEdit(d, data)] }, true));
        const changes: Record<string, TextEdit[]> = {};
        let count = 0;
        for (const f of index.allFiles()) {
            if (f.folder === undefined) continue;
            const text = diagnosticsWantText(index, f.path) ? await index.readText(f.path) : undefined;
            for (const other of provideDiagnostics(ctx, { file: f.path, text })) {
                const od = dataOf(other, 'renamed-folder');
                if (!od || od.oldFolder !== data.oldFolder || od.newFolder !== data.newFolder) continue;
                if (other.range.start.line === other.range.end.line && other.range.start.character === other.range.end.character) continue; // not placed
                (changes[pathToUri(f.path)] ??= []).push(renamedFolderEdit(other, od));
                count++;
            }
        }
        if (count > 1) actions.push(quickFix(`Rewrite all ${count} paths through "${data.oldFolder}" in the workspace to "${data.newFolder}"`, d, changes));
    }
    const span = spanOf(entry, d.range);
    const inc = entry.model.includes.findIndex((i) => i.hrefSpan && i.hrefSpan.start <= span.start && span.start <= i.hrefSpan.end);
    if (inc >= 0) {
        const t = entry.includeTargets[inc];
        if (t.kind === 'file') {
            const hrefRange = rangeOf(entry.model.lineStarts, entry.model.includes[inc].hrefSpan!.start, entry.model.includes[inc].hrefSpan!.end);
            actions.push(...sameNameActions(index, entry, d, hrefRange, t.path, data.rewritten));
        }
    }
    return actions;
}

function renamedFolderEdit(d: Diagnostic, data: Extract<DiagnosticData, { code: 'renamed-folder' }>): TextEdit {
    // The diagnostic covers the old folder's name when it could place it exactly, else the whole path.
    const r = d.range;
    const exact = r.start.line === r.end.line && r.end.character - r.start.character === data.oldFolder.length;
    return TextEdit.replace(r, exact ? data.newFolder! : data.rewritten ?? data.written);
}

// ---- missing-include ----------------------------------------------------------------------------

function sameNameFixes(index: WorkspaceIndex, entry: IndexedFile, d: Diagnostic): CodeAction[] {
    const data = dataOf(d, 'missing-include');
    let target = data?.target;
    let hrefRange = d.range;
    if (!target) {
        const span = spanOf(entry, d.range);
        const i = entry.model.includes.findIndex((inc) => inc.hrefSpan?.start === span.start);
        const t = i >= 0 ? entry.includeTargets[i] : undefined;
        if (!t || t.kind !== 'file') return [];
        target = t.path;
        hrefRange = rangeOf(entry.model.lineStarts, entry.model.includes[i].hrefSpan!.start, entry.model.includes[i].hrefSpan!.end);
    }
    return sameNameActions(index, entry, d, hrefRange, target);
}

/** `already`: a path another action offers, not repeated here. */
function sameNameActions(index: WorkspaceIndex, entry: IndexedFile, d: Diagnostic, hrefRange: Range, missing: string, already?: string): CodeAction[] {
    const name = path.basename(missing);
    const dir = path.dirname(entry.path);
    const found: string[] = [];
    for (const f of index.allFiles()) {
        if (f.folder !== undefined && f.path !== missing && f.path !== entry.path && path.basename(f.path) === name) found.push(relativePath(dir, f.path));
    }
    if (already !== undefined) found.splice(0, found.length, ...found.filter((rel) => rel !== already));
    // The nearest file first: fewest steps up and down the tree.
    found.sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
    const uri = pathToUri(entry.path);
    return found.slice(0, MAX_FILE_SUGGESTIONS).map((rel, i) => quickFix(`Include "${rel}" instead`, d, { [uri]: [TextEdit.replace(hrefRange, rel)] }, i === 0 && found.length === 1));
}

// ---- the gate's checks --------------------------------------------------------------------------

/** What the gate's fixes of one request share: the file's indexed text, and each code's fix-all, worked out once. */
interface GateFixContext {
    text(): Promise<string | undefined>;
    fixAllOf(code: NicenessCode, text: string): TextReplacement[];
}

function edits(entry: IndexedFile, replacements: readonly TextReplacement[]): TextEdit[] {
    return replacements.map((r) => TextEdit.replace(rangeOf(entry.model.lineStarts, r.start, r.end), r.newText));
}

const FIX_TITLES: Record<NicenessCode, { one: (f: NicenessFinding) => string; all: string }> = {
    'trailing-whitespace': { one: () => 'Remove the trailing whitespace', all: 'Remove all trailing whitespace in the file' },
    'tab': { one: () => `Replace the tab with spaces (tab stops every 8 columns)`, all: 'Replace all tabs with spaces in the file' },
    'nbsp': { one: () => 'Write the no-break space as &nbsp;', all: 'Write all no-break spaces in the file as &nbsp;' },
    'inner-whitespace': {
        one: (f) => f.side === 'start' ? `Remove the whitespace after <${f.element}>` : `Remove the whitespace before </${f.element}>`,
        all: 'Remove all whitespace inside start and end tags in the file',
    },
    'final-newline': { one: () => 'Add a newline at the end of the file', all: '' },
};

/** `&nbsp;` when the file declares it (the OpenStack entity files do), else the character reference. */
function declaresNbsp(entry: IndexedFile): boolean {
    return entry.entities.general.has('nbsp');
}

async function nicenessActions(entry: IndexedFile, d: Diagnostic, code: NicenessCode, gate: GateFixContext): Promise<CodeAction[]> {
    const span = spanOf(entry, d.range);
    const finding = entry.model.niceness.find((f) => f.code === code && f.start === span.start);
    if (!finding) return [];
    // Offsets from the index are only good for the text it indexed.
    const text = await gate.text();
    if (text === undefined || !isFixable(text, finding)) return [];
    const uri = pathToUri(entry.path);
    const nbsp = declaresNbsp(entry);
    const actions = [quickFix(FIX_TITLES[code].one(finding), d, { [uri]: edits(entry, [nicenessFix(text, finding, nbsp)]) }, true)];
    const all = code === 'final-newline' ? [] : gate.fixAllOf(code, text);
    if (all.length > 1) actions.push(quickFix(`${FIX_TITLES[code].all} (${all.length})`, d, { [uri]: edits(entry, all) }));
    return actions;
}

/** One action for every niceness problem of the file whose code is on, for "Fix All" and fix-on-save. */
async function fixAllNiceness(index: WorkspaceIndex, entry: IndexedFile, gate: GateFixContext): Promise<CodeAction[]> {
    if (!entry.model.niceness.length) return [];
    const settings = index.currentSettings;
    const codes = NICENESS_CODES.filter((c) => severityOf(c, settings) !== undefined);
    const text = await gate.text();
    if (text === undefined || !codes.length) return [];
    const replacements = nicenessFixes(text, codes, declaresNbsp(entry));
    if (!replacements.length) return [];
    return [{
        title: `Fix all whitespace niceness problems in the file (${replacements.length})`,
        kind: CodeActionKind.SourceFixAll,
        edit: { changes: { [pathToUri(entry.path)]: edits(entry, replacements) } },
    }];
}

/** A section's id from its title, as the manuals name them (`section_` and the title's words), unused in the workspace. */
export function sectionIdFor(title: string | undefined, taken: (id: string) => boolean): string {
    const words = (title ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().match(/[a-z0-9]+/g) ?? [];
    const base = `section_${words.slice(0, 6).join('-') || 'untitled'}`;
    let id = base;
    for (let n = 2; taken(id); n++) id = `${base}-${n}`;
    return id;
}

async function sectionIdFixes(index: WorkspaceIndex, entry: IndexedFile, d: Diagnostic, gate: GateFixContext): Promise<CodeAction[]> {
    const span = spanOf(entry, d.range);
    const section = entry.model.sectionsWithoutId.find((s) => s.start === span.start);
    if (!section || await gate.text() === undefined) return [];
    const title = findOutlineNode(entry.model.outline, section.start - 1)?.title;
    const id = sectionIdFor(title, (candidate) => index.definitionsOf(candidate).length > 0);
    const at = rangeOf(entry.model.lineStarts, section.end, section.end).start;
    return [quickFix(`Add xml:id="${id}"`, d, { [pathToUri(entry.path)]: [TextEdit.insert(at, ` xml:id="${id}"`)] }, true)];
}

function findOutlineNode(nodes: readonly OutlineNode[], start: number): OutlineNode | undefined {
    for (const n of nodes) {
        if (n.start === start) return n;
        if (n.start < start && start < n.end) return findOutlineNode(n.children, start);
    }
    return undefined;
}

async function profileConflictFixes(entry: IndexedFile, d: Diagnostic, gate: GateFixContext): Promise<CodeAction[]> {
    const span = spanOf(entry, d.range);
    const c: ProfileConflict | undefined = entry.model.profileConflicts.find((p) => p.start === span.start);
    if (!c) return [];
    const text = await gate.text();
    if (text === undefined) return [];
    const uri = pathToUri(entry.path);
    const actions: CodeAction[] = [];
    const inside = c.values.filter((v) => c.parentValues.includes(v));
    if (inside.length) {
        const value = inside.join(';');
        actions.push(quickFix(`Keep only ${c.attribute}="${value}" (within the enclosing <${c.parentElement}>)`, d, { [uri]: [TextEdit.replace(d.range, value)] }, true));
    }
    // The whole attribute, with the space before it: the element then follows its enclosing element's profile.
    const lead = /\s+[\w:.-]+\s*=\s*["']?$/.exec(text.slice(Math.max(0, c.start - 200), c.start));
    if (lead) {
        const quote = text[c.end] === '"' || text[c.end] === "'" ? 1 : 0;
        const removal = rangeOf(entry.model.lineStarts, c.start - lead[0].length, c.end + quote);
        actions.push(quickFix(`Remove ${c.attribute} (show it wherever the enclosing <${c.parentElement}> shows)`, d, { [uri]: [TextEdit.replace(removal, '')] }, !inside.length));
    }
    return actions;
}

// ---- schema -------------------------------------------------------------------------------------

const MAX_SCHEMA_SUGGESTIONS = 5;

/** The allowed names closest to a misspelled one (case-insensitive edit distance, at most 40 % of it). */
export function closestNames(written: string, allowed: readonly string[], max = MAX_SCHEMA_SUGGESTIONS): string[] {
    const limit = Math.max(2, Math.ceil(written.length * 0.4));
    return allowed
        .map((name) => ({ name, distance: levenshtein(written.toLowerCase(), name.toLowerCase(), limit) }))
        .filter((c) => c.distance <= limit && c.name !== written)
        .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : 1))
        .slice(0, max)
        .map((c) => c.name);
}

function elementAt(root: XmlElement | undefined, start: number): XmlElement | undefined {
    let el = root;
    while (el && el.start !== start) {
        el = el.children.find((c): c is XmlElement => c.kind === 'element' && c.start <= start && start < c.end);
    }
    return el;
}

async function schemaFixes(index: WorkspaceIndex, entry: IndexedFile, d: Diagnostic): Promise<CodeAction[]> {
    const data = dataOf(d, 'schema');
    if (!data) return [];
    const text = await index.readIndexedText(entry.path);
    if (text === undefined) return [];
    const uri = pathToUri(entry.path);
    const span = spanOf(entry, d.range);
    const range = (start: number, end: number): Range => rangeOf(entry.model.lineStarts, start, end);
    switch (data.kind) {
        case 'element': {
            const el = elementAt(parseXml(text).root, span.start);
            if (!el || el.name !== data.written) return [];
            return closestNames(data.written, data.allowed).map((name, i) => {
                const edits: TextEdit[] = [{ range: range(el.start + 1, el.start + 1 + el.name.length), newText: name }];
                if (!el.selfClosing && text.startsWith(`</${el.name}`, el.contentEnd)) {
                    edits.push({ range: range(el.contentEnd + 2, el.contentEnd + 2 + el.name.length), newText: name });
                }
                return quickFix(`Change to <${name}>`, d, { [uri]: edits }, i === 0);
            });
        }
        case 'attribute': {
            if (text.slice(span.start, span.start + data.written.length) !== data.written) return [];
            return closestNames(data.written, data.allowed).map((name, i) =>
                quickFix(`Change to ${name}`, d, { [uri]: [{ range: range(span.start, span.start + data.written.length), newText: name }] }, i === 0));
        }
        case 'value': {
            const ranked = [...closestNames(data.written, data.allowed, data.allowed.length), ...data.allowed];
            return [...new Set(ranked)].slice(0, 12).map((value, i) =>
                quickFix(`Change to "${value}"`, d, { [uri]: [{ range: d.range, newText: escapeAttribute(value) }] }, i === 0 && ranked.length > data.allowed.length));
        }
    }
}
