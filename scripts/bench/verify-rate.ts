/** (d) Offline verification (verifyLedgerRecords) against OpenSSL's ECDSA P-256 verify rate. */
import { verifyLedgerRecords } from '../../core/ledger-verification';
import type { TrustedParties } from '../../core/party-signatures';
import type { LedgerRecord } from '../../core/types';
import { opensslEcdsaP256VerifyPerSecond } from './machine';

export interface VerifyRate {
  readonly records: number;
  readonly recordsPerSecond: number;
  readonly signaturesPerSecond: number;
  readonly coresUsed: number;
  readonly opensslVerifyPerSecond: number;
  /** Signature verifications per second per core used, over OpenSSL's per core. */
  readonly ratioPerCore: number;
}

export async function measureVerifyRate(records: readonly LedgerRecord[], trusted: TrustedParties): Promise<VerifyRate> {
  const opensslVerifyPerSecond = opensslEcdsaP256VerifyPerSecond();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await verifyLedgerRecords(records, trusted);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  if (!result.ok) throw new Error(`the bench ledger does not verify: ${JSON.stringify(result.failures[0])}`);
  // WebCrypto runs verify on libuv's thread pool: count every core that did work.
  const coresUsed = Math.max(1, (cpu.user + cpu.system) / 1e6 / seconds);
  const recordsPerSecond = records.length / seconds;
  const signaturesPerSecond = 2 * recordsPerSecond;
  return {
    records: records.length,
    recordsPerSecond,
    signaturesPerSecond,
    coresUsed,
    opensslVerifyPerSecond,
    ratioPerCore: signaturesPerSecond / coresUsed / opensslVerifyPerSecond,
  };
}
