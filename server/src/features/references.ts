// Find all references: of an id (from its xml:id or from any reference to it), and of a glossary
// entry (every glossterm that links to it).

import { Location } from 'vscode-languageserver-types';
import { pathToUri, rangeOf } from '../core/uri';
import { IdLocation } from '../index/workspaceIndex';
import type { CancellationToken, FeatureContext, FilePosition } from './context';
import { locate } from './locate';
import { glossTargets, glossUsesOf, referencesTo } from './navigation';

export interface ReferenceParams extends FilePosition { includeDeclaration: boolean }

export function provideReferences({ index }: FeatureContext, { entry, offset, includeDeclaration }: ReferenceParams, token?: CancellationToken): Location[] {
    const here = locate(entry, offset);
    if (!here) return [];
    const loc = (file: string, start: number, end: number): Location | undefined => {
        const f = index.get(file);
        return f ? { uri: pathToUri(file), range: rangeOf(f.model.lineStarts, start, end) } : undefined;
    };
    const out: (Location | undefined)[] = [];
    if (here.kind === 'ref' || here.kind === 'id') {
        const id = here.kind === 'ref' ? here.ref.id : here.def.id;
        const defs: IdLocation[] = here.kind === 'ref' ? index.resolveId(entry.path, id) : [{ file: entry.path, def: here.def }];
        if (includeDeclaration) for (const d of defs) out.push(loc(d.file, d.def.start, d.def.end));
        for (const r of referencesTo(index, id, defs, token)) out.push(loc(r.file, r.start, r.end));
        // A reference that resolves nowhere still has siblings: the other uses of the same name.
        if (!defs.length && here.kind === 'ref') {
            for (const file of index.filesReferencing(id)) {
                if (token?.isCancellationRequested) break;
                for (const ref of index.get(file)?.model.refs ?? []) if (ref.id === id) out.push(loc(file, ref.start, ref.end));
            }
        }
    } else if (here.kind === 'glossentry' || here.kind === 'glossterm') {
        const entries = here.kind === 'glossentry' ? [{ file: entry.path, entry: here.entry }] : glossTargets(index, entry.path, here.use);
        for (const g of entries) {
            if (token?.isCancellationRequested) break;
            if (includeDeclaration) out.push(loc(g.file, g.entry.termSpan.start, g.entry.termSpan.end));
            for (const u of glossUsesOf(index, g.file, g.entry, token)) out.push(loc(u.file, u.use.textSpan.start, u.use.textSpan.end));
        }
    }
    const seen = new Set<string>();
    return out.filter((l): l is Location => {
        if (!l) return false;
        const key = `${l.uri}:${l.range.start.line}:${l.range.start.character}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}
