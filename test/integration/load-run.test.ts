import { describe, expect, it } from 'vitest';
import { runLoad } from '../../tools/load/load-run';
import { planWorkload } from '../../tools/load/workload';
import { backend } from '../support/deployment-fixture';

// `npm run load` in small: the same code, so that it cannot rot. It starts emulators of its own.
const SMALL = {
  uploads: 40,
  clients: 8,
  maxSize: 256 * 1024,
  seed: 7,
  timeoutMs: 300_000,
  anchorIntervalMs: 1000,
  visibilityTimeoutSeconds: 60,
};

describe.skipIf(backend.name !== 'emulators')('the load run, in small', () => {
  it('plans the same workload from the same seed, with overwritten keys', () => {
    const plan = planWorkload(SMALL);
    expect(planWorkload(SMALL)).toEqual(plan);
    expect(new Set(plan.map((u) => u.key)).size).toBeLessThan(plan.length);
  });

  it('records every uploaded version once, despite duplicate notifications, and passes every check', async () => {
    const report = await runLoad(SMALL, () => undefined);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.map((c) => c.name)).toEqual([
      'uploaded-versions',
      'one-record-per-version',
      'chain',
      'checkpoints',
      'co-signers',
      'dead-letter-queues',
      'auditor',
    ]);
    expect(report.duplicates.withoutVersionId).toBeGreaterThanOrEqual(1);
    expect(report.duplicates.withoutVersionId + report.duplicates.withVersionId).toBe(2);
    expect(report.peakRssMiB.runtime).toBeGreaterThan(0);
    expect(report.ok).toBe(true);
  }, 300_000);
});
