// Shared by definition, references and rename: which definitions a reference means, and which
// references mean a definition, as the book build would resolve them.

import { GlossEntryDef, GlossTermUse, IdDefinition } from '../core/docbookModel';
import { glossEntriesFor } from '../core/glossary';
import { GlossLocation, IdLocation, WorkspaceIndex } from '../index/workspaceIndex';
import type { CancellationToken } from './context';

/** References (file + ref) that resolve to one of `defs`. */
export function referencesTo(index: WorkspaceIndex, id: string, defs: readonly IdLocation[], token?: CancellationToken): { file: string; start: number; end: number }[] {
    const wanted = new Set<IdDefinition>(defs.map((d) => d.def));
    const out: { file: string; start: number; end: number }[] = [];
    for (const file of index.filesReferencing(id)) {
        if (token?.isCancellationRequested) break;
        const entry = index.get(file);
        if (!entry) continue;
        // A reference resolves by its file's books, not its place: decided once per file, so a file
        // with thousands of references to an id defined thousands of times stays linear.
        let means: boolean | undefined;
        for (const ref of entry.model.refs) {
            if (ref.id !== id) continue;
            means ??= index.resolveId(file, id).some((r) => wanted.has(r.def));
            if (means) out.push({ file, start: ref.start, end: ref.end });
        }
    }
    return out;
}

/** Glossary entries a glossterm links to, as the build looks them up: the text first, then @baseform. */
export function glossTargets(index: WorkspaceIndex, file: string, use: GlossTermUse): GlossLocation[] {
    return glossEntriesFor(use.text, use.baseform, (term) => index.glossEntriesInScope(file, term));
}

/** Glossterms anywhere that link to a glossary entry. */
export function glossUsesOf(index: WorkspaceIndex, entryFile: string, entry: GlossEntryDef, token?: CancellationToken): { file: string; use: GlossTermUse }[] {
    const out: { file: string; use: GlossTermUse }[] = [];
    for (const file of index.filesUsingGlossTerm(entry.term)) {
        if (token?.isCancellationRequested) break;
        const f = index.get(file);
        if (!f) continue;
        for (const use of f.model.glossTerms) {
            if (use.text !== entry.term && use.baseform !== entry.term) continue;
            if (glossTargets(index, file, use).some((g) => g.file === entryFile && g.entry === entry)) out.push({ file, use });
        }
    }
    return out;
}
