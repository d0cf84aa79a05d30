import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LedgerError } from '../core/errors';
import { CliError, EXIT } from './exit-codes';

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

/** The options every verifying command has: at least --trusted-keys FILE. */
type VerifyingOptions = NonNullable<ParseArgsConfig['options']> & {
  readonly 'trusted-keys': { readonly type: 'string' };
};

/**
 * Parses a verifying command's arguments: its options, its one input (`what`) and the
 * --trusted-keys file. Any problem is a usage error (exit 2) followed by `usage`.
 */
export function parseVerifyingArgs<O extends VerifyingOptions>(
  args: readonly string[],
  options: O,
  what: string,
  usage: string,
) {
  return asUsageError(usage, () => {
    const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options });
    // --trusted-keys is a string option of every VerifyingOptions, so it reads as one.
    const trustedKeys = (values as Record<string, string | undefined>)['trusted-keys'];
    return { values, ...inputAndTrustedKeys(positionals, trustedKeys, what) };
  });
}

/** Runs `parse`; whatever it throws becomes a usage error naming its message, then `usage`. */
export function asUsageError<T>(usage: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new CliError(EXIT.USAGE, `${(error as Error).message}\n${usage}`);
  }
}
