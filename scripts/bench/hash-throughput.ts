/** (a) The hasher's own digest code over a 1 GiB local stream, both paths, against openssl. */
import { digestWithinBudget, DEFAULT_DIGEST_TUNING } from '../../functions/shared/budgeted-digest';
import { UNLIMITED_BUDGET, type DigestRequest } from '../../core/ports/evidence-objects';
import type { RangeSource } from '../../functions/shared/ranged-reads';
import { resumableSha256 } from '../../functions/shared/sha256-hashers';
import { deterministicCopies, deterministicViews } from './deterministic-object';
import { opensslSha256BytesPerSecond } from './machine';

export interface HashThroughput {
  readonly bytes: number;
  readonly opensslMBps: number;
  readonly fastPathMBps: number;
  /** The fast path again, each part first copied into a pooled buffer as the S3 adapter does. */
  readonly fastPathWithCopyMBps: number;
  readonly resumablePathMBps: number;
  readonly fastPathRatio: number;
  readonly resumablePathRatio: number;
}

const MB = 1e6;
const ref = { bucket: 'bench', key: 'stream', versionId: 'v1' };

async function timeDigest(source: RangeSource, request: DigestRequest): Promise<number> {
  const started = performance.now();
  const step = await digestWithinBudget(source, request, DEFAULT_DIGEST_TUNING);
  if (step.kind !== 'done') throw new Error('the digest did not finish');
  return (performance.now() - started) / 1000;
}

export async function measureHashThroughput(bytes = 2 ** 30): Promise<HashThroughput> {
  const opensslMBps = opensslSha256BytesPerSecond() / MB;
  const request = { ref, size: bytes, resumeFrom: null, budget: UNLIMITED_BUDGET };
  const fast = await timeDigest(deterministicViews, request);
  const withCopy = await timeDigest(deterministicCopies, request);
  // A checkpoint at offset 0 with a fresh state forces the exportable (hash-wasm) path.
  const fresh = (await resumableSha256(null)).save();
  const slow = await timeDigest(deterministicViews, {
    ...request,
    resumeFrom: { offset: 0, state: fresh },
  });
  const fastPathMBps = bytes / fast / MB;
  const resumablePathMBps = bytes / slow / MB;
  return {
    bytes,
    opensslMBps,
    fastPathMBps,
    fastPathWithCopyMBps: bytes / withCopy / MB,
    resumablePathMBps,
    fastPathRatio: fastPathMBps / opensslMBps,
    resumablePathRatio: resumablePathMBps / opensslMBps,
  };
}
