/**
 * fast-check arbitraries of JSON-like values for the canonical-form property tests: strings
 * and numbers of every kind RFC 8785 treats differently, including the ones canonicalJson
 * refuses (lone surrogates, unsafe integers, NaN, ±Infinity).
 */
import fc from 'fast-check';

/** Strings of every kind JCS treats differently: plain, escaped, astral, lone surrogates. */
export const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    '"',
    '\\',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u2028',
    '€',
    '😀',
    '\ud83d',
    '\ude00',
    'a\udc00b',
    '</script>',
  ),
);

/** Numbers including the ones canonicalJson refuses: unsafe integers, NaN, ±Infinity. */
export const anyNumber = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(-0, 2 ** 53, -(2 ** 53), 1e21, 1e-7, 5e-324, Number.NaN, Infinity),
);

export const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false),
    anyString,
    anyNumber,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(anyString, tie('value'), { maxKeys: 6 }),
  ),
})).value;
