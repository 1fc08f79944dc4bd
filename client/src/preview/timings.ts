// Where the time goes between an edit and the preview showing it, per render: recorded by the
// panel (extension host clock), the server (durations) and the webview (its own clock, which is
// the same machine's wall clock). Read by the tests and benchmarks through the extension's API.

import type { PatchKind } from './messages';

/** One render, from the edit that caused it (if any) to the webview's paint. Times: Date.now(). */
export interface RenderTiming {
    /** The update's number (the webview's `version`). */
    version: number;
    /** The previewed document's version the server rendered. */
    documentVersion?: number;
    /** The last edit of the source made before the request was sent (none for other renders). */
    editAt?: number;
    requestAt: number;
    /** Server: waiting for earlier edits to be indexed, then rendering. */
    serverWaitMs?: number;
    serverRenderMs?: number;
    responseAt?: number;
    postAt?: number;
    /** Webview: message received, DOM patched (innerHTML, toolbar, scroll: includes layout), next frame painted. */
    receivedAt?: number;
    patchMs?: number;
    patch?: PatchKind;
    paintedAt?: number;
}

export const STAGES = ['debounce', 'serverWait', 'serverRender', 'transport', 'webviewBusy', 'postMessage', 'patch', 'paint', 'total'] as const;
export type Stage = typeof STAGES[number];

/** A finished render's stages in milliseconds (total: edit to paint); undefined while unfinished. */
export function stagesOf(t: RenderTiming): Record<Stage, number> | undefined {
    if (t.editAt === undefined || t.responseAt === undefined || t.postAt === undefined || t.receivedAt === undefined
        || t.patchMs === undefined || t.paintedAt === undefined) return undefined;
    const wait = t.serverWaitMs ?? 0;
    const render = t.serverRenderMs ?? 0;
    return {
        debounce: t.requestAt - t.editAt,
        serverWait: wait,
        serverRender: render,
        // The request and the response (HTML as JSON) through the language client's channel.
        transport: t.responseAt - t.requestAt - wait - render,
        // From the answer to the post: the extension host's own work (and its event loop's delay).
        webviewBusy: t.postAt - t.responseAt,
        postMessage: t.receivedAt - t.postAt,
        patch: t.patchMs,
        paint: t.paintedAt - t.receivedAt - t.patchMs,
        total: t.paintedAt - t.editAt,
    };
}

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** p50 and p95 of each stage over the finished renders (nearest-rank). */
export function stageSummary(timings: readonly RenderTiming[]): Record<Stage, { p50: number; p95: number }> | undefined {
    const rows = timings.map(stagesOf).filter((s): s is Record<Stage, number> => !!s);
    if (!rows.length) return undefined;
    const out = {} as Record<Stage, { p50: number; p95: number }>;
    for (const stage of STAGES) {
        const sorted = rows.map((r) => r[stage]).sort((a, b) => a - b);
        out[stage] = { p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)) };
    }
    return out;
}
