/**
 * One party's checkpoint co-signer: the party acts as a witness of the ledger
 * (c2sp.org/tlog-witness), so that no checkpoint counts unless each party has checked it
 * against what it co-signed before. The anchor proposes; the co-signer
 *
 *  1. serves one origin and answers only for the checkpoint it holds (oldSize must be its
 *     size: COSIGN_STALE_OLD_SIZE carries its size, like tlog-witness's 409), and never signs a
 *     smaller tree (COSIGN_TREE_SHRINK) or another tree of its size (COSIGN_FORK);
 *  2. verifies the consistency proof from its own state to the proposed tree;
 *  3. reads the new records itself and accepts only genuine ones (new-records.ts);
 *  4. recomputes the root from its own frontier and those records (ROOT_MISMATCH): the proof
 *     alone says the trees agree, the recomputation says the new leaves are these records;
 *  5. signs the C2SP checkpoint text with its own key, one signature line;
 *  6. saves its new state conditionally, and returns the line only if that write won: a
 *     signature never leaves for a checkpoint the party does not remember.
 *
 * The signature is an ordinary signed-note line (type 0x02, ECDSA P-256) over the checkpoint
 * text, not a tlog-cosignature/v1 line: the parties' KMS keys are ECDSA keys, and the ledger's
 * verifiers (verifyCheckpoint) already require exactly these lines from both parties.
 *
 * A proposal of the size the co-signer holds, with the same root and an empty proof, is
 * answered with a fresh signature over the same text and no state write (tlog-witness allows
 * equal sizes). That lets an anchor that got one party's line but not the other's ask again
 * instead of waiting for new records; it signs nothing the party has not signed already.
 */
import { signNoteLine, type NoteSigner } from '../checkpoint/signed-note';
import { bytesToHex, hexToBytes } from '../encoding';
import { LedgerError, isLedgerError } from '../errors';
import { requireSameRoot } from '../merkle/checks';
import { appendLeaves, compactRangeRoot } from '../merkle/compact-range';
import { verifyConsistency } from '../merkle/consistency';
import type { TrustedParties } from '../party-signatures';
import type { Clock } from '../ports/clock';
import type { PartyRole } from '../types';
import { parseCosignRequest, type CosignRequest } from './cosign-request';
import { checkedState, checkpointText, type CosignerTip } from './cosigner-tip';
import { verifiedNewRecords } from './new-records';
import type { AttestationMemory, CosignerState, CosignerStateStore, RecordSource } from './ports';

export interface CosignCheckpointDeps {
  /** The party this co-signer speaks for; its note signer must be that party's. */
  readonly role: PartyRole;
  /** The party's checkpoint key: key name (e.g. `<origin>/agency`), public key, KMS signer. */
  readonly noteSigner: NoteSigner;
  /** Both parties' attestation keys: every new record must carry both valid approvals. */
  readonly trusted: TrustedParties;
  /** The one log this co-signer serves. */
  readonly origin: string;
  readonly state: CosignerStateStore;
  readonly records: RecordSource;
  /** What this party remembers signing; when given, every new record must match it. */
  readonly memory?: AttestationMemory | null;
  readonly clock: Clock;
  /** Most records one request may add (COSIGN_TOO_MANY_RECORDS beyond): bounds the work. */
  readonly maxNewRecords: number;
  /** Records read per page; bounds memory. Default 1000. */
  readonly pageSize?: number;
}

export interface Cosignature {
  /** "— <key name> <base64>" (no newline): this party's signature over the checkpoint text. */
  readonly signatureLine: string;
  /** The state as saved: the checkpoint this line signs. */
  readonly state: CosignerState;
}

const DEFAULT_PAGE_SIZE = 1000;

function requireDeps(deps: CosignCheckpointDeps): void {
  if (deps.noteSigner.signer.role !== deps.role) {
    throw new LedgerError(
      'INVALID_INPUT',
      `the ${deps.role} co-signer holds a ${deps.noteSigner.signer.role} key`,
    );
  }
  for (const [name, value] of [
    ['maxNewRecords', deps.maxNewRecords],
    ['pageSize', deps.pageSize ?? DEFAULT_PAGE_SIZE],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new LedgerError('INVALID_INPUT', `${name} must be a positive integer`, {
        [name]: value,
      });
    }
  }
}

/** Rules on sizes alone, checked before any hashing or reading. */
function requireSuccessor(
  current: CosignerTip,
  proposal: CosignRequest,
  deps: CosignCheckpointDeps,
): void {
  const { treeSize } = proposal.checkpoint;
  if (proposal.origin !== deps.origin) {
    throw new LedgerError('CHECKPOINT_MALFORMED', 'checkpoint is for another log', {
      expected: deps.origin,
      actual: proposal.origin,
    });
  }
  if (proposal.oldSize !== current.treeSize) {
    throw new LedgerError(
      'COSIGN_STALE_OLD_SIZE',
      `this party co-signed size ${current.treeSize}, not ${proposal.oldSize}`,
      {
        treeSize: current.treeSize,
        oldSize: proposal.oldSize,
      },
    );
  }
  if (treeSize < current.treeSize) {
    throw new LedgerError(
      'COSIGN_TREE_SHRINK',
      `tree of ${treeSize} is smaller than the co-signed ${current.treeSize}`,
      {
        treeSize: current.treeSize,
        proposedSize: treeSize,
      },
    );
  }
  if (treeSize - current.treeSize > deps.maxNewRecords) {
    throw new LedgerError(
      'COSIGN_TOO_MANY_RECORDS',
      `at most ${deps.maxNewRecords} new records per request`,
      {
        treeSize: current.treeSize,
        proposedSize: treeSize,
        maxNewRecords: deps.maxNewRecords,
      },
    );
  }
}

/** The proposal has the co-signed size: the same checkpoint again, or a fork. */
async function cosignAgain(
  current: CosignerTip,
  stored: CosignerState | null,
  proposal: CosignRequest,
  deps: CosignCheckpointDeps,
): Promise<Cosignature> {
  const { rootHash } = proposal.checkpoint;
  if (rootHash !== current.rootHash) {
    throw new LedgerError('COSIGN_FORK', `another tree of size ${current.treeSize} was co-signed`, {
      treeSize: current.treeSize,
      cosignedRoot: current.rootHash,
      proposedRoot: rootHash,
    });
  }
  if (stored === null || current.cosignedNote === null) {
    throw new LedgerError('COSIGN_NOT_NEWER', 'nothing to co-sign: the tree is empty', {
      treeSize: 0,
    });
  }
  if (proposal.consistencyProof.length !== 0) {
    throw new LedgerError(
      'CONSISTENCY_PROOF_INVALID',
      'a proof between equal trees must be empty',
      {
        actualLength: proposal.consistencyProof.length,
      },
    );
  }
  return {
    signatureLine: await signNoteLine(current.cosignedNote, deps.noteSigner),
    state: stored,
  };
}

/** Step 2: the proof from the co-signed tree to the proposed one (tlog-witness's 422). */
function requireConsistent(current: CosignerTip, proposal: CosignRequest): void {
  try {
    verifyConsistency({
      firstSize: current.treeSize,
      secondSize: proposal.checkpoint.treeSize,
      firstRoot: hexToBytes(current.rootHash),
      secondRoot: hexToBytes(proposal.checkpoint.rootHash),
      proof: proposal.consistencyProof.map(hexToBytes),
    });
  } catch (cause) {
    if (!isLedgerError(cause)) throw cause;
    throw new LedgerError(
      'CONSISTENCY_PROOF_INVALID',
      `proof from ${current.treeSize} to ${proposal.checkpoint.treeSize} fails: ${cause.message}`,
      {
        treeSize: current.treeSize,
        proposedSize: proposal.checkpoint.treeSize,
        reason: cause.code,
      },
      { cause },
    );
  }
}

/**
 * Co-signs the proposed checkpoint if it extends what this party co-signed before with
 * genuine records, and returns this party's signature line and its saved state. Throws a
 * LedgerError otherwise (codes in the file comment; the request itself: INVALID_INPUT).
 */
export async function cosignCheckpoint(
  request: unknown,
  deps: CosignCheckpointDeps,
): Promise<Cosignature> {
  requireDeps(deps);
  const proposal = parseCosignRequest(request);
  const stored = await deps.state.load();
  const current = checkedState(stored, deps.origin);
  requireSuccessor(current, proposal, deps);
  const { treeSize, rootHash } = proposal.checkpoint;
  if (treeSize === current.treeSize) return cosignAgain(current, stored, proposal, deps);

  requireConsistent(current, proposal);
  const { leaves, lastRecordHash } = await verifiedNewRecords(
    { nextSeq: current.treeSize, lastHash: current.lastRecordHash },
    treeSize,
    {
      records: deps.records,
      trusted: deps.trusted,
      memory: deps.memory ?? null,
      pageSize: deps.pageSize ?? DEFAULT_PAGE_SIZE,
    },
  );
  const compactRange = appendLeaves(current.compactRange, leaves);
  const root = compactRangeRoot(compactRange);
  requireSameRoot(hexToBytes(rootHash), root, { treeSize });

  const cosignedNote = checkpointText(deps.origin, treeSize, rootHash);
  const signatureLine = await signNoteLine(cosignedNote, deps.noteSigner);
  const next: CosignerState = {
    treeSize,
    rootHash: bytesToHex(root),
    compactRange,
    lastRecordHash,
    cosignedNote,
    updatedAt: deps.clock.now().toISOString(),
  };
  if ((await deps.state.advance(stored, next)) === 'conflict') {
    throw new LedgerError(
      'COSIGN_STATE_CONFLICT',
      "another co-signing request advanced this party's state first",
      {
        treeSize: current.treeSize,
        proposedSize: treeSize,
      },
    );
  }
  return { signatureLine, state: next };
}
