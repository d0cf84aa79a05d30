/**
 * ECDSA P-256 signature encodings. KMS (ECDSA_SHA_256) and the C2SP signed-note type 0x02
 * carry the ASN.1 DER form, SEQUENCE { INTEGER r, INTEGER s } (RFC 3279 §2.2.3, SEC 1 §C.8);
 * WebCrypto signs and verifies the fixed 64-byte r || s form (IEEE P1363). The parser is
 * strict DER (minimal lengths and integers, no trailing bytes), as Go's ecdsa.VerifyASN1 is.
 */
import { LedgerError } from '../errors';

const SCALAR_SIZE = 32;

function invalid(message: string): LedgerError {
  return new LedgerError('CHECKPOINT_SIGNATURE_INVALID', `DER signature: ${message}`);
}

/** Reads one minimally encoded positive INTEGER at `offset`; returns its value and the next offset. */
function readInteger(der: Uint8Array, offset: number): [Uint8Array, number] {
  const length = der[offset + 1];
  if (der[offset] !== 0x02 || length === undefined || length === 0 || length > SCALAR_SIZE + 1) {
    throw invalid('expected an INTEGER of at most 33 bytes');
  }
  const value = der.subarray(offset + 2, offset + 2 + length);
  if (value.length !== length) throw invalid('truncated INTEGER');
  if (value[0]! & 0x80) throw invalid('negative INTEGER');
  if (value[0] === 0 && (length === 1 || !(value[1]! & 0x80))) throw invalid('non-minimal INTEGER');
  const magnitude = value[0] === 0 ? value.subarray(1) : value;
  if (magnitude.length > SCALAR_SIZE) throw invalid('INTEGER larger than the P-256 order');
  return [magnitude, offset + 2 + length];
}

/** DER SEQUENCE { r, s } → 64-byte r || s. Throws CHECKPOINT_SIGNATURE_INVALID. */
export function derToRawSignature(der: Uint8Array): Uint8Array {
  if (der[0] !== 0x30 || der[1] === undefined || der[1] >= 0x80 || der[1] + 2 !== der.length) {
    throw invalid('expected a SEQUENCE with a short-form length covering the whole input');
  }
  const [r, next] = readInteger(der, 2);
  const [s, end] = readInteger(der, next);
  if (end !== der.length) throw invalid('trailing bytes');
  const raw = new Uint8Array(2 * SCALAR_SIZE);
  raw.set(r, SCALAR_SIZE - r.length);
  raw.set(s, 2 * SCALAR_SIZE - s.length);
  return raw;
}

function integer(scalar: Uint8Array): number[] {
  let start = 0;
  while (start < scalar.length - 1 && scalar[start] === 0) start++;
  const body = [...scalar.subarray(start)];
  if (body[0]! & 0x80) body.unshift(0);
  return [0x02, body.length, ...body];
}

/** 64-byte r || s → DER SEQUENCE { r, s }. */
export function rawToDerSignature(raw: Uint8Array): Uint8Array {
  if (raw.length !== 2 * SCALAR_SIZE) throw invalid('raw signature must be 64 bytes');
  const body = [...integer(raw.subarray(0, SCALAR_SIZE)), ...integer(raw.subarray(SCALAR_SIZE))];
  return Uint8Array.from([0x30, body.length, ...body]);
}
