// Strings the index keeps for a long time.

/**
 * A copy of `s` that does not share memory with the file's text. V8 keeps a substring as a view on
 * its parent, so one id kept in the index would keep the whole file's text alive.
 */
export function own(s: string): string {
    return s.length < 13 ? s : (' ' + s).slice(1);
}

export function ownOpt(s: string | undefined): string | undefined {
    return s === undefined ? undefined : own(s);
}

const interned = new Map<string, string>();

/** One shared copy of names that recur in every file (element and entity names). */
export function intern(s: string): string {
    let v = interned.get(s);
    if (v === undefined) {
        if (interned.size > 100_000) interned.clear(); // hostile input: do not grow without bound
        v = own(s);
        interned.set(v, v);
    }
    return v;
}

/** Length of the common beginning of two strings (at most `limit`). */
export function commonPrefixLength(a: string, b: string, limit: number): number {
    const n = Math.min(a.length, b.length, limit);
    // Compare in slices first: string equality of a slice is a memcmp.
    let i = 0;
    for (const step of [65536, 4096, 256, 16]) while (i + step <= n && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
    while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    return i;
}

/** Length of the common end of two strings (at most `limit`). */
export function commonSuffixLength(a: string, b: string, limit: number): number {
    const n = Math.min(a.length, b.length, limit);
    let i = 0;
    for (const step of [65536, 4096, 256, 16]) {
        while (i + step <= n && a.slice(a.length - i - step, a.length - i) === b.slice(b.length - i - step, b.length - i)) i += step;
    }
    while (i < n && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
    return i;
}
