/**
 * SHA-256 (FIPS 180-4) and domain-separated hashing. `@noble/hashes` is synchronous and
 * runs unchanged in browsers, Node and the offline verifier.
 *
 * Every hash the ledger computes over structured data is prefixed with a domain string, so
 * bytes hashed or signed for one purpose can never be replayed as another (the same idea as
 * the 0x00/0x01 leaf/node prefixes of RFC 9162 §2.1.1, with readable, versioned names).
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { LedgerError } from './errors';
import { concatBytes, utf8Encode } from './encoding';

/** Domain of the message each party signs (see statement.ts). */
export const ATTESTATION_DOMAIN = 'evidence-ledger:attestation:v1';
/** Domain of a ledger record's hash (see record.ts). */
export const RECORD_DOMAIN = 'evidence-ledger:record:v1';
/** Domain of a deposit id (see deposit-id.ts). */
export const DEPOSIT_ID_DOMAIN = 'evidence-ledger:deposit-id:v1';

/** SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return nobleSha256(bytes);
}

/**
 * utf8(domain) || 0x00 || bytes. The NUL terminator makes the prefix unambiguous, so a
 * domain must not itself contain NUL (checked: INVALID_INPUT).
 */
export function domainSeparated(domain: string, bytes: Uint8Array): Uint8Array {
  if (domain.length === 0 || domain.includes('\0')) {
    throw new LedgerError('INVALID_INPUT', 'domain must be non-empty and contain no NUL');
  }
  return concatBytes(utf8Encode(domain), Uint8Array.of(0), bytes);
}

/** SHA-256(utf8(domain) || 0x00 || bytes). */
export function domainHash(domain: string, bytes: Uint8Array): Uint8Array {
  return sha256(domainSeparated(domain, bytes));
}
