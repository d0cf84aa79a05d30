/**
 * SHA-256 (FIPS 180-4) and domain-separated hashing. `@noble/hashes` is synchronous and
 * runs unchanged in browsers, Node and the offline verifier; the verification paths take
 * another implementation through the Sha256 port (ports/sha256.ts: OpenSSL in Node).
 *
 * Every hash the ledger computes over structured data is prefixed with a domain string, so
 * bytes hashed or signed for one purpose can never be replayed as another (the same idea as
 * the 0x00/0x01 leaf/node prefixes of RFC 9162 §2.1.1, with readable, versioned names).
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { LedgerError } from './errors';
import { bytesToHex, utf8Encode, utf8EncodeInto } from './encoding';
import type { Sha256 } from './ports/sha256';

/** Domain of the message each party signs (see statement.ts). */
export const ATTESTATION_DOMAIN = 'evidence-ledger:attestation:v1';
/** Domain of a ledger record's hash (see record.ts). */
export const RECORD_DOMAIN = 'evidence-ledger:record:v1';
/** Domain of a deposit id (see deposit-id.ts). */
export const DEPOSIT_ID_DOMAIN = 'evidence-ledger:deposit-id:v1';

/** SHA-256 of `bytes` (@noble/hashes): the core's default Sha256. */
export const sha256: Sha256 = (bytes) => nobleSha256(bytes);

/** utf8(domain) || 0x00 of the few constant domains, built once (hashed once per record). */
const domainPrefixes = new Map<string, Uint8Array>();

function domainPrefix(domain: string): Uint8Array {
  let prefix = domainPrefixes.get(domain);
  if (prefix === undefined) {
    if (domain.length === 0 || domain.includes('\0')) {
      throw new LedgerError('INVALID_INPUT', 'domain must be non-empty and contain no NUL');
    }
    const name = utf8Encode(domain);
    prefix = new Uint8Array(name.length + 1);
    prefix.set(name);
    if (domainPrefixes.size < 64) domainPrefixes.set(domain, prefix);
  }
  return prefix;
}

/**
 * utf8(domain) || 0x00 || bytes. The NUL terminator makes the prefix unambiguous, so a
 * domain must not itself contain NUL (checked: INVALID_INPUT).
 */
export function domainSeparated(domain: string, bytes: Uint8Array): Uint8Array {
  const prefix = domainPrefix(domain);
  const out = new Uint8Array(prefix.length + bytes.length);
  out.set(prefix);
  out.set(bytes, prefix.length);
  return out;
}

/** SHA-256(utf8(domain) || 0x00 || bytes), with `hash` (noble by default). */
export function domainHash(domain: string, bytes: Uint8Array, hash: Sha256 = sha256): Uint8Array {
  return hash(domainSeparated(domain, bytes));
}

/**
 * utf8(domain) || 0x00 || utf8(text), encoded in one pass: the same bytes as
 * domainSeparated(domain, utf8Encode(text)) (the domain is checked the same way, and the NUL
 * between them keeps a surrogate of `text` from pairing with the domain), one copy fewer.
 * With `scratch`, written into it when it fits (encoding.ts utf8EncodeInto).
 */
export function domainSeparatedText(
  domain: string,
  text: string,
  scratch?: Uint8Array,
): Uint8Array {
  domainPrefix(domain);
  const separated = `${domain}\u0000${text}`;
  return scratch === undefined ? utf8Encode(separated) : utf8EncodeInto(separated, scratch);
}

/**
 * hex(SHA-256(utf8(domain) || 0x00 || utf8(text))) with `hash` (noble by default): through its
 * text form when it has one (ports/sha256.ts), else over domainSeparatedText. What a record
 * hash and a deposit id are (record.ts, deposit-id.ts).
 */
export function domainHashHex(domain: string, text: string, hash: Sha256 = sha256): string {
  if (hash.hexOfText === undefined) return bytesToHex(hash(domainSeparatedText(domain, text)));
  domainPrefix(domain);
  return hash.hexOfText(`${domain}\u0000${text}`);
}
