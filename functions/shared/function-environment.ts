import { LedgerError } from '../../core/errors';
import type { EnvName, FunctionDefinition } from '../../infra/definitions';

export type FunctionEnvironment = Readonly<Partial<Record<EnvName, string>>>;

/** The variables `definition` needs, read from `source`; a missing one fails at cold start. */
export function requireEnvironment(
  definition: FunctionDefinition,
  source: Readonly<Record<string, string | undefined>>,
): Readonly<Record<EnvName, string>> {
  const values: Partial<Record<EnvName, string>> = {};
  for (const name of definition.env) {
    const value = source[name];
    if (!value) {
      throw new LedgerError('INVALID_INPUT', `${definition.id}: environment variable ${name} is not set`, { name });
    }
    values[name] = value;
  }
  return values as Record<EnvName, string>;
}
