/**
 * Base64 as C2SP signed-note and tlog-checkpoint use it: the core's strict, canonical
 * padded base64 (core/encoding.ts), with a malformed input reported as a malformed
 * checkpoint. Inputs are attacker-controlled: only the one canonical spelling of a byte
 * string is accepted (so a signature line or root hash cannot be re-spelled).
 */
import { base64Decode, base64Encode } from '../encoding';
import { LedgerError, isLedgerError } from '../errors';

export const toBase64 = base64Encode;

/** Decodes canonical padded base64; throws CHECKPOINT_MALFORMED otherwise. */
export function fromBase64(text: string, what: string): Uint8Array {
  try {
    return base64Decode(text);
  } catch (cause) {
    if (!isLedgerError(cause)) throw cause;
    throw new LedgerError(
      'CHECKPOINT_MALFORMED',
      `${what} is not canonical base64`,
      { what },
      { cause },
    );
  }
}
