import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, formatFirstFailure, verifyBundle } from '../../../core/bundle';
import { bytesToHex } from '../../../core/encoding';
import { sha256 } from '../../../core/hashing';
import { bundleOf, createTestLedger, type TestLedger } from './fixtures';
import { expectFirstFailure, expectValid } from './expectations';

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await createTestLedger();
});

const digestOf = (bytes: Uint8Array) => ({ sha256: bytesToHex(sha256(bytes)), size: bytes.length });

describe('a valid bundle', () => {
  it('verifies, every check passing, in the documented order', async () => {
    const report = await verifyBundle(bundleOf(ledger, [1, 3]), ledger.trusted);
    expectValid(report);
    expect(report.checks.map((c) => c.check)).toEqual([
      'bundle.schema',
      'checkpoint',
      ...[
        'items.order',
        'record.hash',
        'record.facts',
        'record.signatures',
        'record.inclusion',
      ].flatMap((c) => [c, c]),
    ]);
    expect(report.checks.filter((c) => c.itemIndex === 1).every((c) => c.seq === 3)).toBe(true);
  });

  it('verifies with every record of the tree, including the first and the last', async () => {
    expectValid(await verifyBundle(bundleOf(ledger, [0, 1, 2, 3, 4]), ledger.trusted));
  });

  it('verifies with the evidence file it holds, and names the item', async () => {
    const report = await verifyBundle(bundleOf(ledger, [1, 3]), ledger.trusted, {
      evidence: digestOf(ledger.evidence[3]!),
    });
    expectValid(report);
    expect(report.checks.at(-1)?.message).toContain('item 1 (seq 3)');
    expect(formatFirstFailure(report)).toMatch(/^OK /);
  });

  it('round-trips through JSON text unchanged', async () => {
    const text = JSON.stringify(bundleOf(ledger, [2]));
    expectValid(await verifyBundle(JSON.parse(text), ledger.trusted));
  });

  it('can be built from ready-made proofs as well as from leaf hashes', () => {
    const fromLeaves = bundleOf(ledger, [4]);
    const fromProofs = buildBundle({
      checkpointNote: ledger.note,
      records: [ledger.records[4]!],
      proofs: { proofs: [fromLeaves.items[0]!.inclusionProof] },
      exportedAt: fromLeaves.informative.exportedAt,
      tool: fromLeaves.informative.tool,
      parties: ledger.trusted.parties,
    });
    expect(fromProofs).toEqual(fromLeaves);
  });
});

describe('when the trusted keys are not the ones that signed', () => {
  it('fails at the checkpoint with CHECKPOINT_SIGNATURE_INVALID', async () => {
    const other = await createTestLedger(1);
    expectFirstFailure(await verifyBundle(bundleOf(ledger, [1]), other.trusted), {
      check: 'checkpoint',
      code: 'CHECKPOINT_SIGNATURE_INVALID',
    });
  });

  it('fails at the checkpoint with CHECKPOINT_MALFORMED for another trusted origin', async () => {
    const trusted = { ...ledger.trusted, origin: 'ledger.example/other' };
    expectFirstFailure(await verifyBundle(bundleOf(ledger, [1]), trusted), {
      check: 'checkpoint',
      code: 'CHECKPOINT_MALFORMED',
    });
  });
});

describe('when the input is not a bundle', () => {
  it.each([
    ['null', null],
    ['an array', []],
    ['another format', { format: 'evidence-ledger/bundle/v0' }],
  ])('fails bundle.schema with BUNDLE_MALFORMED for %s', async (_, input) => {
    const report = await verifyBundle(input, ledger.trusted);
    expectFirstFailure(report, { check: 'bundle.schema', code: 'BUNDLE_MALFORMED' });
    expect(report.checks).toHaveLength(1);
  });
});
