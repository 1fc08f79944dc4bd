// Go to definition: linkend & co -> the element with the id (across XIncludes, in the file's
// books); href -> the file; xpointer -> the element; glossterm -> its glossentry; fileref -> the image.

import { LocationLink, Range } from 'vscode-languageserver-types';
import { pathToUri, rangeOf } from '../core/uri';
import { IdLocation } from '../index/workspaceIndex';
import type { FeatureContext, FilePosition } from './context';
import { locate } from './locate';
import { glossTargets } from './navigation';

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function provideDefinition({ index }: FeatureContext, { entry, offset }: FilePosition): LocationLink[] {
    const here = locate(entry, offset);
    if (!here) return [];
    const origin = rangeOf(entry.model.lineStarts, here.span.start, here.span.end);
    const toId = (l: IdLocation): LocationLink | undefined => {
        const target = index.get(l.file);
        if (!target) return undefined;
        const ls = target.model.lineStarts;
        return { originSelectionRange: origin, targetUri: pathToUri(l.file), targetRange: rangeOf(ls, l.def.elementStart, l.def.elementEnd), targetSelectionRange: rangeOf(ls, l.def.start, l.def.end) };
    };
    const toFile = (file: string): LocationLink => ({ originSelectionRange: origin, targetUri: pathToUri(file), targetRange: START, targetSelectionRange: START });
    switch (here.kind) {
        case 'ref':
            return index.resolveId(entry.path, here.ref.id).map(toId).filter((l): l is LocationLink => !!l);
        case 'id':
            return [toId({ file: entry.path, def: here.def })!];
        case 'href': {
            const t = entry.includeTargets[here.index];
            return t.kind === 'file' && index.exists(t.path) ? [toFile(t.path)] : [];
        }
        case 'xpointer': {
            const t = entry.includeTargets[here.index];
            const target = t.kind === 'file' ? index.get(t.path) : undefined;
            if (!target || !here.include.pointer) return [];
            const def = target.model.ids.find((d) => d.id === here.include.pointer!.id);
            return def ? [toId({ file: target.path, def })!] : [];
        }
        case 'image': {
            const t = entry.imageTargets[here.index];
            return t.kind === 'file' && index.exists(t.path) ? [toFile(t.path)] : [];
        }
        case 'glossterm': {
            if (here.use.linkend) return index.resolveId(entry.path, here.use.linkend).map(toId).filter((l): l is LocationLink => !!l);
            const targets = here.term === here.use.baseform ? index.glossEntriesInScope(entry.path, here.term) : glossTargets(index, entry.path, here.use);
            return targets.map((g) => {
                const ls = index.get(g.file)!.model.lineStarts;
                return { originSelectionRange: origin, targetUri: pathToUri(g.file), targetRange: rangeOf(ls, g.entry.entryStart, g.entry.entryEnd), targetSelectionRange: rangeOf(ls, g.entry.termSpan.start, g.entry.termSpan.end) };
            });
        }
        case 'glossentry':
            return [];
        case 'entity': {
            const decl = entry.entities.general.get(here.use.name);
            if (!decl) return [];
            const declFile = decl.source || entry.path;
            const ls = decl.source ? undefined : entry.model.lineStarts;
            const r = ls ? rangeOf(ls, decl.start, decl.start) : START;
            return [{ originSelectionRange: origin, targetUri: pathToUri(declFile), targetRange: r, targetSelectionRange: r }];
        }
    }
}
