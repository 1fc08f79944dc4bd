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

/** Every *.xml file under a folder, for tests and benchmarks over real trees. */
export function listXml(dir: string): string[] {
    const out: string[] = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...listXml(p));
        else if (e.name.endsWith('.xml')) out.push(p);
    }
    return out;
}
