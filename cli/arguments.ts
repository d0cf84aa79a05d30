import { LedgerError } from '../core/errors';

/**
 * The one input argument (a BUNDLE file, a LOG) and the --trusted-keys file that the
 * verifying commands take: anything else is a usage error naming both.
 */
export function inputAndTrustedKeys(
  positionals: readonly string[],
  trustedKeys: string | undefined,
  what: string,
): { input: string; trustedKeys: string } {
  const [input, ...extra] = positionals;
  if (input === undefined || extra.length > 0 || trustedKeys === undefined) {
    throw new LedgerError('INVALID_INPUT', `one ${what} and --trusted-keys are required`);
  }
  return { input, trustedKeys };
}
