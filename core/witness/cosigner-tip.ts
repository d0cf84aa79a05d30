/**
 * The checkpoint a co-signer holds, checked before it is extended: the stored state must parse,
 * its frontier must reproduce its root, and the text it says it co-signed must be that
 * checkpoint of this log. Before the first co-signature the co-signer holds the empty tree.
 */
import { formatCheckpoint } from '../checkpoint/checkpoint';
import { bytesToHex, hexToBytes } from '../encoding';
import { LedgerError, isLedgerError } from '../errors';
import { compactRangeRoot, EMPTY_COMPACT_RANGE } from '../merkle/compact-range';
import { rfc9162Hasher } from '../merkle/hasher';
import { GENESIS_PREV_HASH } from '../types';
import { parseCosignerState } from './cosigner-state-schema';
import type { CosignerState } from './ports';

/** A co-signer's state without its timestamp: what the rules look at. */
export type CosignerTip = Omit<CosignerState, 'updatedAt'>;

export const EMPTY_TIP: CosignerTip = {
  treeSize: 0,
  rootHash: bytesToHex(rfc9162Hasher.emptyRoot()),
  compactRange: EMPTY_COMPACT_RANGE,
  lastRecordHash: GENESIS_PREV_HASH,
  cosignedNote: null,
};

function invalid(message: string, cause?: unknown): LedgerError {
  return new LedgerError('COSIGN_STATE_INVALID', `co-signer state: ${message}`, {}, { cause });
}

/** The C2SP checkpoint text a co-signer signs for this tree of `origin` (no extension lines). */
export function checkpointText(origin: string, treeSize: number, rootHash: string): string {
  return formatCheckpoint({ origin, treeSize, rootHash: hexToBytes(rootHash), extensions: [] });
}

/** The tip of `stored` (EMPTY_TIP for null); throws COSIGN_STATE_INVALID if it does not hold together. */
export function checkedState(stored: CosignerState | null, origin: string): CosignerTip {
  if (stored === null) return EMPTY_TIP;
  let tip: CosignerTip;
  try {
    tip = parseCosignerState(stored);
  } catch (cause) {
    if (!isLedgerError(cause)) throw cause;
    throw invalid(cause.message, cause);
  }
  if (tip.compactRange.size !== tip.treeSize) throw invalid('frontier size differs from tree size');
  let root: string;
  try {
    root = bytesToHex(compactRangeRoot(tip.compactRange));
  } catch (cause) {
    throw invalid('frontier is malformed', cause);
  }
  if (root !== tip.rootHash) throw invalid('frontier does not reproduce the root');
  if (tip.treeSize === 0 && tip.lastRecordHash !== GENESIS_PREV_HASH)
    throw invalid('empty tree links to a record');
  const expected = tip.treeSize === 0 ? null : checkpointText(origin, tip.treeSize, tip.rootHash);
  if (tip.cosignedNote !== expected)
    throw invalid('co-signed text is not this checkpoint of this log');
  return tip;
}
