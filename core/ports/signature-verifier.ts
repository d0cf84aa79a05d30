/**
 * The port through which the core checks an ECDSA P-256 / SHA-256 signature. The core's
 * default is WebCrypto (ecdsa-p256.ts), which runs in browsers; Node callers (the CLI, the
 * auditor, the bench) inject functions/shared/node-signature-verifier.ts, which calls
 * OpenSSL directly. Either way the core first checks that the signature is strict DER
 * (verifyEcdsaP256Sha256), so an implementation only ever sees canonical encodings and
 * every implementation accepts exactly the same signatures.
 */
export interface SignatureVerifier {
  /**
   * Whether `derSignature` (strict DER, already checked) is a valid signature of `message`
   * under the SPKI public key. Throws INVALID_INPUT if the key is not a P-256 SPKI.
   */
  verify(spkiDer: Uint8Array, message: Uint8Array, derSignature: Uint8Array): Promise<boolean>;
  /**
   * Optional: the same answer as `verify`, returned on the calling thread. Where a platform
   * has it (OpenSSL through node:crypto), a ledger is verified in one synchronous pass with no
   * promise and no thread-pool job per signature, which costs less CPU per signature than
   * anything asynchronous (core/ledger-verification.ts; docs/PERFORMANCE.md section d).
   * `message` and `derSignature` may be views of a buffer the caller reuses for the next
   * signature (party-signatures.ts): read them during the call, never keep them.
   */
  readonly verifySync?: (
    spkiDer: Uint8Array,
    message: Uint8Array,
    derSignature: Uint8Array,
  ) => boolean;
}
