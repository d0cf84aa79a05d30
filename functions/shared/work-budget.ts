import type { Context } from 'aws-lambda';
import type { WorkBudget } from '../../core/ports/evidence-objects';

/**
 * Time left for hashing in this invocation: what Lambda says remains, less a reserve for
 * saving the checkpoint and sending the continuation (and for the last ranged GET in flight).
 */
export const HASHING_RESERVE_MS = 30_000;

export function invocationBudget(
  context: Context,
  reserveMs: number = HASHING_RESERVE_MS,
): WorkBudget {
  return { remainingMs: () => context.getRemainingTimeInMillis() - reserveMs };
}
