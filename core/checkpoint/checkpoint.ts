/**
 * The C2SP tlog-checkpoint note text (c2sp.org/tlog-checkpoint, "Note text"):
 *
 *   <origin>\n<tree size, decimal, no leading zeroes>\n<base64 root hash>\n
 *
 * The spec allows extension lines after the root hash (NOT RECOMMENDED); this ledger never
 * writes any and refuses them (CHECKPOINT_MALFORMED, docs/FORMAT.md §8), so that a
 * checkpoint has one reading and no signed text carries meaning a verifier ignores.
 * Parsing is strict and bounded because checkpoints are read back from storage and bundles.
 */
import { utf8Encode } from '../encoding';
import { LedgerError } from '../errors';
import { fromBase64, toBase64 } from './base64';

export interface Checkpoint {
  /** Unique identity of the log; non-empty, no Unicode spaces, no '+'. */
  readonly origin: string;
  readonly treeSize: number;
  /** The RFC 6962 / RFC 9162 root hash at treeSize (32 bytes). */
  readonly rootHash: Uint8Array;
  /** Extension lines: always empty, any is refused (kept so the shape follows the spec). */
  readonly extensions: readonly string[];
}

/** In UTF-8 bytes, like every length bound of the format (docs/FORMAT.md §1). */
export const MAX_ORIGIN_LENGTH = 256;
const ROOT_HASH_SIZE = 32;
const DECIMAL = /^(?:0|[1-9][0-9]{0,15})$/;
// Unicode White_Space (what Go's unicode.IsSpace tests) plus '+': forbidden in key names and
// (SHOULD) in origins by c2sp.org/signed-note §Format and c2sp.org/tlog-checkpoint.
const SPACE_OR_PLUS = /[\s\u0085+]/u;

/** signed-note §Format forbids ASCII control characters (below U+0020) other than newline. */
export function hasControlCharacter(text: string, allowNewline: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && !(allowNewline && code === 0x0a)) || code === 0x7f) return true;
  }
  return false;
}

function malformed(message: string, details: Record<string, unknown> = {}): LedgerError {
  return new LedgerError('CHECKPOINT_MALFORMED', message, details);
}

/** Throws CHECKPOINT_MALFORMED unless `name` can be an origin or a note key name. */
export function requireNoteName(name: string, what: string): void {
  if (
    name === '' ||
    name.length > MAX_ORIGIN_LENGTH ||
    utf8Encode(name).length > MAX_ORIGIN_LENGTH ||
    SPACE_OR_PLUS.test(name) ||
    hasControlCharacter(name, false)
  ) {
    throw malformed(`${what} must be 1-${MAX_ORIGIN_LENGTH} bytes without spaces or '+'`, {
      what,
    });
  }
}

function requireCheckpoint(checkpoint: Checkpoint): void {
  requireNoteName(checkpoint.origin, 'origin');
  if (!Number.isSafeInteger(checkpoint.treeSize) || checkpoint.treeSize < 0) {
    throw malformed('tree size must be a non-negative safe integer', {
      treeSize: checkpoint.treeSize,
    });
  }
  if (checkpoint.rootHash.length !== ROOT_HASH_SIZE) throw malformed('root hash must be 32 bytes');
  if (checkpoint.extensions.length > 0) {
    throw malformed('checkpoint extension lines are not allowed', {
      lines: checkpoint.extensions.length,
    });
  }
}

/** The note text of `checkpoint`, ending in a newline. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  requireCheckpoint(checkpoint);
  const { origin, treeSize, rootHash, extensions } = checkpoint;
  return [origin, String(treeSize), toBase64(rootHash), ...extensions]
    .map((l) => `${l}\n`)
    .join('');
}

/** Parses checkpoint note text (already separated from its signatures). */
export function parseCheckpoint(text: string): Checkpoint {
  // origin, a size of at most 16 digits, 44 base64 characters, and their newlines.
  const maxLength = MAX_ORIGIN_LENGTH + 16 + 44 + 3;
  if (text.length > maxLength || !text.endsWith('\n')) {
    throw malformed('checkpoint text must end in a newline and be bounded in size');
  }
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (origin === undefined || size === undefined || root === undefined) {
    throw malformed('checkpoint needs origin, tree size and root hash lines');
  }
  if (!DECIMAL.test(size) || !Number.isSafeInteger(Number(size))) {
    throw malformed('tree size must be a canonical decimal', { line: size.slice(0, 32) });
  }
  const checkpoint = {
    origin,
    treeSize: Number(size),
    rootHash: fromBase64(root, 'root hash'),
    extensions,
  };
  requireCheckpoint(checkpoint);
  return checkpoint;
}
