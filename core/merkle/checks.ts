/**
 * Preconditions shared by the tree, proof and compact-range code. Sizes, indices and hashes
 * usually come from storage, events or bundles, so they are attacker-controlled: every entry
 * point checks them here first, before any hashing.
 */
import { bytesEqual, bytesToHex } from '../encoding';
import { LedgerError, type LedgerErrorCode } from '../errors';
import type { LogHasher } from './hasher';

/** Throws TREE_SIZE_INVALID unless `value` is a non-negative safe integer. */
export function requireCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new LedgerError('TREE_SIZE_INVALID', `${name} must be a non-negative safe integer`, {
      [name]: value,
    });
  }
}

/** Throws `code` unless `hash` has the hasher's size. */
export function requireHash(
  hash: Uint8Array,
  hasher: LogHasher,
  code: LedgerErrorCode,
  what: string,
): void {
  if (hash.length !== hasher.size) {
    throw new LedgerError(code, `${what} must be ${hasher.size} bytes`, {
      what,
      length: hash.length,
    });
  }
}

/** Throws ROOT_MISMATCH, carrying both roots in hex, unless `calculated` equals `expected`. */
export function requireSameRoot(
  expected: Uint8Array,
  calculated: Uint8Array,
  context: Record<string, unknown> = {},
): void {
  if (!bytesEqual(expected, calculated)) {
    throw new LedgerError('ROOT_MISMATCH', 'calculated root differs from the expected root', {
      ...context,
      expected: bytesToHex(expected),
      calculated: bytesToHex(calculated),
    });
  }
}
