/**
 * Strict standard base64 with padding (RFC 4648 §4), the encoding C2SP signed-note and
 * tlog-checkpoint use. Inputs are attacker-controlled: only the one canonical spelling of a
 * byte string is accepted (so a signature line or root hash cannot be re-spelled).
 */
import { LedgerError } from '../errors';

const CANONICAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64(bytes: Uint8Array): string {
  return btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(''));
}

/** Decodes canonical padded base64; throws CHECKPOINT_MALFORMED otherwise. */
export function fromBase64(text: string, what: string): Uint8Array {
  const bytes = CANONICAL.test(text) ? Uint8Array.from(atob(text), (c) => c.charCodeAt(0)) : null;
  // Re-encoding catches non-zero pad bits, which atob silently drops.
  if (bytes === null || toBase64(bytes) !== text) {
    throw new LedgerError('CHECKPOINT_MALFORMED', `${what} is not canonical base64`, { what });
  }
  return bytes;
}
