// salve (salve-annos), loaded on first use: its datatypes build their regular expressions when
// loaded (~30 ms), which a run that needs no schema (a cached docbook-check, docbook-render, the
// server until the first schema check) should not pay.

import type * as Salve from 'salve-annos';

let loaded: typeof Salve | undefined;
const MAX_KEPT_VERDICTS = 20_000;

export function salve(): typeof Salve {
    if (loaded) return loaded;
    /* eslint-disable @typescript-eslint/no-require-imports -- a require at first use is what makes it lazy (esbuild keeps it so) */
    const s = require('salve-annos') as typeof Salve;
    const { registry } = require('salve-annos/lib/salve/datatypes') as typeof import('salve-annos/lib/salve/datatypes');
    /* eslint-enable @typescript-eslint/no-require-imports */
    // Jing, the reference, escapes an anyURI value the XLink way (spaces, non-ASCII) before checking
    // it, so `fileref="static/sVirt Diagram 1.png"` is valid there; salve checks the raw value. Do as
    // Jing does.
    const anyUri = registry.get('http://www.w3.org/2001/XMLSchema-datatypes').types['anyURI'] as unknown as {
        disallows(value: string, params?: object, ...rest: unknown[]): false | unknown[];
    };
    const disallows = anyUri.disallows.bind(anyUri);
    // A lone surrogate half (an editor's text can hold one; completion walks it) has no UTF-8 to escape: kept as it is.
    const escape = (c: string): string => (c.length === 1 && c >= '\ud800' && c <= '\udfff' ? c : encodeURIComponent(c));
    // salve's anyURI test is one long regular expression (4 % of a cold check of the corpus) and the
    // same URIs recur in every file: its verdict without facets (DocBook sets none) is kept per value.
    const verdicts = new Map<string, false | unknown[]>();
    anyUri.disallows = (value: string, params?: object, ...rest: unknown[]) => {
        const escaped = value.replace(/[^\x21-\x7e]|[<>"{}|\\^`]/gu, escape);
        if (params && Object.keys(params).length) return disallows(escaped, params, ...rest);
        let verdict = verdicts.get(escaped);
        if (verdict === undefined) {
            if (verdicts.size >= MAX_KEPT_VERDICTS) verdicts.clear();
            verdicts.set(escaped, verdict = disallows(escaped, params, ...rest));
        }
        return verdict && [...verdict];
    };
    return loaded = s;
}
