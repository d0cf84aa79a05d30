/**
 * RFC 3161 TimeStampTokens over a checkpoint note. The token is CMS SignedData (RFC 5652)
 * whose eContent is a TSTInfo; its messageImprint must be SHA-256 over the UTF-8 bytes of
 * the whole signed note, and its SignerInfo must verify with the certificate of a TSA the
 * user pinned (no chain building: the pinned certificate is the trust anchor).
 *
 * The token comes from the bundle, so it is parsed defensively and held to a strict profile
 * under which every byte is either signed or checked: DER only; SignedData v3 with one
 * SHA-256 digest algorithm, one SignerInfo with signed attributes and no unsigned ones, whose
 * sid names the pinned certificate that verifies it; no CRLs field at all, not even an empty
 * one (pkijs reads `[1] {}` as absent, so the raw DER is checked); embedded certificates only
 * if byte-equal to a pinned one. pkijs + asn1js are pure JavaScript on WebCrypto, so this
 * runs in browsers as it does in Node.
 */
import { fromBER, OctetString, type BaseBlock } from 'asn1js';
import {
  Certificate,
  ContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  TSTInfo,
  type AlgorithmIdentifier,
} from 'pkijs';
import { bytesEqual, bytesToHex } from '../encoding';
import { LedgerError } from '../errors';
import { sha256 } from '../hashing';
import type { TrustedTsa } from './trusted-keys';

const SIGNED_DATA = '1.2.840.113549.1.7.2';
const TST_INFO = '1.2.840.113549.1.9.16.1.4';
const SHA256 = '2.16.840.1.101.3.4.2.1';
/** sha256 AlgorithmIdentifier DER, with absent and with NULL parameters (RFC 5754 §2). */
const SHA256_IDENTIFIERS = ['300b0609608648016503040201', '300d06096086480165030402010500'];

export interface VerifiedTimestamp {
  /** TSTInfo genTime, ISO 8601. */
  readonly genTime: string;
  /** Name of the pinned TSA whose certificate verified the token. */
  readonly tsa: string;
}

function invalid(message: string, cause?: unknown): LedgerError {
  return new LedgerError('TIMESTAMP_INVALID', `timestamp token ${message}`, {}, { cause });
}

const der = (value: { toSchema(): { toBER(): ArrayBuffer } }) =>
  new Uint8Array(value.toSchema().toBER());

/** Parses DER exactly: no trailing bytes, and re-encoding gives the same bytes. */
function parseDer(bytes: Uint8Array, what: string) {
  const parsed = fromBER(new Uint8Array(bytes));
  if (parsed.offset === -1 || parsed.offset !== bytes.length) throw invalid(`${what} is not DER`);
  if (!bytesEqual(new Uint8Array(parsed.result.toBER()), bytes)) {
    throw invalid(`${what} is BER, not DER`);
  }
  return parsed.result;
}

function isSha256(algorithm: AlgorithmIdentifier): boolean {
  return SHA256_IDENTIFIERS.includes(bytesToHex(der(algorithm)));
}

const CONTEXT_SPECIFIC = 3;
const CRLS_TAG = 1;

/** True if the DER SignedData has a `crls [1]` field, empty or not (RFC 5652 §5.1). */
function hasCrlsField(signedData: BaseBlock): boolean {
  const fields = (signedData.valueBlock as { value?: unknown }).value;
  if (!Array.isArray(fields)) return false;
  return fields.some(
    (field: BaseBlock) =>
      field.idBlock.tagClass === CONTEXT_SPECIFIC && field.idBlock.tagNumber === CRLS_TAG,
  );
}

function signedDataOf(token: Uint8Array): SignedData {
  try {
    const info = new ContentInfo({ schema: parseDer(token, 'token') });
    if (info.contentType !== SIGNED_DATA) throw invalid('is not CMS SignedData');
    if (hasCrlsField(info.content as BaseBlock)) throw invalid('must not carry a CRLs field');
    return new SignedData({ schema: info.content });
  } catch (cause) {
    throw cause instanceof LedgerError ? cause : invalid('is not a CMS ContentInfo', cause);
  }
}

/** The profile of the module comment; throws TIMESTAMP_INVALID. */
function requireProfile(signed: SignedData, pinned: readonly Uint8Array[]): void {
  const signer = signed.signerInfos[0];
  if (signed.version !== 3 || signed.signerInfos.length !== 1 || !signer) {
    throw invalid('must be SignedData v3 with exactly one signer');
  }
  const [digest, ...more] = signed.digestAlgorithms;
  if (!digest || more.length > 0 || !isSha256(digest) || !isSha256(signer.digestAlgorithm)) {
    throw invalid('must use exactly the SHA-256 digest algorithm');
  }
  if (signed.encapContentInfo.eContentType !== TST_INFO) throw invalid('does not hold a TSTInfo');
  if (signed.crls !== undefined) throw invalid('must not carry CRLs');
  if (!signer.signedAttrs || signer.unsignedAttrs) {
    throw invalid('must have signed attributes and no unsigned attributes');
  }
  const expectedVersion = signer.sid instanceof IssuerAndSerialNumber ? 1 : 3;
  if (signer.version !== expectedVersion)
    throw invalid('has a SignerInfo version not matching its sid');
  for (const certificate of signed.certificates ?? []) {
    if (!(certificate instanceof Certificate)) throw invalid('embeds a non-X.509 certificate');
    const bytes = der(certificate);
    if (!pinned.some((p) => bytesEqual(p, bytes))) throw invalid('embeds an unpinned certificate');
  }
}

function tstInfoOf(signed: SignedData): TSTInfo {
  const content = signed.encapContentInfo.eContent;
  if (!content) throw invalid('has no TSTInfo content');
  try {
    return new TSTInfo({ schema: parseDer(new Uint8Array(content.getValue()), 'TSTInfo') });
  } catch (cause) {
    throw cause instanceof LedgerError ? cause : invalid('has a malformed TSTInfo', cause);
  }
}

/** TIMESTAMP_MISMATCH unless the token's imprint is SHA-256 of exactly these bytes. */
function requireImprint(info: TSTInfo, data: Uint8Array): void {
  const { hashAlgorithm, hashedMessage } = info.messageImprint;
  if (hashAlgorithm.algorithmId !== SHA256) throw invalid('imprint is not SHA-256');
  const expected = sha256(data);
  const actual = new Uint8Array(hashedMessage.getValue());
  if (!bytesEqual(actual, expected)) {
    throw new LedgerError('TIMESTAMP_MISMATCH', 'timestamp token covers other data', {
      expected: bytesToHex(expected),
      actual: bytesToHex(actual),
    });
  }
}

const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

/** The certificate's subjectKeyIdentifier extension value, if it has one. */
function subjectKeyIdentifier(certificate: Certificate): Uint8Array | undefined {
  const extension = certificate.extensions?.find((e) => e.extnID === SUBJECT_KEY_IDENTIFIER);
  const parsed: unknown = extension?.parsedValue;
  return parsed instanceof OctetString ? parsed.valueBlock.valueHexView : undefined;
}

/**
 * The SignerInfo's sid names `certificate` (RFC 5652 §5.3): same issuer and serial number,
 * or same subjectKeyIdentifier. The sid is not signed, so without this a token could name
 * any signer while its signature verifies with the pinned key.
 */
function sidNames(signed: SignedData, certificate: Certificate): boolean {
  const sid: unknown = signed.signerInfos[0]?.sid;
  if (sid instanceof IssuerAndSerialNumber) {
    return (
      bytesEqual(der(sid.issuer), der(certificate.issuer)) &&
      bytesEqual(
        sid.serialNumber.valueBlock.valueHexView,
        certificate.serialNumber.valueBlock.valueHexView,
      )
    );
  }
  // Otherwise pkijs keeps the raw `[0] SubjectKeyIdentifier` block, primitive or wrapped.
  const keyId = subjectKeyIdentifier(certificate);
  const named = sidKeyIdentifier(sid as BaseBlock);
  return keyId !== undefined && named !== undefined && bytesEqual(named, keyId);
}

function sidKeyIdentifier(sid: BaseBlock): Uint8Array | undefined {
  const block = sid.idBlock.isConstructed
    ? (sid.valueBlock as { value?: BaseBlock[] }).value?.[0]
    : sid;
  const hex = (block?.valueBlock as { valueHexView?: Uint8Array } | undefined)?.valueHexView;
  return hex === undefined ? undefined : new Uint8Array(hex);
}

async function signatureVerifies(signed: SignedData, tsa: TrustedTsa, data: Uint8Array) {
  const certificate = new Certificate({ schema: parseDer(tsa.certificateDer, 'TSA certificate') });
  if (!sidNames(signed, certificate)) return false;
  signed.certificates = [certificate];
  try {
    const buffer = new Uint8Array(data).buffer;
    const result = await signed.verify({
      signer: 0,
      data: buffer,
      checkChain: false,
      extendedMode: true,
    });
    return result.signatureVerified === true;
  } catch {
    return false; // pkijs throws when the sid names another certificate or the signature fails
  }
}

/**
 * Verifies `token` (DER TimeStampToken) over `data` with one of the pinned `tsas`. Throws
 * TIMESTAMP_MISMATCH when it covers other data, TIMESTAMP_INVALID for anything else.
 */
export async function verifyTimestampToken(
  token: Uint8Array,
  data: Uint8Array,
  tsas: readonly TrustedTsa[],
): Promise<VerifiedTimestamp> {
  if (tsas.length === 0) throw invalid('cannot be checked: the trusted keys pin no TSA');
  const signed = signedDataOf(token);
  requireProfile(
    signed,
    tsas.map((t) => t.certificateDer),
  );
  const info = tstInfoOf(signed);
  requireImprint(info, data);
  for (const tsa of tsas) {
    if (await signatureVerifies(signed, tsa, data)) {
      return { genTime: info.genTime.toISOString(), tsa: tsa.name };
    }
  }
  throw invalid(
    'names no pinned TSA certificate as its signer (sid), or its signature does not verify with it',
  );
}
