/**
 * (f) Anchor cost against ledger size: createAnchor over in-memory stores, a previous
 * checkpoint at size L and K new records. The frontier makes the work depend on K only.
 * Also the proof sizes a verifier downloads at those tree sizes (issue #3).
 */
import type { CheckpointCosigner } from '../../core/anchor/checkpoint-cosigner';
import { createAnchor } from '../../core/anchor/create-anchor';
import { cosignCheckpoint } from '../../core/witness/cosign-checkpoint';
import { checkpointText } from '../../core/witness/cosigner-tip';
import type { CosignerState, CosignerStateStore } from '../../core/witness/ports';
import type { AnchorState, AnchorStore, WormStore } from '../../core/anchor/ports';
import { wormKeysOf } from '../../core/anchor/worm-keys';
import { signCheckpoint } from '../../core/checkpoint/signed-checkpoint';
import type { NoteSigner } from '../../core/checkpoint/signed-note';
import { bytesToHex, hexToBytes, utf8Encode } from '../../core/encoding';
import {
  appendLeaves,
  compactRangeRoot,
  EMPTY_COMPACT_RANGE,
} from '../../core/merkle/compact-range';
import { consistencyProof } from '../../core/merkle/consistency';
import { recordLeafHash, rfc9162Hasher } from '../../core/merkle/hasher';
import { inclusionProof } from '../../core/merkle/inclusion';
import type { TrustedParties } from '../../core/party-signatures';
import type { LedgerReader } from '../../core/ports/ledger';
import type { ChainHead, LedgerRecord } from '../../core/types';
import { subtreeRoot } from '../../core/merkle/tree';
import { encodeRecordsBundle } from '../../core/tlog/records-bundle';
import { tileSpan, TILE_WIDTH } from '../../core/tlog/tile';
import { hashTilePath, recordsBundlePath } from '../../core/tlog/tile-path';
import { partialTiles } from '../../core/tlog/tiles-for-tree';
import { createParty } from '../../tools/fakes/in-memory-party';
import { InMemoryTileLog } from '../../tools/fakes/in-memory-tile-log';

/** The first `size` records of `all`, read-only, as the anchor sees the ledger. */
function ledgerOf(all: readonly LedgerRecord[], size: number): LedgerReader {
  const last = all[size - 1];
  const head: ChainHead = { nextSeq: size, lastHash: last?.recordHash ?? '0'.repeat(64) };
  return {
    head: () => Promise.resolve(head),
    read: (from, to) => Promise.resolve(all.slice(from, Math.min(to, size))),
  };
}

function anchorStoreAt(previous: AnchorState | null): AnchorStore {
  let latest = previous;
  return {
    latest: () => Promise.resolve(latest),
    publish: (_expected, next) => {
      latest = next;
      return Promise.resolve('published');
    },
    list: () => Promise.resolve(latest ? [latest] : []),
  };
}

function memoryWorm(seed: Readonly<Record<string, Uint8Array>> = {}): WormStore {
  const objects = new Map<string, Uint8Array>(Object.entries(seed));
  return {
    exists: (key) => Promise.resolve(objects.has(key)),
    put: (key, body) => Promise.resolve(void objects.set(key, body)),
    get: (key) => Promise.resolve(objects.get(key) ?? null),
    list: (prefix, startAfter = '') =>
      Promise.resolve(
        [...objects.keys()].filter((k) => k.startsWith(prefix) && k > startAfter).sort(),
      ),
    // Nothing is ever deleted here.
    deleteMarkers: () => Promise.resolve([]),
  };
}

const ORIGIN = 'evidence-ledger.bench/anchor';

/** The previous anchor as a run would have published it: co-signed, with its WORM copy. */
async function publishedAnchor(anchor: AnchorState, signers: readonly NoteSigner[]) {
  const checkpointNote = await signCheckpoint(
    {
      origin: ORIGIN,
      treeSize: anchor.treeSize,
      rootHash: hexToBytes(anchor.rootHash),
      extensions: [],
    },
    signers,
  );
  return {
    anchor: { ...anchor, checkpointNote },
    worm: memoryWorm({ [wormKeysOf(anchor.treeSize).checkpoint]: utf8Encode(checkpointNote) }),
  };
}

/** A party's co-signer, in memory, holding the checkpoint the previous run published. */
function cosignerAt(
  anchor: AnchorState,
  noteSigner: NoteSigner,
  all: readonly LedgerRecord[],
  size: number,
  trusted: TrustedParties,
): CheckpointCosigner {
  let stored: CosignerState = {
    treeSize: anchor.treeSize,
    rootHash: anchor.rootHash,
    compactRange: anchor.compactRange,
    lastRecordHash: anchor.lastRecordHash,
    cosignedNote: checkpointText(ORIGIN, anchor.treeSize, anchor.rootHash),
    updatedAt: new Date(0).toISOString(),
  };
  const state: CosignerStateStore = {
    load: () => Promise.resolve(stored),
    advance: (_from, to) => Promise.resolve(void (stored = to)).then(() => 'saved' as const),
  };
  const deps = {
    role: noteSigner.signer.role,
    noteSigner,
    trusted,
    origin: ORIGIN,
    state,
    records: ledgerOf(all, size),
    clock: { now: () => new Date() },
    maxNewRecords: 1_000_000,
  };
  return {
    role: noteSigner.signer.role,
    keyName: noteSigner.keyName,
    publicKeySpki: noteSigner.publicKeySpki,
    cosign: async (request) => (await cosignCheckpoint(request, deps)).signatureLine,
  };
}

/** The anchor state a run at `size` would have left, built from the leaves directly. */
function previousAnchor(
  leaves: readonly Uint8Array[],
  all: readonly LedgerRecord[],
  size: number,
): AnchorState {
  const compactRange = appendLeaves(EMPTY_COMPACT_RANGE, leaves.slice(0, size));
  return {
    treeSize: size,
    rootHash: bytesToHex(compactRangeRoot(compactRange)),
    compactRange,
    lastRecordHash: all[size - 1]?.recordHash ?? '0'.repeat(64),
    checkpointNote: '',
    timestampToken: null,
    previousTreeSize: 0,
    consistencyProof: [],
    createdAt: new Date(0).toISOString(),
  };
}

/**
 * The tiled log as the run at `size` left it: only its right edge (partial tiles, the partial
 * range's records) and its checkpoint, which is all the next run reads.
 */
function logAt(
  leaves: readonly Uint8Array[],
  all: readonly LedgerRecord[],
  size: number,
  checkpointNote: string,
): InMemoryTileLog {
  const log = new InMemoryTileLog();
  for (const tile of partialTiles(size)) {
    const span = tileSpan(tile.level);
    const hashes = new Uint8Array(tile.width * 32);
    for (let i = 0; i < tile.width; i++) {
      const begin = (tile.index * TILE_WIDTH + i) * span;
      hashes.set(subtreeRoot(leaves, begin, begin + span, rfc9162Hasher), i * 32);
    }
    log.objects.set(hashTilePath(tile), hashes);
  }
  const width = size % TILE_WIDTH;
  if (width > 0)
    log.objects.set(
      recordsBundlePath({ index: (size - width) / TILE_WIDTH, width }),
      encodeRecordsBundle(all.slice(size - width, size)),
    );
  if (size > 0) log.objects.set('checkpoint', utf8Encode(checkpointNote));
  return log;
}

export interface AnchorRun {
  readonly ledgerSize: number;
  readonly newRecords: number;
  readonly seconds: number;
  readonly msPerNewRecord: number;
  readonly consistencyProofHashes: number;
}

export interface ProofSize {
  readonly treeSize: number;
  readonly inclusionHashes: number;
  readonly inclusionBytes: number;
  readonly consistencyHashes: number;
  readonly consistencyBytes: number;
}

export interface AnchorScaling {
  readonly perRecord: AnchorRun[];
  readonly runTimes: AnchorRun[];
  readonly proofSizes: ProofSize[];
}

async function runAnchor(
  all: readonly LedgerRecord[],
  leaves: readonly Uint8Array[],
  trusted: TrustedParties,
  at: number,
  count: number,
): Promise<AnchorRun> {
  const parties = await Promise.all([createParty('agency'), createParty('custodian')]);
  // The state the previous run left; built before the clock starts, as it is stored, not computed.
  const previous = await publishedAnchor(
    previousAnchor(leaves, all, at),
    parties.map((p) => p.noteSigner),
  );
  const anchors = anchorStoreAt(previous.anchor);
  const log = logAt(leaves, all, at, previous.anchor.checkpointNote);
  const started = performance.now();
  const outcome = await createAnchor({
    origin: ORIGIN,
    ledger: ledgerOf(all, at + count),
    anchors,
    worm: previous.worm,
    log,
    // Both parties' co-signers re-verify every new record: their cost is part of an anchor run.
    cosigners: parties.map((p) =>
      cosignerAt(previous.anchor, p.noteSigner, all, at + count, trusted),
    ),
    trusted,
    tsa: null,
    clock: { now: () => new Date() },
  });
  const seconds = (performance.now() - started) / 1000;
  if (outcome.kind !== 'published') throw new Error(`anchor at ${at}+${count}: ${outcome.kind}`);
  const consistencyProofHashes = outcome.anchor.consistencyProof.length;
  return {
    ledgerSize: at,
    newRecords: count,
    seconds,
    msPerNewRecord: (seconds * 1000) / count,
    consistencyProofHashes,
  };
}

function proofSize(leaves: readonly Uint8Array[], treeSize: number): ProofSize {
  const tree = leaves.slice(0, treeSize);
  // The longest inclusion path is the last leaf's of a full left subtree; take the worst over a few leaves.
  const inclusionHashes = Math.max(
    ...[0, treeSize >> 1, treeSize - 1].map((i) => inclusionProof(tree, i).length),
  );
  // From a size that is no power of two, roughly half the tree: close to the longest proof.
  const consistencyHashes = consistencyProof(tree, (treeSize >> 1) + 1).length;
  return {
    treeSize,
    inclusionHashes,
    inclusionBytes: 32 * inclusionHashes,
    consistencyHashes,
    consistencyBytes: 32 * consistencyHashes,
  };
}

/** `all` must hold at least max(ledgerSizes) + max(newCounts, perRecordBatch) records. */
export async function measureAnchorScaling(
  all: readonly LedgerRecord[],
  trusted: TrustedParties,
  ledgerSizes: readonly number[],
  newCounts: readonly number[],
  perRecordBatch = 1000,
): Promise<AnchorScaling> {
  const leaves = all.map((r) => recordLeafHash(r.recordHash));
  const perRecord: AnchorRun[] = [];
  for (const size of ledgerSizes)
    perRecord.push(await runAnchor(all, leaves, trusted, size, perRecordBatch));
  const runTimes: AnchorRun[] = [];
  const base = ledgerSizes.at(-1) ?? 0;
  for (const count of newCounts) runTimes.push(await runAnchor(all, leaves, trusted, base, count));
  return { perRecord, runTimes, proofSizes: ledgerSizes.map((size) => proofSize(leaves, size)) };
}
