/**
 * A tiled log in memory, laid out as the anchor writes it under `log/` (issue 10: hash tiles,
 * entry bundles, records bundles of canonical JSON lines), with co-signed checkpoints of any
 * size and a ledger that refuses to be read: what the auditor's tile path is tested against.
 */
import type { AnchorReader, AnchorState } from '../../../core/anchor/ports';
import { auditTrust, type AuditTrust } from '../../../core/audit/audit-trust';
import { bytesToHex } from '../../../core/encoding';
import { treeRoot } from '../../../core/merkle/tree';
import type { LedgerReader } from '../../../core/ports/ledger';
import { encodeRecordBundle } from '../../../core/tlog/entry-bundle';
import { TILE_WIDTH } from '../../../core/tlog/tile';
import { tilesFromLeafHashes } from '../../../core/tlog/tile-append';
import { entryBundlePath, hashTilePath, recordsBundlePath } from '../../../core/tlog/tile-path';
import type { Appended } from '../../../core/pipeline/deposit-state';
import type { DepositReader } from '../../../core/ports/deposits';
import { GENESIS_PREV_HASH, type LedgerRecord } from '../../../core/types';
import { inMemoryKeyResolver, type InMemorySigner } from '../../../tools/fakes/in-memory-signer';
import { InMemoryTileLog } from '../../../tools/fakes/in-memory-tile-log';
import { encodeRecordsBundle } from '../../../core/tlog/records-bundle';
import { createTestLedger, ORIGIN, signedNote, type TestLedger } from '../bundle/fixtures';

/** The in-memory log with every read recorded, so tests can bound them. */
export class MemoryTileLog extends InMemoryTileLog {
  reads: string[] = [];

  override get(path: string): Promise<Uint8Array | null> {
    this.reads.push(path);
    return super.get(path);
  }

  /** Writes the tiles of the tree over `leafHashes`, as the anchor does for its checkpoint. */
  writeTiles(leafHashes: readonly Uint8Array[]): void {
    for (const tile of tilesFromLeafHashes(leafHashes))
      this.objects.set(hashTilePath(tile), tile.hashes);
  }

  /** Writes the tiles, entry bundles and records bundles of a ledger of `records`. */
  writeLedger(records: readonly LedgerRecord[], leafHashes: readonly Uint8Array[]): void {
    this.writeTiles(leafHashes);
    for (let index = 0; index * TILE_WIDTH < records.length; index++) {
      const slice = records.slice(index * TILE_WIDTH, (index + 1) * TILE_WIDTH);
      const bundle = { index, width: slice.length };
      this.objects.set(entryBundlePath(bundle), encodeRecordBundle(slice.map((r) => r.recordHash)));
      this.objects.set(recordsBundlePath(bundle), encodeRecordsBundle(slice));
    }
  }

  /** The reads `action` makes, counted afresh. */
  async countReads<T>(action: () => Promise<T>): Promise<{ result: T; reads: string[] }> {
    this.reads = [];
    const result = await action();
    return { result, reads: this.reads };
  }
}

/** The ledger as the tile path must leave it: any read fails the test. */
export const unreadableLedger: LedgerReader & { reads: number } = {
  reads: 0,
  head() {
    return Promise.reject(new Error('the auditor read the ledger head'));
  },
  read(fromSeq, toSeq) {
    unreadableLedger.reads++;
    return Promise.reject(new Error(`the auditor read ledger records [${fromSeq}, ${toSeq})`));
  },
};

/**
 * Co-signed checkpoints of the tree over `leafHashes` at each of `sizes`, signed on first use;
 * `latest` is the largest. `list` returns the one of the asked size, as the audit asks.
 */
export async function anchorsOf(
  leafHashes: readonly Uint8Array[],
  sizes: readonly number[],
  signers: readonly InMemorySigner[],
): Promise<AnchorReader> {
  const states = new Map<number, AnchorState>();
  for (const size of new Set(sizes)) {
    const rootHash = treeRoot(leafHashes.slice(0, size));
    const checkpoint = { origin: ORIGIN, treeSize: size, rootHash, extensions: [] };
    states.set(size, {
      treeSize: size,
      rootHash: bytesToHex(rootHash),
      compactRange: { size, hashes: [] },
      lastRecordHash: GENESIS_PREV_HASH,
      checkpointNote: await signedNote(checkpoint, signers),
      timestampToken: null,
      previousTreeSize: 0,
      consistencyProof: [],
      createdAt: '2026-11-30T00:00:00.000Z',
    });
  }
  const latest = states.get(Math.max(...sizes)) ?? null;
  return {
    latest: () => Promise.resolve(latest),
    list: (from, to) =>
      Promise.resolve([...states.values()].filter((s) => s.treeSize >= from && s.treeSize <= to)),
  };
}

export function trustOf(signers: readonly InMemorySigner[]): Promise<AuditTrust> {
  const [agency, custodian] = [signers[0]!, signers[1]!];
  return auditTrust(ORIGIN, {
    keyIds: { agency: agency.keyId, custodian: custodian.keyId },
    keys: inMemoryKeyResolver([...signers]),
  });
}

/** The Deposits mailbox as the appender leaves it: each record's deposit APPENDED at its seq. */
export function appendedDeposits(records: readonly LedgerRecord[]): DepositReader {
  const byId = new Map(records.map((r) => [r.deposit.depositId, r]));
  return {
    get(depositId) {
      const record = byId.get(depositId);
      if (!record) return Promise.resolve(null);
      const signed = (role: string) => record.signatures.find((sig) => sig.role === role)!;
      const state: Appended = {
        status: 'APPENDED',
        depositId,
        deposit: record.deposit,
        signatures: { agency: signed('agency'), custodian: signed('custodian') },
        seq: record.seq,
      };
      return Promise.resolve(state);
    },
  };
}

/** A real ledger of `size` co-signed records, the auditor's trust in its parties, and its log. */
export async function tiledTestLedger(
  size: number,
): Promise<{ ledger: TestLedger; trust: AuditTrust; log: MemoryTileLog }> {
  const ledger = await createTestLedger(size);
  const log = new MemoryTileLog();
  log.writeLedger(ledger.records, ledger.leafHashes);
  return { ledger, trust: await trustOf(ledger.signers), log };
}
