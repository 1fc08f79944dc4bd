// Hover: a reference shows its target's element, title and file; a glossterm its definition; an
// include its target's title and state; an entity its replacement text; an element or attribute
// name of a DocBook 5 file its purpose from the schema's documentation (db:refpurpose).

import * as path from 'path';
import { Hover, MarkupKind } from 'vscode-languageserver-types';
import { entityText } from '../core/entities';
import { DOCBOOK_NS } from '../core/docbookModel';
import { rangeOf } from '../core/uri';
import { builtinSchema } from '../schema/grammar';
import { IdLocation, IndexedFile, WorkspaceIndex } from '../index/workspaceIndex';
import type { FeatureContext, FilePosition } from './context';
import { locate } from './locate';
import { glossTargets, referencesTo } from './navigation';

function rel(from: string, to: string): string {
    return path.relative(path.dirname(from), to).split(path.sep).join('/') || path.basename(to);
}

function describe(index: WorkspaceIndex, from: string, l: IdLocation): string {
    const entry = index.get(l.file);
    const line = entry ? ` line ${positionLine(entry, l.def.start) + 1}` : '';
    const title = l.def.title ? ` “${escapeMd(l.def.title)}”` : '';
    return `\`<${l.def.element}>\`${title}  \n\`${rel(from, l.file)}\`${line}`;
}

function positionLine(entry: IndexedFile, offset: number): number {
    let lo = 0;
    let hi = entry.model.lineStarts.length - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (entry.model.lineStarts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo;
}

function escapeMd(s: string): string {
    return s.replace(/([\\`*_{}[\]<>()#+!|])/g, '\\$1');
}

/** The element or attribute name under the cursor in a start or end tag of the editor's text. */
function nameAt(text: string, offset: number): { kind: 'element' | 'attribute'; name: string; start: number; end: number } | undefined {
    let start = offset;
    while (start > 0 && /[\w.:-]/.test(text[start - 1])) start--;
    let end = offset;
    while (end < text.length && /[\w.:-]/.test(text[end])) end++;
    if (start === end) return undefined;
    const name = text.slice(start, end);
    if (text[start - 1] === '<' || (text[start - 1] === '/' && text[start - 2] === '<')) return { kind: 'element', name, start, end };
    // An attribute name: inside a start tag (no '>' since its '<'), followed by '='.
    const lt = text.lastIndexOf('<', start);
    if (lt < 0 || text.lastIndexOf('>', start) > lt || !/^\s*=/.test(text.slice(end, end + 20)) || !/\s/.test(text[start - 1])) return undefined;
    return { kind: 'attribute', name, start, end };
}

function schemaHover(entry: IndexedFile, offset: number): Hover | undefined {
    if (entry.openText === undefined || entry.model.rootNamespace !== DOCBOOK_NS) return undefined;
    const schema = entry.schema ?? builtinSchema();
    const at = schema && nameAt(entry.openText, offset);
    if (!schema || !at) return undefined;
    const local = at.name.replace(/^.*:/, '');
    const doc = at.kind === 'element' ? schema.docs.elements[local] : schema.docs.attributes[local];
    if (!doc) return undefined;
    const what = at.kind === 'element' ? `\`<${at.name}>\`` : `\`${at.name}\``;
    return { contents: { kind: MarkupKind.Markdown, value: `${what}: ${escapeMd(doc)}` }, range: rangeOf(entry.model.lineStarts, at.start, at.end) };
}

export function provideHover({ index }: FeatureContext, { entry, offset }: FilePosition): Hover | undefined {
    const here = locate(entry, offset);
    if (!here) return schemaHover(entry, offset);
    const range = rangeOf(entry.model.lineStarts, here.span.start, here.span.end);
    const md = (value: string): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range });
    switch (here.kind) {
        case 'ref': {
            const defs = index.resolveId(entry.path, here.ref.id);
            if (!defs.length) {
                const elsewhere = index.definitionsOf(here.ref.id);
                return md(elsewhere.length
                    ? `\`${here.ref.id}\` is not in this file's books; it is defined in \`${rel(entry.path, elsewhere[0].file)}\``
                    : `\`${here.ref.id}\` is not defined`);
            }
            return md(defs.map((d) => describe(index, entry.path, d)).join('\n\n---\n\n'));
        }
        case 'id': {
            const uses = referencesTo(index, here.def.id, [{ file: entry.path, def: here.def }]).length;
            const title = here.def.title ? ` “${escapeMd(here.def.title)}”` : '';
            return md(`\`<${here.def.element}>\`${title}  \n${uses} reference${uses === 1 ? '' : 's'}`);
        }
        case 'href': case 'xpointer': {
            const status = index.includeStatus(entry, here.index);
            if (status.kind === 'ok') {
                const target = index.get(status.path);
                const pointer = here.include.pointer;
                const def = pointer ? target?.model.ids.find((d) => d.id === pointer.id) : undefined;
                const what = def ? `${pointer!.mode === 'children' ? 'children of ' : ''}\`<${def.element}>\`${def.title ? ` “${escapeMd(def.title)}”` : ''} in ` : '';
                const title = !def && target?.model.title ? ` “${escapeMd(target.model.title)}”` : '';
                return md(`${what}\`${rel(entry.path, status.path)}\`${title}`);
            }
            if (status.kind === 'remote') return md(`Remote include: \`${status.url}\` (not mapped to a local folder)`);
            if (status.kind === 'missing') return md(`Missing file: \`${rel(entry.path, status.path)}\``);
            if (status.kind === 'unresolved-xpointer') return md(`\`${rel(entry.path, status.path)}\` has no id \`${status.id}\``);
            if (status.kind === 'cycle') return md(`Include cycle through \`${rel(entry.path, status.path)}\``);
            if (status.kind === 'outside-workspace') return md(`Outside the workspace, not read: \`${status.path}\` (allow its folder with docbook.allowedRoots)`);
            return md(status.reason);
        }
        case 'image': {
            const t = entry.imageTargets[here.index];
            if (t.kind !== 'file') return md(t.kind === 'remote' ? `Remote image: \`${t.url}\`` : t.reason);
            return md(`${index.exists(t.path) ? 'Image' : 'Missing image'}: \`${rel(entry.path, t.path)}\``);
        }
        case 'glossterm': {
            if (here.use.linkend) {
                const defs = index.resolveId(entry.path, here.use.linkend);
                if (defs.length) return md(defs.map((d) => describe(index, entry.path, d)).join('\n\n'));
            }
            const targets = glossTargets(index, entry.path, here.use);
            if (!targets.length) return md(`No glossary entry for “${escapeMd(here.term)}”`);
            const g = targets[0];
            return md(`**${escapeMd(g.entry.term)}**  \n${escapeMd(g.entry.definition || '(no definition)')}  \n\`${rel(entry.path, g.file)}\``);
        }
        case 'glossentry':
            return md(`**${escapeMd(here.entry.term)}**  \n${escapeMd(here.entry.definition || '(no definition)')}`);
        case 'entity': {
            const value = entityText(here.use.name, entry.entities);
            if (value === undefined) return md(`Entity \`&${here.use.name};\` is not declared`);
            const decl = entry.entities.general.get(here.use.name);
            const where = decl?.source ? `  \ndeclared in \`${rel(entry.path, decl.source)}\`` : '';
            return md(`\`&${here.use.name};\` → “${escapeMd(value.trim() || (decl?.value ?? '').trim())}”${where}`);
        }
    }
}
