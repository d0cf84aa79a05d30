import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, MAX_JSON_DEPTH } from '../../../core/canonical-json';
import { isLedgerError } from '../../../core/errors';
import { jsonish } from './json-arbitraries';

/** Whether canonicalJson must refuse `value`: a lone surrogate, or a number I-JSON cannot hold. */
function mustRefuse(value: unknown): boolean {
  if (typeof value === 'string')
    return !/^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(value);
  if (typeof value === 'number')
    return !Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value));
  if (Array.isArray(value)) return value.some(mustRefuse);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).some(([key, member]) => mustRefuse(key) || mustRefuse(member));
  return false;
}

describe('canonicalJson against the canonicalize package', () => {
  it('writes the same text for every JSON value it accepts, and refuses exactly the values JCS cannot hold', () => {
    fc.assert(
      fc.property(jsonish, (value) => {
        if (mustRefuse(value)) {
          expect(() => canonicalJson(value)).toFailWithCode('CANONICALIZATION_ERROR');
        } else {
          expect(canonicalJson(value)).toBe(canonicalize(value));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reports the path of the first offending value in member order', () => {
    const value = { b: [1, { c: '\ud800' }], a: Number.NaN };
    let path: unknown;
    try {
      canonicalJson(value);
    } catch (error) {
      if (isLedgerError(error)) path = error.details.path;
    }
    expect(path).toBe('$.b[1].c');
  });

  it('accepts nesting just below MAX_JSON_DEPTH', () => {
    let deep: unknown = 1;
    for (let i = 1; i < MAX_JSON_DEPTH; i++) deep = [deep];
    expect(canonicalJson(deep)).toBe(canonicalize(deep));
  });
});
