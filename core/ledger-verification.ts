/**
 * Verifies a run of ledger records completely: the chain (hashes, sequence, links), the
 * facts anyone can recompute (deposit ids, seq 0's zero link; record.ts) and both parties'
 * approvals on every record. Shared by the demo, the tests, the auditor and the anchor; the
 * offline bundle verifier runs the same record.ts check item by item.
 */
import { boundedAll } from './bounded-all';
import { canonicalRecordBody, fastDepositText } from './canonical-record';
import { ChainWalk, verifyChain, type ChainFailure, type VerifyChainOptions } from './chain';
import { isLedgerError } from './errors';
import { domainHashHex, RECORD_DOMAIN } from './hashing';
import {
  keyLookupError,
  verifyApprovals,
  verifyApprovalsSync,
  type TrustedParties,
} from './party-signatures';
import type { SignatureVerifier } from './ports/signature-verifier';
import { GENESIS_HEAD, type ChainHead, type LedgerRecord, type PartyRole } from './types';

export interface LedgerVerification {
  readonly ok: boolean;
  readonly recordsChecked: number;
  /** In record order; the first is the first failed check. */
  readonly failures: ChainFailure[];
  readonly head: ChainHead;
}

/**
 * How many records' approvals are checked at once: enough to keep libuv's thread pool (where
 * WebCrypto and node:crypto's async verify run) busy on every core, few enough that a ledger
 * page does not queue thousands of jobs.
 */
export const VERIFY_CONCURRENCY = 32;

/**
 * `trusted` with its key resolver asked once per key id for one verification (per record it
 * would be asked twice, for the same two trusted keys). A failed lookup is not kept, so a
 * later record asks again, as before.
 */
function resolvingKeysOnce(trusted: TrustedParties): TrustedParties {
  const resolved = new Map<string, Promise<Uint8Array>>();
  const publicKey = (keyId: string): Promise<Uint8Array> => {
    let key = resolved.get(keyId);
    if (key === undefined) {
      key = Promise.resolve(trusted.keys.publicKey(keyId));
      resolved.set(keyId, key);
      key.catch(() => resolved.delete(keyId));
    }
    return key;
  };
  return { ...trusted, keys: { publicKey } };
}

/**
 * The trusted keys, each looked up once per verification for the synchronous pass. A failed
 * lookup is kept only for the record that asked (as resolvingKeysOnce: the next record asks
 * again) and thrown where that record's check uses the key, as the asynchronous path would.
 */
class KeysAtHand {
  private readonly held = new Map<string, Uint8Array>();
  private readonly failed = new Map<string, unknown>();
  private readonly keyIds: readonly string[];

  constructor(private readonly trusted: TrustedParties) {
    this.keyIds = [...new Set(Object.values(trusted.keyIds))];
  }

  /** Looks up the trusted keys not held yet; resolves at once when all are held. */
  async lookUp(): Promise<void> {
    this.failed.clear();
    for (const keyId of this.keyIds) {
      if (this.held.has(keyId)) continue;
      try {
        this.held.set(keyId, await this.trusted.keys.publicKey(keyId));
      } catch (cause) {
        this.failed.set(keyId, cause);
      }
    }
  }

  /** Whether every trusted key is held. */
  get complete(): boolean {
    return this.held.size === this.keyIds.length;
  }

  readonly keyOf = (keyId: string, role: PartyRole): Uint8Array => {
    const key = this.held.get(keyId);
    if (key !== undefined) return key;
    throw keyLookupError(this.failed.get(keyId), keyId, role);
  };
}

/** The failure a LedgerError thrown at `record` is reported as; anything else is re-thrown. */
function failureOf(error: unknown, record: LedgerRecord): ChainFailure {
  if (!isLedgerError(error)) throw error;
  return { code: error.code, seq: record.seq, message: error.message };
}

/**
 * verifyLedgerRecords with a synchronous verifier: one pass, each record's hash, chain checks
 * and approvals in turn, its deposit written once for its body and both statements, no
 * promise per signature (the only await is a key lookup). It reports what the asynchronous
 * path reports: with `allFailures` every chain failure and every failed approval, in seq
 * order; otherwise the first chain failure if there is one, else the first failed approval.
 */
async function verifyInOnePass(
  records: readonly LedgerRecord[],
  trusted: TrustedParties,
  verifySync: NonNullable<SignatureVerifier['verifySync']>,
  options: VerifyChainOptions,
): Promise<LedgerVerification> {
  const { sha256, allFailures = false } = options;
  const walk = new ChainWalk(options.start ?? GENESIS_HEAD, sha256);
  const keys = new KeysAtHand(trusted);
  const chainFailures: ChainFailure[] = [];
  const signatureFailures: ChainFailure[] = [];
  let head = walk.head;
  for (const record of records) {
    const depositText = fastDepositText(record.deposit);
    const body = canonicalRecordBody(record, depositText);
    const found = walk.step(record, domainHashHex(RECORD_DOMAIN, body, sha256));
    if (found.length > 0 && !allFailures) {
      chainFailures.push(found[0]!);
      break; // the first chain failure is the report, with the head before its record
    }
    chainFailures.push(...found);
    head = walk.head;
    if (signatureFailures.length > 0 && !allFailures) continue;
    if (!keys.complete) await keys.lookUp();
    try {
      verifyApprovalsSync(
        record.deposit,
        record.signatures,
        trusted,
        verifySync,
        keys.keyOf,
        depositText,
      );
    } catch (error) {
      signatureFailures.push(failureOf(error, record));
    }
  }
  return report(records, chainFailures, signatureFailures, head, allFailures);
}

/** The verification: chain failures, then approval failures (the first only unless all), in seq order. */
function report(
  records: readonly LedgerRecord[],
  chainFailures: readonly ChainFailure[],
  signatureFailures: readonly ChainFailure[],
  head: ChainHead,
  allFailures: boolean | undefined,
): LedgerVerification {
  const failures = [...chainFailures];
  if (!allFailures && failures.length > 0) {
    return { ok: false, recordsChecked: records.length, failures, head };
  }
  failures.push(...(allFailures ? signatureFailures : signatureFailures.slice(0, 1)));
  failures.sort((a, b) => a.seq - b.seq);
  return { ok: failures.length === 0, recordsChecked: records.length, failures, head };
}

/**
 * Verifies `records` from `options.start`: the chain (chain.ts verifyChain) and both parties'
 * approvals of every record (party-signatures.ts verifyApprovals). With a verifier that has
 * a synchronous form (node:crypto) in one pass on this thread, which costs the least CPU per
 * signature; otherwise (WebCrypto, the browser default) VERIFY_CONCURRENCY records at a time.
 */
export async function verifyLedgerRecords(
  records: readonly LedgerRecord[],
  trusted: TrustedParties,
  options: VerifyChainOptions = {},
): Promise<LedgerVerification> {
  const sha256 = options.sha256 ?? trusted.sha256;
  const chainOptions = sha256 ? { ...options, sha256 } : options;
  const verifySync = trusted.verifier?.verifySync;
  if (verifySync !== undefined) return verifyInOnePass(records, trusted, verifySync, chainOptions);
  const chain = verifyChain(records, chainOptions);
  const approvers = resolvingKeysOnce(trusted);
  let stop = !options.allFailures && chain.failures.length > 0;
  // Records are taken in order, so when one fails every record before it has been started
  // and its failure, if any, is kept: the first failure reported is the same as one by one.
  const approvals = await boundedAll(records, VERIFY_CONCURRENCY, async (record) => {
    if (stop) return undefined;
    try {
      await verifyApprovals(record.deposit, record.signatures, approvers);
      return undefined;
    } catch (error) {
      const failure = failureOf(error, record);
      stop = !options.allFailures;
      return failure;
    }
  });
  const signatureFailures = approvals.filter((failure) => failure !== undefined);
  return report(records, chain.failures, signatureFailures, chain.head, options.allFailures);
}
