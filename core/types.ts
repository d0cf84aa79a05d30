/**
 * The data model of the ledger. Everything here is plain JSON (strings, safe integers,
 * objects, arrays) so that it has exactly one RFC 8785 canonical form.
 */

/** The two parties whose approval every deposit needs. */
export type PartyRole = 'agency' | 'custodian';
export const PARTY_ROLES: readonly PartyRole[] = ['agency', 'custodian'];

/** Who put the object into the bucket, as S3 reported it (null where the event lacks it). */
export interface Uploader {
  readonly principalId: string | null;
  readonly sourceIp: string | null;
}

/**
 * The facts of one deposit: one exact S3 object version and its SHA-256.
 * Both parties sign a statement over these facts.
 */
export interface Deposit {
  /** Deterministic id of the object version: hex SHA-256 over canonical {bucket,key,versionId}. */
  readonly depositId: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
  /** Lower-case hex SHA-256 of the object's bytes. */
  readonly sha256: string;
  /** When S3 says the object was created (event time, ISO 8601 UTC). */
  readonly uploadedAt: string;
  readonly uploader: Uploader;
  /** Case metadata from the object's user metadata (x-amz-meta-*), keys lower-cased. */
  readonly caseMetadata: Readonly<Record<string, string>>;
}

/** A deposit whose object is still being hashed: every fact but the digest. */
export type DepositDraft = Omit<Deposit, 'sha256'>;

/** What one party signs: its role and the deposit facts. */
export interface AttestationStatement {
  readonly type: 'evidence-ledger/attestation/v1';
  readonly role: PartyRole;
  readonly deposit: Deposit;
}

export const SIGNATURE_ALGORITHM = 'ECDSA_P256_SHA256' as const;

/** One party's signature over its attestation statement. */
export interface PartySignature {
  readonly role: PartyRole;
  /** Identifier of the signing key (the KMS key ARN). */
  readonly keyId: string;
  readonly algorithm: typeof SIGNATURE_ALGORITHM;
  /** Base64 of the DER-encoded ECDSA signature, as KMS returns it. */
  readonly signature: string;
}

/** A ledger record as stored, without its own hash. */
export interface LedgerRecordBody {
  readonly type: 'evidence-ledger/record/v1';
  readonly seq: number;
  /** Record hash of seq-1, or 64 zeros for seq 0. */
  readonly prevHash: string;
  /** When the appender sequenced the record (ISO 8601 UTC). */
  readonly sequencedAt: string;
  readonly deposit: Deposit;
  /** Exactly one signature per role, in PARTY_ROLES order. */
  readonly signatures: readonly PartySignature[];
}

export interface LedgerRecord extends LedgerRecordBody {
  /** Lower-case hex of the domain-separated SHA-256 of the canonical body. */
  readonly recordHash: string;
}

/** The tip of the chain: the next sequence number and the hash it must link to. */
export interface ChainHead {
  readonly nextSeq: number;
  readonly lastHash: string;
}

export const GENESIS_PREV_HASH = '0'.repeat(64);
export const GENESIS_HEAD: ChainHead = { nextSeq: 0, lastHash: GENESIS_PREV_HASH };
