import { isLedgerError, LedgerError } from '../../core/errors';
import type { FunctionDefinition, PipelineEnvName } from '../../definitions/pipeline';

export type FunctionEnvironment = Readonly<Partial<Record<PipelineEnvName, string>>>;

/**
 * The `required` variables read from `source`, plus the `optional` ones ('' when unset);
 * a missing required variable fails at cold start, naming the function and the variable.
 */
export function requireVariables<Name extends string>(
  functionId: string,
  source: Readonly<Record<string, string | undefined>>,
  required: readonly Name[],
  optional: readonly Name[] = [],
): Readonly<Record<Name, string>> {
  const values: Partial<Record<Name, string>> = {};
  for (const name of required) {
    const value = source[name];
    if (!value) {
      throw new LedgerError(
        'CONFIG_MISSING',
        `${functionId}: environment variable ${name} is not set`,
        { functionId, name },
      );
    }
    values[name] = value;
  }
  for (const name of optional) values[name] = source[name] ?? '';
  return values as Record<Name, string>;
}

/**
 * `decode(value)` of environment variable `name`; whatever it refuses (bad base64, a number
 * out of range, an unknown role) is CONFIG_INVALID naming the variable: the deployment is wrong.
 */
export function decodeVariable<T>(name: string, value: string, decode: (value: string) => T): T {
  try {
    return decode(value);
  } catch (cause) {
    if (!isLedgerError(cause)) throw cause;
    throw new LedgerError(
      'CONFIG_INVALID',
      `environment variable ${name}: ${cause.message}`,
      { name },
      { cause },
    );
  }
}

/** The variables `definition` needs, read from `source`. */
export function requireEnvironment(
  definition: FunctionDefinition,
  source: Readonly<Record<string, string | undefined>>,
): Readonly<Record<PipelineEnvName, string>> {
  return requireVariables(definition.id, source, definition.env);
}
