/** RFC 3161 tokens from a real `openssl ts` authority over the checkpoint note. */
import { fromBER, Integer } from 'asn1js';
import { ContentInfo, SignedData, type IssuerAndSerialNumber } from 'pkijs';
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

/** The token re-encoded after `edit` changed its SignedData (outside the signed attributes). */
function reencoded(base64: string, edit: (signed: SignedData) => void): string {
  const info = new ContentInfo({ schema: fromBER(Buffer.from(base64, 'base64')).result });
  const signed = new SignedData({ schema: info.content });
  edit(signed);
  const content: unknown = signed.toSchema(true);
  const der = new ContentInfo({ contentType: info.contentType, content }).toSchema().toBER();
  return base64Encode(new Uint8Array(der));
}

describe('a token held to the profile of docs/FORMAT.md §9', () => {
  const withToken = (other: string) => {
    const bundle = copyOf(bundleOf(ledger, [1], token));
    bundle.checkpoint.timestampToken = other;
    return bundle;
  };

  it('still verifies when re-encoded unchanged (so the failures below are the edits)', async () => {
    expectValid(await verifyBundle(withToken(reencoded(token, () => undefined)), trusted));
  });

  it('fails with TIMESTAMP_INVALID when it carries an empty CRLs field', async () => {
    const report = await verifyBundle(withToken(reencoded(token, (s) => (s.crls = []))), trusted);
    expectFirstFailure(report, { check: 'timestamp', code: 'TIMESTAMP_INVALID' });
    expect(report.firstFailure?.message).toMatch(/CRLs/);
  });

  it('fails with TIMESTAMP_INVALID when its sid names another certificate than the pinned one', async () => {
    const other = reencoded(token, (signed) => {
      const sid = signed.signerInfos[0]!.sid as IssuerAndSerialNumber;
      sid.serialNumber = new Integer({ value: 4242 });
    });
    const report = await verifyBundle(withToken(other), trusted);
    expectFirstFailure(report, { check: 'timestamp', code: 'TIMESTAMP_INVALID' });
    expect(report.firstFailure?.message).toMatch(/sid/);
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
