/**
 * record-shape.ts checks the record schema by hand for records-bundle lines: it must accept
 * exactly what ledgerRecordSchema accepts, for any value JSON.parse can return, and what it
 * accepts must equal what the schema returns. Compared on real records and on records with
 * one or more members changed, dropped, added or replaced by values near every bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLedgerRecordJson } from '../../../core/record-shape';
import { ledgerRecordSchema } from '../../../core/schemas';
import { benchParties, signedLedger } from '../../../scripts/bench/signed-ledger';

const records = await signedLedger(await benchParties(), 3);
const real = records.map((record) => JSON.parse(JSON.stringify(record)) as unknown);

/** Paths (member names) into a record where a value can be changed. */
const PATHS = [
  ['type'],
  ['seq'],
  ['prevHash'],
  ['sequencedAt'],
  ['recordHash'],
  ['signatures'],
  ['signatures', 0],
  ['signatures', 1],
  ['signatures', 0, 'role'],
  ['signatures', 1, 'keyId'],
  ['signatures', 0, 'algorithm'],
  ['signatures', 1, 'signature'],
  ['deposit'],
  ['deposit', 'depositId'],
  ['deposit', 'bucket'],
  ['deposit', 'key'],
  ['deposit', 'versionId'],
  ['deposit', 'size'],
  ['deposit', 'sha256'],
  ['deposit', 'uploadedAt'],
  ['deposit', 'uploader'],
  ['deposit', 'uploader', 'principalId'],
  ['deposit', 'uploader', 'sourceIp'],
  ['deposit', 'caseMetadata'],
  ['deposit', 'caseMetadata', 'case-id'],
  ['deposit', 'caseMetadata', 'x'],
  ['deposit', 'caseMetadata', '10'],
  ['deposit', 'caseMetadata', 'Upper'],
] as const;

/** Strings of every class the schema tells apart: lengths near each bound, cases, code points. */
const boundText = fc.oneof(
  fc.constantFrom(
    '',
    'a',
    'ab',
    'abc',
    'agency',
    'custodian',
    'ECDSA_P256_SHA256',
    'evidence-ledger/record/v1',
    'MEUCIQ==',
    'MEU=',
    'MEUC',
    'ME=',
    '2026-01-01T00:00:00.000Z',
    '2024-02-30T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T00:00:00Z',
    '0'.repeat(64),
    'A'.repeat(64),
    'f'.repeat(63),
    'my-bucket',
    'My-bucket',
    '-bucket',
    'a.b',
    '\ud800',
    '😀',
    'é',
  ),
  fc
    .tuple(
      fc.constantFrom('a', 'é', '€', '😀', 'A', '0', '='),
      fc.constantFrom(1, 2, 3, 44, 45, 46, 62, 63, 64, 65, 95, 96, 200, 201, 511, 512, 513),
      fc.integer({ min: -2, max: 2 }),
    )
    .map(([unit, n, extra]) => unit.repeat(Math.max(0, n + extra))),
  fc.constantFrom(1024, 1025, 2047, 2048, 2049).map((n) => 'k'.repeat(n)),
  fc.constantFrom(341, 342, 512, 683, 1024).map((n) => '€'.repeat(n)),
  fc.string(),
);

const anyValue = fc.oneof(
  { weight: 5, arbitrary: boundText },
  {
    weight: 2,
    arbitrary: fc.constantFrom(-0, 0, 1, -1, 1.5, 2 ** 53 - 1, 2 ** 53, 1e300, null, true),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom([], {}, [1], { a: 1 }) },
);

type Change =
  | { readonly kind: 'set'; readonly path: readonly (string | number)[]; readonly value: unknown }
  | { readonly kind: 'drop'; readonly path: readonly (string | number)[] }
  | { readonly kind: 'proto'; readonly path: readonly (string | number)[] };

const change: fc.Arbitrary<Change> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      path: fc.constantFrom(...PATHS),
      value: anyValue,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('drop' as const), path: fc.constantFrom(...PATHS) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('proto' as const),
      path: fc.constantFrom([], ['deposit'], ['deposit', 'caseMetadata'], ['deposit', 'uploader']),
    }),
  },
);

/** `record` with `changes` applied, as JSON.parse would return it (so "__proto__" is an own key). */
function changed(record: unknown, changes: readonly Change[]): unknown {
  const copy = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  const protoAt: (readonly (string | number)[])[] = [];
  for (const c of changes) {
    if (c.kind === 'proto') {
      protoAt.push(c.path);
      continue;
    }
    let parent: unknown = copy;
    for (const step of c.path.slice(0, -1)) {
      parent = (parent as Record<string | number, unknown> | null)?.[step];
    }
    if (typeof parent !== 'object' || parent === null) continue;
    const last = c.path.at(-1)!;
    if (c.kind === 'drop') delete (parent as Record<string | number, unknown>)[last];
    // A copy: constantFrom hands out the same object every run, and a later change may write into it.
    else (parent as Record<string | number, unknown>)[last] = structuredClone(c.value);
  }
  let text = JSON.stringify(copy);
  for (const path of protoAt) {
    // Insert an own "__proto__" member at the object the path names, if it is still one.
    const marker = `"__marker_${path.join('_')}__":1`;
    let target: unknown = copy;
    for (const step of path) target = (target as Record<string | number, unknown> | null)?.[step];
    if (typeof target !== 'object' || target === null || Array.isArray(target)) continue;
    (target as Record<string, unknown>)[`__marker_${path.join('_')}__`] = 1;
    text = JSON.stringify(copy).replace(marker, '"__proto__":"x"');
  }
  return JSON.parse(text);
}

function agrees(value: unknown): void {
  const schema = ledgerRecordSchema.safeParse(value);
  expect(isLedgerRecordJson(value)).toBe(schema.success);
  if (schema.success) expect(value).toEqual(schema.data);
}

describe('the record schema checked by hand', () => {
  it('accepts real records, as the schema does', () => {
    for (const record of real) {
      expect(isLedgerRecordJson(record)).toBe(true);
      agrees(record);
    }
  });

  it('accepts exactly what the schema accepts, for records changed anywhere', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...real),
        fc.array(change, { minLength: 1, maxLength: 3 }),
        (r, cs) => agrees(changed(r, cs)),
      ),
      { numRuns: 4000 },
    );
  });

  it('accepts exactly what the schema accepts, for each member set to each value near a bound', () => {
    const units = ['a', 'é', '€', '😀', '='];
    const lengths = [0, 1, 2, 3, 4, 5, 44, 45, 46, 63, 64, 65, 96, 199, 200, 201, 511, 512, 513];
    const long = [1023, 1024, 1025, 2047, 2048, 2049];
    const values: unknown[] = [
      ...units.flatMap((unit) => lengths.map((n) => unit.repeat(n))),
      ...long.flatMap((n) => ['k'.repeat(n), `${'k'.repeat(n - 1)}é`]),
      ...['', 'ME==', 'MEU=', 'MEUC', 'agency', 'ECDSA_P256_SHA256', '2026-01-01T00:00:00.000Z'],
      ...['0'.repeat(64), 'A'.repeat(64), 'my-bucket', 'My-bucket', 'ab', '\ud800', null],
      ...[-0, 0, 1, -1, 1.5, 2 ** 53, [], {}, { a: 'b' }, true],
    ];
    for (const path of PATHS) {
      for (const value of values) agrees(changed(real[0], [{ kind: 'set', path, value }]));
      agrees(changed(real[0], [{ kind: 'drop', path }]));
    }
    for (const path of [[], ['deposit'], ['deposit', 'caseMetadata'], ['deposit', 'uploader']]) {
      agrees(changed(real[0], [{ kind: 'proto', path }]));
    }
  });

  it('accepts exactly what the schema accepts, for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), agrees), { numRuns: 500 });
  });
});
