import { describe, expect, it } from 'vitest';
import { LedgerError } from '../../../core/errors';
import { oneOfCodes } from '../../support/fail-with-code';

const refuse = (): never => {
  throw new LedgerError('CHAIN_GAP', 'gap', { seq: 4, expected: 3 });
};
const refuseLater = (): Promise<never> =>
  Promise.reject(new LedgerError('CHAIN_GAP', 'gap', { seq: 4 }));

describe('toFailWithCode', () => {
  it('passes when a function throws a LedgerError with exactly that code', () => {
    expect(refuse).toFailWithCode('CHAIN_GAP');
    expect(refuse).not.toFailWithCode('CHAIN_DUPLICATE');
  });

  it('checks the given details as a subset, asymmetric matchers allowed', () => {
    expect(refuse).toFailWithCode('CHAIN_GAP', { seq: 4 });
    expect(refuse).toFailWithCode('CHAIN_GAP', { seq: 4, expected: expect.any(Number) });
    expect(refuse).not.toFailWithCode('CHAIN_GAP', { seq: 5 });
  });

  it('accepts one of several codes only when asked to with oneOfCodes', () => {
    expect(refuse).toFailWithCode(oneOfCodes(['CHAIN_GAP', 'CHAIN_DUPLICATE']));
    expect(refuse).not.toFailWithCode(oneOfCodes(['ROOT_MISMATCH']));
  });

  it('fails for a function that returns, or throws something other than a LedgerError', () => {
    expect(() => 1).not.toFailWithCode('CHAIN_GAP');
    expect(() => {
      throw new Error('CHAIN_GAP');
    }).not.toFailWithCode('CHAIN_GAP');
    expect(() => expect(() => 1).toFailWithCode('CHAIN_GAP')).toThrow(
      'expected to fail with LedgerError CHAIN_GAP, got no failure (it returned)',
    );
    expect(() => expect(refuse).toFailWithCode('CHAIN_DUPLICATE')).toThrow(
      /got LedgerError CHAIN_GAP/,
    );
  });

  it('awaits a promise, a function returning one, or the reason after .rejects', async () => {
    await expect(refuseLater()).toFailWithCode('CHAIN_GAP', { seq: 4 });
    await expect(refuseLater).toFailWithCode('CHAIN_GAP');
    await expect(refuseLater()).rejects.toFailWithCode('CHAIN_GAP');
    await expect(Promise.resolve(1)).not.toFailWithCode('CHAIN_GAP');
    await expect(expect(Promise.resolve(1)).toFailWithCode('CHAIN_GAP')).rejects.toThrow(
      /got no failure/,
    );
  });
});
