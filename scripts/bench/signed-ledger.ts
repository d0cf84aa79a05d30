/**
 * Fully approved deposits and a verified chain of records for the benchmark, signed with
 * WebCrypto P-256 keys that stand in for the two KMS keys (tools/fakes/in-memory-signer.ts).
 */
import { buildRecords, type ApprovedDeposit } from '../../core/chain';
import { depositIdFor } from '../../core/deposit-id';
import { signAttestation, type TrustedParties } from '../../core/party-signatures';
import { GENESIS_HEAD, type ChainHead, type Deposit, type LedgerRecord } from '../../core/types';
import {
  createInMemorySigner,
  inMemoryKeyResolver,
  type InMemorySigner,
} from '../../tools/fakes/in-memory-signer';

export interface BenchParties {
  readonly agency: InMemorySigner;
  readonly custodian: InMemorySigner;
  readonly trusted: TrustedParties;
}

export async function benchParties(): Promise<BenchParties> {
  const [agency, custodian] = await Promise.all([
    createInMemorySigner('agency'),
    createInMemorySigner('custodian'),
  ]);
  return {
    agency,
    custodian,
    trusted: {
      keyIds: { agency: agency.keyId, custodian: custodian.keyId },
      keys: inMemoryKeyResolver([agency, custodian]),
    },
  };
}

export function benchDeposit(bucket: string, index: number): Deposit {
  const ref = { bucket, key: `bench/item-${index}.bin`, versionId: `v${index}` };
  return {
    depositId: depositIdFor(ref),
    ...ref,
    size: 1024,
    sha256: depositIdFor({ ...ref, versionId: `content-${index}` }),
    uploadedAt: new Date(Date.UTC(2026, 10, 24) + index).toISOString(),
    uploader: { principalId: 'AWS:AIDABENCH', sourceIp: '192.0.2.1' },
    caseMetadata: { 'case-id': 'BENCH' },
  };
}

export async function approve(parties: BenchParties, deposit: Deposit): Promise<ApprovedDeposit> {
  const signatures = await Promise.all([
    signAttestation(parties.agency, deposit),
    signAttestation(parties.custodian, deposit),
  ]);
  return { deposit, signatures };
}

/** `count` chained records, built in groups of 49 as the appender builds them. */
export async function signedLedger(
  parties: BenchParties,
  count: number,
  bucket = 'bench-evidence',
): Promise<LedgerRecord[]> {
  const records: LedgerRecord[] = [];
  let head: ChainHead = GENESIS_HEAD;
  for (let from = 0; from < count; from += 49) {
    const indices = Array.from({ length: Math.min(49, count - from) }, (_, i) => from + i);
    const approved = await Promise.all(
      indices.map((i) => approve(parties, benchDeposit(bucket, i))),
    );
    const built = buildRecords(head, approved, new Date(Date.UTC(2026, 10, 24, 3) + from));
    records.push(...built.records);
    head = built.head;
  }
  return records;
}
