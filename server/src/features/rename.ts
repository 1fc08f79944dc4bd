// Rename an id: its xml:id and every reference that resolves to it, in every book that sees it.
// The result is a WorkspaceEdit for the user to apply; nothing is written here. A rename that
// cannot be exact (ambiguous id, a file changed since it was indexed, a name clash) is refused.

import * as path from 'path';
import type { RenameRange } from '../api';
import { Range, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { pathToUri, rangeOf } from '../core/uri';
import { IdLocation, IndexedFile, WorkspaceIndex } from '../index/workspaceIndex';
import type { CancellationToken, FeatureContext, FilePosition } from './context';
import { locate } from './locate';
import { referencesTo } from './navigation';

export class RenameError extends Error {}

const NCNAME = /^[\p{L}_][\p{L}\p{N}_.\-\u00b7]*$/u;

interface RenameTarget { id: string; def: IdLocation; range: Range }

function target(index: WorkspaceIndex, entry: IndexedFile, offset: number): RenameTarget {
    const here = locate(entry, offset);
    if (!here || (here.kind !== 'ref' && here.kind !== 'id')) {
        throw new RenameError('Only an id (xml:id) or a reference to it (linkend, endterm, arearefs, …) can be renamed here.');
    }
    const id = here.kind === 'ref' ? here.ref.id : here.def.id;
    const defs = here.kind === 'ref' ? index.resolveId(entry.path, id) : [{ file: entry.path, def: here.def }];
    if (!defs.length) throw new RenameError(`"${id}" is not defined in the books of this file: there is nothing to rename.`);
    if (defs.length > 1) {
        throw new RenameError(`"${id}" is ambiguous: it is defined ${defs.length} times (${defs.map((d) => path.basename(d.file)).join(', ')}). Fix the duplicate first.`);
    }
    const def = defs[0];
    // The same name defined again in a book that holds this definition: renaming one would be a guess.
    const books = index.booksOf(def.file);
    const clash = index.definitionsOf(id).filter((d) => d.def !== def.def && (books.size === 0 || [...books].some((b) => index.isInBook(d.file, d.def.start, b))));
    if (clash.length && books.size) throw new RenameError(`"${id}" is defined more than once in this book (also in ${path.basename(clash[0].file)}). Fix the duplicate first.`);
    const defEntry = index.get(def.file);
    if (!defEntry?.folder) throw new RenameError(`"${id}" is defined outside the workspace (${def.file}); it cannot be renamed from here.`);
    return { id, def, range: rangeOf(entry.model.lineStarts, here.span.start, here.span.end) };
}

export function provideRenameRange({ index }: FeatureContext, { entry, offset }: FilePosition): RenameRange {
    const t = target(index, entry, offset);
    return { range: t.range, placeholder: t.id };
}

export interface RenameParams extends FilePosition { newName: string }

export async function provideRenameEdits({ index }: FeatureContext, { entry, offset, newName }: RenameParams, token?: CancellationToken): Promise<WorkspaceEdit> {
    const t = target(index, entry, offset);
    if (!NCNAME.test(newName)) throw new RenameError(`"${newName}" is not a valid id: an id starts with a letter or _ and holds no spaces or colons.`);
    if (newName === t.id) return { documentChanges: [] };
    const books = index.booksOf(t.def.file);
    const taken = index.definitionsOf(newName).find((d) => books.size === 0 || [...books].some((b) => index.isInBook(d.file, d.def.start, b)));
    if (taken) throw new RenameError(`"${newName}" is already an id in ${path.basename(taken.file)}; renaming would create a duplicate.`);

    const spans = [{ file: t.def.file, start: t.def.def.start, end: t.def.def.end }, ...referencesTo(index, t.id, [t.def], token)];
    const byFile = new Map<string, { start: number; end: number }[]>();
    for (const s of spans) {
        const list = byFile.get(s.file) ?? [];
        list.push(s);
        byFile.set(s.file, list);
    }
    const documentChanges: TextDocumentEdit[] = [];
    for (const [file, list] of byFile) {
        // Part of a rename is worse than none: a cancelled one edits nothing.
        if (token?.isCancellationRequested) return { documentChanges: [] };
        const f = index.get(file);
        if (!f) continue;
        // Never edit from stale offsets: the text must be the one indexed (same line breaks too), saying the old id where the index says it does.
        const text = await index.readIndexedText(file);
        if (text === undefined || list.some((s) => text.slice(s.start, s.end) !== t.id)) {
            throw new RenameError(`${path.basename(file)} changed since it was indexed; save it (or wait a moment) and rename again.`);
        }
        const edits: TextEdit[] = list.map((s) => ({ range: rangeOf(f.model.lineStarts, s.start, s.end), newText: newName }));
        documentChanges.push({ textDocument: { uri: pathToUri(file), version: f.version ?? null }, edits });
    }
    return { documentChanges };
}
