// Line starts as LSP counts lines (\n, \r\n and a lone \r each end one), on both of computeLineStarts'
// paths: texts with no \r (indexOf jumps) and texts with some.

import * as assert from 'assert';
import { computeLineStarts, offsetAt, positionAt } from '../../server/src/core/lineMap';
import { prng } from '../helpers';

/** What LSP means, spelt out: a line ends at \r\n, \n or \r. */
function referenceLineStarts(text: string): number[] {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
        if (text[i] === '\r' && text[i + 1] === '\n') i++;
        if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
    }
    return starts;
}

describe('line starts', () => {
    it('are where LSP starts lines, with and without carriage returns', () => {
        const random = prng(20261207);
        const pieces = ['a', 'bc', ' ', '\n', '\n', '\r\n', '\r', '\u2028', '<x/>', '\n\n'];
        for (let n = 0; n < 500; n++) {
            const withCr = n % 2 === 0;
            let text = '';
            for (let k = Math.floor(random() * 40); k > 0; k--) {
                const piece = pieces[Math.floor(random() * pieces.length)];
                text += withCr ? piece : piece.replace(/\r/g, '');
            }
            const starts = computeLineStarts(text);
            assert.deepStrictEqual([...starts], referenceLineStarts(text), JSON.stringify(text));
            for (let offset = 0; offset <= text.length; offset++) assert.strictEqual(offsetAt(starts, positionAt(starts, offset), text.length), offset);
        }
        assert.deepStrictEqual([...computeLineStarts('')], [0]);
        assert.deepStrictEqual([...computeLineStarts('a\nb\n')], [0, 2, 4]);
        assert.deepStrictEqual([...computeLineStarts('a\r\nb\rc')], [0, 3, 5]);
    });
});
