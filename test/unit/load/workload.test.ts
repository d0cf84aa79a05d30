import { describe, expect, it } from 'vitest';
import { LoadUsageError, parseLoadOptions } from '../../../tools/load/load-options';
import {
  MAX_TOTAL_BYTES,
  MiB,
  planWorkload,
  totalBytes,
  uploadBody,
} from '../../../tools/load/workload';

describe('the load workload', () => {
  const plan = planWorkload({ uploads: 5000, seed: 1, maxSize: 40 * MiB });

  it('is the same for the same seed and differs for another', () => {
    expect(planWorkload({ uploads: 5000, seed: 1, maxSize: 40 * MiB })).toEqual(plan);
    expect(planWorkload({ uploads: 5000, seed: 2, maxSize: 40 * MiB })).not.toEqual(plan);
  });

  it('mixes empty, small, MiB-sized and a handful of 20–40 MiB objects', () => {
    const sizes = plan.map((u) => u.size);
    expect(sizes.filter((s) => s === 0).length).toBeGreaterThan(0);
    expect(sizes.filter((s) => s >= MiB && s <= 4 * MiB).length).toBeGreaterThan(20);
    expect(sizes.filter((s) => s >= 20 * MiB).length).toBe(6);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(40 * MiB);
  });

  it('writes new versions of earlier keys, some with identical bytes', () => {
    const keys = new Set(plan.map((u) => u.key));
    expect(plan.length - keys.size).toBeGreaterThan(300);
    const repeats = plan.filter((u, i) =>
      plan.slice(0, i).some((e) => e.key === u.key && e.contentSeed === u.contentSeed),
    );
    expect(repeats.length).toBeGreaterThan(50);
  });

  it('never exceeds its total bound, whatever the count', () => {
    const huge = planWorkload({ uploads: 100_000, seed: 3, maxSize: 64 * MiB });
    expect(totalBytes(huge)).toBeLessThanOrEqual(MAX_TOTAL_BYTES);
  });

  it('gives each upload the bytes its size and seed name', () => {
    const body = uploadBody({ size: 10, contentSeed: 7 });
    expect(body.byteLength).toBe(10);
    expect(uploadBody({ size: 10, contentSeed: 7 })).toEqual(body);
    expect(uploadBody({ size: 0, contentSeed: 7 }).byteLength).toBe(0);
  });
});

describe('the load options', () => {
  it('default to 5000 uploads by 32 clients within 45 minutes', () => {
    expect(parseLoadOptions([]).options).toMatchObject({
      uploads: 5000,
      clients: 32,
      timeoutMs: 45 * 60_000,
    });
  });

  it('refuse a count out of bounds', () => {
    expect(() => parseLoadOptions(['--uploads', '0'])).toThrow(LoadUsageError);
    expect(() => parseLoadOptions(['--clients', '1.5'])).toThrow(LoadUsageError);
  });
});
