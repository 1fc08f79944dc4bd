// Completion where DocBook needs knowledge of the workspace: ids in linkend-like values, paths in
// xi:include/@href and imagedata/@fileref (one segment at a time), ids of the target file in
// xpointer, glossary terms in <glossterm> and glossterm/@baseform; and from the schema (DocBook 5
// files): the elements allowed after `<` given what comes before, the open element after `</`,
// the attributes a start tag allows, enumerated values, and the configured profiling values; and
// the snippets (snippets.ts) for a bare word: whole-file templates where the document has no root
// element yet, element snippets in element content where the schema takes the element.
//
// The context is read from the text before the cursor, not from the parse tree: while an author
// types, the tag around the cursor is usually not well-formed yet.

import * as path from 'path';
import { CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat, MarkupKind, Range, TextEdit } from 'vscode-languageserver-types';
import { LIST_REF_ATTRIBUTES, SINGLE_REF_ATTRIBUTES } from '../core/docbookModel';
import { offsetAt, Position, positionAt } from '../core/lineMap';
import { IdLocation, IndexedFile, WorkspaceIndex } from '../index/workspaceIndex';
import { DOCBOOK_NS, PROFILING_ATTRIBUTES } from '../core/docbookModel';
import { parseXml, XmlElement } from '../core/xmlParser';
import { expectedContentAt, expectedInStartTag, innermostOpen, isEmptyElement, RequiredChild, requiredChildren, TagBeingTyped } from '../schema/expect';
import { builtinSchema, Schema } from '../schema/grammar';
import { qualifiedName } from '../schema/validate';
import { Workspace } from '../workspace';
import type { FeatureContext } from './context';
import { bareWordAt, beforeRootElement, couldMatch, ELEMENT_SNIPPETS, elementSnippetItems, templateItems, XINCLUDE_NS } from './snippets';

/** More candidates than this are filtered by the typed prefix on the server, and the list is marked incomplete. */
const MAX_ITEMS = 3000;

export type CompletionContext =
    | { kind: 'id'; prefix: string; replace: [number, number]; quoted?: boolean }
    | { kind: 'path'; prefix: string; replace: [number, number]; attribute: 'href' | 'fileref'; textInclude: boolean }
    | { kind: 'xpointer'; prefix: string; replace: [number, number]; href: string | undefined; wrapped: boolean }
    | { kind: 'glossterm'; prefix: string; replace: [number, number]; remove: [number, number][] }
    | { kind: 'baseform'; prefix: string; replace: [number, number] }
    | { kind: 'element'; prefix: string; replace: [number, number]; lt: number }
    | { kind: 'endTag'; prefix: string; replace: [number, number]; lt: number }
    | { kind: 'attributeName'; prefix: string; replace: [number, number]; tag: TagBeingTyped }
    | { kind: 'attributeValue'; prefix: string; replace: [number, number]; tag: TagBeingTyped; attribute: string }
    | { kind: 'word'; prefix: string; replace: [number, number]; beforeRoot: boolean };

// Every range below stays on the cursor's line and contains the cursor: VS Code silently drops an
// item whose range does not (getCompletions clamps as a last resort). Text after the cursor belongs
// to the value only up to a closing quote on the same line; an author who has not typed it yet has
// ordinary text (and other quotes) further on.

/** Characters of a token around the cursor: no whitespace, quotes or markup. */
const TOKEN_BEFORE = /[^\s"'<>]*$/;
const TOKEN_AFTER = /^[^\s"'<>]*/;

function lineStartOf(text: string, offset: number): number {
    return Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
}

function lineEndOf(text: string, offset: number): number {
    const m = /[\r\n]/.exec(text.slice(offset));
    return m ? offset + m.index : text.length;
}

/** Finds what kind of value the cursor is in. `offset` is an offset into `text`. */
export function completionContext(text: string, offset: number): CompletionContext | undefined {
    const lt = text.lastIndexOf('<', offset - 1);
    const gt = text.lastIndexOf('>', offset - 1);
    if (lt > gt) {
        const name = /^<(\/?)([\w.:-]*)$/.exec(text.slice(lt, offset));
        if (name) {
            const nameEnd = offset + /^[\w.:-]*/.exec(text.slice(offset, offset + 200))![0].length;
            return { kind: name[1] ? 'endTag' : 'element', prefix: name[2], replace: [lt + 1 + name[1].length, nameEnd], lt };
        }
        return attributeContext(text, lt, offset);
    }
    if (gt >= 0) {
        // In element content: directly inside <glossterm …>?
        const tagStart = text.lastIndexOf('<', gt);
        const m = /^<(?:[\w.-]+:)?glossterm(?=[\s>])/.exec(text.slice(tagStart, gt + 1));
        if (m && text[gt - 1] !== '/') return glosstermContext(text, gt + 1, offset);
    }
    const word = bareWordAt(text, offset);
    if (!word) return undefined;
    return { kind: 'word', prefix: text.slice(word[0], offset), replace: word, beforeRoot: beforeRootElement(text, word[0], word[1]) };
}

/**
 * The term is the whole text of the glossterm when its end tag is there (it may wrap over lines),
 * else the word at the cursor. The item's range covers the term's part on the cursor's line; the
 * parts on other lines are removed by additional edits, so the chosen term replaces all of it.
 */
function glosstermContext(text: string, contentStart: number, offset: number): CompletionContext {
    let start = contentStart;
    while (start < offset && /\s/.test(text[start])) start++;
    const next = text.indexOf('<', offset);
    let end: number;
    if (next >= 0 && /^<\/(?:[\w.-]+:)?glossterm\s*>/.test(text.slice(next, next + 100))) {
        end = next;
        while (end > offset && /\s/.test(text[end - 1])) end--;
    } else {
        end = offset + TOKEN_AFTER.exec(text.slice(offset))![0].length;
    }
    const lineStart = lineStartOf(text, offset);
    let here = Math.max(start, lineStart);
    while (here < offset && /\s/.test(text[here])) here++;
    const hereEnd = Math.min(end, lineEndOf(text, offset));
    const remove: [number, number][] = [];
    if (start < here) remove.push([start, here]);
    if (hereEnd < end) remove.push([hereEnd, end]);
    return { kind: 'glossterm', prefix: text.slice(here, offset), replace: [here, hereEnd], remove };
}

function attributeContext(text: string, lt: number, offset: number): CompletionContext | undefined {
    const head = text.slice(lt, offset);
    const tag = /^<([\w.:-]+)/.exec(head);
    if (!tag) return undefined;
    // Skip the complete attributes, then see whether the cursor sits in an open value.
    const complete = /\s*[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*')/y;
    let i = tag[0].length;
    for (complete.lastIndex = i; complete.exec(head); complete.lastIndex = i) i = complete.lastIndex;
    const element = tag[1].replace(/^.*:/, '');
    const value = /^\s*([\w.:-]+)\s*=\s*(["'])([\s\S]*)$/.exec(head.slice(i));
    if (!value) {
        const attrName = /^\s+([\w.:-]*)$/.exec(head.slice(i));
        if (attrName) {
            const nameEnd = offset + /^[\w.:-]*/.exec(text.slice(offset, offset + 200))![0].length;
            return { kind: 'attributeName', prefix: attrName[1], replace: [offset - attrName[1].length, nameEnd], tag: tagBeingTyped(text, lt, tag[1], offset) };
        }
        // `linkend=` with no quote yet: offer the ids, quoted.
        const bare = /^\s*([\w.:-]+)\s*=\s*([^\s"'<>/=]*)$/.exec(head.slice(i));
        if (!bare || !SINGLE_REF_ATTRIBUTES.has(bare[1])) return undefined;
        const end = offset + /^[^\s"'<>/]*/.exec(text.slice(offset))![0].length;
        return { kind: 'id', prefix: bare[2], replace: [offset - bare[2].length, end], quoted: true };
    }
    if (value[3].includes(value[2])) return undefined;
    const attribute = value[1];
    const quote = value[2];
    const typed = value[3];
    const valueStart = offset - typed.length;
    const lineEnd = lineEndOf(text, offset);
    const close = text.indexOf(quote, offset);
    const closedOnLine = close >= 0 && close <= lineEnd && !/[<>]/.test(text.slice(offset, close));
    const tokenStart = offset - TOKEN_BEFORE.exec(typed)![0].length;
    const tokenEnd = offset + TOKEN_AFTER.exec(text.slice(offset))![0].length;
    // A value that may hold spaces (a glossary term, an xpointer) runs to its closing quote when
    // that is on this line, else only the token at the cursor is known to be part of it.
    const wholeValue: [number, number] = [Math.max(valueStart, lineStartOf(text, offset)), closedOnLine ? close : tokenEnd];
    if (SINGLE_REF_ATTRIBUTES.has(attribute) || LIST_REF_ATTRIBUTES.has(attribute)) {
        return { kind: 'id', prefix: text.slice(tokenStart, offset), replace: [tokenStart, tokenEnd] };
    }
    const tagText = wholeTag(text, lt);
    if ((element === 'include' && attribute === 'href') || attribute === 'fileref') {
        const typedPath = TOKEN_BEFORE.exec(typed)![0];
        const segmentStart = offset - (/[^/]*$/.exec(typedPath)![0].length);
        const segmentEnd = offset + /^[^/]*/.exec(text.slice(offset, tokenEnd))![0].length;
        const textInclude = attribute === 'fileref' || /\sparse\s*=\s*["']text["']/.test(tagText);
        return { kind: 'path', prefix: typedPath, replace: [segmentStart, segmentEnd], attribute: attribute === 'href' ? 'href' : 'fileref', textInclude };
    }
    if (element === 'include' && attribute === 'xpointer') {
        const href = /\shref\s*=\s*(["'])([^"']*)\1/.exec(tagText)?.[2];
        // Inside the quotes of @xml:id = '…' (the xpath()/xpointer() forms): complete just that id.
        const inner = /@(?:xml:)?id\s*=\s*(')([^'\s]*)$/.exec(typed) ?? /\bid\(\s*(')([^'\s]*)$/.exec(typed);
        if (inner) {
            const idEnd = offset + /^[^'\s"<>]*/.exec(text.slice(offset))![0].length;
            return { kind: 'xpointer', prefix: inner[2], replace: [offset - inner[2].length, idEnd], href, wrapped: true };
        }
        return { kind: 'xpointer', prefix: typed, replace: wholeValue, href, wrapped: false };
    }
    if (element === 'glossterm' && attribute === 'baseform') {
        return { kind: 'baseform', prefix: text.slice(wholeValue[0], offset), replace: wholeValue };
    }
    // Any other value: the schema's values, or the profiling values (a list separated by ';').
    const sep = PROFILING_ATTRIBUTES.has(attribute) ? /[;\s]/ : /\s/;
    let vStart = offset;
    while (vStart > valueStart && !sep.test(text[vStart - 1])) vStart--;
    let vEnd = offset;
    while (vEnd < wholeValue[1] && !sep.test(text[vEnd]) && text[vEnd] !== quote) vEnd++;
    return { kind: 'attributeValue', prefix: text.slice(vStart, offset), replace: [vStart, vEnd], tag: tagBeingTyped(text, lt, tag[1], valueStart), attribute };
}

/** The start tag at `lt`: its name and complete attributes, leaving out the one at `cursor`. */
function tagBeingTyped(text: string, lt: number, name: string, cursor: number): TagBeingTyped {
    const tagText = wholeTag(text, lt);
    const attributes: { name: string; value: string }[] = [];
    const re = /([\w.:-]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;
    for (let m = re.exec(tagText); m; m = re.exec(tagText)) {
        const start = lt + m.index;
        if (cursor >= start && cursor <= start + m[0].length) continue;
        attributes.push({ name: m[1], value: m[2] ?? m[3] ?? '' });
    }
    return { lt, name, attributes };
}

/** The text of the tag starting at `lt`, up to its `>` (or a bounded stretch when unclosed). */
function wholeTag(text: string, lt: number): string {
    const gt = text.indexOf('>', lt);
    return text.slice(lt, gt < 0 ? Math.min(text.length, lt + 2000) : gt + 1);
}

/**
 * `text` is the file's current text; `lineStarts` are the line starts of the index's model of it;
 * `triggerCharacter` the character typed that asked (none when the editor asks as a word is typed, or on Ctrl+Space).
 */
export interface CompletionParams { file: string; text: string; position: Position; lineStarts: Uint32Array; triggerCharacter?: string }

export async function provideCompletions(
    { index, workspace }: FeatureContext,
    { file, text, position, lineStarts, triggerCharacter }: CompletionParams,
): Promise<CompletionList> {
    const offset = offsetAt(lineStarts, position, text.length);
    const context = completionContext(text, offset);
    const empty: CompletionList = { isIncomplete: false, items: [] };
    if (!context) return empty;
    // The contexts keep to the cursor's line; clamping here too means no future context can make
    // VS Code drop every item without a word.
    const lineStart = lineStartOf(text, offset);
    const lineEnd = lineEndOf(text, offset);
    const start = Math.min(Math.max(context.replace[0], lineStart), offset);
    const end = Math.max(Math.min(context.replace[1], lineEnd), offset);
    const range: Range = { start: positionAt(lineStarts, start), end: positionAt(lineStarts, end) };
    switch (context.kind) {
        case 'id': return idCompletions(index, file, context.prefix, range, context.quoted === true);
        case 'path': return pathCompletions(workspace, file, context, range);
        case 'xpointer': return xpointerCompletions(index, file, context, range);
        case 'glossterm': {
            const remove = context.remove.map(([a, b]): TextEdit => ({ range: { start: positionAt(lineStarts, a), end: positionAt(lineStarts, b) }, newText: '' }));
            return glossaryCompletions(index, file, range, remove);
        }
        case 'baseform': return glossaryCompletions(index, file, range, []);
        case 'element': case 'endTag': case 'attributeName': case 'attributeValue': {
            const schema = schemaOf(index.get(file));
            if (!schema) return empty;
            return schemaCompletions(schema, file, text, context, range, index.currentSettings.profileValues);
        }
        case 'word':
            // A space or `>` typed in prose asks for nothing: no list popping up between words.
            if (triggerCharacter !== undefined && !context.prefix) return empty;
            return { isIncomplete: false, items: snippetItems(index.get(file), file, text, context, range) };
    }
}

/** The snippets for a bare word: the templates before any element, else the element snippets the schema takes there. */
function snippetItems(entry: IndexedFile | undefined, file: string, text: string, context: Extract<CompletionContext, { kind: 'word' }>, range: Range): CompletionItem[] {
    if (context.beforeRoot) return templateItems(file, text, range);
    // Most words of prose could not become any snippet: no schema question for them.
    const candidates = ELEMENT_SNIPPETS.filter((s) => couldMatch(s.label, context.prefix));
    if (!candidates.length || !entry?.model.isDocbook) return [];
    const wordStart = context.replace[0];
    let parent: XmlElement | undefined;
    let allowed = candidates;
    if (entry.model.rootNamespace === DOCBOOK_NS) {
        const schema = schemaOf(entry);
        if (!schema) return [];
        // What the schema takes at the word, as if a `<` were typed there.
        const expected = expectedContentAt(file, schema, text, wordStart);
        parent = expected.parent;
        allowed = candidates.filter((s) => expected.expected.elements.some((n) => n.local === s.local && n.ns === s.ns));
    } else {
        // DocBook 4: no schema here; only whether the word is inside the root element.
        const before = text.slice(0, wordStart);
        parent = innermostOpen(parseXml(before).root, before);
    }
    if (!parent) return [];
    return elementSnippetItems(allowed, range, parent.nsScope.xi === XINCLUDE_NS ? '' : `xmlns:xi="${XINCLUDE_NS}"`, entry.model.rootNamespace !== DOCBOOK_NS);
}

/** The schema of a DocBook 5 file (DocBook 4 and other XML have none): the one it was checked against. */
function schemaOf(entry: IndexedFile | undefined): Schema | undefined {
    if (!entry || entry.model.rootNamespace !== DOCBOOK_NS) return undefined;
    // Nested deeper than the parser keeps as a tree (a hostile file): nothing sensible to offer.
    if (entry.model.problems.some((p) => p.message.includes('nested more than'))) return undefined;
    return entry.schema ?? builtinSchema();
}

type SchemaContext = Extract<CompletionContext, { kind: 'element' | 'endTag' | 'attributeName' | 'attributeValue' }>;

function schemaCompletions(
    schema: Schema, file: string, text: string, context: SchemaContext, range: Range, profileValues: Record<string, string[]>,
): CompletionList {
    const items: CompletionItem[] = [];
    switch (context.kind) {
        case 'endTag': {
            const open = innermostOpen(parseXml(text.slice(0, context.lt)).root, text.slice(0, context.lt));
            if (open) {
                const closed = text[context.replace[1]] === '>';
                items.push({ label: open.name, kind: CompletionItemKind.Property, detail: `</${open.name}>`, textEdit: { range, newText: closed ? open.name : `${open.name}>` } });
            }
            break;
        }
        case 'element': {
            const { expected, parent } = expectedContentAt(file, schema, text, context.lt);
            // Renaming a tag that is already there: the name only.
            const plainName = /^(?:>|\/>|\s+[\w.:-]+\s*=)/.test(text.slice(context.replace[1], context.replace[1] + 200));
            const seen = new Set<string>();
            for (const n of expected.elements) {
                const name = qualifiedName(n.ns, n.local, parent, false);
                if (seen.has(name)) continue;
                seen.add(name);
                const declare = n.ns !== DOCBOOK_NS && name.includes(':') && !(parent && Object.values(parent.nsScope).includes(n.ns))
                    ? ` xmlns:${name.slice(0, name.indexOf(':'))}="${n.ns}"` : '';
                const doc = schema.docs.elements[n.local];
                items.push({
                    label: name,
                    kind: CompletionItemKind.Property,
                    labelDetails: doc ? { description: doc } : undefined,
                    documentation: doc ? { kind: MarkupKind.Markdown, value: doc } : undefined,
                    insertTextFormat: plainName ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
                    textEdit: { range, newText: plainName ? name : elementSnippet(schema, n.ns, n.local, name, declare) },
                });
            }
            break;
        }
        case 'attributeName': {
            const r = expectedInStartTag(file, schema, text, context.tag);
            if (!r) break;
            const present = new Set(context.tag.attributes.map((a) => a.name));
            const hasValue = /^\s*=/.test(text.slice(context.replace[1], context.replace[1] + 50));
            for (const n of r.expected.attributes) {
                const name = qualifiedName(n.ns, n.local, r.element, true);
                if (present.has(name)) continue;
                present.add(name);
                const doc = schema.docs.attributes[n.local];
                items.push({
                    label: name,
                    kind: CompletionItemKind.Field,
                    labelDetails: doc ? { description: doc } : undefined,
                    documentation: doc ? { kind: MarkupKind.Markdown, value: doc } : undefined,
                    insertTextFormat: hasValue ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
                    textEdit: { range, newText: hasValue ? name : `${name}="$1"$0` },
                    // The values come next: open the list again inside the quotes.
                    command: hasValue ? undefined : { title: 'Suggest', command: 'editor.action.triggerSuggest' },
                });
            }
            break;
        }
        case 'attributeValue': {
            const seen = new Set<string>();
            const profile = profileValues[context.attribute] ?? [];
            for (const v of profile) {
                if (seen.has(v)) continue;
                seen.add(v);
                items.push({ label: v, kind: CompletionItemKind.EnumMember, detail: `${context.attribute} (docbook.profileValues)`, textEdit: { range, newText: v } });
            }
            const r = expectedInStartTag(file, schema, text, context.tag, context.attribute);
            for (const v of r?.expected.values ?? []) {
                if (seen.has(v.value)) continue;
                seen.add(v.value);
                items.push({
                    label: v.value,
                    kind: CompletionItemKind.EnumMember,
                    labelDetails: v.documentation ? { description: v.documentation } : undefined,
                    documentation: v.documentation ? { kind: MarkupKind.Markdown, value: v.documentation } : undefined,
                    textEdit: { range, newText: v.value },
                });
            }
            break;
        }
    }
    return { isIncomplete: false, items };
}

/** The element with the cursor inside, and the children the schema requires (a list's listitem, a title). */
function elementSnippet(schema: Schema, ns: string, local: string, name: string, declare: string): string {
    if (local === 'include' && ns === 'http://www.w3.org/2001/XInclude') return `${name} href="$1"${declare}/>$0`;
    if (isEmptyElement(schema, ns, local)) return `${name}${declare} $0/>`;
    const required = requiredChildren(schema, ns, local);
    if (!required.length) return `${name}${declare}>$0</${name}>`;
    let tab = 1;
    const inner = (children: RequiredChild[], indent: string): string => children.map((c, i) => {
        const body = c.children.length ? `\n${inner(c.children, indent + '\t')}\n${indent}` : i === 0 && tab === 1 ? `$${tab++}` : '';
        return `${indent}<${c.local}>${body}</${c.local}>`;
    }).join('\n');
    return `${name}${declare}>\n${inner(required, '\t')}\n</${name}>$0`;
}

// path.relative per item was most of a linkend list's cost (923 ids: 3 of 5 ms), and the ids come
// from few files: how each is shown from a folder is kept, for the last few folders completed in.
const shownPaths = new Map<string, Map<string, string>>();
const MAX_SHOWN_FOLDERS = 16;

/** How defining files are shown from `file`'s folder ('/'-separated, relative). */
function shownPathsFrom(file: string): (to: string) => string {
    const dir = path.dirname(file);
    let known = shownPaths.get(dir);
    if (!known) {
        if (shownPaths.size >= MAX_SHOWN_FOLDERS) shownPaths.delete(shownPaths.keys().next().value!);
        shownPaths.set(dir, known = new Map());
    }
    const shown = known;
    return (to) => {
        let relative = shown.get(to);
        if (relative === undefined) shown.set(to, relative = path.relative(dir, to).split(path.sep).join('/') || path.basename(to));
        return relative;
    };
}

function idCompletions(index: WorkspaceIndex, file: string, prefix: string, range: Range, quoted: boolean): CompletionList {
    // The innermost book (fewest files) is "this book"; a set that includes it comes after.
    const books = [...index.booksOf(file)].sort((a, b) => index.filesOfBook(a).size - index.filesOfBook(b).size);
    const ownBook = books[0];
    // One item per id name, for its best-placed definition (this file, this book, elsewhere):
    // duplicates are a diagnostic's business, not completion's.
    const best = new Map<string, RankedId>();
    if (ownBook) {
        for (const at of index.idsInScope(file)) {
            const rank = at.file === file ? 0 : index.isInBook(at.file, at.def.start, ownBook) ? 1 : 2;
            const seen = best.get(at.def.id);
            if (!seen || rank < seen.rank) best.set(at.def.id, { at, rank });
        }
    } else {
        // A file in no book sees every id of the workspace: one look per name, not per definition.
        for (const defs of index.idDefinitionLists()) {
            const own = defs.find((d) => d.file === file);
            best.set(defs[0].def.id, own ? { at: own, rank: 0 } : { at: defs[0], rank: 2 });
        }
    }
    let ranked = [...best.values()];
    let isIncomplete = false;
    if (ranked.length > MAX_ITEMS) {
        const p = prefix.toLowerCase();
        ranked = ranked.filter((r) => r.at.def.id.toLowerCase().includes(p));
        // Still too many: the best-placed first (the list comes back as the author types on).
        if (ranked.length > MAX_ITEMS) ranked = [0, 1, 2].flatMap((rank) => ranked.filter((r) => r.rank === rank)).slice(0, MAX_ITEMS);
        isIncomplete = true;
    }
    const shownPath = shownPathsFrom(file);
    return { isIncomplete, items: ranked.map((r) => idItem(r.at, shownPath(r.at.file), r.rank, range, quoted)) };
}

interface RankedId { at: IdLocation; rank: number }

/** The title where VS Code elides it (the right-hand description), so a long id never hides it entirely. */
function idDescription(def: { element: string; title?: string }): string {
    return def.title ? `${def.title} · ${def.element}` : def.element;
}

function idItem(c: IdLocation, shownPath: string, rank: number, range: Range, quoted: boolean): CompletionItem {
    const title = c.def.title;
    return {
        label: c.def.id,
        kind: CompletionItemKind.Reference,
        labelDetails: { description: idDescription(c.def) },
        detail: title ? `<${c.def.element}> ${title}` : `<${c.def.element}>`,
        documentation: { kind: MarkupKind.Markdown, value: `\`${shownPath}\`` },
        sortText: `${rank}${c.def.id}`,
        textEdit: { range, newText: quoted ? `"${c.def.id}"` : c.def.id },
    };
}

async function pathCompletions(workspace: Workspace, file: string, context: Extract<CompletionContext, { kind: 'path' }>, range: Range): Promise<CompletionList> {
    const typed = context.prefix;
    if (/^[a-z][a-z0-9+.-]*:/i.test(typed)) return { isIncomplete: false, items: [] }; // a URL: nothing local to list
    const dirPart = typed.slice(0, typed.lastIndexOf('/') + 1);
    const dir = path.resolve(path.dirname(file), dirPart || '.');
    const entries = await workspace.readDirectory(dir);
    const items: CompletionItem[] = [];
    for (const [name, type] of entries) {
        if (name.startsWith('.')) continue;
        if (type === 'directory') {
            items.push({
                label: name + '/',
                kind: CompletionItemKind.Folder,
                sortText: `0${name}`,
                textEdit: { range, newText: name + '/' },
                // Re-open the list in the folder just entered, like VS Code's own path completion.
                command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
            });
        } else if (context.textInclude || name.toLowerCase().endsWith('.xml')) {
            const full = path.join(dir, name);
            if (full === file) continue;
            items.push({ label: name, kind: CompletionItemKind.File, sortText: `1${name}`, textEdit: { range, newText: name } });
        }
    }
    if (!dirPart || dirPart.startsWith('../') || dirPart === './') {
        items.push({ label: '../', kind: CompletionItemKind.Folder, sortText: '2..', textEdit: { range, newText: '../' }, command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } });
    }
    return { isIncomplete: false, items };
}

function xpointerCompletions(index: WorkspaceIndex, file: string, context: Extract<CompletionContext, { kind: 'xpointer' }>, range: Range): CompletionList {
    const target = context.href === undefined || context.href === '' ? { kind: 'file' as const, path: file } : index.resolveHref(context.href, file);
    if (target.kind !== 'file') return { isIncomplete: false, items: [] };
    const entry = index.get(target.path);
    if (!entry) return { isIncomplete: false, items: [] };
    const items: CompletionItem[] = entry.model.ids.map((def, i) => ({
        label: def.id,
        kind: CompletionItemKind.Reference,
        labelDetails: { description: idDescription(def) },
        detail: `<${def.element}>${def.title ? ' ' + def.title : ''}`,
        sortText: String(i).padStart(6, '0'),
        textEdit: { range, newText: def.id },
    }));
    if (!context.wrapped && context.prefix === '') {
        // The form the OpenStack books use: the element's children without its title.
        for (const def of entry.model.ids) {
            if (!def.title) continue;
            items.push({
                label: `xpath(…'${def.id}'…/*[not(self::db:title)])`,
                kind: CompletionItemKind.Snippet,
                detail: `Children of <${def.element}> ${def.title}, without its title`,
                sortText: `z${def.id}`,
                filterText: def.id,
                insertTextFormat: InsertTextFormat.PlainText,
                textEdit: { range, newText: `xmlns(db=http://docbook.org/ns/docbook) xpath(//*[@xml:id = '${def.id}']/*[not(self::db:title)])` },
            });
        }
    }
    return { isIncomplete: false, items };
}

function glossaryCompletions(index: WorkspaceIndex, file: string, range: Range, remove: TextEdit[]): CompletionList {
    const items: CompletionItem[] = [];
    const seen = new Set<string>();
    for (const g of index.glossaryTermsInScope(file)) {
        if (seen.has(g.entry.term)) continue;
        seen.add(g.entry.term);
        const definition = g.entry.definition;
        items.push({
            label: g.entry.term,
            // Not Text: that is the icon of VS Code's own word suggestions.
            kind: CompletionItemKind.Keyword,
            // The definition's first sentence on the right, where VS Code elides it.
            labelDetails: definition ? { description: definition } : undefined,
            detail: `Glossary: ${path.basename(g.file)}`,
            documentation: definition ? { kind: MarkupKind.Markdown, value: definition } : undefined,
            textEdit: { range, newText: g.entry.term },
            additionalTextEdits: remove.length ? remove : undefined,
        });
    }
    return { isIncomplete: false, items };
}
