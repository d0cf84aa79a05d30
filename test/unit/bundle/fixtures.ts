/**
 * A small real ledger for the bundle tests: two in-memory party keys, five deposits of
 * real bytes signed by both, chained, put in an RFC 9162 tree and anchored by a checkpoint
 * co-signed with signCheckpoint. `bundleOf` exports some of its records.
 */
import type { Checkpoint } from '../../../core/checkpoint/checkpoint';
import { signCheckpoint } from '../../../core/checkpoint/signed-checkpoint';
import type { NoteSigner } from '../../../core/checkpoint/signed-note';
import {
  buildBundle,
  type EvidenceBundle,
  type InclusionProofJson,
  type TrustedKeys,
} from '../../../core/bundle';
import { buildRecords } from '../../../core/chain';
import { depositIdFor } from '../../../core/deposit-id';
import { base64Encode, bytesToHex, utf8Encode } from '../../../core/encoding';
import { sha256 } from '../../../core/hashing';
import { recordLeafHash } from '../../../core/merkle/hasher';
import { treeRoot } from '../../../core/merkle/tree';
import { signAttestation } from '../../../core/party-signatures';
import { GENESIS_HEAD, type Deposit, type LedgerRecord, type PartyRole } from '../../../core/types';
import { createInMemorySigner, type InMemorySigner } from '../../../tools/fakes/in-memory-signer';

export const ORIGIN = 'ledger.example/evidence';

export interface TestLedger {
  readonly signers: readonly InMemorySigner[];
  readonly evidence: readonly Uint8Array[];
  readonly records: readonly LedgerRecord[];
  readonly leafHashes: readonly Uint8Array[];
  readonly note: string;
  readonly trusted: TrustedKeys;
}

export function noteSignerOf(signer: InMemorySigner, origin = ORIGIN): NoteSigner {
  return { keyName: `${origin}/${signer.role}`, publicKeySpki: signer.publicKeySpki(), signer };
}

export function depositOf(bytes: Uint8Array, key: string): Deposit {
  const coordinates = { bucket: 'evidence-bucket', key, versionId: `v-${key.length}-${bytes[0]}` };
  return {
    depositId: depositIdFor(coordinates),
    ...coordinates,
    size: bytes.length,
    sha256: bytesToHex(sha256(bytes)),
    uploadedAt: '2024-05-01T11:59:58.123Z',
    uploader: { principalId: 'AWS:AIDAEXAMPLEUPLOADER', sourceIp: '203.0.113.7' },
    caseMetadata: { 'case-id': '2024-0042', exhibit: key },
  };
}

export async function approve(deposit: Deposit, signers: readonly InMemorySigner[]) {
  return {
    deposit,
    signatures: await Promise.all(signers.map((s) => signAttestation(s, deposit))),
  };
}

export function trustedKeysOf(signers: readonly InMemorySigner[], origin = ORIGIN): TrustedKeys {
  const parties = signers.map((s) => ({
    role: s.role,
    keyId: s.keyId,
    noteKeyName: `${origin}/${s.role}`,
    publicKeySpki: s.publicKeySpki(),
  }));
  return { origin, parties, tsa: [] };
}

export async function signedNote(checkpoint: Checkpoint, signers: readonly InMemorySigner[]) {
  return signCheckpoint(
    checkpoint,
    signers.map((s) => noteSignerOf(s, checkpoint.origin)),
  );
}

export async function partySigners(): Promise<InMemorySigner[]> {
  const roles: PartyRole[] = ['agency', 'custodian'];
  return Promise.all(roles.map((role) => createInMemorySigner(role)));
}

export async function createTestLedger(size = 5): Promise<TestLedger> {
  const signers = await partySigners();
  const evidence = Array.from({ length: size }, (_, i) => utf8Encode(`exhibit ${i}: bytes\n`));
  const approved = await Promise.all(
    evidence.map((bytes, i) => approve(depositOf(bytes, `cases/2024-0042/item-${i}.bin`), signers)),
  );
  const { records } = buildRecords(GENESIS_HEAD, approved, new Date('2024-05-01T12:00:00.000Z'));
  return anchorRecords(records, signers, evidence);
}

/**
 * A ledger of exactly `records`, whatever they hold, put in an RFC 9162 tree and anchored
 * by a checkpoint both `signers` co-sign: what a party that signs anything would produce.
 */
export async function anchorRecords(
  records: readonly LedgerRecord[],
  signers: readonly InMemorySigner[],
  evidence: readonly Uint8Array[] = [],
): Promise<TestLedger> {
  const leafHashes = records.map((r) => recordLeafHash(r.recordHash));
  const checkpoint = {
    origin: ORIGIN,
    treeSize: records.length,
    rootHash: treeRoot(leafHashes),
    extensions: [],
  };
  const note = await signedNote(checkpoint, signers);
  return { signers, evidence, records, leafHashes, note, trusted: trustedKeysOf(signers) };
}

/** A bundle of the records at `seqs`, proofs computed from the ledger's leaves. */
export function bundleOf(
  ledger: TestLedger,
  seqs: readonly number[],
  token?: string,
): EvidenceBundle {
  return buildBundle({
    checkpointNote: ledger.note,
    ...(token === undefined ? {} : { timestampToken: token }),
    records: seqs.map((seq) => ledger.records[seq]!),
    proofs: { leafHashes: ledger.leafHashes },
    exportedAt: '2024-05-02T08:00:00.000Z',
    tool: { name: 'evidence-ledger', version: '0.1.0' },
    parties: ledger.trusted.parties,
  });
}

/** A deep, mutable copy of a bundle's JSON. */
export function copyOf(bundle: EvidenceBundle): EvidenceBundleJson {
  return JSON.parse(JSON.stringify(bundle)) as EvidenceBundleJson;
}

/** A bundle as tests edit it: items hold any LedgerRecord. */
export type EvidenceBundleJson = Omit<EvidenceBundle, 'items'> & {
  items: { record: LedgerRecord; inclusionProof: InclusionProofJson }[];
};

/** A test ledger's trusted keys as the JSON file an auditor hands the verifier. */
export function trustedKeysJson(ledger: TestLedger) {
  return {
    format: 'evidence-ledger/trusted-keys/v1',
    origin: ledger.trusted.origin,
    parties: ledger.trusted.parties.map((p) => ({
      role: p.role,
      keyId: p.keyId,
      noteKeyName: p.noteKeyName,
      publicKey: base64Encode(p.publicKeySpki),
    })),
  };
}
