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
