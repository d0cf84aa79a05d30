/**
 * Entry bundles of c2sp.org/tlog-tiles: the leaves of one level-0 tile, each as a big-endian
 * uint16 length followed by that many bytes; entry i hashes (RFC 9162 leaf hash) to hash i
 * of the level-0 tile with the same index and width.
 *
 * Our ledger's leaf is the 32 raw bytes of a record's recordHash (recordLeafData in
 * core/merkle/hasher.ts), so a bundle carries the record hashes exactly as the tree hashes them.
 */
import { bytesToHex } from '../encoding';
import { LedgerError } from '../errors';
import { HASH_SIZE, rfc9162Hasher, recordLeafData, type LogHasher } from '../merkle/hasher';
import { TILE_WIDTH } from './tile';

/** The largest entry a uint16 length prefix can carry. */
export const MAX_ENTRY_BYTES = 0xffff;

function malformed(message: string, details: Record<string, unknown> = {}): LedgerError {
  return new LedgerError('ENTRY_BUNDLE_MALFORMED', message, details);
}

function requireWidth(width: number): void {
  if (!Number.isSafeInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw malformed('a bundle holds 1 to 256 entries', { width });
  }
}

/** The bundle of `entries` (1..256, each at most 65,535 bytes). */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  requireWidth(entries.length);
  const out = new Uint8Array(entries.reduce((sum, entry) => sum + 2 + entry.length, 0));
  let offset = 0;
  for (const [i, entry] of entries.entries()) {
    if (entry.length > MAX_ENTRY_BYTES)
      throw malformed('entry longer than 65,535 bytes', { entry: i });
    out[offset] = entry.length >> 8;
    out[offset + 1] = entry.length & 0xff;
    out.set(entry, offset + 2);
    offset += 2 + entry.length;
  }
  return out;
}

/**
 * The entries of a bundle that must hold exactly `width` of them (the width its path or the
 * checkpoint requires). Bundles are attacker-controlled: a length running past the end, a
 * missing entry or a trailing byte is ENTRY_BUNDLE_MALFORMED. Entries are views, not copies.
 */
export function decodeEntryBundle(bundle: Uint8Array, width: number): Uint8Array[] {
  requireWidth(width);
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (entries.length < width) {
    if (offset + 2 > bundle.length)
      throw malformed('bundle ends before its last entry', { entry: entries.length });
    const length = (bundle[offset]! << 8) | bundle[offset + 1]!;
    if (offset + 2 + length > bundle.length)
      throw malformed('entry runs past the bundle', { entry: entries.length });
    entries.push(bundle.subarray(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  if (offset !== bundle.length)
    throw malformed('bytes after the last entry', { trailing: bundle.length - offset });
  return entries;
}

/** The leaf hashes of a bundle's entries: what its level-0 tile must hold. */
export function bundleLeafHashes(
  entries: readonly Uint8Array[],
  hasher: LogHasher = rfc9162Hasher,
): Uint8Array[] {
  return entries.map((entry) => hasher.hashLeaf(entry));
}

/** The bundle of our ledger's records, from their recordHashes (64 lower-case hex). */
export function encodeRecordBundle(recordHashes: readonly string[]): Uint8Array {
  return encodeEntryBundle(recordHashes.map((recordHash) => recordLeafData(recordHash)));
}

/** The recordHashes a bundle of our ledger carries; every entry must be 32 bytes. */
export function decodeRecordBundle(bundle: Uint8Array, width: number): string[] {
  return decodeEntryBundle(bundle, width).map((entry, i) => {
    if (entry.length !== HASH_SIZE)
      throw malformed('a ledger entry is a 32-byte record hash', {
        entry: i,
        length: entry.length,
      });
    return bytesToHex(entry);
  });
}
