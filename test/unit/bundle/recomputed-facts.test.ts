/**
 * A party's signature is not a reason to skip a check (issue #9): records whose depositId
 * is not H(bucket, key, versionId), adjacent items that do not link, and a seq-0 record
 * that does not link to 64 zeros all fail, even when both parties signed them and the
 * checkpoint that holds them is co-signed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle, type BundleReport } from '../../../core/bundle';
import { buildRecords } from '../../../core/chain';
import { depositIdFor } from '../../../core/deposit-id';
import { recordBody, sealRecord } from '../../../core/record';
import { GENESIS_HEAD, type LedgerRecord } from '../../../core/types';
import type { InMemorySigner } from '../../../tools/fakes/in-memory-signer';
import { anchorRecords, approve, bundleOf, depositOf, partySigners } from './fixtures';
import { expectValid } from './expectations';

let signers: InMemorySigner[];
let genuine: LedgerRecord[];

beforeAll(async () => {
  signers = await partySigners();
  const approved = await Promise.all(
    [0, 1, 2, 3].map((i) =>
      approve(depositOf(new Uint8Array([i, 1]), `cases/facts/item-${i}.bin`), signers),
    ),
  );
  genuine = buildRecords(GENESIS_HEAD, approved, new Date('2024-05-01T12:00:00.000Z')).records;
});

/** `records` with record `seq` given `prevHash`, every later record relinked and resealed. */
function relinkedAt(records: readonly LedgerRecord[], seq: number, prevHash: string) {
  const result: LedgerRecord[] = [...records.slice(0, seq)];
  let link = prevHash;
  for (const record of records.slice(seq)) {
    const resealed = sealRecord({ ...recordBody(record), prevHash: link });
    result.push(resealed);
    link = resealed.recordHash;
  }
  return result;
}

/** The failed checks of a report: only the ones named may fail, nothing else. */
const failures = (report: BundleReport) =>
  report.checks.filter((c) => !c.ok).map(({ check, code, itemIndex, seq }) => ({ check, code, itemIndex, seq })); // prettier-ignore

describe('when a record names a depositId that is not H(bucket, key, versionId)', () => {
  it('fails record.facts with DEPOSIT_ID_MISMATCH although both parties signed it', async () => {
    const facts = depositOf(new Uint8Array([7, 7]), 'cases/facts/renamed.bin');
    const otherVersion = { bucket: facts.bucket, key: facts.key, versionId: 'another-version' };
    const misnamed = { ...facts, depositId: depositIdFor(otherVersion) };
    const head = { nextSeq: 4, lastHash: genuine[3]!.recordHash };
    const { records } = buildRecords(head, [await approve(misnamed, signers)], new Date());
    const ledger = await anchorRecords([...genuine, ...records], signers);

    const report = await verifyBundle(bundleOf(ledger, [3, 4]), ledger.trusted);

    expect(failures(report)).toEqual([
      { check: 'record.facts', code: 'DEPOSIT_ID_MISMATCH', itemIndex: 1, seq: 4 },
    ]);
  });
});

describe('when two adjacent items do not link', () => {
  it('fails record.facts with CHAIN_LINK_MISMATCH at the later item, all else verifying', async () => {
    const ledger = await anchorRecords(relinkedAt(genuine, 2, 'ab'.repeat(32)), signers);

    const report = await verifyBundle(bundleOf(ledger, [1, 2]), ledger.trusted);

    expect(failures(report)).toEqual([
      { check: 'record.facts', code: 'CHAIN_LINK_MISMATCH', itemIndex: 1, seq: 2 },
    ]);
  });

  it('cannot tell when the items are not adjacent: a bundle is a selection', async () => {
    const ledger = await anchorRecords(relinkedAt(genuine, 2, 'ab'.repeat(32)), signers);
    expectValid(await verifyBundle(bundleOf(ledger, [1, 3]), ledger.trusted));
    expectValid(await verifyBundle(bundleOf(ledger, [2, 3]), ledger.trusted));
  });
});

describe('when the record at seq 0 does not link to 64 zeros', () => {
  it('fails record.facts with CHAIN_LINK_MISMATCH at seq 0, alone in its bundle', async () => {
    const ledger = await anchorRecords(relinkedAt(genuine, 0, 'cd'.repeat(32)), signers);

    const report = await verifyBundle(bundleOf(ledger, [0]), ledger.trusted);

    expect(failures(report)).toEqual([
      { check: 'record.facts', code: 'CHAIN_LINK_MISMATCH', itemIndex: 0, seq: 0 },
    ]);
  });
});

describe('when every fact recomputes', () => {
  it('passes record.facts, naming the link it checked', async () => {
    const ledger = await anchorRecords(genuine, signers);
    const report = await verifyBundle(bundleOf(ledger, [0, 1, 3]), ledger.trusted);
    expectValid(report);
    expect(report.checks.filter((c) => c.check === 'record.facts').map((c) => c.message)).toEqual([
      'depositId recomputes',
      'depositId recomputes; links to seq 0',
      'depositId recomputes',
    ]);
  });
});
