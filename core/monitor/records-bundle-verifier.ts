/**
 * The port through which the monitor verifies one records bundle: decode its lines, then
 * verify its records (hash, chain, both approvals) from a given head. A bundle's start head
 * is known before the bundle before it is verified (verify-new-entries.ts), so bundles can
 * be verified independently: on this thread one after another (the default here, also the
 * browser's), or on every core (the CLI's worker pool, cli/monitor/records-verify-pool.ts).
 */
import type { ChainFailure } from '../chain';
import { verifyLedgerRecords } from '../ledger-verification';
import type { TrustedParties } from '../party-signatures';
import { decodeRecordsBundle } from '../tlog/records-bundle';
import type { ChainHead, LedgerRecord } from '../types';

export interface RecordsBundleCheck {
  /** The records bundle as read; a verifier may take the bytes over (transfer them). */
  readonly bundle: Uint8Array;
  /** Records in the bundle (its level-0 tile's width). */
  readonly width: number;
  /** Leading records the monitor verified before (the old partial bundle): decoded, not verified. */
  readonly skip: number;
  /** The head the first record after `skip` must extend. */
  readonly start: ChainHead;
}

export interface RecordsBundleVerdict {
  /** Each record's seq and the recordHash it states, all `width` of them, in order. */
  readonly stated: readonly Pick<LedgerRecord, 'seq' | 'recordHash'>[];
  /** verifyLedgerRecords' failures over the records after `skip` (the first is the report). */
  readonly failures: readonly ChainFailure[];
  /** The head after the last record accepted. */
  readonly head: ChainHead;
}

/** Verifies records bundles; rejects with the decoding error of a malformed one. */
export interface RecordsBundleVerifier {
  verify(check: RecordsBundleCheck): Promise<RecordsBundleVerdict>;
}

/** One records bundle verified on the calling thread (what every verifier computes). */
export async function verifyRecordsBundle(
  check: RecordsBundleCheck,
  approvers: TrustedParties,
): Promise<RecordsBundleVerdict> {
  const records = decodeRecordsBundle(check.bundle, check.width);
  const { failures, head } = await verifyLedgerRecords(records.slice(check.skip), approvers, {
    start: check.start,
  });
  return { stated: records.map(({ seq, recordHash }) => ({ seq, recordHash })), failures, head };
}

/** The default: each bundle verified on the calling thread, with `approvers`' verifier. */
export function inThreadRecordsBundleVerifier(approvers: TrustedParties): RecordsBundleVerifier {
  return { verify: (check) => verifyRecordsBundle(check, approvers) };
}
