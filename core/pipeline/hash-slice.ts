/**
 * One slice of a party's own SHA-256 of an object version, the step both parties' hashers
 * take: hash as far as the budget allows, and if the object is not done, save where the digest
 * stopped in the party's own state and send the continuation, but only from the invocation
 * whose save won, so a slice is never hashed twice and the digest never forks.
 */
import type { DepositDraft } from '../types';
import type {
  ObjectDigest,
  HashCheckpoint,
  WorkBudget,
  EvidenceObjects,
} from '../ports/evidence-objects';
import type { PartyStateStore } from '../ports/party-state';
import type { Clock } from '../ports/clock';
import type { StageQueue } from './stage-queue';

export interface HashSliceDeps {
  readonly objects: EvidenceObjects;
  readonly party: Pick<PartyStateStore, 'saveHashProgress'>;
  readonly clock: Clock;
  /** Where the continuation goes: the party's own hashing queue. */
  readonly continueOn: StageQueue;
}

export type HashSlice =
  | { readonly kind: 'done'; readonly digest: ObjectDigest }
  /** Not done: `continued` when this invocation saved the checkpoint and sent the continuation. */
  | { readonly kind: 'partial'; readonly checkpoint: HashCheckpoint; readonly continued: boolean }
  /** The version is gone (deleted before it could be hashed). */
  | { readonly kind: 'gone' };

export async function hashSlice(
  draft: DepositDraft,
  resumeFrom: HashCheckpoint | null,
  deps: HashSliceDeps,
  budget: WorkBudget,
): Promise<HashSlice> {
  const step = await deps.objects.digest({ ref: draft, size: draft.size, resumeFrom, budget });
  if (!step) return { kind: 'gone' };
  if (step.kind === 'done') return { kind: 'done', digest: step.digest };
  const at = deps.clock.now();
  const saved = await deps.party.saveHashProgress(draft, resumeFrom, step.checkpoint, at);
  if (saved === 'saved') await deps.continueOn.send(draft.depositId);
  return { kind: 'partial', checkpoint: step.checkpoint, continued: saved === 'saved' };
}
