// Mocha's spec output, closed by a plain "mocha: N passed, N failed[, K skipped[: reason]]" line that
// CI and scripts/run-tests.mjs read. The reason is the one a test gave to skipBecause (test/helpers.ts),
// said once however many tests it skipped.

import Mocha = require('mocha');

/** The reason skipBecause left on the test or on one of its suites. */
function skipReason(test: Mocha.Runnable): string | undefined {
    for (let r: Mocha.Runnable | Mocha.Suite | undefined = test; r; r = r.parent) {
        const reason = (r as { skipReason?: string }).skipReason;
        if (reason) return reason;
    }
    return undefined;
}

/** "K skipped", then the reasons: just the reason when one explains them all, else each with its count. */
function skippedSummary(skipped: number, reasons: Map<string, number>): string {
    if (!skipped) return '';
    const explained = [...reasons.values()].reduce((a, b) => a + b, 0);
    const parts = [...reasons].map(([reason, n]) => (reasons.size === 1 && explained === skipped ? reason : `${n} ${reason}`));
    return `, ${skipped} skipped${parts.length ? `: ${parts.join('; ')}` : ''}`;
}

class CountingReporter extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        const reasons = new Map<string, number>();
        runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => {
            const reason = skipReason(test);
            if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        });
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const s = runner.stats!;
            console.log(`mocha: ${s.passes} passed, ${s.failures} failed${skippedSummary(s.pending, reasons)}`);
        });
    }
}

export = CountingReporter;
