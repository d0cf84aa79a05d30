import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../core/encoding';
import { utf8Length } from '../../../core/schemas';
import { anyString } from './json-arbitraries';

describe('utf8Length, the byte count every schema bound uses', () => {
  it('is the length of the UTF-8 encoding, lone surrogates (U+FFFD) included', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        expect(utf8Length(text)).toBe(utf8Encode(text).length);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['', 0],
    ['a', 1],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\ud83d', 3],
    ['\ude00\ud83d', 6],
  ])('counts %j as %i bytes', (text, bytes) => expect(utf8Length(text)).toBe(bytes));
});
