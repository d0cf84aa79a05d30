/**
 * SHA-256 of an object version within one invocation's budget (time, and bytes when a test
 * asks for it). The rest of the object, if any, is left for a later invocation as a
 * checkpoint: offset and exported SHA-256 state.
 *
 * The fast path (Node's OpenSSL SHA-256, which cannot export its state) is taken when the
 * whole object fits the budget at a conservative read rate; otherwise the exportable
 * hash-wasm SHA-256 hashes it from byte 0. A fast path that runs out of time after all gives
 * up its work and hands over a fresh exportable state at offset 0. Why: docs/PERFORMANCE.md.
 */
import { LedgerError } from '../../core/errors';
import type { DigestRequest, DigestStep, WorkBudget } from '../../core/ports/evidence-objects';
import { readParts, type RangeSource, type RangedReadOptions } from './ranged-reads';
import { nodeSha256, resumableSha256, type Sha256Stream } from './sha256-hashers';

export interface DigestTuning extends RangedReadOptions {
  /** Most bytes one invocation hashes (tests force several invocations with a small one). */
  readonly maxBytesPerInvocation: number;
  /** Read-and-hash rate assumed when deciding whether the whole object fits the time budget. */
  readonly fastPathBytesPerSecond: number;
}

const MiB = 1024 * 1024;

/** 8 parts of 8 MiB in flight: 64 MiB buffered at most (the hasher has 1024 MiB). */
export const DEFAULT_DIGEST_TUNING: DigestTuning = {
  partBytes: 8 * MiB,
  concurrency: 8,
  maxBytesPerInvocation: Number.POSITIVE_INFINITY,
  fastPathBytesPerSecond: 100 * MiB,
};

const outOfTime = (budget: WorkBudget) => budget.remainingMs() <= 0;

function fitsFastPath(bytes: number, budget: WorkBudget, tuning: DigestTuning): boolean {
  return (
    bytes <= tuning.maxBytesPerInvocation &&
    (bytes / tuning.fastPathBytesPerSecond) * 1000 <= budget.remainingMs()
  );
}

/** Feeds [from, to) into `hash`; returns the offset reached when the budget ran out first. */
async function hashRange(
  source: RangeSource,
  hash: Sha256Stream,
  from: number,
  to: number,
  options: { readonly tuning: DigestTuning; readonly budget: WorkBudget },
): Promise<number> {
  let offset = from;
  for await (const part of readParts(source, from, to, options.tuning)) {
    hash.update(part);
    offset += part.byteLength;
    // At least one part per invocation, so that every slice makes progress.
    if (offset < to && outOfTime(options.budget)) break;
  }
  return offset;
}

async function fastPath(
  source: RangeSource,
  request: DigestRequest,
  tuning: DigestTuning,
): Promise<DigestStep> {
  const hash = nodeSha256();
  const reached = await hashRange(source, hash, 0, request.size, {
    tuning,
    budget: request.budget,
  });
  if (reached === request.size)
    return { kind: 'done', digest: { sha256: hash.digestHex(), size: reached } };
  const fresh = await resumableSha256(null);
  return { kind: 'partial', checkpoint: { offset: 0, state: fresh.save() } };
}

async function resumablePath(
  source: RangeSource,
  request: DigestRequest,
  tuning: DigestTuning,
): Promise<DigestStep> {
  const from = request.resumeFrom?.offset ?? 0;
  if (from > request.size) {
    throw new LedgerError(
      'STORAGE_ITEM_CORRUPT',
      `hash checkpoint at ${from} is past the object's ${request.size} bytes`,
      { ...request.ref, from },
    );
  }
  const hash = await resumableSha256(request.resumeFrom?.state ?? null).catch((cause: unknown) => {
    throw new LedgerError(
      'STORAGE_ITEM_CORRUPT',
      'stored SHA-256 state cannot be loaded',
      { ...request.ref, from },
      { cause },
    );
  });
  const to = Math.min(request.size, from + tuning.maxBytesPerInvocation);
  const reached = await hashRange(source, hash, from, to, { tuning, budget: request.budget });
  if (reached === request.size)
    return { kind: 'done', digest: { sha256: hash.digestHex(), size: reached } };
  return { kind: 'partial', checkpoint: { offset: reached, state: hash.save() } };
}

export function digestWithinBudget(
  source: RangeSource,
  request: DigestRequest,
  tuning: DigestTuning = DEFAULT_DIGEST_TUNING,
): Promise<DigestStep> {
  return request.resumeFrom === null && fitsFastPath(request.size, request.budget, tuning)
    ? fastPath(source, request, tuning)
    : resumablePath(source, request, tuning);
}

/** Throws DIGEST_MISMATCH unless the stored object has the size the caller expects. */
export function requireObjectSize(actual: number, expected: number): void {
  if (actual !== expected) {
    throw new LedgerError(
      'DIGEST_MISMATCH',
      `the stored object has ${actual} bytes, not ${expected}`,
      { actual, expected },
    );
  }
}

/** A RangeSource over bytes in memory, expected to be `size` long (tests, benchmark). */
export function memoryRangeSource(bytes: Uint8Array, size: number): RangeSource {
  return {
    read: (start, end) => {
      requireObjectSize(bytes.byteLength, size);
      return Promise.resolve(bytes.subarray(start, end));
    },
  };
}
