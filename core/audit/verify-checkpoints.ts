/**
 * The auditor's checks on the stored checkpoints: each is co-signed by both parties for this
 * origin, each is consistent with the one before (its stored proof verifies between the two
 * signed roots), each equals its WORM copy, and each timestamp token covers its note.
 */
import type { AnchorState, WormReader } from '../anchor/ports';
import { CHECKPOINT_PREFIX, treeSizeOfKey, wormKeysOf } from '../anchor/worm-keys';
import { verifyCheckpoint } from '../checkpoint/signed-checkpoint';
import { base64Decode, bytesToHex, hexToBytes, utf8Decode, utf8Encode } from '../encoding';
import { LedgerError, isDependencyError, isLedgerError } from '../errors';
import { sha256 } from '../hashing';
import { verifyConsistency } from '../merkle/consistency';
import type { AuditCheck, AuditFailure } from './audit-report';
import type { AuditTrust } from './audit-trust';
import type { SizedRoot } from './audit-state';

/** Checks an RFC 3161 token over `data` against the trusted TSA; throws TIMESTAMP_* codes. */
export interface TimestampVerifier {
  verify(tokenDer: Uint8Array, data: Uint8Array): Promise<void>;
}

async function failureOf(
  check: AuditCheck,
  treeSize: number,
  run: () => Promise<void> | void,
): Promise<AuditFailure | null> {
  try {
    await run();
    return null;
  } catch (error) {
    // A throttled or failed dependency is no finding about the checkpoint: the audit fails and is asked again.
    if (!isLedgerError(error) || isDependencyError(error)) throw error;
    return { check, code: error.code, treeSize, message: error.message };
  }
}

async function checkOne(
  anchor: AnchorState,
  previous: SizedRoot | null,
  trust: AuditTrust,
  worm: WormReader,
  timestamps: TimestampVerifier | null,
): Promise<AuditFailure[]> {
  const { treeSize } = anchor;
  const results = await Promise.all([
    failureOf('checkpoint-signature', treeSize, async () => {
      const checkpoint = await verifyCheckpoint(
        anchor.checkpointNote,
        trust.noteKeys,
        trust.origin,
      );
      if (checkpoint.treeSize !== treeSize || bytesToHex(checkpoint.rootHash) !== anchor.rootHash) {
        throw new LedgerError(
          'CHECKPOINT_MALFORMED',
          'stored size or root differs from the signed note',
          { treeSize },
        );
      }
    }),
    failureOf('checkpoint-consistency', treeSize, () => {
      // The first checkpoint extends the empty tree, whose root is SHA-256 of nothing.
      const firstRoot = previous ? hexToBytes(previous.rootHash) : sha256(new Uint8Array(0));
      verifyConsistency({
        firstSize: previous?.treeSize ?? 0,
        secondSize: treeSize,
        firstRoot,
        secondRoot: hexToBytes(anchor.rootHash),
        proof: anchor.consistencyProof.map((node) => hexToBytes(node)),
      });
    }),
    failureOf('checkpoint-worm-copy', treeSize, async () => {
      const copy = await worm.get(wormKeysOf(treeSize).checkpoint);
      if (!copy || utf8Decode(copy) !== anchor.checkpointNote) {
        throw new LedgerError(
          'CHECKPOINT_INCONSISTENT',
          copy ? 'checkpoint differs from its WORM copy' : 'WORM copy missing',
          { treeSize },
        );
      }
    }),
    failureOf('checkpoint-timestamp', treeSize, async () => {
      if (!anchor.timestampToken || !timestamps) return;
      await timestamps.verify(
        base64Decode(anchor.timestampToken),
        utf8Encode(anchor.checkpointNote),
      );
    }),
  ]);
  return results.filter((r): r is AuditFailure => r !== null);
}

/**
 * Every checkpoint ever published has a WORM copy, which nobody can delete: one without a
 * checkpoint in the table means history was removed from the table. `range` limits the
 * copies looked at to sizes in (after, upTo].
 */
async function wormCopiesWithoutCheckpoint(
  anchors: readonly AnchorState[],
  worm: WormReader,
  range: CheckpointRange,
): Promise<AuditFailure[]> {
  const inTable = new Set(anchors.map((a) => a.treeSize));
  const after = range.after ? wormKeysOf(range.after.treeSize).checkpoint : undefined;
  return (await worm.list(CHECKPOINT_PREFIX, after))
    .map(treeSizeOfKey)
    .filter(
      (size): size is number =>
        size !== null && size <= (range.upTo ?? Infinity) && !inTable.has(size),
    )
    .map((treeSize) => ({
      check: 'checkpoint-worm-copy' as const,
      code: 'CHECKPOINT_INCONSISTENT' as const,
      treeSize,
      message: `checkpoint ${treeSize} was published (WORM copy) but is missing from the anchors table`,
    }));
}

/** Which checkpoints a call verifies: all of them by default. */
export interface CheckpointRange {
  /** A checkpoint verified before, which the first of `anchors` must extend; null: the empty tree. */
  readonly after?: SizedRoot | null;
  /** Only WORM copies up to this size must be in the table (later ones may be in flight). */
  readonly upTo?: number;
}

/** Checks every checkpoint in `anchors`, oldest first, each against the one before. */
export async function verifyCheckpoints(
  anchors: readonly AnchorState[],
  trust: AuditTrust,
  worm: WormReader,
  timestamps: TimestampVerifier | null,
  range: CheckpointRange = {},
): Promise<AuditFailure[]> {
  const failures: AuditFailure[] = await wormCopiesWithoutCheckpoint(anchors, worm, range);
  let previous: SizedRoot | null = range.after ?? null;
  for (const anchor of anchors) {
    if (previous && anchor.previousTreeSize !== previous.treeSize) {
      failures.push({
        check: 'checkpoint-consistency',
        code: 'CHECKPOINT_INCONSISTENT',
        treeSize: anchor.treeSize,
        message: `checkpoint ${anchor.treeSize} does not follow ${previous.treeSize}`,
      });
    }
    failures.push(...(await checkOne(anchor, previous, trust, worm, timestamps)));
    previous = anchor;
  }
  return failures;
}
