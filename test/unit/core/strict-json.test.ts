/**
 * The strict JSON reader: one reading per file. Every refusal is a LedgerError with the
 * caller's code; what JSON.parse would read differently, or at all, is refused.
 */
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../core/encoding';
import { parseStrictJson } from '../../../core/strict-json';

const read = (text: string | Uint8Array) => parseStrictJson(text, { code: 'BUNDLE_MALFORMED' });

describe('parseStrictJson', () => {
  it('reads what JSON.parse reads for plain JSON, from text or UTF-8 bytes', () => {
    const text =
      ' {"a": [1, 0, 9007199254740991, true, false, null], "b": {"c": "d\\u00e9\\n\\ud83d\\ude00"}, "é": ""}\n';
    expect(read(text)).toEqual(JSON.parse(text));
    expect(read(utf8Encode(text))).toEqual(JSON.parse(text));
  });

  it('keeps "__proto__" as an own member, as JSON.parse does, without setting the prototype', () => {
    const value = read('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(value).toEqual(JSON.parse('{"__proto__": {"polluted": 1}}'));
  });

  it('throws INVALID_INPUT unless the caller names another code', () => {
    expect(() => parseStrictJson('{"a":1,"a":1}')).toFailWithCode('INVALID_INPUT');
  });

  describe('when a member name appears twice', () => {
    it.each([
      ['the same spelling', '{"a": 1, "a": 1}'],
      ['another spelling of the same name', '{"a": 1, "\\u0061": 2}'],
      ['in a nested object', '{"x": [{"seq": 1, "seq": 2}]}'],
      ['as "__proto__"', '{"__proto__": 1, "__proto__": 2}'],
    ])('fails with the caller code for %s', (_, text) => {
      expect(() => read(text)).toFailWithCode('BUNDLE_MALFORMED');
    });
  });

  describe('when a number is not a non-negative integer in plain decimal', () => {
    it.each([
      '1.0',
      '1e3',
      '1E0',
      '-0',
      '-1',
      '0.5',
      '9007199254740992',
      '1e400',
      '01',
      '+1',
      '.5',
      'NaN',
      'Infinity',
    ])('fails with the caller code for %s', (number) => {
      expect(() => read(`{"seq": ${number}}`)).toFailWithCode('BUNDLE_MALFORMED');
    });
  });

  describe('when the bytes are not UTF-8', () => {
    it.each([
      ['a lone continuation byte', [0x22, 0x80, 0x22]],
      ['a truncated sequence', [0x22, 0xc3, 0x22]],
      ['an overlong encoding', [0x22, 0xc0, 0xaf, 0x22]],
      ['an encoded surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22]],
      ['a byte order mark', [0xef, 0xbb, 0xbf, 0x7b, 0x7d]],
    ])('fails with the caller code for %s', (_, bytes) => {
      expect(() => read(Uint8Array.from(bytes))).toFailWithCode('BUNDLE_MALFORMED');
    });
  });

  describe('when a string holds a lone surrogate', () => {
    it.each([
      ['an escaped high surrogate', '{"a": "\\ud800"}'],
      ['an escaped low surrogate', '{"a": "x\\udc00"}'],
      ['a reversed pair', '{"a": "\\udc00\\ud800"}'],
      ['one in a member name', '{"\\ud800": 1}'],
      ['a raw one in text', '{"a": "\ud800"}'],
    ])('fails with the caller code for %s', (_, text) => {
      expect(() => read(text)).toFailWithCode('BUNDLE_MALFORMED');
    });
  });

  describe('when the text is not RFC 8259 JSON', () => {
    it.each([
      ['empty input', ''],
      ['a trailing comma', '{"a": 1,}'],
      ['a comment', '{"a": 1 /* c */}'],
      ['single quotes', "{'a': 1}"],
      ['a raw control character in a string', '{"a": "x\ty"}'],
      ['an unknown escape', '{"a": "\\x41"}'],
      ['a short \\u escape', '{"a": "\\u41"}'],
      ['an unterminated string', '{"a": "x'],
      ['two values', '{} {}'],
      ['a missing colon', '{"a" 1}'],
      ['an unquoted name', '{a: 1}'],
      ['a non-breaking space as whitespace', '{\u00a0}'],
      ['nesting deeper than 64', `${'['.repeat(65)}${']'.repeat(65)}`],
    ])('fails with the caller code for %s', (_, text) => {
      expect(() => read(text)).toFailWithCode('BUNDLE_MALFORMED');
    });

    it('accepts nesting 64 deep', () => {
      expect(() => read(`${'['.repeat(64)}${']'.repeat(64)}`)).not.toThrow();
    });
  });
});
