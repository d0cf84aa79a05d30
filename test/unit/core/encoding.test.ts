import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  base64Decode,
  base64Encode,
  bytesEqual,
  bytesToHex,
  concatBytes,
  hexToBytes,
  utf8Decode,
  utf8Encode,
} from '../../../core/encoding';

describe('hex', () => {
  it('encodes lower-case and decodes either case', () => {
    expect(bytesToHex(Uint8Array.of(0x00, 0xab, 0xff))).toBe('00abff');
    expect(hexToBytes('00ABff')).toEqual(Uint8Array.of(0x00, 0xab, 0xff));
  });

  it.each(['abc', '0g', ' 00', '0x00', '+1'])('rejects %j with INVALID_INPUT', (text) => {
    expect(() => hexToBytes(text)).toFailWithCode('INVALID_INPUT');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
      }),
    );
  });
});

describe('base64', () => {
  // RFC 4648 §10 test vectors.
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes %j as %j (RFC 4648 §10) and back', (text, encoded) => {
    expect(base64Encode(utf8Encode(text))).toBe(encoded);
    expect(utf8Decode(base64Decode(encoded))).toBe(text);
  });

  it.each([
    ['missing padding', 'Zg'],
    ['URL-safe alphabet', 'ab-_'],
    ['padding in the middle', 'Zg==Zm8='],
    ['whitespace', 'Zm9v\n'],
    ['non-zero pad bits', 'Zh=='],
    ['too much padding', 'Z==='],
  ])('rejects %s with INVALID_INPUT', (_why, text) => {
    expect(() => base64Decode(text)).toFailWithCode('INVALID_INPUT');
  });

  it('accepts and refuses exactly as the regular expression it replaced, with the same message', () => {
    const pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
    /** The decoder before: the pattern, then the pad bits through Node's (lenient) decoder. */
    const reference = (text: string): string => {
      if (!pattern.test(text)) return 'not canonical padded base64';
      const bytes = Buffer.from(text, 'base64');
      return Buffer.from(bytes).toString('base64') === text
        ? `ok ${bytes.toString('hex')}`
        : 'base64 has non-zero pad bits';
    };
    const outcome = (text: string): string => {
      try {
        return `ok ${Buffer.from(base64Decode(text)).toString('hex')}`;
      } catch (error) {
        expect(error).toHaveProperty('code', 'INVALID_INPUT');
        return (error as Error).message;
      }
    };
    const near = fc.string({
      unit: fc.constantFrom(...'AZaz09+/=-_ \u00e9\u0100'.split('')),
      maxLength: 12,
    });
    const changed = fc
      .tuple(
        fc.uint8Array({ maxLength: 20 }),
        fc.nat(),
        fc.constantFrom('=', 'A', '/', '-', '\u00c1', ''),
      )
      .map(([bytes, at, c]) => {
        const text = base64Encode(bytes);
        const i = at % (text.length + 1);
        return text.slice(0, i) + c + text.slice(i + 1);
      });
    fc.assert(
      fc.property(fc.oneof(near, changed, fc.string()), (text) => {
        expect(outcome(text)).toBe(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with Node for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const encoded = base64Encode(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64Decode(encoded)).toEqual(bytes);
      }),
    );
  });
});

describe('utf8', () => {
  it('round-trips text outside the BMP', () => {
    expect(utf8Decode(utf8Encode('€ 😀'))).toBe('€ 😀');
  });

  it('rejects malformed UTF-8 with INVALID_INPUT instead of replacing it', () => {
    expect(() => utf8Decode(Uint8Array.of(0xc3, 0x28))).toFailWithCode('INVALID_INPUT');
  });
});

describe('concatBytes and bytesEqual', () => {
  it('concatenates in order', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3))).toEqual(
      Uint8Array.of(1, 2, 3),
    );
  });

  it('compares content and length', () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBe(false);
  });
});
