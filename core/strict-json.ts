/**
 * A strict reader for the JSON files a user hands the verifier (bundles, trusted-keys
 * files). JSON.parse accepts several spellings of one document, and a verifier that reads
 * a different value than another one could be shown two documents that "verify" alike:
 * it keeps the last of two members with one name, reads 1.0, 1e0 and -0 as integers, and
 * (given bytes via a lenient decoder) turns invalid UTF-8 into U+FFFD. Here each of those
 * is an error, so a file has exactly one reading (docs/FORMAT.md §1):
 *
 * - the input is UTF-8 (RFC 3629) with no byte order mark, decoded fatally;
 * - the grammar is RFC 8259's, nothing more (no comments, trailing commas, NaN, …);
 * - no object has two members whose names are equal after unescaping (RFC 8259 §4 leaves
 *   this open; I-JSON, RFC 7493 §2.3, forbids it);
 * - every number is a non-negative integer in plain decimal (`0` or `[1-9][0-9]*`) and a safe
 *   integer: the files hold no other numbers, and only this spelling is canonical;
 * - no string holds a lone surrogate, raw or escaped (RFC 7493 §2.1), names included;
 * - nesting is at most MAX_JSON_DEPTH deep.
 *
 * No library was used: the ones that detect duplicate names (an AST parser such as momoa,
 * or duplicate-key validators) would still need this walk for numbers and surrogates, and
 * the reader must run in a browser as the rest of core/ does.
 */
import { MAX_JSON_DEPTH } from './canonical-json';
import { LedgerError, type LedgerErrorCode } from './errors';

export interface StrictJsonOptions {
  /** The code of the LedgerError thrown for any refusal; INVALID_INPUT by default. */
  readonly code?: LedgerErrorCode;
  /** What is being read, for messages ("bundle", "trusted-keys file"). */
  readonly what?: string;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const INTEGER = /0|[1-9][0-9]*/y;
/** Any RFC 8259 number, to tell a non-integer spelling from a syntax error. */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Decodes UTF-8 fatally, keeping a BOM in the text so that the grammar refuses it. */
function decodeUtf8(bytes: Uint8Array, fail: (message: string) => never): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return fail('is not valid UTF-8');
  }
}

class Reader {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly fail: (message: string) => never,
  ) {}

  document(): unknown {
    const value = this.value(0);
    this.skipWhitespace();
    if (this.at !== this.text.length) this.error('has content after the JSON value');
    return value;
  }

  private error(message: string): never {
    return this.fail(`${message} (at character ${this.at})`);
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text.charCodeAt(this.at))) this.at++;
  }

  private expect(literal: string): void {
    if (!this.text.startsWith(literal, this.at)) this.error(`expected '${literal}'`);
    this.at += literal.length;
  }

  private value(depth: number): unknown {
    this.skipWhitespace();
    const c = this.text[this.at];
    if (c === '{' || c === '[') {
      if (depth >= MAX_JSON_DEPTH) this.error(`is nested deeper than ${MAX_JSON_DEPTH}`);
      return c === '{' ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    return this.number();
  }

  private literal<T>(spelling: string, value: T): T {
    this.expect(spelling);
    return value;
  }

  private number(): number {
    NUMBER.lastIndex = this.at;
    const spelled = NUMBER.exec(this.text)?.[0];
    if (spelled === undefined) this.error('expected a JSON value');
    INTEGER.lastIndex = this.at;
    const integer = INTEGER.exec(this.text)?.[0];
    if (integer !== spelled) this.error(`number ${spelled.slice(0, 32)} is not a plain integer`);
    const value = Number(spelled);
    if (!Number.isSafeInteger(value)) this.error(`number ${spelled.slice(0, 32)} is too large`);
    this.at += spelled.length;
    return value;
  }

  private string(): string {
    const start = this.at;
    this.at++; // the opening quote
    let result = '';
    for (;;) {
      const end = this.plainRunEnd();
      result += this.text.slice(this.at, end);
      this.at = end;
      const c = this.text[this.at];
      if (c === '"') break;
      if (c !== '\\')
        this.error(
          c === undefined ? 'has an unterminated string' : 'has a control character in a string',
        );
      result += this.escape();
    }
    this.at++; // the closing quote
    if (LONE_SURROGATE.test(result)) {
      this.at = start;
      this.error('has a lone surrogate in a string');
    }
    return result;
  }

  /** Where the run of characters from here that need no unescaping ends. */
  private plainRunEnd(): number {
    let end = this.at;
    for (;;) {
      const code = this.text.charCodeAt(end);
      // NaN past the end; '"' is 0x22, '\\' is 0x5c; below 0x20 are control characters.
      if (Number.isNaN(code) || code < 0x20 || code === 0x22 || code === 0x5c) return end;
      end++;
    }
  }

  private escape(): string {
    const c = this.text[this.at + 1] ?? '';
    if (c === 'u') {
      const hex = this.text.slice(this.at + 2, this.at + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.error('has an invalid \\u escape');
      this.at += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    const escaped = ESCAPES[c];
    if (escaped === undefined) this.error('has an invalid escape');
    this.at += 2;
    return escaped;
  }

  private array(depth: number): unknown[] {
    this.at++;
    const items: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.at] === ']') {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth));
      this.skipWhitespace();
      if (this.text[this.at] === ']') break;
      this.expect(',');
    }
    this.at++;
    return items;
  }

  private object(depth: number): Record<string, unknown> {
    this.at++;
    // A plain object like JSON.parse's, with "__proto__" defined as an own member (as
    // JSON.parse does) rather than assigned, which would set the prototype.
    const members: Record<string, unknown> = {};
    const names = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.at] === '}') {
      this.at++;
      return members;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.at] !== '"') this.error('expected a member name');
      const name = this.string();
      if (names.has(name))
        this.error(`has the member name ${JSON.stringify(name.slice(0, 64))} twice`);
      names.add(name);
      this.skipWhitespace();
      this.expect(':');
      const value = this.value(depth);
      Object.defineProperty(members, name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipWhitespace();
      if (this.text[this.at] === '}') break;
      this.expect(',');
    }
    this.at++;
    return members;
  }
}

/**
 * Parses `input` (UTF-8 bytes, or text already decoded) under the rules of the module
 * comment. Throws a LedgerError with `options.code` (INVALID_INPUT by default).
 */
export function parseStrictJson(
  input: Uint8Array | string,
  options: StrictJsonOptions = {},
): unknown {
  const code = options.code ?? 'INVALID_INPUT';
  const what = options.what ?? 'JSON document';
  const fail = (message: string): never => {
    throw new LedgerError(code, `${what} ${message}`);
  };
  const text = typeof input === 'string' ? input : decodeUtf8(input, fail);
  return new Reader(text, fail).document();
}
