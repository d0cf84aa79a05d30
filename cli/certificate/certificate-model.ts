/**
 * What an integrity certificate states, as plain data, built only from a bundle that passed
 * verifyBundle (cli/verify-bundle-command.ts verifyBundleAt). Every fact comes from the
 * verified bundle or from the user's trusted keys, never from the bundle's `informative`
 * copy (INFORMATIVE_FIELDS: no check covers it). The strings from the deposit (case
 * metadata, key, uploader) were chosen by whoever uploaded: the renderer escapes them.
 *
 * Pure: no files, no clock (`generatedAt` is passed in), no network.
 */
import {
  bundleSchema,
  type BundleCheck,
  type BundleItem,
  type BundleReport,
  type EvidenceBundle,
  type EvidenceDigest,
  type TrustedKeys,
} from '../../core/bundle';
import { LedgerError } from '../../core/errors';
import { verifyBundleCheckpoint } from '../../core/bundle/bundle-checkpoint';
import { matchEvidence } from '../../core/bundle/evidence-check';
import { verifyTimestampToken, type VerifiedTimestamp } from '../../core/bundle/timestamp-token';
import { ecdsaKeyId, formatKeyId } from '../../core/checkpoint/note-key';
import { base64Decode, bytesToHex, utf8Encode } from '../../core/encoding';
import { sha256 } from '../../core/hashing';
import { parseStrictJson } from '../../core/strict-json';
import type { Deposit, PartyRole } from '../../core/types';

/** A trusted party's keys as the user's trusted-keys file gives them, with fingerprints. */
export interface TrustedPartyFingerprint {
  readonly role: PartyRole;
  readonly keyId: string;
  readonly noteKeyName: string;
  /** The C2SP signed-note key ID: SHA-256(SPKI)[:4], 8 hex digits. */
  readonly noteKeyId: string;
  /** Hex SHA-256 of the public key's DER SubjectPublicKeyInfo. */
  readonly publicKeySha256: string;
}

export interface TsaFingerprint {
  readonly name: string;
  /** Hex SHA-256 of the pinned certificate's DER. */
  readonly certificateSha256: string;
}

export interface Approval {
  readonly role: PartyRole;
  readonly keyId: string;
  readonly algorithm: string;
  /** Fingerprint of the trusted key that verified this signature. */
  readonly publicKeySha256: string;
}

export interface Exhibit {
  readonly itemIndex: number;
  readonly seq: number;
  readonly recordHash: string;
  readonly prevHash: string;
  readonly sequencedAt: string;
  readonly deposit: Deposit;
  readonly approvals: readonly Approval[];
  readonly inclusion: {
    readonly leafIndex: number;
    readonly treeSize: number;
    readonly proofHashes: number;
  };
  /** True when the evidence file given to the command is this exhibit's deposit. */
  readonly evidenceFileMatched: boolean;
  /** The checks about the whole bundle and those about this item, in report order. */
  readonly checks: readonly BundleCheck[];
}

/** A file the certificate names: as given on the command line, reduced to its base name. */
export interface NamedFile {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
}

export interface CertificateModel {
  readonly verdict: 'VERIFIED';
  readonly generatedAt: string;
  readonly checkCount: number;
  readonly bundleFile: NamedFile;
  readonly trustedKeysFile: string;
  readonly evidenceFile?: NamedFile;
  readonly checkpoint: {
    readonly origin: string;
    readonly treeSize: number;
    readonly rootHash: string;
  };
  readonly timestamp?: VerifiedTimestamp;
  readonly trustedParties: readonly TrustedPartyFingerprint[];
  readonly trustedTsa: readonly TsaFingerprint[];
  /** The `evidence verify-bundle` command that re-checks the same files. */
  readonly recheckCommand: string;
  readonly exhibits: readonly Exhibit[];
}

export interface CertificateInput {
  /** The verification report of `bundleFile`; it must be ok. */
  readonly report: BundleReport;
  /** The bundle file's bytes exactly as verified. */
  readonly bundleFile: Uint8Array;
  readonly trusted: TrustedKeys;
  /** Base names of the files given to the command, for the re-check command. */
  readonly names: { readonly bundle: string; readonly trustedKeys: string };
  readonly evidence?: { readonly name: string; readonly digest: EvidenceDigest };
  readonly requireTimestamp: boolean;
  /** ISO 8601 time of certification. */
  readonly generatedAt: string;
}

const hexSha256 = (bytes: Uint8Array) => bytesToHex(sha256(bytes));

/** POSIX shell quoting, so the printed command can be pasted as is. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9._/=-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function recheckCommand(input: CertificateInput, hasTimestamp: boolean): string {
  const words = [
    'evidence',
    'verify-bundle',
    input.names.bundle,
    '--trusted-keys',
    input.names.trustedKeys,
    ...(input.evidence ? ['--evidence', input.evidence.name] : []),
    ...(hasTimestamp || input.requireTimestamp ? ['--require-timestamp'] : []),
  ];
  return words.map(shellQuote).join(' ');
}

function trustedParties(trusted: TrustedKeys): TrustedPartyFingerprint[] {
  return trusted.parties.map((party) => ({
    role: party.role,
    keyId: party.keyId,
    noteKeyName: party.noteKeyName,
    noteKeyId: formatKeyId(ecdsaKeyId(party.publicKeySpki)),
    publicKeySha256: hexSha256(party.publicKeySpki),
  }));
}

function exhibitOf(
  item: BundleItem,
  itemIndex: number,
  input: CertificateInput,
  matchedIndex: number | undefined,
): Exhibit {
  const { record, inclusionProof } = item;
  const fingerprints = trustedParties(input.trusted);
  return {
    itemIndex,
    seq: record.seq,
    recordHash: record.recordHash,
    prevHash: record.prevHash,
    sequencedAt: record.sequencedAt,
    deposit: record.deposit,
    approvals: record.signatures.map((signature) => ({
      role: signature.role,
      keyId: signature.keyId,
      algorithm: signature.algorithm,
      // verifyBundle passed, so each signature's key id is a trusted party's.
      publicKeySha256: fingerprints.find((p) => p.keyId === signature.keyId)?.publicKeySha256 ?? '',
    })),
    inclusion: {
      leafIndex: inclusionProof.leafIndex,
      treeSize: inclusionProof.treeSize,
      proofHashes: inclusionProof.hashes.length,
    },
    evidenceFileMatched: matchedIndex === itemIndex,
    checks: input.report.checks.filter(
      (check) => check.itemIndex === undefined || check.itemIndex === itemIndex,
    ),
  };
}

/** The bundle as verified: the same bytes, read by the same strict reader and schema. */
function verifiedBundle(file: Uint8Array): EvidenceBundle {
  return bundleSchema.parse(parseStrictJson(file, { code: 'BUNDLE_MALFORMED', what: 'bundle' }));
}

async function timestampOf(bundle: EvidenceBundle, trusted: TrustedKeys) {
  const { note, timestampToken } = bundle.checkpoint;
  if (timestampToken === undefined) return undefined;
  return verifyTimestampToken(base64Decode(timestampToken), utf8Encode(note), trusted.tsa);
}

/**
 * The certificate of a verified bundle. Throws if `report` is not ok: a certificate is never
 * made for a bundle that failed, whoever calls this.
 */
export async function buildCertificateModel(input: CertificateInput): Promise<CertificateModel> {
  if (!input.report.ok)
    throw new LedgerError('INVALID_INPUT', 'a certificate is only made for a verified bundle');
  const bundle = verifiedBundle(input.bundleFile);
  // Re-derived from the verified bundle by the same core functions verifyBundle ran.
  const checkpoint = await verifyBundleCheckpoint(bundle, input.trusted);
  const timestamp = await timestampOf(bundle, input.trusted);
  const matched = input.evidence && matchEvidence(bundle.items, input.evidence.digest);
  return {
    verdict: 'VERIFIED',
    generatedAt: input.generatedAt,
    checkCount: input.report.checks.length,
    bundleFile: {
      name: input.names.bundle,
      sha256: hexSha256(input.bundleFile),
      size: input.bundleFile.length,
    },
    trustedKeysFile: input.names.trustedKeys,
    ...(input.evidence
      ? { evidenceFile: { name: input.evidence.name, ...input.evidence.digest } }
      : {}),
    checkpoint: {
      origin: checkpoint.origin,
      treeSize: checkpoint.treeSize,
      rootHash: bytesToHex(checkpoint.rootHash),
    },
    ...(timestamp ? { timestamp } : {}),
    trustedParties: trustedParties(input.trusted),
    trustedTsa: input.trusted.tsa.map((tsa) => ({
      name: tsa.name,
      certificateSha256: hexSha256(tsa.certificateDer),
    })),
    recheckCommand: recheckCommand(input, timestamp !== undefined),
    exhibits: bundle.items.map((item, index) => exhibitOf(item, index, input, matched)),
  };
}
