/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of a JSON value that is
 * hashed or signed. One walk both checks that the value is plain JSON that JCS represents
 * faithfully and writes its canonical text: JSON.stringify (like the `canonicalize` package)
 * would silently drop `undefined` members, call `toJSON` and turn array holes into invalid
 * text — any of which would let two different values sign the same bytes.
 *
 * The text is the `canonicalize` package's (RFC 8785's reference behaviour for ECMAScript):
 * strings and numbers as JSON.stringify writes them (§3.2.2.2, §3.2.2.3), members sorted by
 * the UTF-16 code units of their names (§3.2.3). test/unit/core/canonical-json.property.test.ts
 * checks the two equal on random values; this module no longer calls the package because one
 * walk instead of two (check, then serialize) makes it about three times faster, and every
 * record verified is canonicalized several times (scripts/bench/verify-rate.ts).
 *
 * https://www.rfc-editor.org/rfc/rfc8785
 */
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
  return new CanonicalWriter().write(value, 0);
}

/** UTF-8 of the canonical text (RFC 8785 §3.2.4): the bytes that get hashed and signed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return utf8Encode(canonicalJson(value));
}

/**
 * Whether JSON.stringify writes `text` unchanged between its quotes (RFC 8785 §3.2.2.2): no
 * quote, backslash or control character to escape, and no surrogate, so not a lone one.
 * Most strings of the ledger are; they skip the escaping and the surrogate check.
 */
export function isPlainJsonString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

const WELL_FORMED = /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/** Orders [name, text] members by the UTF-16 code units of their names (RFC 8785 §3.2.3). */
const byName = (a: readonly [string, string], b: readonly [string, string]) =>
  a[0] < b[0] ? -1 : 1;

/**
 * One canonicalization: the JSON path is kept as a stack of steps (member names, element
 * indexes) and spelled only when a value is refused; values are checked in the order they
 * are met (members in their own order, before sorting), so the path reported is that of the
 * first offending value.
 */
class CanonicalWriter {
  private readonly steps: (string | number)[] = [];
  private readonly ancestors = new Set<object>();

  write(value: unknown, depth: number): string {
    switch (typeof value) {
      case 'boolean':
        return value ? 'true' : 'false';
      case 'string':
        return this.string(value);
      case 'number':
        if (!Number.isFinite(value)) this.reject(`${value} is not a JSON number`);
        if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
          this.reject(`${value} is not a safe integer`);
        }
        return JSON.stringify(value);
      case 'object':
        if (value === null) return 'null';
        return this.container(value, depth);
      default:
        return this.reject(`${typeof value} is not JSON`);
    }
  }

  /** JSON.stringify's quoting (RFC 8785 §3.2.2.2), refusing lone surrogates. */
  private string(text: string): string {
    if (isPlainJsonString(text)) return `"${text}"`;
    if (!WELL_FORMED.test(text)) this.reject('string contains a lone surrogate');
    return JSON.stringify(text);
  }

  private reject(reason: string): never {
    const steps = this.steps.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`));
    const path = `$${steps.join('')}`;
    throw new LedgerError('CANONICALIZATION_ERROR', `${path}: ${reason}`, { path });
  }

  private container(value: object, depth: number): string {
    if (depth >= MAX_JSON_DEPTH) this.reject(`nested deeper than ${MAX_JSON_DEPTH}`);
    if (this.ancestors.has(value)) this.reject('cycle');
    if (Object.getOwnPropertySymbols(value).length > 0) this.reject('symbol-keyed property');
    this.ancestors.add(value);
    const text = Array.isArray(value) ? this.array(value, depth) : this.object(value, depth);
    this.ancestors.delete(value);
    return text;
  }

  private array(value: readonly unknown[], depth: number): string {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      this.steps.push(i);
      if (!(i in value)) this.reject('array hole');
      text += (i === 0 ? '' : ',') + this.write(value[i], depth + 1);
      this.steps.pop();
    }
    return `${text}]`;
  }

  private object(value: object, depth: number): string {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) this.reject('not a plain object');
    const record = value as Record<string, unknown>;
    const members: [string, string][] = [];
    for (const name of Object.keys(record)) {
      const quoted = this.string(name);
      this.steps.push(name);
      members.push([name, `${quoted}:${this.write(record[name], depth + 1)}`]);
      this.steps.pop();
    }
    if (members.length > 1) members.sort(byName);
    let text = '{';
    for (let i = 0; i < members.length; i++) text += (i === 0 ? '' : ',') + members[i]![1];
    return `${text}}`;
  }
}
