// How much fuzzing to do. `npm test` runs a small, fixed-seed sample (fast, reproducible); the long
// run (DOCBOOK_FUZZ_LONG=1, or `npm run fuzz`) takes every corpus file and many more mutations with a
// fresh seed. A failure prints its seed: DOCBOOK_FUZZ_SEED=<seed> replays it.

export const LONG = process.env.DOCBOOK_FUZZ_LONG === '1';

export const SEED = process.env.DOCBOOK_FUZZ_SEED !== undefined
    ? Number(process.env.DOCBOOK_FUZZ_SEED)
    : LONG ? Date.now() % 2 ** 31 : 20_240_501;

/** Scales a run count: `short` in `npm test`, `long` in the long run. */
export function runs(short: number, long: number): number {
    return LONG ? long : short;
}

/** Case counts and the slowest case, printed at the end of a long run (the report needs them). */
export class FuzzTally {
    cases = 0;
    slowest = { ms: 0, name: '' };

    time<T>(name: string, work: () => T): T {
        const started = performance.now();
        try {
            return work();
        } finally {
            this.record(name, performance.now() - started);
        }
    }

    async timeAsync<T>(name: string, work: () => Promise<T>): Promise<T> {
        const started = performance.now();
        try {
            return await work();
        } finally {
            this.record(name, performance.now() - started);
        }
    }

    record(name: string, ms: number): void {
        this.cases++;
        if (ms > this.slowest.ms) this.slowest = { ms, name };
    }

    summary(suite: string): string {
        return `${suite}: ${this.cases} cases (seed ${SEED}), slowest ${this.slowest.ms.toFixed(0)} ms (${this.slowest.name})`;
    }

    /** Printed when asked for (long run, or DOCBOOK_FUZZ_REPORT=1), not in every `npm test`. */
    print(suite: string): void {
        if (LONG || process.env.DOCBOOK_FUZZ_REPORT === '1') console.log(`      ${this.summary(suite)}`);
    }
}
