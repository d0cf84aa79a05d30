/**
 * proveInclusion and proveConsistency for the auditor: proofs computed from the ledger's own
 * records against stored, co-signed checkpoints, and verified before they are returned.
 */
import type { AnchorState, AnchorReader } from '../anchor/ports';
import { verifyCheckpoint } from '../checkpoint/signed-checkpoint';
import { bytesToHex, hexToBytes } from '../encoding';
import { LedgerError } from '../errors';
import { consistencyProof, verifyConsistency } from '../merkle/consistency';
import { inclusionProof, verifyInclusion } from '../merkle/inclusion';
import type { LedgerReader } from '../ports/ledger';
import type { AuditTrust } from './audit-trust';
import { ledgerLeaves } from './ledger-leaves';

export interface InclusionProofResult {
  readonly seq: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly proof: string[];
  readonly rootHash: string;
  readonly checkpoint: string;
}

export interface ConsistencyProofResult {
  readonly fromSize: number;
  readonly toSize: number;
  readonly proof: string[];
  readonly fromCheckpoint: string;
  readonly toCheckpoint: string;
}

/**
 * The stored checkpoint of exactly `treeSize`, or the latest when `treeSize` is undefined,
 * after checking that its note is co-signed by both parties and names the same size and root
 * as the stored fields the proofs are computed against (those fields are not signed).
 */
export async function checkpointAt(
  anchors: AnchorReader,
  trust: AuditTrust,
  treeSize?: number,
): Promise<AnchorState> {
  const anchor =
    treeSize === undefined ? await anchors.latest() : (await anchors.list(treeSize, treeSize))[0];
  if (!anchor)
    throw new LedgerError(
      'TREE_SIZE_INVALID',
      `no checkpoint ${treeSize === undefined ? 'yet' : `of size ${treeSize}`}`,
      { treeSize },
    );
  const signed = await verifyCheckpoint(anchor.checkpointNote, trust.noteKeys, trust.origin);
  if (signed.treeSize !== anchor.treeSize || bytesToHex(signed.rootHash) !== anchor.rootHash) {
    throw new LedgerError(
      'CHECKPOINT_MALFORMED',
      `stored size or root differs from signed checkpoint ${signed.treeSize}`,
      { treeSize: anchor.treeSize },
    );
  }
  return anchor;
}

export interface ProofDeps {
  readonly ledger: LedgerReader;
  readonly anchors: AnchorReader;
  readonly trust: AuditTrust;
}

export async function proveInclusion(
  deps: ProofDeps,
  request: { readonly seq: number; readonly treeSize?: number },
): Promise<InclusionProofResult> {
  const anchor = await checkpointAt(deps.anchors, deps.trust, request.treeSize);
  if (request.seq >= anchor.treeSize) {
    throw new LedgerError(
      'TREE_SIZE_INVALID',
      `record ${request.seq} is not in checkpoint ${anchor.treeSize} yet`,
      { seq: request.seq },
    );
  }
  const leaves = await ledgerLeaves(deps.ledger, anchor.treeSize);
  const proof = inclusionProof(leaves, request.seq);
  const leafHash = leaves[request.seq]!;
  verifyInclusion({
    leafIndex: request.seq,
    treeSize: anchor.treeSize,
    leafHash,
    proof,
    root: hexToBytes(anchor.rootHash),
  });
  return {
    seq: request.seq,
    treeSize: anchor.treeSize,
    leafHash: bytesToHex(leafHash),
    proof: proof.map((node) => bytesToHex(node)),
    rootHash: anchor.rootHash,
    checkpoint: anchor.checkpointNote,
  };
}

export async function proveConsistency(
  deps: ProofDeps,
  request: { readonly fromSize: number; readonly toSize: number },
): Promise<ConsistencyProofResult> {
  const [from, to] = [
    await checkpointAt(deps.anchors, deps.trust, request.fromSize),
    await checkpointAt(deps.anchors, deps.trust, request.toSize),
  ];
  const leaves = await ledgerLeaves(deps.ledger, to.treeSize);
  const proof = consistencyProof(leaves, from.treeSize);
  verifyConsistency({
    firstSize: from.treeSize,
    secondSize: to.treeSize,
    firstRoot: hexToBytes(from.rootHash),
    secondRoot: hexToBytes(to.rootHash),
    proof,
  });
  return {
    fromSize: from.treeSize,
    toSize: to.treeSize,
    proof: proof.map((node) => bytesToHex(node)),
    fromCheckpoint: from.checkpointNote,
    toCheckpoint: to.checkpointNote,
  };
}
