/**
 * Anchor runs and the tiled log they write (docs/FORMAT.md "The tiled log"): capped runs over
 * a backlog, the log's tiles and bundles after each run, crashes and a tampered log.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointCosigner } from '../../../core/anchor/checkpoint-cosigner';
import { createAnchor, type CreateAnchorDeps } from '../../../core/anchor/create-anchor';
import type { AnchorState, AnchorStore, WormStore } from '../../../core/anchor/ports';
import { bytesToHex, hexToBytes, utf8Decode } from '../../../core/encoding';
import { verifyConsistency } from '../../../core/merkle/consistency';
import { recordHash, recordBody } from '../../../core/record';
import type { LedgerRecord } from '../../../core/types';
import { cosignCheckpoint } from '../../../core/witness/cosign-checkpoint';
import { bundleLeafHashes, decodeRecordBundle } from '../../../core/tlog/entry-bundle';
import { decodeRecordsBundle } from '../../../core/tlog/records-bundle';
import { hashInTile, TILE_WIDTH } from '../../../core/tlog/tile';
import { entryBundlePath, hashTilePath, recordsBundlePath } from '../../../core/tlog/tile-path';
import { treeRootFromTiles } from '../../../core/tlog/tile-proofs';
import { recordLeafData } from '../../../core/merkle/hasher';
import { InMemoryTileLog } from '../../../tools/fakes/in-memory-tile-log';
import { chainOf, cosignerOf, createWorld, rootOf, type World } from '../witness/fixtures';
import { ORIGIN } from '../bundle/fixtures';

const RECORDS = 600;
const CAP = 250;

class MemoryAnchors implements AnchorStore {
  state: AnchorState | null = null;
  /** Throws once from the next publish: a crash before the checkpoint is published. */
  crashNextPublish = false;
  latest = () => Promise.resolve(this.state);
  list = () => Promise.resolve(this.state ? [this.state] : []);
  publish(previous: AnchorState | null, next: AnchorState) {
    if (this.crashNextPublish) {
      this.crashNextPublish = false;
      return Promise.reject(new Error('crashed before publishing'));
    }
    if (previous?.treeSize !== this.state?.treeSize) return Promise.resolve('conflict' as const);
    this.state = next;
    return Promise.resolve('published' as const);
  }
}

function memoryWorm(): WormStore {
  const objects = new Map<string, Uint8Array>();
  return {
    exists: (key) => Promise.resolve(objects.has(key)),
    put: (key, body) => Promise.resolve(void objects.set(key, body)),
    get: (key) => Promise.resolve(objects.get(key) ?? null),
    list: (prefix, after = '') =>
      Promise.resolve([...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort()),
    deleteMarkers: () => Promise.resolve([]),
  };
}

function checkpointCosigner(
  world: World,
  records: readonly LedgerRecord[],
  role: 'agency' | 'custodian',
): CheckpointCosigner {
  const { deps } = cosignerOf(world, records, {}, role);
  return {
    role,
    keyName: deps.noteSigner.keyName,
    publicKeySpki: deps.noteSigner.publicKeySpki,
    cosign: async (request) => (await cosignCheckpoint(request, deps)).signatureLine,
  };
}

interface Deployment {
  readonly deps: CreateAnchorDeps;
  readonly anchors: MemoryAnchors;
  readonly log: InMemoryTileLog;
}

function deploymentOver(world: World, records: readonly LedgerRecord[]): Deployment {
  const anchors = new MemoryAnchors();
  const log = new InMemoryTileLog();
  const deps: CreateAnchorDeps = {
    origin: ORIGIN,
    ledger: {
      head: () =>
        Promise.resolve({ nextSeq: records.length, lastHash: records.at(-1)!.recordHash }),
      read: (from, to) => Promise.resolve(records.slice(from, to)),
    },
    anchors,
    worm: memoryWorm(),
    log,
    cosigners: [
      checkpointCosigner(world, records, 'agency'),
      checkpointCosigner(world, records, 'custodian'),
    ],
    trusted: world.trusted,
    tsa: null,
    clock: { now: () => new Date('2024-05-01T12:10:00.000Z') },
    maxNewRecords: CAP,
  };
  return { deps, anchors, log };
}

/** The log's objects must give the checkpoint's root and carry its records, bundle by bundle. */
async function expectLogCommitsTo(
  log: InMemoryTileLog,
  anchor: AnchorState,
  records: readonly LedgerRecord[],
) {
  expect(utf8Decode((await log.get('checkpoint'))!)).toBe(anchor.checkpointNote);
  expect(bytesToHex(await treeRootFromTiles(log, anchor.treeSize))).toBe(anchor.rootHash);
  for (let start = 0; start < anchor.treeSize; start += TILE_WIDTH) {
    const coord = {
      index: start / TILE_WIDTH,
      width: Math.min(TILE_WIDTH, anchor.treeSize - start),
    };
    const hashes = decodeRecordBundle((await log.get(entryBundlePath(coord)))!, coord.width);
    const bundled = decodeRecordsBundle((await log.get(recordsBundlePath(coord)))!, coord.width);
    expect(bundled).toEqual(records.slice(start, start + coord.width));
    // Each record re-hashes to its entry, and each entry to its leaf in the level-0 tile.
    expect(bundled.map((r) => recordHash(recordBody(r)))).toEqual(hashes);
    const tile = await log.readHashTile(0, coord.index, coord.width);
    const leaves = bundleLeafHashes(hashes.map(recordLeafData));
    leaves.forEach((leaf, i) => expect(bytesToHex(leaf)).toBe(bytesToHex(hashInTile(tile, i))));
  }
}

let world: World;
let records: LedgerRecord[];

beforeAll(async () => {
  world = await createWorld(RECORDS);
  records = chainOf(world.approved);
}, 120_000);

describe('when the backlog is larger than one run may cover', () => {
  it('publishes consecutive consistent checkpoints, each with its log, and converges', async () => {
    const { deps, anchors, log } = deploymentOver(world, records);
    const published: AnchorState[] = [];
    for (;;) {
      const outcome = await createAnchor(deps);
      if (outcome.kind !== 'published') {
        expect(outcome).toEqual({ kind: 'no-new-records', treeSize: RECORDS });
        break;
      }
      published.push(outcome.anchor);
      await expectLogCommitsTo(log, outcome.anchor, records);
    }
    expect(published.map((a) => a.treeSize)).toEqual([250, 500, 600]);
    for (const [i, anchor] of published.entries()) {
      const previous = published[i - 1];
      expect(anchor.previousTreeSize).toBe(previous?.treeSize ?? 0);
      expect(anchor.rootHash).toBe(rootOf(records, anchor.treeSize));
      if (previous)
        verifyConsistency({
          firstSize: previous.treeSize,
          secondSize: anchor.treeSize,
          firstRoot: hexToBytes(previous.rootHash),
          secondRoot: hexToBytes(anchor.rootHash),
          proof: anchor.consistencyProof.map(hexToBytes),
        });
    }
    expect(anchors.state?.treeSize).toBe(RECORDS);
    // No partial tile but the ones a checkpoint commits to: pages end on multiples of 256.
    expect([...log.objects.keys()].filter((p) => p.startsWith('tile/0/'))).toEqual([
      'tile/0/000.p/250',
      'tile/0/000',
      'tile/0/001.p/244',
      'tile/0/001',
      'tile/0/002.p/88',
    ]);
  });
});

describe('when a run crashed between writing the log and publishing', () => {
  it('the next run writes the same bytes and publishes', async () => {
    const { deps, anchors, log } = deploymentOver(world, records);
    await createAnchor(deps);
    anchors.crashNextPublish = true;
    await expect(createAnchor(deps)).rejects.toThrow('crashed before publishing');
    expect(log.objects.has('tile/0/001.p/244')).toBe(true);
    expect(utf8Decode((await log.get('checkpoint'))!)).toBe(anchors.state?.checkpointNote);
    const outcome = await createAnchor(deps);
    expect(outcome.kind).toBe('published');
    await expectLogCommitsTo(log, anchors.state!, records);
  });
});

describe('when a run crashed after publishing, before replacing the log checkpoint', () => {
  it('the next run brings the log checkpoint up to the published one first', async () => {
    const { deps, anchors, log } = deploymentOver(world, records);
    await createAnchor(deps);
    const first = utf8Decode((await log.get('checkpoint'))!);
    const putCheckpoint = log.putCheckpoint.bind(log);
    log.putCheckpoint = () => Promise.reject(new Error('crashed after publishing'));
    await expect(createAnchor(deps)).rejects.toThrow('crashed after publishing');
    log.putCheckpoint = putCheckpoint;
    expect(utf8Decode((await log.get('checkpoint'))!)).toBe(first);
    await createAnchor(deps);
    await expectLogCommitsTo(log, anchors.state!, records);
    expect(anchors.state?.treeSize).toBe(600);
  });
});

describe('when records were anchored before the log existed', () => {
  it('the first run writes the log from the start', async () => {
    const { deps, anchors, log } = deploymentOver(world, records);
    await createAnchor(deps);
    await createAnchor(deps);
    log.objects.clear();
    const outcome = await createAnchor(deps);
    expect(outcome.kind).toBe('published');
    await expectLogCommitsTo(log, anchors.state!, records);
  });
});

describe('when the log was tampered with', () => {
  it('fails CHECKPOINT_INCONSISTENT without publishing if the partial tile it extends changed', async () => {
    const { deps, anchors, log } = deploymentOver(world, records);
    await createAnchor(deps);
    const path = hashTilePath({ level: 0, index: 0, width: 250 });
    log.objects.get(path)![5]! ^= 1;
    const checkpoint = await log.get('checkpoint');
    await expect(createAnchor(deps)).toFailWithCode('CHECKPOINT_INCONSISTENT');
    expect(anchors.state?.treeSize).toBe(250);
    expect(await log.get('checkpoint')).toEqual(checkpoint);
  });

  it('fails CHECKPOINT_INCONSISTENT without publishing if a tile it writes again holds other bytes', async () => {
    const { deps, anchors, log } = deploymentOver(world, records);
    await createAnchor(deps);
    anchors.crashNextPublish = true;
    await expect(createAnchor(deps)).rejects.toThrow('crashed before publishing');
    log.objects.get('tile/0/000')![0]! ^= 1;
    await expect(createAnchor(deps)).toFailWithCode('CHECKPOINT_INCONSISTENT');
    expect(anchors.state?.treeSize).toBe(250);
  });
});
