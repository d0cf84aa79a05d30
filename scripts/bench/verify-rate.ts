/**
 * (d) Offline verification (verifyLedgerRecords) against OpenSSL's ECDSA P-256 verify rate,
 * measured side by side in one run: the core's WebCrypto verifier, node:crypto's on the
 * thread pool (what the CLI and the auditor use) and on the main thread, and the signature
 * check alone (strict DER + node:crypto, messages prepared beforehand) to show what the rest
 * of a record's verification costs. Per core = signatures per CPU-second of this process
 * (every thread), the unit `openssl speed` reports on one core.
 */
import { verify } from 'node:crypto';
import { verifyEcdsaP256Sha256 } from '../../core/ecdsa-p256';
import { base64Decode } from '../../core/encoding';
import { verifyLedgerRecords } from '../../core/ledger-verification';
import type { TrustedParties } from '../../core/party-signatures';
import type { SignatureVerifier } from '../../core/ports/signature-verifier';
import { attestationStatement, statementMessage } from '../../core/statement';
import type { LedgerRecord } from '../../core/types';
import { boundedAll } from '../../core/bounded-all';
import {
  nodeSignatureVerifier,
  nodeVerifyKey,
} from '../../functions/shared/node-signature-verifier';
import { opensslEcdsaP256VerifyPerSecond } from './machine';
import { f, table } from './markdown-table';

export interface VerifyPathRate {
  readonly path: string;
  readonly signaturesPerSecond: number;
  readonly coresUsed: number;
  readonly signaturesPerCoreSecond: number;
  /** signaturesPerCoreSecond over OpenSSL's verifications per second on one core. */
  readonly ratioPerCore: number;
}

export interface VerifyRate {
  readonly records: number;
  readonly opensslVerifyPerSecond: number;
  readonly paths: readonly VerifyPathRate[];
  /** verifyLedgerRecords with node:crypto on the thread pool: the path Node callers use. */
  readonly ratioPerCore: number;
}

/** node:crypto's verify on the main thread, for comparison only (blocks the event loop). */
const synchronousNodeVerifier: SignatureVerifier = {
  verify: (spki, message, der) =>
    Promise.resolve(
      verify('sha256', message, { key: nodeVerifyKey(spki), dsaEncoding: 'der' }, der),
    ),
};

async function measure(
  path: string,
  signatures: number,
  opensslPerSecond: number,
  run: () => Promise<void>,
): Promise<VerifyPathRate> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // Thread-pool work counts too: process.cpuUsage covers every thread of the process.
  const coresUsed = (cpu.user + cpu.system) / 1e6 / seconds;
  const signaturesPerCoreSecond = signatures / seconds / coresUsed;
  return {
    path,
    signaturesPerSecond: signatures / seconds,
    coresUsed,
    signaturesPerCoreSecond,
    ratioPerCore: signaturesPerCoreSecond / opensslPerSecond,
  };
}

async function verifyAll(records: readonly LedgerRecord[], trusted: TrustedParties): Promise<void> {
  const result = await verifyLedgerRecords(records, trusted);
  if (!result.ok)
    throw new Error(`the bench ledger does not verify: ${JSON.stringify(result.failures[0])}`);
}

async function signatureChecksOnly(records: readonly LedgerRecord[], trusted: TrustedParties) {
  const spki = {
    agency: await trusted.keys.publicKey(trusted.keyIds.agency),
    custodian: await trusted.keys.publicKey(trusted.keyIds.custodian),
  };
  const checks = records.flatMap((record) =>
    record.signatures.map((s) => ({
      spki: spki[s.role],
      message: statementMessage(attestationStatement(s.role, record.deposit)),
      der: base64Decode(s.signature),
    })),
  );
  return async () => {
    const valid = await boundedAll(checks, 64, (c) =>
      verifyEcdsaP256Sha256(c.spki, c.message, c.der, nodeSignatureVerifier),
    );
    if (!valid.every(Boolean)) throw new Error('a bench signature does not verify');
  };
}

export async function measureVerifyRate(
  records: readonly LedgerRecord[],
  trusted: TrustedParties,
): Promise<VerifyRate> {
  const openssl = opensslEcdsaP256VerifyPerSecond();
  const signatures = 2 * records.length;
  await verifyAll(records.slice(0, 500), { ...trusted, verifier: nodeSignatureVerifier }); // warm-up
  const node = await measure(
    'verifyLedgerRecords, node:crypto on the thread pool',
    signatures,
    openssl,
    () => verifyAll(records, { ...trusted, verifier: nodeSignatureVerifier }),
  );
  const paths = [
    await measure(
      'verifyLedgerRecords, WebCrypto (core default, browsers)',
      signatures,
      openssl,
      () => verifyAll(records, trusted),
    ),
    node,
    await measure('verifyLedgerRecords, node:crypto on the main thread', signatures, openssl, () =>
      verifyAll(records, { ...trusted, verifier: synchronousNodeVerifier }),
    ),
    await measure(
      'signature check alone (strict DER + node:crypto, thread pool)',
      signatures,
      openssl,
      await signatureChecksOnly(records, trusted),
    ),
  ];
  return {
    records: records.length,
    opensslVerifyPerSecond: openssl,
    paths,
    ratioPerCore: node.ratioPerCore,
  };
}

/** The (d) section of docs/PERFORMANCE.md. */
export function renderVerifyRate(v: VerifyRate): string {
  const head = ['path', 'signatures/s', 'cores used', 'signatures/s per core', 'ratio per core'];
  const rows = v.paths.map((p) => [
    p.path,
    f(p.signaturesPerSecond),
    f(p.coresUsed, 2),
    f(p.signaturesPerCoreSecond),
    f(p.ratioPerCore, 2),
  ]);
  rows.push([
    '`openssl speed -seconds 3 ecdsap256` verify, 1 core',
    f(v.opensslVerifyPerSecond),
    '1.00',
    f(v.opensslVerifyPerSecond),
    '1.00',
  ]);
  return table(head, rows);
}
