/**
 * The honest pipeline under the deterministic simulator (tools/simulator, docs/SIMULATION.md):
 * every seed's workload, with faults injected at every port call, ends with every invariant
 * holding and the auditor's verifyLedger valid. A failure prints the seed, the invariant and
 * the steps that led to it; `npm run simulate -- --seed S` replays it.
 */
import { describe, expect, it } from 'vitest';
import { runSeed, type RunResult } from '../../../tools/simulator/run-seed';
import { batchSummary, failureReport } from '../../../tools/simulator/summary';

/** "A few hundred seeds" in CI: about 100 s under coverage on the shared 2-core machine. */
const SEEDS = 300;

describe(`when ${SEEDS} seeds of uploads run through the pipeline with faults injected`, () => {
  it('breaks no invariant, drains every queue and leaves a ledger the auditor finds valid', async () => {
    const started = Date.now();
    const results: RunResult[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const result = await runSeed({ seed });
      results.push(result);
      if (result.violation) break;
    }
    console.info(batchSummary(results, Date.now() - started));
    const failures = results
      .filter((r) => r.violation)
      .map((r) => failureReport(r, { seed: r.seed }));
    expect(failures).toEqual([]);
    expect(results).toHaveLength(SEEDS);
    // The faults really happened: every kind the scheduler injects shows up in the batch.
    const kinds = new Set(results.flatMap((r) => [...r.faults.keys()]));
    for (const kind of [
      'crash-before',
      'crash-after',
      'THROTTLED',
      'DEPENDENCY_UNAVAILABLE',
      'KEY_UNAVAILABLE',
      'duplicate-delivery',
      'event-without-versionId',
      'deleted-early',
      'budget-exhausted',
      'key-disabled',
      'tsa-timeout',
      'tsa-garbage',
      'slow-invocation',
    ])
      expect(kinds).toContain(kind);
  }, 600_000);
});
