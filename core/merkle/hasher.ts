/**
 * RFC 9162 §2.1.1 Merkle hashing with domain separation: leaves are hashed under a 0x00
 * prefix and interior nodes under 0x01, so no leaf can be passed off as a node (the
 * second-preimage attack RFC 9162 §2.1.1 and RFC 6962 §2.1 guard against).
 *
 * Shaped like transparency-dev/merkle's `LogHasher` so proofs can take another hasher in tests.
 */
import { LedgerError } from '../errors';
import { hexToBytes } from '../encoding';
import { sha256 as nobleSha256 } from '../hashing';
import type { Sha256 } from '../ports/sha256';

/** Byte length of every hash in the tree (SHA-256). */
export const HASH_SIZE = 32;

export interface LogHasher {
  /** Byte length of the hashes this hasher returns. */
  readonly size: number;
  /** MTH({}) = HASH(), the root of the empty tree. */
  emptyRoot(): Uint8Array;
  /** MTH({d}) = HASH(0x00 || d). */
  hashLeaf(data: Uint8Array): Uint8Array;
  /** HASH(0x01 || left || right). */
  hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array;
}

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

function prefixed(prefix: number, ...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(1 + parts.reduce((sum, part) => sum + part.length, 0));
  out[0] = prefix;
  let offset = 1;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The RFC 9162 (and RFC 6962) hasher over `sha256` (OpenSSL's where Node injects it). */
export function rfc9162HasherOver(sha256: Sha256): LogHasher {
  return {
    size: HASH_SIZE,
    emptyRoot: () => sha256(new Uint8Array(0)),
    hashLeaf: (data) => sha256(prefixed(LEAF_PREFIX, data)),
    hashChildren: (left, right) => sha256(prefixed(NODE_PREFIX, left, right)),
  };
}

/** The RFC 9162 hasher over the core's default SHA-256 (@noble/hashes, as in browsers). */
export const rfc9162Hasher: LogHasher = rfc9162HasherOver(nobleSha256);

const RECORD_HASH_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The Merkle leaf data of one ledger record: the 32 raw bytes of its lower-case hex
 * `recordHash`. This is also the entry a tlog-tiles entry bundle carries for the record.
 */
export function recordLeafData(recordHash: string): Uint8Array {
  if (!RECORD_HASH_PATTERN.test(recordHash)) {
    throw new LedgerError('INVALID_INPUT', 'recordHash must be 64 lower-case hex digits', {
      length: recordHash.length,
    });
  }
  return hexToBytes(recordHash);
}

/** The Merkle leaf hash of one ledger record: SHA-256(0x00 || recordHash bytes). */
export function recordLeafHash(recordHash: string, hasher: LogHasher = rfc9162Hasher): Uint8Array {
  return hasher.hashLeaf(recordLeafData(recordHash));
}
