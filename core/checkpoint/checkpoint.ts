/**
 * The C2SP tlog-checkpoint note text (c2sp.org/tlog-checkpoint, "Note text"):
 *
 *   <origin>\n<tree size, decimal, no leading zeroes>\n<base64 root hash>\n[<extension line>\n]*
 *
 * Parsing is strict and bounded because checkpoints are read back from storage and bundles.
 */
import { LedgerError } from '../errors';
import { fromBase64, toBase64 } from './base64';

export interface Checkpoint {
  /** Unique identity of the log; non-empty, no Unicode spaces, no '+'. */
  readonly origin: string;
  readonly treeSize: number;
  /** The RFC 6962 / RFC 9162 root hash at treeSize (32 bytes). */
  readonly rootHash: Uint8Array;
  /** Opaque extension lines (NOT RECOMMENDED by the spec); each non-empty. */
  readonly extensions: readonly string[];
}

export const MAX_ORIGIN_LENGTH = 256;
export const MAX_EXTENSION_LINES = 16;
export const MAX_LINE_LENGTH = 1024;
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
    SPACE_OR_PLUS.test(name) ||
    hasControlCharacter(name, false)
  ) {
    throw malformed(`${what} must be 1-${MAX_ORIGIN_LENGTH} characters without spaces or '+'`, {
      what,
    });
  }
}

function requireLine(line: string, what: string): void {
  if (line === '' || line.length > MAX_LINE_LENGTH || hasControlCharacter(line, false)) {
    throw malformed(`${what} must be a non-empty line without control characters`, { what });
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
  if (checkpoint.extensions.length > MAX_EXTENSION_LINES)
    throw malformed('too many extension lines');
  checkpoint.extensions.forEach((line) => requireLine(line, 'extension line'));
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
  const maxLength = MAX_ORIGIN_LENGTH + 64 + (MAX_EXTENSION_LINES + 3) * (MAX_LINE_LENGTH + 1);
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
