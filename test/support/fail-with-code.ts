/**
 * `toFailWithCode`: the one way the tests assert a refusal. It passes only when the thrown (or
 * rejected) value is a LedgerError with exactly the given code and, when `details` is given,
 * details that contain those entries (asymmetric matchers allowed in both). Registered for every
 * project by vitest.config.ts (setupFiles).
 *
 *   expect(() => parseCheckpoint(text)).toFailWithCode('CHECKPOINT_MALFORMED');
 *   await expect(cosign(request)).toFailWithCode('COSIGN_FORK', { seq: 3 });
 *   await expect(promise).rejects.toFailWithCode('APPEND_CONFLICT');
 *   expect(() => verify(claim)).toFailWithCode(oneOfCodes(['ROOT_MISMATCH', ...]));
 */
import { expect } from 'vitest';
import { isLedgerError, type LedgerErrorCode, type LedgerErrorDetails } from '../../core/errors';

/** The part of vitest's matcher state this matcher reads. */
interface MatcherContext {
  equals: (a: unknown, b: unknown) => boolean;
  isNot: boolean;
  promise: string;
  utils: { stringify: (value: unknown) => string };
}
interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

/** What the matcher returns: a promise when it has to wait for one, so a missing await is a lint error. */
type FailWithCodeResult<T> =
  T extends PromiseLike<unknown>
    ? Promise<void>
    : T extends (...args: never[]) => infer R
      ? [R] extends [never]
        ? void
        : R extends PromiseLike<unknown>
          ? Promise<void>
          : void
      : void;

/** An asymmetric matcher standing for the code: see oneOfCodes. */
interface CodeMatcher {
  asymmetricMatch(other: unknown): boolean;
}

/**
 * For the rare check where more than one code is right (a random mutation in a property test
 * may break a proof's length or its root): say so explicitly, with the allowed codes.
 */
export function oneOfCodes(codes: readonly LedgerErrorCode[]): CodeMatcher {
  return expect.toBeOneOf([...codes]) as CodeMatcher;
}

interface FailWithCodeMatchers<T> {
  /**
   * `T` is a function (called with no arguments), a promise (awaited), or — after `.rejects` or
   * `.toThrow`-style unwrapping — the error itself.
   */
  toFailWithCode(
    code: LedgerErrorCode | CodeMatcher,
    details?: Partial<LedgerErrorDetails>,
  ): FailWithCodeResult<T>;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends FailWithCodeMatchers<T> {}
}

const SETTLED = Symbol('settled without failing');

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function describeValue(value: unknown): string {
  if (value === SETTLED) return 'no failure (it returned)';
  if (isLedgerError(value)) {
    return `LedgerError ${value.code} ${JSON.stringify(value.details)} (${value.message})`;
  }
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return `the value ${String(value)}`;
}

function judge(
  this: MatcherContext,
  failure: unknown,
  code: unknown,
  details: Partial<LedgerErrorDetails> | undefined,
): MatcherResult {
  const { equals, utils, isNot } = this;
  const codeMatches = isLedgerError(failure) && equals(failure.code, code);
  const detailsMatch =
    details === undefined ||
    (isLedgerError(failure) && equals(failure.details, expect.objectContaining(details)));
  const expected =
    details === undefined ? String(code) : `${String(code)} ${utils.stringify(details)}`;
  return {
    pass: codeMatches && detailsMatch,
    message: () =>
      isNot
        ? `expected not to fail with LedgerError ${expected}, but it did`
        : `expected to fail with LedgerError ${expected}, got ${describeValue(failure)}`,
    actual: isLedgerError(failure) ? { code: failure.code, details: failure.details } : failure,
    expected: details === undefined ? { code } : { code, details },
  };
}

async function settle(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
    return SETTLED;
  } catch (error) {
    return error;
  }
}

expect.extend({
  toFailWithCode(
    this: MatcherContext,
    received: unknown,
    code: unknown,
    details?: Partial<LedgerErrorDetails>,
  ): MatcherResult | Promise<MatcherResult> {
    // After `.rejects` the matcher receives the rejection reason itself.
    if (this.promise === 'rejects') return judge.call(this, received, code, details);
    if (isThenable(received))
      return settle(received).then((f) => judge.call(this, f, code, details));
    if (typeof received !== 'function') {
      throw new TypeError('toFailWithCode expects a function, a promise, or .rejects');
    }
    let result: unknown;
    try {
      result = (received as () => unknown)();
    } catch (error) {
      return judge.call(this, error, code, details);
    }
    if (isThenable(result)) return settle(result).then((f) => judge.call(this, f, code, details));
    return judge.call(this, SETTLED, code, details);
  },
});
