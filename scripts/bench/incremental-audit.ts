/**
 * (h) The incremental verifyLedger against ledger size: the auditor's sealed state at L
 * records (checkpoint L verified), K new records and the co-signed checkpoint L+K, over
 * in-memory stores. The call reads the K new records (and the state's last one, the spot
 * check) and the new checkpoint, never the L before: its cost must not grow with L.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { AnchorState } from '../../core/anchor/ports';
import { wormKeysOf } from '../../core/anchor/worm-keys';
import { sealAuditState, type AuditState } from '../../core/audit/audit-state';
import { auditTrust } from '../../core/audit/audit-trust';
import type { ContinuationSealer } from '../../core/audit/sealed-continuation';
import { verifyLedger, type VerifyLedgerDeps } from '../../core/audit/verify-ledger';
import { signCheckpoint } from '../../core/checkpoint/signed-checkpoint';
import { bytesEqual, bytesToHex, utf8Encode } from '../../core/encoding';
import {
  appendLeaves,
  compactRangeRoot,
  EMPTY_COMPACT_RANGE,
} from '../../core/merkle/compact-range';
import { consistencyProof } from '../../core/merkle/consistency';
import { recordLeafHash } from '../../core/merkle/hasher';
import type { LedgerReader } from '../../core/ports/ledger';
import type { LedgerRecord } from '../../core/types';
import { checkpointText } from '../../core/witness/cosigner-tip';
import { InMemoryAuditStateStore } from '../../tools/fakes/in-memory-audit-state-store';
import { InMemoryWormStore } from '../../tools/fakes/in-memory-worm-store';
import { f, table } from './markdown-table';
import type { BenchParties } from './signed-ledger';

const ORIGIN = 'evidence-ledger.bench/audit';

export interface IncrementalAuditRun {
  readonly ledgerSize: number;
  readonly newRecords: number;
  /** Median of the repetitions. */
  readonly seconds: number;
  readonly msPerNewRecord: number;
  /** Ledger records the call read: the new ones and the spot check of the state's last one. */
  readonly recordsRead: number;
}

/** HMAC-SHA-256 in process for the auditor's KMS key (two KMS calls per call in production). */
function benchSealer(): ContinuationSealer {
  const key = randomBytes(32);
  const mac = (message: Uint8Array) =>
    new Uint8Array(createHmac('sha256', key).update(message).digest());
  return {
    seal: (message) => Promise.resolve(mac(message)),
    verify: (message, tag) => Promise.resolve(bytesEqual(mac(message), tag)),
  };
}

/** A co-signed checkpoint at `size` of `leaves`, extending `previous` with its proof. */
async function checkpointAt(
  parties: BenchParties,
  leaves: readonly Uint8Array[],
  records: readonly LedgerRecord[],
  size: number,
  previous: number,
): Promise<AnchorState> {
  const compactRange = appendLeaves(EMPTY_COMPACT_RANGE, leaves.slice(0, size));
  const rootHash = compactRangeRoot(compactRange);
  const signers = [parties.agency, parties.custodian].map((signer) => ({
    keyName: `${ORIGIN}/${signer.role}`,
    publicKeySpki: signer.publicKeySpki(),
    signer,
  }));
  return {
    treeSize: size,
    rootHash: bytesToHex(rootHash),
    compactRange,
    lastRecordHash: records[size - 1]!.recordHash,
    checkpointNote: await signCheckpoint(
      { origin: ORIGIN, treeSize: size, rootHash, extensions: [] },
      signers,
    ),
    timestampToken: null,
    previousTreeSize: previous,
    consistencyProof: consistencyProof(leaves.slice(0, size), previous).map(bytesToHex),
    createdAt: new Date(0).toISOString(),
  };
}

/** The deployment as the auditor finds it: its state sealed at `at`, checkpoints at `at` and `at + count`. */
async function deploymentAt(
  parties: BenchParties,
  all: readonly LedgerRecord[],
  leaves: readonly Uint8Array[],
  at: number,
  count: number,
) {
  const sealedCheckpoint = await checkpointAt(parties, leaves, all, at, 0);
  const next = await checkpointAt(parties, leaves, all, at + count, at);
  const worm = Object.fromEntries(
    [sealedCheckpoint, next].map((a) => [
      wormKeysOf(a.treeSize).checkpoint,
      utf8Encode(a.checkpointNote),
    ]),
  );
  const state: AuditState = {
    treeSize: at,
    rootHash: sealedCheckpoint.rootHash,
    lastRecordHash: sealedCheckpoint.lastRecordHash,
    compactRange: sealedCheckpoint.compactRange,
    checkpoint: { treeSize: at, rootHash: sealedCheckpoint.rootHash },
    parties: {},
    verifiedAt: new Date(0).toISOString(),
  };
  const cosigned = {
    treeSize: next.treeSize,
    rootHash: next.rootHash,
    compactRange: next.compactRange,
    lastRecordHash: next.lastRecordHash,
    cosignedNote: checkpointText(ORIGIN, next.treeSize, next.rootHash),
    updatedAt: new Date(0).toISOString(),
  };
  return { anchors: [sealedCheckpoint, next], worm, state, cosigned };
}

async function runAt(
  parties: BenchParties,
  all: readonly LedgerRecord[],
  leaves: readonly Uint8Array[],
  at: number,
  count: number,
  repetitions: number,
): Promise<IncrementalAuditRun> {
  const world = await deploymentAt(parties, all, leaves, at, count);
  const size = at + count;
  let recordsRead = 0;
  const ledger: LedgerReader = {
    head: () => Promise.resolve({ nextSeq: size, lastHash: all[size - 1]!.recordHash }),
    read: (from, to) => {
      const page = all.slice(from, Math.min(to, size));
      recordsRead += page.length;
      return Promise.resolve(page);
    },
  };
  const continuations = benchSealer();
  const store = new InMemoryAuditStateStore();
  const sealed = await sealAuditState(continuations, ORIGIN, world.state);
  const deps: VerifyLedgerDeps = {
    ledger,
    anchors: {
      latest: () => Promise.resolve(world.anchors.at(-1)!),
      list: (from, to) =>
        Promise.resolve(world.anchors.filter((a) => a.treeSize >= from && a.treeSize <= to)),
    },
    worm: new InMemoryWormStore(world.worm),
    trust: await auditTrust(ORIGIN, parties.trusted),
    timestamps: null,
    continuations,
    parties: { load: () => Promise.resolve(world.cosigned), signed: () => Promise.resolve(true) },
    reconcile: {
      evidence: { list: async function* () {} },
      markers: { find: () => Promise.resolve(null) },
      deposits: { get: () => Promise.resolve(null) },
    },
    state: store,
    clock: { now: () => new Date() },
  };
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    store.item = sealed;
    recordsRead = 0;
    const started = performance.now();
    const report = await verifyLedger(deps);
    times.push((performance.now() - started) / 1000);
    if (report.verdict !== 'valid' || report.auditState?.treeSize !== size)
      throw new Error(
        `incremental audit at ${at}+${count}: ${JSON.stringify(report.firstFailure)}`,
      );
  }
  const seconds = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  return {
    ledgerSize: at,
    newRecords: count,
    seconds,
    msPerNewRecord: (seconds * 1000) / count,
    recordsRead,
  };
}

/** `all` must hold at least max(ledgerSizes) + newRecords records signed by `parties`. */
export async function measureIncrementalAudit(
  parties: BenchParties,
  all: readonly LedgerRecord[],
  ledgerSizes: readonly number[],
  newRecords: number,
  repetitions = 5,
): Promise<IncrementalAuditRun[]> {
  const leaves = all.map((r) => recordLeafHash(r.recordHash));
  const runs: IncrementalAuditRun[] = [];
  // One call first, not counted: the JIT and the key imports would otherwise weigh on the first size.
  await runAt(parties, all, leaves, ledgerSizes[0] ?? 0, newRecords, 1);
  for (const size of ledgerSizes)
    runs.push(await runAt(parties, all, leaves, size, newRecords, repetitions));
  return runs;
}

/** Largest over smallest ms per new record: 1 is perfectly flat. */
export function incrementalAuditSpread(runs: readonly IncrementalAuditRun[]): number {
  const costs = runs.map((run) => run.msPerNewRecord);
  return Math.max(...costs) / Math.min(...costs);
}

export function renderIncrementalAudit(runs: readonly IncrementalAuditRun[]): string {
  return table(
    ['ledger size', 'new records', 'call s (median)', 'ms per new record', 'ledger records read'],
    runs.map((run) => [
      f(run.ledgerSize),
      f(run.newRecords),
      f(run.seconds, 3),
      f(run.msPerNewRecord, 3),
      f(run.recordsRead),
    ]),
  );
}
