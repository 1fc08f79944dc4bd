// Mocha's spec output, closed by a plain "mocha: N passed, N failed" line that CI reads.

import Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const s = runner.stats!;
            console.log(`mocha: ${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
        });
    }
}

export = CountingReporter;
