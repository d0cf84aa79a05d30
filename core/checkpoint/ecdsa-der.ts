/**
 * ECDSA P-256 signature encodings for signed notes: KMS (ECDSA_SHA_256) and the C2SP type
 * 0x02 carry ASN.1 DER, WebCrypto uses the 64-byte r || s form. The strict conversions live
 * in core/ecdsa-p256.ts; here a malformed signature is reported as a checkpoint signature
 * failure.
 */
import { derToP1363, p1363ToDer } from '../ecdsa-p256';
import { LedgerError, isLedgerError } from '../errors';

function asCheckpointFailure<T>(convert: () => T): T {
  try {
    return convert();
  } catch (cause) {
    if (!isLedgerError(cause)) throw cause;
    throw new LedgerError('CHECKPOINT_SIGNATURE_INVALID', `DER signature: ${cause.message}`, {}, { cause });
  }
}

/** DER SEQUENCE { r, s } → 64-byte r || s. Throws CHECKPOINT_SIGNATURE_INVALID. */
export function derToRawSignature(der: Uint8Array): Uint8Array {
  return asCheckpointFailure(() => derToP1363(der));
}

/** 64-byte r || s → DER SEQUENCE { r, s }. */
export function rawToDerSignature(raw: Uint8Array): Uint8Array {
  return asCheckpointFailure(() => p1363ToDer(raw));
}
