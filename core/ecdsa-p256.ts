/**
 * ECDSA P-256 / SHA-256 signatures. KMS returns them DER-encoded (RFC 3279 §2.2.3:
 * SEQUENCE { r INTEGER, s INTEGER }); WebCrypto wants the fixed 64-byte r||s form of
 * IEEE P1363 (WebCrypto §23.4). The DER parser is strict (X.690 §10 DER rules) because
 * signatures come from storage and bundles: one signature value has one accepted encoding.
 */
import { LedgerError } from './errors';
import { bytesToHex, hexToBytes } from './encoding';

const SCALAR_BYTES = 32;
/** Order of the P-256 base point (FIPS 186-5 / SEC 2 §2.4.2). r and s lie in [1, n-1]. */
const P256_ORDER = hexToBytes('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const SEQUENCE = 0x30;
const INTEGER = 0x02;

function malformed(reason: string): never {
  throw new LedgerError('SIGNATURE_INVALID', `malformed DER signature: ${reason}`, { reason });
}

/** Throws unless the 32-byte big-endian scalar lies in [1, n-1]. */
function assertScalarInRange(scalar: Uint8Array, name: string): void {
  if (scalar.every((byte) => byte === 0)) malformed(`${name} is zero`);
  for (let i = 0; i < SCALAR_BYTES; i++) {
    if (scalar[i]! !== P256_ORDER[i]!) {
      if (scalar[i]! > P256_ORDER[i]!) break;
      return;
    }
  }
  malformed(`${name} is not below the group order`);
}

/** Reads one DER INTEGER at `offset`; returns its value left-padded to 32 bytes. */
function readScalar(der: Uint8Array, offset: number, name: string): [Uint8Array, number] {
  if (der[offset] !== INTEGER) malformed(`${name}: expected INTEGER tag`);
  const length = der[offset + 1] ?? 0;
  const start = offset + 2;
  if (length === 0 || length > SCALAR_BYTES + 1) malformed(`${name}: bad length ${length}`);
  if (start + length > der.length) malformed(`${name}: truncated`);
  const body = der.subarray(start, start + length);
  if (body[0]! & 0x80) malformed(`${name} is negative`);
  if (length > 1 && body[0] === 0 && !(body[1]! & 0x80)) malformed(`${name}: non-minimal`);
  const value = body[0] === 0 ? body.subarray(1) : body;
  if (value.length > SCALAR_BYTES) malformed(`${name} longer than 32 bytes`);
  const scalar = new Uint8Array(SCALAR_BYTES);
  scalar.set(value, SCALAR_BYTES - value.length);
  assertScalarInRange(scalar, name);
  return [scalar, start + length];
}

/** Strict DER → 64-byte r||s. Throws SIGNATURE_INVALID with the reason. */
export function derToP1363(der: Uint8Array): Uint8Array {
  if (der[0] !== SEQUENCE) malformed('expected SEQUENCE tag');
  // At most 2 * (2 + 33) = 70 content bytes, so only the short length form is DER here.
  const length = der[1] ?? 0x80;
  if (length & 0x80) malformed('long-form or missing length');
  if (length + 2 !== der.length) malformed('length does not match (trailing or missing bytes)');
  const [r, afterR] = readScalar(der, 2, 'r');
  const [s, afterS] = readScalar(der, afterR, 's');
  if (afterS !== der.length) malformed('bytes after the second INTEGER');
  const out = new Uint8Array(2 * SCALAR_BYTES);
  out.set(r, 0);
  out.set(s, SCALAR_BYTES);
  return out;
}

/** Minimal DER INTEGER of a 32-byte unsigned big-endian scalar. */
function scalarToDer(scalar: Uint8Array): Uint8Array {
  let start = 0;
  while (start < scalar.length - 1 && scalar[start] === 0) start++;
  const value = scalar.subarray(start);
  const pad = value[0]! & 0x80 ? 1 : 0;
  const out = new Uint8Array(2 + pad + value.length);
  out.set([INTEGER, pad + value.length], 0);
  out.set(value, 2 + pad);
  return out;
}

/** 64-byte r||s → DER, as KMS would return it. Throws SIGNATURE_INVALID if out of range. */
export function p1363ToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 2 * SCALAR_BYTES) malformed(`raw signature is ${raw.length} bytes, not 64`);
  const r = raw.subarray(0, SCALAR_BYTES);
  const s = raw.subarray(SCALAR_BYTES);
  assertScalarInRange(r, 'r');
  assertScalarInRange(s, 's');
  const parts = [scalarToDer(r), scalarToDer(s)];
  const contentLength = parts[0]!.length + parts[1]!.length;
  const out = new Uint8Array(2 + contentLength);
  out.set([SEQUENCE, contentLength], 0);
  out.set(parts[0]!, 2);
  out.set(parts[1]!, 2 + parts[0]!.length);
  return out;
}

const KEY_CACHE_LIMIT = 64;
const keyCache = new Map<string, Promise<CryptoKey>>();

/** Imports an SPKI P-256 key once; later calls with the same bytes reuse the CryptoKey. */
function importVerifyKey(spki: Uint8Array): Promise<CryptoKey> {
  const id = bytesToHex(spki);
  let key = keyCache.get(id);
  if (key === undefined) {
    key = globalThis.crypto.subtle
      .importKey('spki', new Uint8Array(spki), { name: 'ECDSA', namedCurve: 'P-256' }, false, [
        'verify',
      ])
      .catch((cause: unknown) => {
        keyCache.delete(id);
        throw new LedgerError('INVALID_INPUT', 'public key is not a P-256 SPKI', {}, { cause });
      });
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, key);
  }
  return key;
}

/**
 * Whether `derSignature` is a valid ECDSA P-256 SHA-256 signature of `message` under the
 * SPKI public key. Returns false only for a well-formed signature that does not verify;
 * malformed DER throws SIGNATURE_INVALID and a malformed key throws INVALID_INPUT.
 */
export async function verifyEcdsaP256Sha256(
  spkiDer: Uint8Array,
  message: Uint8Array,
  derSignature: Uint8Array,
): Promise<boolean> {
  const raw = derToP1363(derSignature);
  const key = await importVerifyKey(spkiDer);
  return globalThis.crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    new Uint8Array(raw),
    new Uint8Array(message),
  );
}
