/**
 * Every value in a bundle is authenticated unless docs/FORMAT.md names it informative:
 * each leaf of a valid bundle (with a timestamp token) is changed in turn, and the change
 * must fail verification unless the field is in INFORMATIVE_FIELDS, the list FORMAT.md cites.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INFORMATIVE_FIELDS,
  verifyBundle,
  type EvidenceBundle,
  type TrustedKeys,
} from '../../../core/bundle';
import { certificateDer } from '../../../core/bundle/trusted-keys';
import { base64Encode, utf8Encode } from '../../../core/encoding';
import { sealRecord } from '../../../core/record';
import type { LedgerRecord } from '../../../core/types';
import { bundleOf, createTestLedger } from './fixtures';
import { jsonLeaves, mutatedLeaf, withLeaf } from './json-leaves';
import { createTestTsa, type TestTsa } from './test-tsa';

const FORMAT_MD = new URL('../../../docs/FORMAT.md', import.meta.url);

/** The fields listed between FORMAT.md's informative-fields markers, one `- \`path\`` a line. */
function informativeFieldsInFormatMd(): string[] {
  const text = readFileSync(FORMAT_MD, 'utf8');
  const block = /<!-- informative-fields:start -->([\s\S]*?)<!-- informative-fields:end -->/.exec(
    text,
  );
  return [...(block?.[1] ?? '').matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]!);
}

let tsa: TestTsa;
let bundle: EvidenceBundle;
let trusted: TrustedKeys;
beforeAll(async () => {
  const ledger = await createTestLedger();
  tsa = await createTestTsa();
  trusted = {
    ...ledger.trusted,
    tsa: [{ name: 'tsa', certificateDer: certificateDer(tsa.certificatePem) }],
  };
  bundle = bundleOf(ledger, [0, 3, 4], base64Encode(await tsa.stamp(utf8Encode(ledger.note))));
}, 30_000);
afterAll(() => tsa.dispose());

describe('the list of informative fields', () => {
  it('is the one docs/FORMAT.md gives', () => {
    expect(informativeFieldsInFormatMd()).toEqual([...INFORMATIVE_FIELDS]);
  });

  it('names only fields a bundle has', () => {
    const fields = new Set(jsonLeaves(bundle).map((leaf) => leaf.field));
    expect(INFORMATIVE_FIELDS.filter((f) => !fields.has(f))).toEqual([]);
  });
});

describe('changing any one value of a valid bundle', () => {
  it('starts from a bundle that verifies', async () => {
    expect((await verifyBundle(bundle, trusted)).ok).toBe(true);
  });

  it('fails verification unless the field is informative', async () => {
    const leaves = jsonLeaves(bundle);
    const accepted: string[] = [];
    for (const { path, field, value } of leaves) {
      const report = await verifyBundle(withLeaf(bundle, path, mutatedLeaf(value)), trusted);
      if (report.ok !== INFORMATIVE_FIELDS.includes(field))
        accepted.push(`${path.join('.')} ok=${report.ok}`);
    }
    expect(accepted).toEqual([]);
    expect(leaves.length).toBeGreaterThan(60);
  });

  it('fails verification for any record value even when recordHash is recomputed', async () => {
    const accepted: string[] = [];
    for (const [i, item] of bundle.items.entries()) {
      for (const { path, value } of jsonLeaves(item.record).filter(
        (l) => l.field !== 'recordHash',
      )) {
        const record = sealRecord(withLeaf(item.record, path, mutatedLeaf(value)) as LedgerRecord);
        const report = await verifyBundle(
          withLeaf(bundle, ['items', i, 'record'], record),
          trusted,
        );
        if (report.ok) accepted.push(`items.${i}.record.${path.join('.')}`);
      }
    }
    expect(accepted).toEqual([]);
  });
});
