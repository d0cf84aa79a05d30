/**
 * The tamper suite, records and items: each change to a valid bundle is detected by the
 * right check, with the right code, at the right item.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../core/bundle';
import { buildRecords } from '../../../core/chain';
import { bytesToHex } from '../../../core/encoding';
import { sha256 } from '../../../core/hashing';
import { signAttestation } from '../../../core/party-signatures';
import { sealRecord } from '../../../core/record';
import type { LedgerRecord } from '../../../core/types';
import { createInMemorySigner } from '../../../tools/fakes/in-memory-signer';
import {
  approve,
  bundleOf,
  copyOf,
  createTestLedger,
  depositOf,
  type TestLedger,
} from './fixtures';
import { expectFirstFailure, expectValid } from './expectations';

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await createTestLedger();
});

/** A copy of the [1, 3] bundle with `edit` applied to item `index`'s record. */
function withRecord(index: number, edit: (record: LedgerRecord) => LedgerRecord) {
  const bundle = copyOf(bundleOf(ledger, [1, 3]));
  bundle.items[index]!.record = edit(bundle.items[index]!.record);
  return bundle;
}

const resealed = (record: LedgerRecord) => sealRecord(record);

describe('when a deposit value is changed', () => {
  it.each([
    [
      'the digest',
      (r: LedgerRecord) => ({ ...r, deposit: { ...r.deposit, sha256: 'f'.repeat(64) } }),
    ],
    [
      'the size',
      (r: LedgerRecord) => ({ ...r, deposit: { ...r.deposit, size: r.deposit.size + 1 } }),
    ],
    [
      'the case metadata',
      (r: LedgerRecord) => ({ ...r, deposit: { ...r.deposit, caseMetadata: { 'case-id': 'X' } } }),
    ],
  ])('fails record.hash with RECORD_HASH_MISMATCH for %s', async (_, edit) => {
    expectFirstFailure(await verifyBundle(withRecord(1, edit), ledger.trusted), {
      check: 'record.hash', code: 'RECORD_HASH_MISMATCH', itemIndex: 1, seq: 3,
    }); // prettier-ignore
  });

  it('fails record.signatures with SIGNATURE_INVALID when recordHash is recomputed too', async () => {
    const edit = (r: LedgerRecord) =>
      resealed({ ...r, deposit: { ...r.deposit, sha256: 'f'.repeat(64) } });
    expectFirstFailure(await verifyBundle(withRecord(0, edit), ledger.trusted), {
      check: 'record.signatures', code: 'SIGNATURE_INVALID', itemIndex: 0, seq: 1,
    }); // prettier-ignore
  });

  it('fails record.inclusion with ROOT_MISMATCH for an unsigned field, resealed', async () => {
    const edit = (r: LedgerRecord) => resealed({ ...r, sequencedAt: '2024-05-01T12:00:01.000Z' });
    expectFirstFailure(await verifyBundle(withRecord(1, edit), ledger.trusted), {
      check: 'record.inclusion', code: 'ROOT_MISMATCH', itemIndex: 1, seq: 3,
    }); // prettier-ignore
  });
});

describe('when the evidence file is not the deposited one', () => {
  it('fails evidence.digest with EVIDENCE_DIGEST_MISMATCH for one changed byte', async () => {
    const file = ledger.evidence[3]!.slice();
    file[4] = file[4]! ^ 0x01;
    const evidence = { sha256: bytesToHex(sha256(file)), size: file.length };
    const report = await verifyBundle(bundleOf(ledger, [3]), ledger.trusted, { evidence });
    expectFirstFailure(report, { check: 'evidence.digest', code: 'EVIDENCE_DIGEST_MISMATCH' });
    expect(report.checks.filter((c) => !c.ok)).toHaveLength(1);
  });

  it('fails evidence.digest when the item that recorded the file was dropped', async () => {
    const bundle = copyOf(bundleOf(ledger, [1, 3]));
    bundle.items.splice(1, 1);
    const file = ledger.evidence[3]!;
    const evidence = { sha256: bytesToHex(sha256(file)), size: file.length };
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted, { evidence }), {
      check: 'evidence.digest', code: 'EVIDENCE_DIGEST_MISMATCH',
    }); // prettier-ignore
  });
});

describe('when items are dropped, duplicated, reordered or inserted', () => {
  it('fails bundle.schema with BUNDLE_MALFORMED when an item loses its record', async () => {
    const bundle = copyOf(bundleOf(ledger, [1, 3])) as unknown as {
      items: Record<string, unknown>[];
    };
    delete bundle.items[0]!.record;
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted), {
      check: 'bundle.schema',
      code: 'BUNDLE_MALFORMED',
    });
  });

  it('fails bundle.schema with BUNDLE_MALFORMED when every item is dropped', async () => {
    const bundle = copyOf(bundleOf(ledger, [1]));
    bundle.items = [];
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted), {
      check: 'bundle.schema',
      code: 'BUNDLE_MALFORMED',
    });
  });

  it('fails items.order with CHAIN_DUPLICATE at item 2 when an item is duplicated', async () => {
    const bundle = copyOf(bundleOf(ledger, [1, 3]));
    bundle.items.push(bundle.items[1]!);
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted), {
      check: 'items.order', code: 'CHAIN_DUPLICATE', itemIndex: 2, seq: 3,
    }); // prettier-ignore
  });

  it('fails items.order with BUNDLE_MALFORMED at item 1 when items are reordered', async () => {
    const bundle = copyOf(bundleOf(ledger, [1, 3]));
    bundle.items.reverse();
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted), {
      check: 'items.order', code: 'BUNDLE_MALFORMED', itemIndex: 1, seq: 1,
    }); // prettier-ignore
  });

  /** Genuine record 1, then a co-signed record 2 that links to it but is not in the tree. */
  async function withForgedSeq2(seqs: readonly number[]) {
    const forged = await approve(
      depositOf(new Uint8Array([9, 9]), 'cases/forged.bin'),
      ledger.signers,
    );
    const head = { nextSeq: 2, lastHash: ledger.records[1]!.recordHash };
    const [record] = buildRecords(head, [forged], new Date('2024-05-01T12:00:00.000Z')).records;
    const bundle = copyOf(bundleOf(ledger, seqs));
    bundle.items[1]!.record = record!;
    return bundle;
  }

  it('fails record.inclusion with ROOT_MISMATCH for a genuine-looking record not in the tree', async () => {
    expectFirstFailure(await verifyBundle(await withForgedSeq2([1, 2]), ledger.trusted), {
      check: 'record.inclusion', code: 'ROOT_MISMATCH', itemIndex: 1, seq: 2,
    }); // prettier-ignore
  });

  it('fails record.facts with CHAIN_LINK_MISMATCH at the genuine record after it', async () => {
    expectFirstFailure(await verifyBundle(await withForgedSeq2([1, 2, 3]), ledger.trusted), {
      check: 'record.facts', code: 'CHAIN_LINK_MISMATCH', itemIndex: 2, seq: 3,
    }); // prettier-ignore
  });

  it('fails record.inclusion with TREE_SIZE_INVALID for a record beyond the checkpoint', async () => {
    const extra = await approve(depositOf(new Uint8Array([7]), 'cases/late.bin'), ledger.signers);
    const head = { nextSeq: 5, lastHash: ledger.records[4]!.recordHash };
    const [record] = buildRecords(head, [extra], new Date('2024-05-01T12:00:00.000Z')).records;
    const bundle = copyOf(bundleOf(ledger, [4]));
    bundle.items.push({
      record: record!,
      inclusionProof: { ...bundle.items[0]!.inclusionProof, leafIndex: 5 },
    });
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted), {
      check: 'record.inclusion', code: 'TREE_SIZE_INVALID', itemIndex: 1, seq: 5,
    }); // prettier-ignore
  });
});

describe('when a signature or a key is replaced', () => {
  it('fails with SIGNATURE_INVALID for a valid signature over another deposit by the same key', async () => {
    const otherDeposit = depositOf(new Uint8Array([1, 2, 3]), 'cases/other.bin');
    const replacement = await signAttestation(ledger.signers[0]!, otherDeposit);
    const edit = (r: LedgerRecord) =>
      resealed({ ...r, signatures: [replacement, r.signatures[1]!] });
    expectFirstFailure(await verifyBundle(withRecord(0, edit), ledger.trusted), {
      check: 'record.signatures', code: 'SIGNATURE_INVALID', itemIndex: 0, seq: 1,
    }); // prettier-ignore
    const unsealed = (r: LedgerRecord) => ({ ...r, signatures: [replacement, r.signatures[1]!] });
    expectFirstFailure(await verifyBundle(withRecord(0, unsealed), ledger.trusted), {
      check: 'record.hash', code: 'RECORD_HASH_MISMATCH',
    }); // prettier-ignore
  });

  it('fails with UNTRUSTED_KEY when a signature is re-made by an untrusted key', async () => {
    const intruder = await createInMemorySigner(
      'custodian',
      'arn:aws:kms:eu-west-1:111111111111:key/intruder',
    );
    const edit = async (r: LedgerRecord) =>
      resealed({
        ...r,
        signatures: [r.signatures[0]!, await signAttestation(intruder, r.deposit)],
      });
    const bundle = copyOf(bundleOf(ledger, [2]));
    bundle.items[0]!.record = await edit(bundle.items[0]!.record);
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted), {
      check: 'record.signatures', code: 'UNTRUSTED_KEY', itemIndex: 0, seq: 2,
    }); // prettier-ignore
  });

  it('fails with SIGNATURE_INVALID when an untrusted key signs under the trusted key id', async () => {
    const intruder = await createInMemorySigner('agency', ledger.signers[0]!.keyId);
    const bundle = copyOf(bundleOf(ledger, [2]));
    const record = bundle.items[0]!.record;
    const forged = await signAttestation(intruder, record.deposit);
    bundle.items[0]!.record = resealed({ ...record, signatures: [forged, record.signatures[1]!] });
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted), {
      check: 'record.signatures', code: 'SIGNATURE_INVALID',
    }); // prettier-ignore
  });

  it('ignores the informative copy of the keys: trust comes from the user', async () => {
    const intruder = await createInMemorySigner('agency');
    const bundle = copyOf(bundleOf(ledger, [2]));
    bundle.informative.parties[0]!.publicKey = Buffer.from(intruder.publicKeySpki()).toString(
      'base64',
    );
    expectValid(await verifyBundle(bundle, ledger.trusted));
  });
});
