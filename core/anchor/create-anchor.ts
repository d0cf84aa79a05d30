/**
 * One anchor run: commit the records appended since the last anchor to the Merkle tree and
 * publish a checkpoint co-signed by both parties, at a cost that grows with the new records
 * only (the tree's frontier is kept between runs). The anchor signs nothing itself: it
 * proposes the checkpoint to each party's co-signer (core/witness), which checks it against
 * the last checkpoint that party co-signed and the new records, and signs with its own key.
 *
 * Nothing is published unless it is proven consistent with the previous checkpoint: the new
 * records must link to the last anchored record and carry valid approvals, the stored
 * frontier must reproduce the previous root, and a consistency proof from the previous tree
 * to the new one must verify. Two runs racing publish at most one successor of a checkpoint.
 *
 * The tiled log's objects for the new records are written, and their root checked, before the
 * checkpoint is proposed; the log's `checkpoint` is replaced after it is published.
 */
import { base64Decode, base64Encode, bytesToHex, utf8Decode, utf8Encode } from '../encoding';
import { LedgerError, isLedgerError } from '../errors';
import { verifyLedgerRecords } from '../ledger-verification';
import { appendLeaves, compactRangeRoot, EMPTY_COMPACT_RANGE } from '../merkle/compact-range';
import { verifyConsistency } from '../merkle/consistency';
import { consistencyProofFromRange } from '../merkle/consistency-from-range';
import { recordLeafHash } from '../merkle/hasher';
import { TILE_WIDTH } from '../tlog/tile';
import { formatCheckpoint } from '../checkpoint/checkpoint';
import { ecdsaKeyId } from '../checkpoint/note-key';
import { verifyCheckpoint } from '../checkpoint/signed-checkpoint';
import { assembleNote } from '../checkpoint/signed-note';
import type { CompactRange } from '../merkle/compact-range';
import { MAX_RECORDS_PER_PROPOSAL, type CosignRequest } from '../witness/cosign-request';
import type { CheckpointCosigner } from './checkpoint-cosigner';
import type { TrustedParties } from '../party-signatures';
import type { Clock } from '../ports/clock';
import type { LedgerReader } from '../ports/ledger';
import { GENESIS_PREV_HASH, type LedgerRecord } from '../types';
import { AnchorLogWriter, publishedLogSize } from './anchor-log';
import type {
  AnchorState,
  AnchorStore,
  TileLogWriter,
  TimestampAuthority,
  WormStore,
} from './ports';
import { timestampCheckpoint, type CheckpointTimestamp } from './timestamp-reply';
import { CHECKPOINT_PREFIX, treeSizeOfKey, wormKeysOf } from './worm-keys';

export interface CreateAnchorDeps {
  readonly origin: string;
  readonly ledger: LedgerReader;
  readonly anchors: AnchorStore;
  readonly worm: WormStore;
  /** The tiled log under the anchor bucket's `log/`: written before each checkpoint is published. */
  readonly log: TileLogWriter;
  /** One co-signer per party, in PARTY_ROLES order. */
  readonly cosigners: readonly CheckpointCosigner[];
  readonly trusted: TrustedParties;
  readonly tsa: TimestampAuthority | null;
  readonly clock: Clock;
  /** Records read per page; bounds memory on large backlogs. */
  readonly pageSize?: number;
  /** Most new records one run anchors (default MAX_RECORDS_PER_PROPOSAL, what a co-signer accepts). */
  readonly maxNewRecords?: number;
}

export type AnchorOutcome =
  | {
      readonly kind: 'published';
      readonly anchor: AnchorState;
      readonly newRecords: number;
      readonly timestampRejected: CheckpointTimestamp['rejected'];
    }
  | { readonly kind: 'no-new-records'; readonly treeSize: number }
  | { readonly kind: 'lost-race'; readonly treeSize: number }
  /** The log was behind the anchors table and this run's cap ran out before it caught up. */
  | { readonly kind: 'log-catching-up'; readonly treeSize: number; readonly logSize: number };

const GENESIS_ANCHOR_BASE = {
  treeSize: 0,
  compactRange: EMPTY_COMPACT_RANGE,
  lastRecordHash: GENESIS_PREV_HASH,
};

function inconsistent(message: string, cause?: unknown): LedgerError {
  return new LedgerError('CHECKPOINT_INCONSISTENT', message, {}, { cause });
}

/** The stored frontier must reproduce the root the previous checkpoint was signed over. */
function requireFrontierMatches(previous: AnchorState): void {
  if (bytesToHex(compactRangeRoot(previous.compactRange)) !== previous.rootHash) {
    throw inconsistent(
      `stored frontier does not reproduce the root of checkpoint ${previous.treeSize}`,
    );
  }
}

function partyVerifiers(deps: CreateAnchorDeps) {
  return deps.cosigners.map((c) => ({
    role: c.role,
    name: c.keyName,
    keyId: ecdsaKeyId(c.publicKeySpki),
    publicKeySpki: c.publicKeySpki,
  }));
}

/**
 * The table's latest anchor is only a cache: it must be the genuine, co-signed checkpoint of
 * its size and root, or an administrator could point it back at an older state (or rewrite it)
 * and have the parties co-sign a rewritten history.
 */
async function requireGenuine(previous: AnchorState, deps: CreateAnchorDeps): Promise<void> {
  const verifiers = partyVerifiers(deps);
  let checkpoint;
  try {
    checkpoint = await verifyCheckpoint(previous.checkpointNote, verifiers, deps.origin);
  } catch (cause) {
    throw inconsistent(
      `the latest anchor's checkpoint ${previous.treeSize} is not co-signed by the parties`,
      cause,
    );
  }
  if (
    checkpoint.treeSize !== previous.treeSize ||
    bytesToHex(checkpoint.rootHash) !== previous.rootHash
  ) {
    throw inconsistent(
      `the latest anchor's size or root differs from its signed checkpoint ${checkpoint.treeSize}`,
    );
  }
}

/**
 * The WORM bucket is the authority on what was published: its newest checkpoint must be the
 * table's latest (or, after a crash before the copy was written, older than it).
 */
async function requireWormAgrees(previous: AnchorState | null, worm: WormStore): Promise<void> {
  // Only keys after the table's latest are listed: the cost stays flat as checkpoints accumulate.
  const after = previous ? wormKeysOf(previous.treeSize).checkpoint : undefined;
  const newer = (await worm.list(CHECKPOINT_PREFIX, after))
    .map(treeSizeOfKey)
    .filter((size) => size !== null);
  if (newer.length > 0) {
    throw inconsistent(
      `the WORM bucket holds checkpoint ${Math.max(...newer)}, the anchors table only ${previous?.treeSize ?? 'none'}`,
    );
  }
  if (!previous) return;
  // Missing after a crash before the copy was written: ensureWormCopies writes it next.
  const copy = await worm.get(wormKeysOf(previous.treeSize).checkpoint);
  if (copy && utf8Decode(copy) !== previous.checkpointNote) {
    throw inconsistent(
      `checkpoint ${previous.treeSize} in the anchors table differs from its WORM copy`,
    );
  }
}

/** The recordHash the record at `size` must link to. */
async function hashBefore(deps: CreateAnchorDeps, size: number, base: typeof GENESIS_ANCHOR_BASE) {
  if (size === base.treeSize) return base.lastRecordHash;
  if (size === 0) return GENESIS_PREV_HASH;
  const [record] = await deps.ledger.read(size - 1, size);
  if (!record) throw inconsistent(`ledger has no record ${size - 1}`);
  return record.recordHash;
}

/**
 * Reads and verifies the records from the log's size up to `toSize` page by page, writes the
 * log's objects for each page, and returns the leaf hashes of those from `fromSize` (the
 * anchor's base). Pages end on multiples of 256 so no partial tile is written mid-run.
 */
async function newLeaves(
  deps: CreateAnchorDeps,
  writer: AnchorLogWriter,
  fromSize: number,
  toSize: number,
  lastHash: string,
) {
  const pageSize = Math.max(
    TILE_WIDTH,
    Math.floor((deps.pageSize ?? 1024) / TILE_WIDTH) * TILE_WIDTH,
  );
  const leaves: Uint8Array[] = [];
  let start = { nextSeq: writer.size, lastHash };
  let last: LedgerRecord | undefined;
  for (let from = writer.size; from < toSize; from = writer.size) {
    const to = Math.min(toSize, (Math.floor(from / pageSize) + 1) * pageSize);
    const records = await deps.ledger.read(from, to);
    const verification = await verifyLedgerRecords(records, deps.trusted, { start });
    const first = verification.failures[0];
    if (first)
      throw inconsistent(`ledger fails ${first.code} at seq ${first.seq}: refusing to anchor it`);
    if (records.length !== to - from) throw inconsistent(`ledger has a gap after seq ${from}`);
    await writer.append(records);
    for (const record of records)
      if (record.seq >= fromSize) leaves.push(recordLeafHash(record.recordHash));
    start = verification.head;
    last = records.at(-1);
  }
  return { leaves, lastRecordHash: last?.recordHash ?? lastHash };
}

export async function createAnchor(deps: CreateAnchorDeps): Promise<AnchorOutcome> {
  const previous = await deps.anchors.latest();
  const base = previous ?? GENESIS_ANCHOR_BASE;
  if (previous) {
    requireFrontierMatches(previous);
    await requireGenuine(previous, deps);
  }
  await requireWormAgrees(previous, deps.worm);
  if (previous) await ensureWormCopies(previous, deps.worm);
  const head = await deps.ledger.head();
  if (head.nextSeq < base.treeSize)
    throw inconsistent(`ledger shrank from ${base.treeSize} to ${head.nextSeq} records`);
  const logSize = await publishedLogSize(deps.log, previous, (note) =>
    verifyCheckpoint(note, partyVerifiers(deps), deps.origin),
  );
  if (previous && logSize < previous.treeSize) {
    // The log is behind the last checkpoint (a crash after publishing, or records anchored
    // before the log existed): catch it up first, at most a run's worth of records at a time.
    const reached = await catchUpLog(deps, previous, logSize);
    if (reached < previous.treeSize)
      return { kind: 'log-catching-up', treeSize: previous.treeSize, logSize: reached };
  }
  if (head.nextSeq === base.treeSize) return { kind: 'no-new-records', treeSize: base.treeSize };
  // One run covers at most what a co-signer accepts in one proposal; later runs catch up.
  const target = Math.min(head.nextSeq, base.treeSize + runCap(deps));

  const writer = await AnchorLogWriter.at(deps.log, base.treeSize, deps.ledger);
  const { leaves, lastRecordHash } = await newLeaves(
    deps,
    writer,
    base.treeSize,
    target,
    base.lastRecordHash,
  );
  const compactRange = appendLeaves(base.compactRange, leaves);
  const root = compactRangeRoot(compactRange);
  // Every object the checkpoint commits to is in the log before anyone is asked to sign it.
  await writer.requireRoot(bytesToHex(root));
  const proof = consistencyProofFromRange(base.compactRange, leaves);
  try {
    verifyConsistency({
      firstSize: base.treeSize,
      secondSize: compactRange.size,
      firstRoot: compactRangeRoot(base.compactRange),
      secondRoot: root,
      proof,
    });
  } catch (cause) {
    if (isLedgerError(cause))
      throw inconsistent('new tree is not consistent with the previous checkpoint', cause);
    throw cause;
  }
  const checkpointNote = await cosignedNote(deps, base.compactRange, leaves, root, proof);
  // A reply that fails any check is not stored: the checkpoint goes out without a token.
  const { token, rejected: timestampRejected } = await timestampCheckpoint(
    deps.tsa,
    checkpointNote,
  );
  const anchor: AnchorState = {
    treeSize: compactRange.size,
    rootHash: bytesToHex(root),
    compactRange,
    lastRecordHash,
    checkpointNote,
    timestampToken: token ? base64Encode(token) : null,
    previousTreeSize: base.treeSize,
    consistencyProof: proof.map((node) => bytesToHex(node)),
    createdAt: deps.clock.now().toISOString(),
  };
  if ((await deps.anchors.publish(previous, anchor)) === 'conflict')
    return { kind: 'lost-race', treeSize: anchor.treeSize };
  await ensureWormCopies(anchor, deps.worm);
  await deps.log.putCheckpoint(checkpointNote);
  return { kind: 'published', anchor, newRecords: leaves.length, timestampRejected };
}

/** Most records one run reads: new records to anchor, or records the log catches up on. */
function runCap(deps: CreateAnchorDeps): number {
  return deps.maxNewRecords ?? MAX_RECORDS_PER_PROPOSAL;
}

/**
 * The published checkpoint the log catches up to in this run: the largest within the run's cap
 * of the log's size, or the next one when a single step is larger (a co-signer accepts at most
 * MAX_RECORDS_PER_PROPOSAL records per step, so a step is bounded too).
 */
async function catchUpTarget(
  deps: CreateAnchorDeps,
  previous: AnchorState,
  logSize: number,
): Promise<AnchorState> {
  const windowEnd = Math.min(previous.treeSize, logSize + runCap(deps));
  if (windowEnd === previous.treeSize) return previous;
  const within = await deps.anchors.list(logSize + 1, windowEnd);
  const target = within.at(-1) ?? (await deps.anchors.list(windowEnd + 1, previous.treeSize))[0];
  if (!target)
    throw inconsistent(`no published checkpoint between ${logSize} and ${previous.treeSize}`);
  if (target.treeSize === previous.treeSize) return previous;
  // Only the latest anchor was checked by requireGenuine: this one goes into the log as its
  // checkpoint, so it must be the parties' co-signed checkpoint of its size and root too.
  await requireGenuine(target, deps);
  return target;
}

/**
 * Writes the log's objects from `logSize` towards the published `previous`, one published
 * checkpoint at a time and within the run's cap, then that checkpoint; returns the log's size.
 * Each step publishes a checkpoint the anchors table holds, so a monitor following the log
 * sees consecutive co-signed checkpoints, and the next run resumes from there.
 */
async function catchUpLog(
  deps: CreateAnchorDeps,
  previous: AnchorState,
  logSize: number,
): Promise<number> {
  const target = await catchUpTarget(deps, previous, logSize);
  const writer = await AnchorLogWriter.at(deps.log, logSize, deps.ledger);
  const lastHash = await hashBefore(deps, logSize, previous);
  const { lastRecordHash } = await newLeaves(
    deps,
    writer,
    target.treeSize,
    target.treeSize,
    lastHash,
  );
  if (lastRecordHash !== target.lastRecordHash)
    throw inconsistent(`the ledger's record ${target.treeSize - 1} is not the one anchored`);
  await writer.requireRoot(target.rootHash);
  await deps.log.putCheckpoint(target.checkpointNote);
  return target.treeSize;
}

/**
 * Asks each party's co-signer for its line over the new checkpoint and assembles the note.
 * A co-signer holding another checkpoint than the anchor's (a crash after one party signed,
 * before the anchor published) says which (COSIGN_STALE_OLD_SIZE): the anchor proves
 * consistency from there instead, as long as that checkpoint is one of this tree's prefixes;
 * a party ahead of the ledger means records were removed after it co-signed them.
 */
async function cosignedNote(
  deps: CreateAnchorDeps,
  base: CompactRange,
  leaves: readonly Uint8Array[],
  root: Uint8Array,
  proofFromBase: readonly Uint8Array[],
): Promise<string> {
  const treeSize = base.size + leaves.length;
  const text = formatCheckpoint({ origin: deps.origin, treeSize, rootHash: root, extensions: [] });
  // Proofs by old size, computed once: both parties usually hold the anchor's own checkpoint.
  const proofs = new Map<number, readonly Uint8Array[]>([[base.size, proofFromBase]]);
  const request = (oldSize: number): CosignRequest => {
    let proof = proofs.get(oldSize);
    if (!proof) {
      const from = appendLeaves(base, leaves.slice(0, oldSize - base.size));
      proof = consistencyProofFromRange(from, leaves.slice(oldSize - base.size));
      proofs.set(oldSize, proof);
    }
    return {
      origin: deps.origin,
      oldSize,
      checkpoint: { treeSize, rootHash: bytesToHex(root) },
      consistencyProof: proof.map(bytesToHex),
    };
  };
  const lines: string[] = [];
  for (const cosigner of deps.cosigners)
    lines.push(await cosignFrom(cosigner, base.size, treeSize, request));
  const note = assembleNote(text, lines);
  await verifyCheckpoint(note, partyVerifiers(deps), deps.origin);
  return note;
}

/** Racing co-signing requests of concurrent runs: how often one run asks again before it gives up. */
const COSIGN_ATTEMPTS = 3;

/** One party's line: asked from the anchor's checkpoint, or again from the one the party holds. */
async function cosignFrom(
  cosigner: CheckpointCosigner,
  baseSize: number,
  treeSize: number,
  request: (oldSize: number) => CosignRequest,
): Promise<string> {
  let oldSize = baseSize;
  for (let attempt = 1; ; attempt++) {
    try {
      return await cosigner.cosign(request(oldSize));
    } catch (error) {
      const retryable =
        isLedgerError(error, 'COSIGN_STALE_OLD_SIZE') ||
        isLedgerError(error, 'COSIGN_STATE_CONFLICT');
      if (!retryable || attempt >= COSIGN_ATTEMPTS) throw error;
      // A concurrent run advanced the party's state: ask again from what it holds now.
      if (isLedgerError(error, 'COSIGN_STATE_CONFLICT')) continue;
      oldSize = heldSize(cosigner, error, baseSize, treeSize);
    }
  }
}

/** The size a stale-size refusal says the party holds, if the anchor can prove consistency from it. */
function heldSize(
  cosigner: CheckpointCosigner,
  error: LedgerError,
  baseSize: number,
  treeSize: number,
): number {
  const held = Number(error.details.treeSize);
  if (!Number.isSafeInteger(held) || held < baseSize) {
    throw inconsistent(
      `the ${cosigner.role} co-signed checkpoint ${String(error.details.treeSize)}, older than the anchors table's ${baseSize}`,
      error,
    );
  }
  if (held > treeSize) {
    throw new LedgerError(
      'LEDGER_ROLLED_BACK',
      `the ${cosigner.role} co-signed a tree of ${held} records; the ledger holds ${treeSize}`,
      {
        role: cosigner.role,
        cosignedSize: held,
        ledgerSize: treeSize,
      },
    );
  }
  return held;
}

/** Writes the WORM copies of an anchor unless they exist (a crash may have left them out). */
export async function ensureWormCopies(anchor: AnchorState, worm: WormStore): Promise<void> {
  const keys = wormKeysOf(anchor.treeSize);
  if (!(await worm.exists(keys.checkpoint))) {
    await worm.put(keys.checkpoint, utf8Encode(anchor.checkpointNote), 'text/plain; charset=utf-8');
  }
  if (anchor.timestampToken && !(await worm.exists(keys.timestamp))) {
    await worm.put(
      keys.timestamp,
      base64Decode(anchor.timestampToken),
      'application/timestamp-reply',
    );
  }
}
