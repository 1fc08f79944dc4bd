// Small helpers shared by tests.
import * as fs from 'fs';
import * as path from 'path';

import { computeLineStarts, offsetAt, Position, positionAt } from '../server/src/core/lineMap';

export function lineMapOf(text: string): { positionAt(offset: number): Position; offsetAt(p: Position): number } {
    const starts = computeLineStarts(text);
    return { positionAt: (o) => positionAt(starts, o), offsetAt: (pos) => offsetAt(starts, pos, text.length) };
}

/** The real OpenStack trees: `shared/corpus` beside the repository (CI lays a copy there too). */
export const CORPUS = ((): string => {
    const besideRepo = path.resolve(__dirname, '../../../shared/corpus');
    return fs.existsSync(besideRepo) ? besideRepo : '/work/shared/corpus';
})();
