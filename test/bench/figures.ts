// What the benchmark scripts print their samples as.

/** The value below which p % of the samples fall (the nearest rank). */
export function percentile(values: number[], p: number): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The middle sample (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Milliseconds, with two decimals below 10. */
export function ms(n: number): string {
    return `${n.toFixed(n < 10 ? 2 : 0)} ms`;
}
