/**
 * Ledger records and their hashes. A record's hash covers its whole body (deposit,
 * signatures, seq, prevHash, sequencedAt), so changing any field of any record breaks the
 * chain at that record.
 *
 * Also the one check of the facts a record states that anyone can recompute (its deposit
 * id, its link to the record before): every verifier runs it, whoever signed the record.
 */
import { canonicalRecordBody } from './canonical-record';
import { depositIdFor } from './deposit-id';
import { LedgerError, type LedgerErrorCode } from './errors';
import { domainHashHex, RECORD_DOMAIN } from './hashing';
import { pickRecordBody } from './known-fields';
import type { Sha256 } from './ports/sha256';
import {
  GENESIS_PREV_HASH,
  type ChainHead,
  type Deposit,
  type LedgerRecord,
  type LedgerRecordBody,
} from './types';

/**
 * hex(SHA-256(RECORD_DOMAIN || 0x00 || JCS(body))), hashed with `hash` (noble by default).
 * Only the fields of LedgerRecordBody are hashed: extra properties, including a
 * LedgerRecord's own recordHash, are ignored.
 */
export function recordHash(body: LedgerRecordBody, hash?: Sha256): string {
  return domainHashHex(RECORD_DOMAIN, canonicalRecordBody(body), hash);
}

/** The record for `body`: its known fields plus recordHash. */
export function sealRecord(body: LedgerRecordBody): LedgerRecord {
  const known = pickRecordBody(body);
  return { ...known, recordHash: recordHash(known) };
}

/** The body of `record`, built from the known fields (recordHash and any extras dropped). */
export function recordBody(record: LedgerRecord): LedgerRecordBody {
  return pickRecordBody(record);
}

/**
 * What a recomputable-facts check looks at: a deposit, and when it is already a record, its
 * seq and prevHash (the appender checks a deposit before it has either).
 */
export interface RecomputableFacts {
  readonly deposit: Deposit;
  readonly seq?: number;
  readonly prevHash?: string;
}

export interface FactFailure {
  readonly code: LedgerErrorCode;
  readonly message: string;
}

function depositIdFailure(
  { deposit }: RecomputableFacts,
  hash: Sha256 | undefined,
): FactFailure | undefined {
  const expected = depositIdFor(deposit, hash);
  if (deposit.depositId === expected) return undefined;
  return {
    code: 'DEPOSIT_ID_MISMATCH',
    message: `depositId is ${deposit.depositId}, (bucket, key, versionId) give ${expected}`,
  };
}

function linkFailure(facts: RecomputableFacts, previous?: ChainHead): FactFailure | undefined {
  const { seq, prevHash } = facts;
  if (seq === undefined || prevHash === undefined) return undefined;
  if (seq === 0 && prevHash !== GENESIS_PREV_HASH) {
    return { code: 'CHAIN_LINK_MISMATCH', message: `seq 0 has prevHash ${prevHash}, not 64 zeros` };
  }
  if (previous === undefined || prevHash === previous.lastHash) return undefined;
  return {
    code: 'CHAIN_LINK_MISMATCH',
    message: `prevHash is ${prevHash}, expected ${previous.lastHash}`,
  };
}

/**
 * Every failure of the facts of `facts` that are recomputed rather than trusted, in order:
 * the depositId is H(bucket, key, versionId) (DEPOSIT_ID_MISMATCH); a seq-0 record links to
 * 64 zeros; and, when the caller holds the record before (`previous`: the head it must
 * extend), prevHash is that record's hash (both CHAIN_LINK_MISMATCH). Both parties' valid
 * signatures do not excuse a fact that does not recompute (issue #9). The caller decides
 * what "the record before" is: the chain walk's head, or the adjacent item of a bundle.
 * `hash` computes the deposit id (noble by default).
 */
export function recomputableFactFailures(
  facts: RecomputableFacts,
  previous?: ChainHead,
  hash?: Sha256,
): FactFailure[] {
  return [depositIdFailure(facts, hash), linkFailure(facts, previous)].filter(
    (failure): failure is FactFailure => failure !== undefined,
  );
}

/** recomputableFactFailures, throwing the first as a LedgerError. */
export function requireRecomputableFacts(
  facts: RecomputableFacts,
  previous?: ChainHead,
  hash?: Sha256,
): void {
  const [failure] = recomputableFactFailures(facts, previous, hash);
  if (failure === undefined) return;
  const seq = facts.seq === undefined ? {} : { seq: facts.seq };
  throw new LedgerError(failure.code, failure.message, {
    ...seq,
    depositId: facts.deposit.depositId,
  });
}
