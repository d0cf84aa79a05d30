/**
 * Byte encodings used across the ledger: hex (RFC 4648 §8, "base16"), standard base64 with
 * padding (RFC 4648 §4) and UTF-8 (RFC 3629). No `Buffer`: the core must run in a browser.
 *
 * Decoders are strict because their input is usually attacker-controlled (signatures and
 * hashes read back from storage or bundles): every accepted string has exactly one byte
 * sequence, and every byte sequence has exactly one encoding our encoders produce.
 */
import { hexToBytes as nobleHexToBytes } from '@noble/hashes/utils.js';
import { LedgerError } from './errors';

/** Lower-case hex of `bytes`. */
export { bytesToHex } from '@noble/hashes/utils.js';

/** Decodes hex (either case). Throws INVALID_INPUT on odd length or a non-hex character. */
export function hexToBytes(hex: string): Uint8Array {
  try {
    return nobleHexToBytes(hex);
  } catch (cause) {
    // noble throws a plain RangeError; callers branch on our codes.
    throw new LedgerError(
      'INVALID_INPUT',
      'hex must have even length and only 0-9a-fA-F',
      { length: hex.length },
      { cause },
    );
  }
}

const encoder = new TextEncoder();
// fatal: invalid UTF-8 is an error, never silently replaced by U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes of `text`. Lone surrogates become U+FFFD (canonicalJson rejects them earlier). */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * utf8Encode(text), written at the start of `scratch` when it fits (a view of it, valid until
 * `scratch` is written again), else a new array. For bytes used once and at once, as a message
 * verified on the spot: allocating an ArrayBuffer costs Node more than encoding 500 bytes.
 */
export function utf8EncodeInto(text: string, scratch: Uint8Array): Uint8Array {
  const { read, written } = encoder.encodeInto(text, scratch);
  return read === text.length ? scratch.subarray(0, written) : encoder.encode(text);
}

/** Decodes UTF-8; throws INVALID_INPUT on malformed input. A leading BOM is kept, not eaten. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new LedgerError('INVALID_INPUT', 'bytes are not valid UTF-8', {}, { cause });
  }
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Not in the alphabet (as a 6-bit value it cannot occur). */
const NOT_BASE64 = 0xff;
/** The 6-bit value of each alphabet character by char code, NOT_BASE64 for any other below 128. */
const BASE64_VALUES = new Uint8Array(128).fill(NOT_BASE64);
for (let value = 0; value < 64; value++) BASE64_VALUES[BASE64_ALPHABET.charCodeAt(value)] = value;
const PAD = 0x3d; // '='

/** Standard base64 with padding (RFC 4648 §4). */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = bytes.subarray(i, i + 3);
    const n = ((chunk[0] ?? 0) << 16) | ((chunk[1] ?? 0) << 8) | (chunk[2] ?? 0);
    for (let j = 0; j < 4; j++) {
      out += j <= chunk.length ? BASE64_ALPHABET[(n >> (18 - 6 * j)) & 0x3f]! : '=';
    }
  }
  return out;
}

/** The 6-bit value of the character at `i`, NOT_BASE64 if it is not in the alphabet. */
function sextet(text: string, i: number): number {
  return BASE64_VALUES[text.charCodeAt(i)] ?? NOT_BASE64;
}

function notCanonical(text: string): LedgerError {
  return new LedgerError('INVALID_INPUT', 'not canonical padded base64', { length: text.length });
}

/**
 * Strict base64 decode: standard alphabet, length a multiple of 4, padding only at the end,
 * and zero pad bits (RFC 4648 §3.5 lets decoders reject non-zero ones; we do, so that one
 * signature has one spelling). Throws INVALID_INPUT. Accepts exactly the language of
 * /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/ (test/unit/core/encoding
 * checks it), decoded four characters at a time: it runs on both signatures of every record
 * verified, where the regular expression alone cost as much as the decoding. With `scratch`
 * long enough, the bytes are written at its start and the result is a view of it (as
 * utf8EncodeInto: for a signature verified at once).
 */
export function base64Decode(text: string, scratch?: Uint8Array): Uint8Array {
  const n = text.length;
  if (n % 4 !== 0) throw notCanonical(text);
  const padding =
    n > 0 && text.charCodeAt(n - 1) === PAD ? (text.charCodeAt(n - 2) === PAD ? 2 : 1) : 0;
  const size = (n / 4) * 3 - padding;
  const out =
    scratch !== undefined && scratch.length >= size
      ? scratch.subarray(0, size)
      : new Uint8Array(size);
  const whole = padding === 0 ? n : n - 4;
  let seen = 0; // every value ORed: above 63 if a character is outside the alphabet
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    seen |= a | b | c | d;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = bits >> 16;
    out[o++] = bits >> 8;
    out[o++] = bits;
  }
  let padBits = 0;
  if (padding > 0) {
    // "xx==" holds one byte and 4 pad bits, "xxx=" two bytes and 2 pad bits.
    const a = sextet(text, whole);
    const b = sextet(text, whole + 1);
    const c = padding === 1 ? sextet(text, whole + 2) : 0;
    seen |= a | b | c;
    const bits = (a << 18) | (b << 12) | (c << 6);
    out[o++] = bits >> 16;
    if (padding === 1) out[o++] = bits >> 8;
    padBits = padding === 2 ? b & 0x0f : c & 0x03;
  }
  if (seen > 0x3f) throw notCanonical(text);
  if (padBits !== 0) {
    throw new LedgerError('INVALID_INPUT', 'base64 has non-zero pad bits', { length: n });
  }
  return out;
}

/** The concatenation of `parts`, in order. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Byte equality. The ledger compares only public values (hashes, signatures, certificates),
 * so timing reveals nothing and no constant-time loop is needed.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
