/**
 * proveInclusion and proveConsistency for the auditor: proofs computed from the tiled log
 * (at most 2 tiles per level, core/tlog/tile-proofs.ts) against stored, co-signed checkpoints,
 * and verified against their signed roots before they are returned, since tiles may lie.
 * Only a log without the needed tiles sends them to the full ledger (ledger-fallback.ts).
 */
import type { AnchorState, AnchorReader } from '../anchor/ports';
import { verifyCheckpoint } from '../checkpoint/signed-checkpoint';
import { bytesToHex, hexToBytes } from '../encoding';
import { LedgerError } from '../errors';
import { consistencyProof, verifyConsistency } from '../merkle/consistency';
import { inclusionProof, verifyInclusion } from '../merkle/inclusion';
import type { LedgerReader } from '../ports/ledger';
import type { TileLog } from '../ports/tile-log';
import {
  consistencyProofFromTiles,
  inclusionProofFromTiles,
  leafHashFromTiles,
} from '../tlog/tile-proofs';
import type { AuditTrust } from './audit-trust';
import { fromLogElseLedger } from './ledger-fallback';
import { ledgerLeaves } from './ledger-leaves';
import { logView } from './log-view';

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
  /** Read only when the log lacks the tiles (ledger-fallback.ts). */
  readonly ledger: LedgerReader;
  readonly log: TileLog;
  readonly anchors: AnchorReader;
  readonly trust: AuditTrust;
}

/** A leaf hash and its inclusion proof, not yet verified. */
export interface LeafProof {
  readonly leafHash: Uint8Array;
  readonly proof: Uint8Array[];
}

/**
 * The log as the tiles of trees up to the latest checkpoint's size, whose tiles the anchor
 * wrote before publishing it; `atLeast` is a size the caller already knows to be published.
 */
export async function publishedLog(
  deps: Pick<ProofDeps, 'log' | 'anchors'>,
  atLeast: number,
): Promise<TileLog> {
  const latest = await deps.anchors.latest();
  return logView(deps.log, Math.max(atLeast, latest?.treeSize ?? 0));
}

/** Leaf `seq` of the tree of `treeSize` and its proof, from the level-0 tile and the path's tiles. */
export async function inclusionFromLog(
  log: TileLog,
  seq: number,
  treeSize: number,
): Promise<LeafProof> {
  const [leafHash, proof] = await Promise.all([
    leafHashFromTiles(log, seq, treeSize),
    inclusionProofFromTiles(log, seq, treeSize),
  ]);
  return { leafHash, proof };
}

/** The pre-tiles path: every leaf of the ledger up to `treeSize` (ledger-fallback.ts). */
async function inclusionFromLedger(
  ledger: LedgerReader,
  seq: number,
  treeSize: number,
): Promise<LeafProof> {
  const leaves = await ledgerLeaves(ledger, treeSize);
  return { leafHash: leaves[seq]!, proof: inclusionProof(leaves, seq) };
}

/** Throws ROOT_MISMATCH (or INCLUSION_PROOF_INVALID) unless `leaf` is in `anchor`'s tree. */
export function requireIncluded(anchor: AnchorState, seq: number, leaf: LeafProof): void {
  verifyInclusion({
    leafIndex: seq,
    treeSize: anchor.treeSize,
    leafHash: leaf.leafHash,
    proof: leaf.proof,
    root: hexToBytes(anchor.rootHash),
  });
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
  const log =
    request.treeSize === undefined
      ? logView(deps.log, anchor.treeSize)
      : await publishedLog(deps, anchor.treeSize);
  const leaf = await fromLogElseLedger(
    () => inclusionFromLog(log, request.seq, anchor.treeSize),
    () => inclusionFromLedger(deps.ledger, request.seq, anchor.treeSize),
  );
  requireIncluded(anchor, request.seq, leaf);
  const { leafHash, proof } = leaf;
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
  const log = await publishedLog(deps, to.treeSize);
  const proof = await fromLogElseLedger(
    () => consistencyProofFromTiles(log, from.treeSize, to.treeSize),
    async () => consistencyProof(await ledgerLeaves(deps.ledger, to.treeSize), from.treeSize),
  );
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
