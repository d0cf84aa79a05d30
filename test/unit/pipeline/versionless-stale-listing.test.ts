/**
 * Found by the fault simulator (seed 1003 with --steps 800, docs/SIMULATION.md): a notice
 * without versionId is resolved to the oldest matching version not yet deposited, so notices
 * of later identical uploads may take an older version first. A notice whose listing was made
 * before those later uploads then found every version it listed taken, reported a duplicate,
 * and the newest version was never deposited.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { depositIdFor } from '../../../core/deposit-id';
import { registerDeposit } from '../../../core/pipeline/register-deposit';
import type { EvidenceObjects } from '../../../core/ports/evidence-objects';
import { BUCKET, createPipeline, noticeFor, registerDeps, type Pipeline } from './fixtures';

let p: Pipeline;
beforeEach(async () => {
  p = await createPipeline();
});

/** The bucket as a notice saw it when it listed first: later versions not there yet. */
function listedBefore(objects: EvidenceObjects, visible: readonly string[]): EvidenceObjects {
  let listings = 0;
  return {
    head: (ref) => objects.head(ref),
    digest: (request) => objects.digest(request),
    async versionsMatching(bucket, key, eTag, size) {
      const all = await objects.versionsMatching(bucket, key, eTag, size);
      return listings++ === 0 ? all.filter((v) => visible.includes(v)) : all;
    },
  };
}

describe('when a notice without versionId listed its key before two later identical uploads', () => {
  it('registers the version the later notices left, so every version gets a deposit', async () => {
    const first = p.objects.put(BUCKET, 'k', 'same bytes');
    const second = p.objects.put(BUCKET, 'k', 'same bytes');
    const third = p.objects.put(BUCKET, 'k', 'same bytes');
    const versionless = (upload: typeof first) => noticeFor(upload, { versionId: null });
    // The later notices run first and each takes the oldest version not yet deposited.
    expect(await registerDeposit(versionless(second), registerDeps(p))).toMatchObject({
      depositId: depositIdFor(first),
    });
    expect(await registerDeposit(versionless(third), registerDeps(p))).toMatchObject({
      depositId: depositIdFor(second),
    });

    const stale = { ...registerDeps(p), objects: listedBefore(p.objects, [first.versionId]) };
    const outcome = await registerDeposit(versionless(first), stale);

    expect(outcome).toEqual({ kind: 'registered', depositId: depositIdFor(third) });
    expect(
      p.deposits
        .all()
        .map((d) => d.depositId)
        .sort(),
    ).toEqual([first, second, third].map((v) => depositIdFor(v)).sort());
  });
});
