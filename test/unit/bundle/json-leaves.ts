/** Walking and mutating every leaf (string, number, boolean, null) of a JSON value. */

export interface JsonLeaf {
  /** Concrete path, e.g. ['items', 0, 'record', 'seq']. */
  readonly path: readonly (string | number)[];
  /** The path with array indices as `[]`, e.g. `items[].record.seq`. */
  readonly field: string;
  readonly value: unknown;
}

function fieldOf(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (field, step) => (typeof step === 'number' ? `${field}[]` : field ? `${field}.${step}` : step),
    '',
  );
}

export function jsonLeaves(value: unknown, path: (string | number)[] = []): JsonLeaf[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => jsonLeaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => jsonLeaves(v, [...path, k]));
  }
  return [{ path, field: fieldOf(path), value }];
}

/** Another character of the same kind, so a mutated value usually still parses. */
function otherCharacter(c: string): string {
  if (/[0-8]/.test(c)) return String(Number(c) + 1);
  if (c === '9') return '0';
  if (/[a-eA-E]/.test(c) || /[g-yG-Y]/.test(c)) return String.fromCharCode(c.charCodeAt(0) + 1);
  if (c === 'f' || c === 'F') return c === 'f' ? 'a' : 'A';
  if (c === 'z' || c === 'Z') return c === 'z' ? 'a' : 'A';
  if (c === '+') return '/';
  return c === 'x' ? 'y' : 'x';
}

/** The leaf changed: a string's middle character, a number plus one, a boolean negated. */
export function mutatedLeaf(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value === '') return 'x';
    const i = Math.floor(value.length / 2);
    return value.slice(0, i) + otherCharacter(value[i]!) + value.slice(i + 1);
  }
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  return 'x';
}

/** A deep copy of `root` with the leaf at `path` replaced by `value`. */
export function withLeaf(
  root: unknown,
  path: readonly (string | number)[],
  value: unknown,
): unknown {
  const copy = JSON.parse(JSON.stringify(root)) as Record<string | number, unknown>;
  let node = copy;
  path.slice(0, -1).forEach((step) => (node = node[step] as Record<string | number, unknown>));
  node[path.at(-1)!] = value;
  return copy;
}
