/**
 * The load run's checks on the published checkpoints, made from the anchors table with the
 * core's own verifiers: each checkpoint co-signed by both parties for this log, each proven
 * consistent with the one before it, and the last one covering the whole ledger with the
 * root its records give.
 */
import { bytesToHex, hexToBytes } from '../../core/encoding';
import type { AnchorState } from '../../core/anchor/ports';
import { verifyCheckpoint } from '../../core/checkpoint/signed-checkpoint';
import { verifyConsistency } from '../../core/merkle/consistency';
import { recordLeafHash } from '../../core/merkle/hasher';
import { treeRoot } from '../../core/merkle/tree';
import type { LedgerRecord } from '../../core/types';
import type { LocalDeployment } from '../local-runtime/local-deployment';
import { partyNoteKeys } from '../local-runtime/party-note-keys';

/** Why `anchor` does not follow from `previous` (size 0, empty root, before the first). */
function inconsistency(anchor: AnchorState, previous: AnchorState | undefined): string | null {
  const previousSize = previous?.treeSize ?? 0;
  if (anchor.previousTreeSize !== previousSize)
    return `checkpoint ${anchor.treeSize} names previous size ${anchor.previousTreeSize}, the one before is ${previousSize}`;
  if (!previous) return null;
  try {
    verifyConsistency({
      firstSize: previous.treeSize,
      secondSize: anchor.treeSize,
      firstRoot: hexToBytes(previous.rootHash),
      secondRoot: hexToBytes(anchor.rootHash),
      proof: anchor.consistencyProof.map((h) => hexToBytes(h)),
    });
    return null;
  } catch (error) {
    return `checkpoint ${anchor.treeSize} is not consistent with ${previous.treeSize}: ${String(error)}`;
  }
}

/** Problems with the checkpoints, none when all hold. `anchors` oldest first. */
export async function checkpointProblems(
  deployment: LocalDeployment,
  anchors: readonly AnchorState[],
  records: readonly LedgerRecord[],
): Promise<string[]> {
  const keys = await partyNoteKeys(deployment);
  const problems: string[] = [];
  for (const [i, anchor] of anchors.entries()) {
    await verifyCheckpoint(anchor.checkpointNote, keys, deployment.origin).catch((error) =>
      problems.push(`checkpoint ${anchor.treeSize}: ${String(error)}`),
    );
    const problem = inconsistency(anchor, anchors[i - 1]);
    if (problem) problems.push(problem);
  }
  const latest = anchors.at(-1);
  if (latest?.treeSize !== records.length)
    problems.push(`latest checkpoint size ${latest?.treeSize ?? 'none'}, ledger ${records.length}`);
  else if (
    bytesToHex(treeRoot(records.map((r) => recordLeafHash(r.recordHash)))) !== latest.rootHash
  )
    problems.push(`latest checkpoint root ${latest.rootHash} is not the ledger's root`);
  return problems;
}
