/**
 * A seed decides everything a simulated run does: the same seed gives the same trace byte
 * for byte (so a failure replays exactly), and another seed gives another run.
 */
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../../tools/simulator/run-seed';

describe('when a seed is run twice', () => {
  it('gives the same trace, byte for byte, and the same faults', async () => {
    const first = await runSeed({ seed: 7 });
    const second = await runSeed({ seed: 7 });
    expect(first.violation).toBeNull();
    expect(second.trace.join('\n')).toBe(first.trace.join('\n'));
    expect([...second.faults]).toEqual([...first.faults]);
  }, 120_000);

  it('gives another trace for another seed', async () => {
    const [a, b] = [await runSeed({ seed: 7 }), await runSeed({ seed: 8 })];
    expect(b.trace.join('\n')).not.toBe(a.trace.join('\n'));
  }, 120_000);
});

describe('when a failing seed is replayed', () => {
  it('breaks the same invariant after the same steps', async () => {
    const options = { seed: 1, plantedBug: 'append-with-one-signature' } as const;
    const first = await runSeed(options);
    const replay = await runSeed(options);
    expect(first.violation?.invariant).toBe('both-signatures');
    expect(replay.violation).toEqual(first.violation);
    expect(replay.minimalTrace).toEqual(first.minimalTrace);
    expect(replay.trace.join('\n')).toBe(first.trace.join('\n'));
  }, 120_000);
});
