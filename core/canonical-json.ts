/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of a JSON value that is
 * hashed or signed. Serialization is the `canonicalize` package; this module first checks
 * that the value is plain JSON that JCS represents faithfully, because `canonicalize` (like
 * JSON.stringify) silently drops `undefined` members, calls `toJSON` and turns array holes
 * into invalid text — any of which would let two different values sign the same bytes.
 *
 * https://www.rfc-editor.org/rfc/rfc8785
 */
import canonicalize from 'canonicalize';
import { LedgerError } from './errors';
import { utf8Encode } from './encoding';

/** Nesting deeper than this is not ledger data; refuse it before recursion can blow the stack. */
export const MAX_JSON_DEPTH = 64;

/**
 * The RFC 8785 canonical text of `value`.
 *
 * Accepts only null, booleans, strings without lone surrogates (RFC 8785 §3.2.2.2), finite
 * numbers (§3.2.2.3) of which integers must be safe integers (Appendix B note 1 — larger
 * ones lose precision in I-JSON, RFC 7493 §2.2), arrays without holes, and plain objects
 * (prototype Object.prototype or null) without symbol keys. Anything else — undefined,
 * functions, symbols, bigint, NaN, ±Infinity, Date and other class instances, cycles —
 * throws CANONICALIZATION_ERROR with the JSON path of the offending value.
 */
export function canonicalJson(value: unknown): string {
  assertCanonicalizable(value, '$', 0, new Set());
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (cause) {
    throw new LedgerError('CANONICALIZATION_ERROR', 'value cannot be canonicalized', {}, { cause });
  }
  if (text === undefined) {
    throw new LedgerError('CANONICALIZATION_ERROR', 'value has no JSON form');
  }
  return text;
}

/** UTF-8 of the canonical text (RFC 8785 §3.2.4): the bytes that get hashed and signed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8Encode(canonicalJson(value));
}

function reject(path: string, reason: string): never {
  throw new LedgerError('CANONICALIZATION_ERROR', `${path}: ${reason}`, { path });
}

function assertCanonicalizable(
  value: unknown,
  path: string,
  depth: number,
  ancestors: Set<object>,
): void {
  switch (typeof value) {
    case 'boolean':
      return;
    case 'string':
      return assertWellFormed(value, path);
    case 'number':
      return assertRepresentableNumber(value, path);
    case 'object':
      if (value === null) return;
      return assertContainer(value, path, depth, ancestors);
    default:
      return reject(path, `${typeof value} is not JSON`);
  }
}

function assertWellFormed(text: string, path: string): void {
  // Lone surrogates are not Unicode and must abort canonicalization (RFC 8785 §3.2.2.2).
  if (!/^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(text)) {
    reject(path, 'string contains a lone surrogate');
  }
}

function assertRepresentableNumber(n: number, path: string): void {
  if (!Number.isFinite(n)) reject(path, `${n} is not a JSON number`);
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) reject(path, `${n} is not a safe integer`);
}

function assertContainer(value: object, path: string, depth: number, ancestors: Set<object>) {
  if (depth >= MAX_JSON_DEPTH) reject(path, `nested deeper than ${MAX_JSON_DEPTH}`);
  if (ancestors.has(value)) reject(path, 'cycle');
  if (Object.getOwnPropertySymbols(value).length > 0) reject(path, 'symbol-keyed property');
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) reject(`${path}[${i}]`, 'array hole');
      assertCanonicalizable(value[i], `${path}[${i}]`, depth + 1, ancestors);
    }
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) reject(path, 'not a plain object');
    for (const [key, member] of Object.entries(value)) {
      assertWellFormed(key, path);
      assertCanonicalizable(member, `${path}.${key}`, depth + 1, ancestors);
    }
  }
  ancestors.delete(value);
}
