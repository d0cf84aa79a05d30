/**
 * Tile and entry-bundle paths of c2sp.org/tlog-tiles, relative to the log's prefix:
 *
 *   tile/<L>/<N>[.p/<W>]        hash tile at level L, index N, partial width W
 *   tile/entries/<N>[.p/<W>]    entry bundle N (the leaves of level-0 tile N)
 *
 * <L> is decimal 0..63 and <W> decimal 1..255, both without leading zeroes; <N> is written as
 * zero-padded 3-digit groups, all but the last prefixed with `x` (1234067 -> x001/x234/067).
 *
 * Paths read from a bucket listing or a mirror are attacker-controlled: a parser accepts a
 * path only if formatting what it read gives the same string back, so every tile has exactly
 * one path, and only coordinates a tree of at most 2^53 - 1 leaves can have.
 */
import { LedgerError } from '../errors';
import { TILE_WIDTH, type TileCoord } from './tile';

/** Highest level the spec allows in a path. */
const MAX_LEVEL = 63;
/** Longer than any valid path (6 index groups for a safe integer, plus level and width). */
const MAX_PATH_LENGTH = 64;

const HASH_TILE_PATH =
  /^tile\/(0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;
const ENTRY_BUNDLE_PATH = /^tile\/entries\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/** An entry bundle: the leaves of level-0 tile `index`, `width` of them. */
export interface BundleCoord {
  readonly index: number;
  readonly width: number;
}

function invalid(message: string, details: Record<string, unknown>): LedgerError {
  return new LedgerError('TILE_PATH_INVALID', message, details);
}

/**
 * Whether a tree of at most MAX_SAFE_INTEGER leaves has this tile: it must hold
 * (index * 256 + width) * 256**level leaves. BigInt, because 256**level overflows a double.
 */
function reachable(level: number, index: number, width: number): boolean {
  const leaves = (BigInt(index) * 256n + BigInt(width)) * 256n ** BigInt(level);
  return leaves <= BigInt(Number.MAX_SAFE_INTEGER);
}

function requireCoord(level: number, index: number, width: number): void {
  const valid =
    Number.isSafeInteger(level) &&
    level >= 0 &&
    level <= MAX_LEVEL &&
    Number.isSafeInteger(index) &&
    index >= 0 &&
    Number.isSafeInteger(width) &&
    width >= 1 &&
    width <= TILE_WIDTH;
  if (!valid || !reachable(level, index, width)) {
    throw invalid('not a tile of a tree of safe size', { level, index, width });
  }
}

/** <N>[.p/<W>]: the index in x-prefixed 3-digit groups, and the width when partial. */
function indexPath(index: number, width: number): string {
  const groups: string[] = [];
  let rest = index;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  const path = groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
  return width === TILE_WIDTH ? path : `${path}.p/${width}`;
}

/** tile/<L>/<N>[.p/<W>]. Throws TILE_PATH_INVALID for a coordinate no safe tree has. */
export function hashTilePath(tile: TileCoord): string {
  requireCoord(tile.level, tile.index, tile.width);
  return `tile/${tile.level}/${indexPath(tile.index, tile.width)}`;
}

/** tile/entries/<N>[.p/<W>]. Throws TILE_PATH_INVALID for a coordinate no safe tree has. */
export function entryBundlePath(bundle: BundleCoord): string {
  requireCoord(0, bundle.index, bundle.width);
  return `tile/entries/${indexPath(bundle.index, bundle.width)}`;
}

/**
 * tile/records/<N>[.p/<W>]: beside each entry bundle, the canonical ledger records (RFC 8785
 * JSON, one per line, '\n'-terminated, in seq order) whose record hashes the bundle holds, so
 * a monitor can recompute each record's hash and check both parties' signatures. Not part of
 * c2sp tlog-tiles (generic clients ignore it); documented in docs/FORMAT.md.
 */
export function recordsBundlePath(bundle: BundleCoord): string {
  requireCoord(0, bundle.index, bundle.width);
  return `tile/records/${indexPath(bundle.index, bundle.width)}`;
}

function readIndex(groups: string): number {
  return Number(groups.replaceAll('x', '').replaceAll('/', ''));
}

function readWidth(width: string | undefined): number {
  return width === undefined ? TILE_WIDTH : Number(width);
}

/**
 * The hash tile a path names. Throws TILE_PATH_INVALID unless the path is exactly what
 * hashTilePath writes for some reachable tile: the round trip refuses leading zeroes, a
 * missing or extra `x` group, `.p/256`, and anything before or after.
 */
export function parseHashTilePath(path: string): TileCoord {
  const match = path.length <= MAX_PATH_LENGTH ? HASH_TILE_PATH.exec(path) : null;
  if (!match) throw invalid('not a tlog-tiles hash tile path', { length: path.length });
  const tile = { level: Number(match[1]), index: readIndex(match[2]!), width: readWidth(match[3]) };
  if (hashTilePath(tile) !== path) throw invalid('tile path is not in canonical form', { path });
  return tile;
}

/** The entry bundle a path names; as strict as parseHashTilePath. */
export function parseEntryBundlePath(path: string): BundleCoord {
  const match = path.length <= MAX_PATH_LENGTH ? ENTRY_BUNDLE_PATH.exec(path) : null;
  if (!match) throw invalid('not a tlog-tiles entry bundle path', { length: path.length });
  const bundle = { index: readIndex(match[1]!), width: readWidth(match[2]) };
  if (entryBundlePath(bundle) !== path)
    throw invalid('bundle path is not in canonical form', { path });
  return bundle;
}
