/**
 * Puts a scheduler gate in front of every method of a port: the call is made only when the
 * scheduler releases it (and may be faulted there). One gated view per invocation, so each
 * call knows whose it is.
 */
import { shortId } from './trace';

export type Gate = <T>(port: string, detail: string, call: () => Promise<T>) => Promise<T>;

type MethodName<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof T] &
  string;

/** A compact, deterministic rendering of a call's first argument for the trace. */
export function describeArgument(value: unknown): string {
  if (typeof value === 'string')
    return /^[0-9a-f]{64}$/.test(value) ? shortId(value) : value.slice(0, 40);
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of ['depositId', 'treeSize', 'nextSeq', 'from', 'key']) {
      if (key in record) return `${key}=${describeArgument(record[key])}`;
    }
    const nested = (record.from ?? record.deposit) as Record<string, unknown> | undefined;
    if (nested && typeof nested === 'object' && 'depositId' in nested)
      return describeArgument(nested.depositId);
  }
  return '';
}

export function gatedPort<T extends object>(
  gate: Gate,
  port: string,
  target: T,
  methods: readonly MethodName<T>[],
): T {
  const names = new Set<string | symbol>(methods);
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (!names.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        gate(`${port}.${String(property)}`, describeArgument(args[0]), () =>
          (value as (...a: unknown[]) => Promise<unknown>).apply(object, args),
        );
    },
  });
}
