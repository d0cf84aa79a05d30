/**
 * A monitor of the tiled log: run after run it follows the log's co-signed checkpoint from
 * the last one it verified, like a witness (c2sp.org/tlog-witness) that also re-verifies
 * every record. Per run: the checkpoint's co-signatures and origin; never a smaller tree
 * (LEDGER_ROLLED_BACK) nor another tree of the same size (CHECKPOINT_INCONSISTENT); a
 * consistency proof from tiles between the two trees; every new record (verify-new-entries);
 * the root the tiles give equals the checkpoint's. The state advances only when all passed.
 */
import { verifyCheckpoint, type PartyVerifierKey } from '../checkpoint/signed-checkpoint';
import type { Checkpoint } from '../checkpoint/checkpoint';
import { bytesEqual, bytesToHex, utf8Decode } from '../encoding';
import { errorLayer, isLedgerError, LedgerError, type LedgerErrorCode } from '../errors';
import { requireSameRoot } from '../merkle/checks';
import { verifyConsistency } from '../merkle/consistency';
import type { TrustedParties } from '../party-signatures';
import type { Sha256 } from '../ports/sha256';
import type { SignatureVerifier } from '../ports/signature-verifier';
import { checkpointVerifiers, recordApprovers, type TrustedKeys } from '../bundle/trusted-keys';
import { consistencyProofFromTiles, treeRootFromTiles } from '../tlog/tile-proofs';
import { logTileReader, type LogSource } from './log-source';
import { initialMonitorState, type MonitorState } from './monitor-state';
import type { RecordsBundleVerifier } from './records-bundle-verifier';
import { verifyNewEntries } from './verify-new-entries';

/** The path of the latest checkpoint under the log root. */
export const CHECKPOINT_PATH = 'checkpoint';

/** What the monitor trusts, from the user's trusted-keys file (core/bundle/trusted-keys.ts). */
export interface MonitorTrust {
  readonly origin: string;
  readonly checkpointKeys: readonly PartyVerifierKey[];
  readonly approvers: TrustedParties;
  /** Verifies the records bundles (the CLI: on every core); on this thread when absent. */
  readonly bundleVerifier?: RecordsBundleVerifier;
}

/**
 * The monitor's trust from a parsed trusted-keys file; `verifier` checks record signatures
 * and `sha256` recomputes record hashes (the core's defaults when absent); `bundleVerifier`
 * verifies whole records bundles in their place (on this thread with them when absent).
 */
export function monitorTrust(
  trusted: TrustedKeys,
  verifier?: SignatureVerifier,
  sha256?: Sha256,
  bundleVerifier?: RecordsBundleVerifier,
): MonitorTrust {
  return {
    origin: trusted.origin,
    checkpointKeys: checkpointVerifiers(trusted),
    approvers: {
      ...recordApprovers(trusted),
      ...(verifier ? { verifier } : {}),
      ...(sha256 ? { sha256 } : {}),
    },
    ...(bundleVerifier ? { bundleVerifier } : {}),
  };
}

export type MonitorReport =
  | {
      readonly ok: true;
      readonly origin: string;
      readonly previousSize: number;
      readonly treeSize: number;
      readonly newRecords: number;
    }
  | {
      readonly ok: false;
      readonly origin: string;
      readonly code: LedgerErrorCode;
      readonly message: string;
      readonly details: Readonly<Record<string, unknown>>;
    };

export interface MonitorRun {
  /** The new state when the run verified, else the state it started from, unchanged. */
  readonly state: MonitorState;
  readonly report: MonitorReport;
}

/**
 * Failures that say the log (or the state) could not be read, not that it is wrong: the
 * store failed or refused access, or there is no checkpoint at all. monitorLog throws these.
 */
export function isLogUnreadable(error: unknown): boolean {
  if (!isLedgerError(error)) return true;
  const layer = errorLayer(error.code);
  return (
    layer === 'dependency' ||
    layer === 'configuration' ||
    error.code === 'OBJECT_NOT_FOUND' ||
    error.code === 'STORAGE_ITEM_CORRUPT'
  );
}

async function readCheckpoint(source: LogSource, trust: MonitorTrust) {
  const bytes = await source.get(CHECKPOINT_PATH);
  if (bytes === null) {
    throw new LedgerError('OBJECT_NOT_FOUND', 'the log has no checkpoint', {
      path: CHECKPOINT_PATH,
    });
  }
  let note: string;
  try {
    note = utf8Decode(bytes);
  } catch (cause) {
    throw new LedgerError('CHECKPOINT_MALFORMED', 'checkpoint is not UTF-8', {}, { cause });
  }
  return { note, checkpoint: await verifyCheckpoint(note, trust.checkpointKeys, trust.origin) };
}

function requireNoRollbackOrFork(state: MonitorState, checkpoint: Checkpoint): void {
  const sizes = { stateSize: state.treeSize, checkpointSize: checkpoint.treeSize };
  if (checkpoint.treeSize < state.treeSize) {
    throw new LedgerError(
      'LEDGER_ROLLED_BACK',
      `the log's checkpoint is at size ${checkpoint.treeSize}, below the verified ${state.treeSize}`,
      sizes,
    );
  }
  if (checkpoint.treeSize === state.treeSize && !bytesEqual(checkpoint.rootHash, state.rootHash)) {
    throw new LedgerError(
      'CHECKPOINT_INCONSISTENT',
      `fork: a second tree of size ${state.treeSize} with another root`,
      { ...sizes, verifiedRoot: bytesToHex(state.rootHash), root: bytesToHex(checkpoint.rootHash) },
    );
  }
}

/** Verifies the log's growth from `state` to its current checkpoint; the state to keep. */
async function advance(
  source: LogSource,
  trust: MonitorTrust,
  state: MonitorState,
): Promise<MonitorState> {
  const { note, checkpoint } = await readCheckpoint(source, trust);
  requireNoRollbackOrFork(state, checkpoint);
  if (checkpoint.treeSize === state.treeSize) return state;
  const tiles = logTileReader(source);
  verifyConsistency({
    firstSize: state.treeSize,
    secondSize: checkpoint.treeSize,
    firstRoot: state.rootHash,
    secondRoot: checkpoint.rootHash,
    proof: await consistencyProofFromTiles(tiles, state.treeSize, checkpoint.treeSize),
  });
  const head = await verifyNewEntries(
    source,
    trust.approvers,
    { nextSeq: state.treeSize, lastHash: state.lastRecordHash },
    checkpoint.treeSize,
    trust.bundleVerifier,
  );
  const root = await treeRootFromTiles(tiles, checkpoint.treeSize);
  requireSameRoot(checkpoint.rootHash, root, { tree: 'tiles', treeSize: checkpoint.treeSize });
  return {
    origin: checkpoint.origin,
    treeSize: checkpoint.treeSize,
    rootHash: checkpoint.rootHash,
    checkpoint: note,
    lastRecordHash: head.lastHash,
  };
}

/**
 * One monitor run over `source` from `state` (undefined: a log never seen, from the empty
 * tree). A failed check is a report with its code and the unchanged state; an unreadable log
 * or a state of another log throws (isLogUnreadable).
 */
export async function monitorLog(
  source: LogSource,
  trust: MonitorTrust,
  state: MonitorState = initialMonitorState(trust.origin),
): Promise<MonitorRun> {
  if (state.origin !== trust.origin) {
    throw new LedgerError('STORAGE_ITEM_CORRUPT', 'the monitor state is for another log', {
      stateOrigin: state.origin,
      origin: trust.origin,
    });
  }
  try {
    const next = await advance(source, trust, state);
    const report = {
      ok: true,
      origin: trust.origin,
      previousSize: state.treeSize,
      treeSize: next.treeSize,
      newRecords: next.treeSize - state.treeSize,
    } as const;
    return { state: next, report };
  } catch (error) {
    if (isLogUnreadable(error)) throw error;
    const { code, message, details } = error as LedgerError;
    return { state, report: { ok: false, origin: trust.origin, code, message, details } };
  }
}

/** The one line a run prints: `OK log <origin> grew 3 -> 5, …` or `FAIL <CODE>: <message>`. */
export function formatMonitorReport(report: MonitorReport): string {
  if (!report.ok) return `FAIL ${report.code}: ${report.message}`;
  if (report.newRecords === 0) return `OK log ${report.origin} unchanged at ${report.treeSize}`;
  const records = report.newRecords === 1 ? 'record' : 'records';
  return `OK log ${report.origin} grew ${report.previousSize} -> ${report.treeSize}, ${report.newRecords} new ${records} verified`;
}
