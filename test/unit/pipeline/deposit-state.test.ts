import { beforeAll, describe, expect, it } from 'vitest';
import { isLedgerError } from '../../../core/errors';
import { appendApproved } from '../../../core/pipeline/append-approved';
import { AGENCY_STAGE, collectSignature } from '../../../core/pipeline/collect-signature';
import {
  appended,
  depositStateFrom,
  failed,
  failedObject,
  registered,
  withAgencySignature,
  withCustodianSignature,
  type DepositFields,
  type DepositState,
} from '../../../core/pipeline/deposit-state';
import type { PartySignature } from '../../../core/types';
import { fieldsOf } from '../../../tools/fakes/deposit-fields';
import { sampleDeposit } from '../core/fixtures';
import { createInMemorySigner } from '../../../tools/fakes/in-memory-signer';
import { signAttestation } from '../../../core/party-signatures';
import { agencyDeps, appendDeps, approve, createPipeline, upload } from './fixtures';

const deposit = sampleDeposit('cases/state/exhibit.bin');
let agency: PartySignature;
let custodian: PartySignature;

beforeAll(async () => {
  [agency, custodian] = (await Promise.all(
    (['agency', 'custodian'] as const).map(async (role) =>
      signAttestation(await createInMemorySigner(role), deposit),
    ),
  )) as [PartySignature, PartySignature];
});

/** What depositStateFrom throws for `fields`, as { code, details }. */
function parseFailure(
  fields: DepositFields,
): { code: string; details: Record<string, unknown> } | 'parsed' {
  try {
    depositStateFrom(fields);
    return 'parsed';
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    return { code: error.code, details: { ...error.details } };
  }
}

describe('the transitions', () => {
  it('take a registered deposit through both signatures to APPENDED, each adding only its own fields', () => {
    const pending = registered(deposit);
    const agencySigned = withAgencySignature(pending, deposit, agency);
    const approved = withCustodianSignature(agencySigned, custodian);
    const inLedger = appended(approved, 7, 'b'.repeat(64));

    expect(pending).toEqual({
      status: 'PENDING_AGENCY_SIGNATURE',
      depositId: deposit.depositId,
      deposit,
    });
    expect(agencySigned).toEqual({
      status: 'PENDING_CUSTODIAN_SIGNATURE',
      depositId: deposit.depositId,
      deposit,
      signatures: { agency },
    });
    expect(approved).toEqual({
      status: 'PENDING_APPEND',
      depositId: deposit.depositId,
      deposit,
      signatures: { agency, custodian },
    });
    expect(inLedger).toEqual({
      ...approved,
      status: 'APPENDED',
      seq: 7,
      recordHash: 'b'.repeat(64),
    });
  });

  it('put the facts the agency signed in place of what the mailbox proposed', () => {
    const proposed = registered({ ...deposit, sha256: 'f'.repeat(64) });
    expect(withAgencySignature(proposed, deposit, agency).deposit).toEqual(deposit);
  });

  it('fail a pending deposit keeping its facts and the signatures it had', () => {
    const failure = { code: 'DIGEST_MISMATCH', message: 'test' } as const;
    const agencySigned = withAgencySignature(registered(deposit), deposit, agency);
    expect(failed(registered(deposit), failure)).toEqual({
      status: 'FAILED',
      depositId: deposit.depositId,
      failure,
      deposit,
      signatures: {},
    });
    expect(failed(agencySigned, failure)).toMatchObject({
      status: 'FAILED',
      failure,
      deposit,
      signatures: { agency },
    });
  });

  it('record a failure for an object version that never became a deposit, with only its coordinates', () => {
    const failure = { code: 'OBJECT_NOT_FOUND', message: 'gone' } as const;
    const object = { ...deposit, eTag: null };
    expect(failedObject('id', object, failure)).toEqual({
      status: 'FAILED',
      depositId: 'id',
      failure,
      object: {
        bucket: deposit.bucket,
        key: deposit.key,
        versionId: deposit.versionId,
        eTag: null,
      },
    });
  });
});

describe('depositStateFrom, at the store boundary', () => {
  it('reads back every state from the fields it was stored as', () => {
    const pending = registered(deposit);
    const agencySigned = withAgencySignature(pending, deposit, agency);
    const approved = withCustodianSignature(agencySigned, custodian);
    const failure = { code: 'FACTS_MISMATCH', message: 'test' } as const;
    const states: DepositState[] = [
      pending,
      agencySigned,
      approved,
      appended(approved, 0, 'c'.repeat(64)),
      failed(agencySigned, failure),
      failedObject('id', { bucket: 'b', key: 'k', versionId: null, eTag: 'e' }, failure),
    ];
    for (const state of states) expect(depositStateFrom(fieldsOf(state))).toEqual(state);
  });

  const approvedFields = (): DepositFields =>
    fieldsOf(
      withCustodianSignature(withAgencySignature(registered(deposit), deposit, agency), custodian),
    );

  it.each<[string, (fields: DepositFields) => DepositFields, string]>([
    ['APPENDED without a seq', (f) => ({ ...f, status: 'APPENDED' }), 'seq'],
    [
      'PENDING_CUSTODIAN_SIGNATURE without the agency signature',
      (f) => ({ ...f, status: 'PENDING_CUSTODIAN_SIGNATURE', signatures: {} }),
      'agency signature',
    ],
    [
      'PENDING_APPEND without the custodian signature',
      (f) => ({ ...f, signatures: { agency } }),
      'custodian signature',
    ],
    [
      'PENDING_AGENCY_SIGNATURE without facts',
      (f) => ({ ...f, status: 'PENDING_AGENCY_SIGNATURE', deposit: null }),
      'facts',
    ],
    ['FAILED without a failure code', (f) => ({ ...f, status: 'FAILED' }), 'failure code'],
    [
      'FAILED with neither facts nor an object',
      (f) => ({
        ...f,
        status: 'FAILED',
        deposit: null,
        failure: { code: 'OBJECT_NOT_FOUND', message: '' },
      }),
      'facts or object',
    ],
  ])(
    'refuses an item that is %s: STORAGE_ITEM_CORRUPT naming the deposit and the missing field',
    (_, edit, field) => {
      expect(parseFailure(edit(approvedFields()))).toMatchObject({
        code: 'STORAGE_ITEM_CORRUPT',
        details: { depositId: deposit.depositId, field },
      });
    },
  );

  it('refuses a failure code no stage records, and a status that does not exist', () => {
    const failedFields = {
      ...approvedFields(),
      status: 'FAILED',
      failure: { code: 'CHAIN_GAP', message: '' },
    };
    expect(parseFailure(failedFields)).toMatchObject({
      code: 'STORAGE_ITEM_CORRUPT',
      details: { depositId: deposit.depositId, failureCode: 'CHAIN_GAP' },
    });
    expect(parseFailure({ ...approvedFields(), status: 'SIGNED' })).toMatchObject({
      code: 'STORAGE_ITEM_CORRUPT',
      details: { depositId: deposit.depositId, status: 'SIGNED' },
    });
  });
});

describe('when a mailbox item says APPENDED but has no seq', () => {
  it('reading it fails with STORAGE_ITEM_CORRUPT naming the deposit; the appender reports it unreadable and goes on', async () => {
    const p = await createPipeline();
    const [broken, fine] = [
      await upload(p, 'cases/state/a.bin', 'a'),
      await upload(p, 'cases/state/b.bin', 'b'),
    ];
    await approve(p, broken);
    await approve(p, fine);
    p.deposits.tamper(broken, (item) => {
      item.status = 'APPENDED';
    });

    await expect(p.deposits.get(broken)).rejects.toMatchObject({
      code: 'STORAGE_ITEM_CORRUPT',
      details: { depositId: broken, field: 'seq' },
    });
    const report = await appendApproved([broken, fine], appendDeps(p));
    expect(report.unreadable).toEqual([{ depositId: broken, code: 'STORAGE_ITEM_CORRUPT' }]);
    expect(report.appended.map((a) => a.depositId)).toEqual([fine]);
  });

  it('a signer meeting it fails with the same error instead of signing or failing the deposit', async () => {
    const p = await createPipeline();
    const depositId = await upload(p, 'cases/state/c.bin', 'c');
    p.deposits.tamper(depositId, (item) => {
      item.status = 'APPENDED';
    });
    await expect(collectSignature(depositId, AGENCY_STAGE, agencyDeps(p))).rejects.toMatchObject({
      code: 'STORAGE_ITEM_CORRUPT',
      details: { depositId },
    });
    expect(p.deposits.fields(depositId)?.status).toBe('APPENDED');
    expect(p.queues.custodian.sent).toEqual([]);
  });
});
