// A short digest of a text, so that the index can tell, without keeping the text, whether a file
// still holds exactly what it parsed: edits computed from indexed offsets are only safe then.

import { createHash } from 'crypto';

export function textFingerprint(text: string): string {
    return createHash('sha1').update(text, 'utf8').digest('base64');
}
