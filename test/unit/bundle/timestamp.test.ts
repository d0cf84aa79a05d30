/** RFC 3161 tokens from a real `openssl ts` authority over the checkpoint note. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle, type TrustedKeys } from '../../../core/bundle';
import { certificateDer } from '../../../core/bundle/trusted-keys';
import { base64Encode, utf8Encode } from '../../../core/encoding';
import { bundleOf, copyOf, createTestLedger, type TestLedger } from './fixtures';
import { expectFirstFailure, expectValid } from './expectations';
import { createTestTsa, type TestTsa } from './test-tsa';

let ledger: TestLedger;
let tsa: TestTsa;
let otherTsa: TestTsa;
let trusted: TrustedKeys;
let token: string;

beforeAll(async () => {
  [ledger, tsa, otherTsa] = await Promise.all([
    createTestLedger(),
    createTestTsa(),
    createTestTsa(),
  ]);
  trusted = {
    ...ledger.trusted,
    tsa: [{ name: 'test TSA', certificateDer: certificateDer(tsa.certificatePem) }],
  };
  token = base64Encode(await tsa.stamp(utf8Encode(ledger.note)));
}, 30_000);
afterAll(async () => {
  await Promise.all([tsa.dispose(), otherTsa.dispose()]);
});

describe('a bundle with a timestamp token', () => {
  it('verifies against the pinned TSA certificate and reports the time', async () => {
    const report = await verifyBundle(bundleOf(ledger, [1], token), trusted);
    expectValid(report);
    expect(report.checks.find((c) => c.check === 'timestamp')?.message).toMatch(
      /time-stamped at .* by test TSA/,
    );
  });

  it('fails with TIMESTAMP_MISMATCH for a token from another checkpoint', async () => {
    const other = await createTestLedger(3);
    const otherToken = base64Encode(await tsa.stamp(utf8Encode(other.note)));
    expectFirstFailure(await verifyBundle(bundleOf(ledger, [1], otherToken), trusted), {
      check: 'timestamp', code: 'TIMESTAMP_MISMATCH',
    }); // prettier-ignore
  });

  it('fails with TIMESTAMP_INVALID for a token from an unpinned TSA', async () => {
    const foreign = base64Encode(await otherTsa.stamp(utf8Encode(ledger.note)));
    expectFirstFailure(await verifyBundle(bundleOf(ledger, [1], foreign), trusted), {
      check: 'timestamp', code: 'TIMESTAMP_INVALID',
    }); // prettier-ignore
  });

  it('fails with TIMESTAMP_INVALID when the trusted keys pin no TSA', async () => {
    expectFirstFailure(await verifyBundle(bundleOf(ledger, [1], token), ledger.trusted), {
      check: 'timestamp', code: 'TIMESTAMP_INVALID',
    }); // prettier-ignore
  });

  it.each([
    ['truncated', (der: Buffer) => der.subarray(0, der.length - 10)],
    ['padded', (der: Buffer) => Buffer.concat([der, Buffer.from([0])])],
    [
      'its signature flipped',
      (der: Buffer) => Buffer.from(der.map((b, i) => (i === der.length - 5 ? b ^ 1 : b))),
    ],
  ])('fails with TIMESTAMP_INVALID when %s', async (_, edit) => {
    const bundle = copyOf(bundleOf(ledger, [1], token));
    bundle.checkpoint.timestampToken = edit(Buffer.from(token, 'base64')).toString('base64');
    expectFirstFailure(await verifyBundle(bundle, trusted), {
      check: 'timestamp',
      code: 'TIMESTAMP_INVALID',
    });
  });
});

describe('a bundle without a timestamp token', () => {
  it('verifies, unless a token is required', async () => {
    expectValid(await verifyBundle(bundleOf(ledger, [1]), trusted));
    expectFirstFailure(await verifyBundle(bundleOf(ledger, [1]), trusted, { requireTimestamp: true }), {
      check: 'timestamp', code: 'TIMESTAMP_INVALID',
    }); // prettier-ignore
  });
});
