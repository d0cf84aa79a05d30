/**
 * The anchor's side of RFC 3161 (https://www.rfc-editor.org/rfc/rfc3161): the request it sends
 * for a checkpoint, and the checks a reply must pass before its token is stored. The TSA is
 * outside the ledger's trust: a stored token is read back by every later anchor run, audit and
 * bundle, so one hostile reply (a 60 KB blob once wedged them all) must never be stored.
 *
 * A reply is accepted only if it is at most MAX_TIMESTAMP_REPLY_BYTES of DER; its status is
 * granted (or grantedWithMods); its token passes the core's token verification against the
 * pinned certificate (strict profile, message imprint = SHA-256 of the checkpoint note,
 * signature; core/bundle/timestamp-token.ts); and its TSTInfo nonce is the request's. Anything
 * else, a timeout included, publishes the checkpoint without a token, with the reason's code.
 */
import { fromBER, Integer, Null, OctetString, type BaseBlock } from 'asn1js';
import {
  AlgorithmIdentifier,
  type ContentInfo,
  MessageImprint,
  SignedData,
  TimeStampReq,
  TimeStampResp,
  TSTInfo,
} from 'pkijs';
import { verifyTimestampToken } from '../bundle/timestamp-token';
import { bytesEqual, bytesToHex, utf8Encode } from '../encoding';
import { isLedgerError, LedgerError, type LedgerErrorCode } from '../errors';
import { sha256 } from '../hashing';
import type { TimestampAuthority } from './ports';

/**
 * 16 KiB: a token signed with an RSA-4096 key and carrying its certificate is about 3-6 KiB;
 * the stored anchor state allows 64 KiB for the whole token, so this leaves room for both.
 */
export const MAX_TIMESTAMP_REPLY_BYTES = 16 * 1024;

const SHA256 = '2.16.840.1.101.3.4.2.1';
const GRANTED = [0, 1]; // granted, grantedWithMods (RFC 3161 §2.4.2)

function invalid(
  message: string,
  cause?: unknown,
  details: Record<string, unknown> = {},
): LedgerError {
  return new LedgerError('TIMESTAMP_INVALID', `TSA reply ${message}`, details, { cause });
}

/** 8 random bytes as a positive, minimally encoded INTEGER (top bit clear, first byte non-zero). */
export function randomNonce(): Uint8Array {
  const nonce = crypto.getRandomValues(new Uint8Array(8));
  nonce[0] = ((nonce[0] ?? 1) & 0x7f) | 0x01;
  return nonce;
}

/** TimeStampReq { v1, messageImprint {sha256, digest}, nonce, certReq TRUE } (RFC 3161 §2.4.1). */
export function timestampRequest(sha256Digest: Uint8Array, nonce: Uint8Array): Uint8Array {
  const request = new TimeStampReq({
    version: 1,
    messageImprint: new MessageImprint({
      hashAlgorithm: new AlgorithmIdentifier({ algorithmId: SHA256, algorithmParams: new Null() }),
      hashedMessage: new OctetString({ valueHex: sha256Digest }),
    }),
    nonce: new Integer({ valueHex: nonce }),
    // The token then carries the TSA's certificate, so that `openssl ts -verify` and other
    // tools can check it alone; the verifier accepts only a copy byte-equal to the pinned one.
    certReq: true,
  });
  return new Uint8Array(request.toSchema().toBER());
}

/** Parses DER exactly (no trailing bytes, no BER), as the token verifier does. */
function parseDer(bytes: Uint8Array): BaseBlock {
  const parsed = fromBER(new Uint8Array(bytes));
  if (
    parsed.offset === -1 ||
    parsed.offset !== bytes.length ||
    !bytesEqual(new Uint8Array(parsed.result.toBER()), bytes)
  ) {
    throw invalid('is not DER');
  }
  return parsed.result;
}

/** The granted reply's token: its DER bytes, and the token as pkijs read it. */
function grantedToken(reply: Uint8Array): {
  readonly bytes: Uint8Array;
  readonly token: ContentInfo;
} {
  if (reply.length > MAX_TIMESTAMP_REPLY_BYTES)
    throw invalid(`is longer than ${MAX_TIMESTAMP_REPLY_BYTES} bytes`);
  let response: TimeStampResp;
  try {
    response = new TimeStampResp({ schema: parseDer(reply) });
  } catch (cause) {
    throw isLedgerError(cause) ? cause : invalid('is not a TimeStampResp', cause);
  }
  if (!GRANTED.includes(response.status.status))
    throw invalid(`refuses the request (PKIStatus ${response.status.status})`);
  const token = response.timeStampToken;
  if (!token) throw invalid('grants no token');
  // The reply is DER (parseDer re-encoded it to the same bytes), so this re-encoding is the
  // token exactly as the TSA sent it; verifyTimestampToken holds it to DER again.
  return { bytes: new Uint8Array(token.toSchema().toBER()), token };
}

/** The TSTInfo nonce of a token that already passed verifyTimestampToken. */
function nonceOf(token: ContentInfo): Uint8Array | null {
  try {
    const content = new SignedData({ schema: token.content }).encapContentInfo.eContent;
    if (!content) return null;
    const info = new TSTInfo({ schema: fromBER(new Uint8Array(content.getValue())).result });
    return info.nonce ? new Uint8Array(info.nonce.valueBlock.valueHexView) : null;
  } catch (cause) {
    throw invalid('has an unreadable TSTInfo', cause);
  }
}

/**
 * The token of `reply` if it is one the anchor may store for `data` (the checkpoint note's
 * bytes) and the request with `nonce`; TIMESTAMP_INVALID or TIMESTAMP_MISMATCH otherwise.
 */
export async function acceptedToken(
  reply: Uint8Array,
  expected: { readonly data: Uint8Array; readonly nonce: Uint8Array },
  certificateDer: Uint8Array,
): Promise<Uint8Array> {
  const { bytes, token } = grantedToken(reply);
  await verifyTimestampToken(bytes, expected.data, [{ name: 'tsa', certificateDer }]);
  const nonce = nonceOf(token);
  if (!nonce || !bytesEqual(nonce, expected.nonce)) {
    throw invalid('answers another request (nonce differs)', undefined, {
      expected: bytesToHex(expected.nonce),
      actual: nonce ? bytesToHex(nonce) : null,
    });
  }
  return bytes;
}

/** Asks `tsa` for a token over `data`; resolves to a token that passed every check, or throws. */
export async function requestTimestamp(
  tsa: TimestampAuthority,
  data: Uint8Array,
  nonce: Uint8Array = randomNonce(),
): Promise<Uint8Array> {
  const reply = await tsa.exchange(
    timestampRequest(sha256(data), nonce),
    MAX_TIMESTAMP_REPLY_BYTES,
  );
  return acceptedToken(reply, { data, nonce }, tsa.certificateDer);
}

export interface CheckpointTimestamp {
  readonly token: Uint8Array | null;
  /** Why there is no token although a TSA is configured. */
  readonly rejected: { readonly code: LedgerErrorCode; readonly message: string } | null;
}

/**
 * A checked token for the checkpoint note, or none with the reason: a TSA that is down or
 * hostile delays nothing and leaves nothing behind that a later run or audit could trip on.
 */
export async function timestampCheckpoint(
  tsa: TimestampAuthority | null,
  checkpointNote: string,
): Promise<CheckpointTimestamp> {
  if (!tsa) return { token: null, rejected: null };
  try {
    return { token: await requestTimestamp(tsa, utf8Encode(checkpointNote)), rejected: null };
  } catch (error) {
    // Whatever went wrong with the TSA's answer, the checkpoint is published without a token.
    const reason = isLedgerError(error) ? error : invalid('could not be checked', error);
    return { token: null, rejected: { code: reason.code, message: reason.message } };
  }
}
