/**
 * An honest tiled log (docs: the log layout of issue 10) built from real signed ledger records,
 * for monitor tests and benchmarks: two in-memory parties approve every deposit and co-sign
 * every checkpoint; the tiles, entry bundles and records bundles are written exactly as the
 * anchor writes them (write once; a grown partial tile gets a new path, the old one stays).
 *
 *   const log = await createTiledLog(3);
 *   await growTiledLog(log, 297);
 *   await writeTiledLog(log, dir);
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { signCheckpoint } from '../../core/checkpoint/signed-checkpoint';
import { buildRecords } from '../../core/chain';
import { depositIdFor } from '../../core/deposit-id';
import { base64Encode, bytesToHex, utf8Encode } from '../../core/encoding';
import { sha256 } from '../../core/hashing';
import { recordLeafHash } from '../../core/merkle/hasher';
import { signAttestation } from '../../core/party-signatures';
import { encodeRecordBundle } from '../../core/tlog/entry-bundle';
import { encodeRecordsBundle } from '../../core/tlog/records-bundle';
import { appendToTiles } from '../../core/tlog/tile-append';
import { treeRootFromTiles } from '../../core/tlog/tile-proofs';
import { entryBundlePath, hashTilePath, recordsBundlePath } from '../../core/tlog/tile-path';
import { TILE_WIDTH } from '../../core/tlog/tile';
import type { TileReader } from '../../core/tlog/tile-reader';
import { LedgerError } from '../../core/errors';
import { GENESIS_HEAD, type Deposit, type LedgerRecord } from '../../core/types';
import { createInMemorySigner, type InMemorySigner } from './in-memory-signer';

export const TILED_LOG_ORIGIN = 'ledger.example/evidence';

export interface TiledLog {
  readonly origin: string;
  readonly signers: readonly InMemorySigner[];
  readonly records: LedgerRecord[];
  /** Every object of the log by its path under the log root, `checkpoint` included. */
  readonly files: Map<string, Uint8Array>;
}

function depositOf(seq: number): Deposit {
  const bytes = utf8Encode(`exhibit ${seq}: bytes\n`);
  const coordinates = {
    bucket: 'evidence-bucket',
    key: `cases/2024-0042/item-${seq}.bin`,
    versionId: `v-${seq}`,
  };
  return {
    depositId: depositIdFor(coordinates),
    ...coordinates,
    size: bytes.length,
    sha256: bytesToHex(sha256(bytes)),
    uploadedAt: '2024-05-01T11:59:58.123Z',
    uploader: { principalId: 'AWS:AIDAEXAMPLEUPLOADER', sourceIp: '203.0.113.7' },
    caseMetadata: { 'case-id': '2024-0042', exhibit: `item-${seq}` },
  };
}

function filesTileReader(files: ReadonlyMap<string, Uint8Array>): TileReader {
  return {
    readHashTile(level, index, width) {
      const tile = files.get(hashTilePath({ level, index, width }));
      if (tile) return Promise.resolve(tile);
      return Promise.reject(new LedgerError('TILE_MISSING', 'no such tile', { level, index }));
    },
  };
}

export interface TiledLogOptions {
  readonly origin?: string;
  /** The parties' keys; fresh ones by default (pass another log's to fork it). */
  readonly signers?: readonly InMemorySigner[];
}

/** Fresh keys for both parties. */
export async function tiledLogSigners(): Promise<InMemorySigner[]> {
  return Promise.all((['agency', 'custodian'] as const).map((role) => createInMemorySigner(role)));
}

/** A log of `size` records (possibly 0 records: then no checkpoint is written). */
export async function createTiledLog(
  size: number,
  { origin = TILED_LOG_ORIGIN, signers }: TiledLogOptions = {},
): Promise<TiledLog> {
  const log: TiledLog = {
    origin,
    signers: signers ?? (await tiledLogSigners()),
    records: [],
    files: new Map(),
  };
  if (size > 0) await growTiledLog(log, size);
  return log;
}

/**
 * Appends `count` records approved by `approvers` (the log's parties by default) and
 * publishes their tiles, bundles and a checkpoint co-signed by the log's parties. `linkTo`
 * forges the hash the first new record links to (its prevHash; the last record's by default).
 */
export async function growTiledLog(
  log: TiledLog,
  count: number,
  approvers: readonly InMemorySigner[] = log.signers,
  { linkTo }: { readonly linkTo?: string } = {},
): Promise<void> {
  const oldSize = log.records.length;
  const lastHash = linkTo ?? log.records.at(-1)?.recordHash;
  const head = lastHash === undefined ? GENESIS_HEAD : { nextSeq: oldSize, lastHash };
  const approved = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const deposit = depositOf(oldSize + i);
      const signatures = await Promise.all(approvers.map((s) => signAttestation(s, deposit)));
      return { deposit, signatures };
    }),
  );
  const { records } = buildRecords(head, approved, new Date('2024-05-01T12:00:00.000Z'));
  await appendTiledLogRecords(log, records);
  await publishCheckpoint(log);
}

/**
 * Appends `records` as they are (the log's next ones, or forged) and writes their tiles,
 * entry bundles and records bundles; publishes no checkpoint.
 */
export async function appendTiledLogRecords(
  log: TiledLog,
  records: readonly LedgerRecord[],
): Promise<void> {
  const oldSize = log.records.length;
  log.records.push(...records);
  const leafHashes = records.map((record) => recordLeafHash(record.recordHash));
  const tiles = await appendToTiles(filesTileReader(log.files), oldSize, leafHashes);
  for (const tile of tiles) {
    log.files.set(hashTilePath(tile), tile.hashes);
    if (tile.level !== 0) continue;
    const inBundle = log.records.slice(
      tile.index * TILE_WIDTH,
      tile.index * TILE_WIDTH + tile.width,
    );
    log.files.set(entryBundlePath(tile), encodeRecordBundle(inBundle.map((r) => r.recordHash)));
    log.files.set(recordsBundlePath(tile), encodeRecordsBundle(inBundle));
  }
}

/** Signs the checkpoint of the log's current size with both parties and stores it. */
export async function publishCheckpoint(log: TiledLog, signers = log.signers): Promise<string> {
  const treeSize = log.records.length;
  const rootHash = await treeRootFromTiles(filesTileReader(log.files), treeSize);
  const note = await signCheckpoint(
    { origin: log.origin, treeSize, rootHash, extensions: [] },
    signers.map((signer) => ({
      keyName: `${log.origin}/${signer.role}`,
      publicKeySpki: signer.publicKeySpki(),
      signer,
    })),
  );
  log.files.set('checkpoint', utf8Encode(note));
  return note;
}

/** The trusted-keys file (docs/FORMAT.md §11) of the log's parties, as JSON. */
export function tiledLogTrustedKeys(log: TiledLog) {
  return {
    format: 'evidence-ledger/trusted-keys/v1',
    origin: log.origin,
    parties: log.signers.map((s) => ({
      role: s.role,
      keyId: s.keyId,
      noteKeyName: `${log.origin}/${s.role}`,
      publicKey: base64Encode(s.publicKeySpki()),
    })),
  };
}

/** Writes every object of the log under `dir` (the layout of `log/` in the anchor bucket). */
export async function writeTiledLog(log: TiledLog, dir: string): Promise<void> {
  for (const [path, bytes] of log.files) {
    const file = join(dir, ...path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
}
