import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson, MAX_JSON_DEPTH } from '../../../core/canonical-json';
import { bytesToHex } from '../../../core/encoding';

const vector = (name: string) =>
  readFileSync(new URL(`../../vectors/rfc8785/${name}`, import.meta.url), 'utf8');

interface NumberSample {
  ieee754: string;
  json: string | null;
  comment: string;
}
const numberSamples = (
  JSON.parse(vector('number-serialization.json')) as { samples: NumberSample[] }
).samples.map((sample) => ({ ...sample, value: doubleFromHex(sample.ieee754) }));

function doubleFromHex(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

const primitivesInput: unknown = JSON.parse(vector('primitives-input.json'));
const primitivesCanonical = vector('primitives-canonical.json');
const primitivesHex = vector('primitives-canonical.hex').replace(/\s+/g, '');
const sortingInput: unknown = JSON.parse(vector('sorting-input.json'));
const sortingOrder = JSON.parse(vector('sorting-expected-order.json')) as string[];
// Read the values in text order: JSON.parse would move the integer-like key "1" first.
const valuesInTextOrder = (json: string) => [...json.matchAll(/:"([^"]*)"/g)].map((m) => m[1]);

describe('the canonicalize package, which canonicalJson delegates to', () => {
  it('serializes the §3.2.2 sample to the §3.2.3 text and §3.2.4 bytes', () => {
    const text = canonicalize(primitivesInput);
    expect(text).toBe(primitivesCanonical);
    expect(bytesToHex(new TextEncoder().encode(text))).toBe(primitivesHex);
  });

  it.each(numberSamples.filter((s) => s.json !== null))(
    'serializes $ieee754 ($comment) as $json (Appendix B)',
    ({ value, json }) => expect(canonicalize(value)).toBe(json),
  );
});

describe('canonicalJson on the RFC 8785 vectors', () => {
  it('sorts properties by UTF-16 code units (§3.2.3)', () => {
    expect(valuesInTextOrder(canonicalJson(sortingInput))).toEqual(sortingOrder);
  });

  it('escapes the §3.2.2 string and literals as §3.2.3 shows', () => {
    const { string, literals } = primitivesInput as { string: string; literals: unknown[] };
    expect(canonicalJson({ string, literals })).toBe(
      '{"literals":[null,true,false],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('refuses the whole §3.2.2 sample because 1E30 is an integer beyond 2^53', () => {
    expect(() => canonicalJson(primitivesInput)).toThrow(/\$\.numbers\[1\]/);
  });

  const safe = numberSamples.filter(
    (s) => s.json !== null && !(Number.isInteger(s.value) && !Number.isSafeInteger(s.value)),
  );
  it.each(safe)('serializes $ieee754 as $json (Appendix B)', ({ value, json }) => {
    expect(canonicalJson(value)).toBe(json);
    expect(canonicalJson([value])).toBe(`[${json}]`);
  });

  const refused = numberSamples.filter((s) => !safe.includes(s));
  it.each(refused)('refuses $ieee754 ($comment) with CANONICALIZATION_ERROR', ({ value }) => {
    expect(() => canonicalJson({ n: value })).toFailWithCode('CANONICALIZATION_ERROR');
  });
});

describe('canonicalJson on values JCS cannot represent faithfully', () => {
  const sparse: unknown[] = [1];
  sparse[2] = 3;
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  let deep: unknown = 'leaf';
  for (let i = 0; i <= MAX_JSON_DEPTH; i++) deep = [deep];

  it.each([
    ['undefined at the top', undefined],
    ['an undefined member', { a: 1, b: undefined }],
    ['an undefined element', [1, undefined]],
    ['an array hole', sparse],
    ['a function', { f: () => 1 }],
    ['a symbol', { s: Symbol('x') }],
    ['a symbol-keyed member', { [Symbol('k')]: 1 }],
    ['a bigint', { n: 1n }],
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['an integer above 2^53 - 1', { n: 2 ** 53 }],
    ['a negative integer below -(2^53 - 1)', { n: -(2 ** 53) }],
    ['a Date (toJSON would change it)', { at: new Date(0) }],
    ['a Map', { m: new Map() }],
    ['a lone surrogate in a value', { s: '\ud800' }],
    ['a lone surrogate in a key', { '\udc00': 1 }],
    ['a cycle', cyclic],
    ['nesting beyond MAX_JSON_DEPTH', deep],
  ])('refuses %s with CANONICALIZATION_ERROR', (_what, value) => {
    expect(() => canonicalJson(value)).toFailWithCode('CANONICALIZATION_ERROR');
  });

  it('accepts the largest safe integers, -0 (as 0) and null-prototype objects', () => {
    const bare = Object.assign(Object.create(null) as object, { b: 2, a: 1 });
    expect(canonicalJson([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -0, bare])).toBe(
      '[9007199254740991,-9007199254740991,0,{"a":1,"b":2}]',
    );
  });

  it('accepts the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('encodes the canonical text as UTF-8 (§3.2.4)', () => {
    expect(canonicalBytes({ '€': 1 })).toEqual(
      Uint8Array.of(0x7b, 0x22, 0xe2, 0x82, 0xac, 0x22, 0x3a, 0x31, 0x7d),
    );
  });
});
