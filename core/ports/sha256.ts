/**
 * The port through which the verification paths hash records (record hashes, deposit ids).
 * The core's default is @noble/hashes (core/hashing.ts), which runs unchanged in browsers;
 * Node callers (the CLI's monitor and verify-bundle, the auditor, the bench) inject
 * functions/shared/node-sha256.ts, OpenSSL's SHA-256 through node:crypto. Both compute the
 * same function (FIPS 180-4), so the choice changes only the speed, never a hash.
 */
export interface Sha256 {
  (bytes: Uint8Array): Uint8Array;
  /**
   * Optional: lower-case hex of SHA-256(utf8(text)), for an implementation that hashes text
   * without the caller encoding and copying it first (node:crypto does). Must equal
   * bytesToHex(this(utf8Encode(text))); hashing.ts falls back to that when it is absent.
   */
  readonly hexOfText?: (text: string) => string;
}
