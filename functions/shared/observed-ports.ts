/**
 * Ports that report what passes through them, so the shells count what the pure core did
 * without the core knowing of metrics: every failure a stage records (whatever the code path
 * that decided it), the age of every pending deposit a stage reads, the bytes it hashes.
 */
import type { Clock } from '../../core/ports/clock';
import type { DepositWriter } from '../../core/ports/deposits';
import type { EvidenceObjects } from '../../core/ports/evidence-objects';
import { DIMENSION, METRIC } from '../../definitions/observability';
import type { FunctionMetrics } from './metrics';

/** Counts FailedDeposits by code and reports PendingDepositAge for each pending deposit read. */
export function observedDeposits(
  store: DepositWriter,
  metrics: FunctionMetrics,
  clock: Clock,
): DepositWriter {
  return {
    async get(depositId) {
      const state = await store.get(depositId);
      if (state?.status.startsWith('PENDING_') && 'deposit' in state) {
        const ageMs = clock.now().getTime() - Date.parse(state.deposit.uploadedAt);
        if (Number.isFinite(ageMs))
          metrics.seconds(METRIC.pendingDepositAge, Math.max(0, ageMs / 1000));
      }
      return state;
    },
    create: (...args) => store.create(...args),
    addSignature: (...args) => store.addSignature(...args),
    async fail(state, at) {
      await store.fail(state, at);
      metrics.count(METRIC.failedDeposits, 1, { [DIMENSION.failureCode]: state.failure.code });
    },
  };
}

/** Reports BytesHashed: the bytes each digest step read, resumed slices counted once. */
export function observedObjects(
  objects: EvidenceObjects,
  metrics: FunctionMetrics,
): EvidenceObjects {
  return {
    versionsMatching: (...args) => objects.versionsMatching(...args),
    head: (...args) => objects.head(...args),
    async digest(request) {
      const step = await objects.digest(request);
      const end = step?.kind === 'done' ? step.digest.size : step?.checkpoint.offset;
      const hashed = end === undefined ? 0 : end - (request.resumeFrom?.offset ?? 0);
      if (hashed > 0) metrics.bytes(METRIC.bytesHashed, hashed);
      return step;
    },
  };
}
