import { describe, expect, it } from 'vitest';
import { boundedAll } from '../../../core/bounded-all';

const later = <T>(value: T, ms: number) =>
  new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('boundedAll', () => {
  it('keeps the results in item order, whatever finishes first', async () => {
    expect(await boundedAll([30, 1, 15, 5], 4, (ms) => later(ms, ms))).toEqual([30, 1, 15, 5]);
  });

  it('never has more than `limit` tasks in flight', async () => {
    let inFlight = 0;
    let most = 0;
    await boundedAll(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (i) => {
        most = Math.max(most, ++inFlight);
        await later(i, 2);
        inFlight -= 1;
      },
    );
    expect(most).toBe(3);
  });

  it('rejects with the first failure in item order, not the first to happen', async () => {
    const failing = boundedAll([20, 1], 2, async (ms) => {
      await later(ms, ms);
      throw new Error(`item ${ms}`);
    });
    await expect(failing).rejects.toThrow('item 20');
  });
});
