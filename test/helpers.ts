// Small helpers shared by tests.

import { computeLineStarts, offsetAt, Position, positionAt } from '../server/src/core/lineMap';

export function lineMapOf(text: string): { positionAt(offset: number): Position; offsetAt(p: Position): number } {
    const starts = computeLineStarts(text);
    return { positionAt: (o) => positionAt(starts, o), offsetAt: (pos) => offsetAt(starts, pos, text.length) };
}
