/**
 * The deposit store's contract (core/ports/deposits.ts), run against InMemoryDepositStore and
 * DynamoDepositStore: create once, each signature step once and only from its status, a
 * failure never over an APPENDED deposit, a failure record only on a free id.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { depositIdFor } from '../../core/deposit-id';
import {
  failed,
  failedObject,
  registered,
  withAgencySignature,
  withCustodianSignature,
} from '../../core/pipeline/deposit-state';
import type { DepositWriter } from '../../core/ports/deposits';
import { AGENCY_SIGNATURE, AT, CUSTODIAN_SIGNATURE, freshDeposit, uniqueName } from './fixtures';

export function describeDepositStoreContract(
  name: string,
  makeSubject: () => Promise<DepositWriter>,
): void {
  describe(`the deposit store contract on ${name}`, () => {
    let deposits: DepositWriter;
    beforeEach(async () => {
      deposits = await makeSubject();
    });

    it('answers null for a deposit it does not hold', async () => {
      expect(await deposits.get(freshDeposit().depositId)).toBeNull();
    });

    describe('create', () => {
      it('creates a deposit once and reads it back as it was written', async () => {
        const pending = registered(freshDeposit());
        expect(await deposits.create(pending, AT)).toBe('created');
        expect(await deposits.get(pending.depositId)).toEqual(pending);
      });

      it('answers exists for an id it holds, and keeps the first facts', async () => {
        const pending = registered(freshDeposit());
        await deposits.create(pending, AT);
        const other = registered({ ...pending.deposit, sha256: 'b'.repeat(64) });

        expect(await deposits.create(other, AT)).toBe('exists');
        expect(await deposits.get(pending.depositId)).toEqual(pending);
      });

      it('refuses facts that do not parse with INVALID_INPUT, and writes nothing', async () => {
        const deposit = freshDeposit();
        const broken = registered({ ...deposit, sha256: 'not a digest' });
        await expect(deposits.create(broken, AT)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        expect(await deposits.get(deposit.depositId)).toBeNull();
      });
    });

    describe('addSignature', () => {
      it('takes a deposit through both signatures, each adding only its own', async () => {
        const deposit = freshDeposit();
        const pending = registered(deposit);
        await deposits.create(pending, AT);
        const agencySigned = withAgencySignature(pending, deposit, AGENCY_SIGNATURE);
        const approved = withCustodianSignature(agencySigned, CUSTODIAN_SIGNATURE);

        expect(await deposits.addSignature({ from: pending, to: agencySigned }, AT)).toBe(
          'updated',
        );
        expect(await deposits.get(deposit.depositId)).toEqual(agencySigned);
        expect(await deposits.addSignature({ from: agencySigned, to: approved }, AT)).toBe(
          'updated',
        );
        expect(await deposits.get(deposit.depositId)).toEqual(approved);
      });

      it('writes the facts the agency signed over the ones the hasher wrote', async () => {
        const deposit = freshDeposit();
        const pending = registered(deposit);
        await deposits.create(pending, AT);
        const signedFacts = { ...deposit, caseMetadata: { 'case-id': 'signed' } };
        const agencySigned = withAgencySignature(pending, signedFacts, AGENCY_SIGNATURE);

        await deposits.addSignature({ from: pending, to: agencySigned }, AT);
        expect(await deposits.get(deposit.depositId)).toMatchObject({ deposit: signedFacts });
      });

      it('answers conflict for a step taken twice, and keeps the first signature', async () => {
        const deposit = freshDeposit();
        const pending = registered(deposit);
        await deposits.create(pending, AT);
        const agencySigned = withAgencySignature(pending, deposit, AGENCY_SIGNATURE);
        await deposits.addSignature({ from: pending, to: agencySigned }, AT);
        const again = withAgencySignature(pending, deposit, {
          ...AGENCY_SIGNATURE,
          signature: 'MEQCIA==',
        });

        expect(await deposits.addSignature({ from: pending, to: again }, AT)).toBe('conflict');
        expect(await deposits.get(deposit.depositId)).toEqual(agencySigned);
      });

      it('answers conflict for a step from another status, or on a deposit it does not hold', async () => {
        const deposit = freshDeposit();
        const pending = registered(deposit);
        const agencySigned = withAgencySignature(pending, deposit, AGENCY_SIGNATURE);
        const approved = withCustodianSignature(agencySigned, CUSTODIAN_SIGNATURE);

        expect(await deposits.addSignature({ from: agencySigned, to: approved }, AT)).toBe(
          'conflict',
        );
        expect(await deposits.get(deposit.depositId)).toBeNull();
        await deposits.create(pending, AT);
        expect(await deposits.addSignature({ from: agencySigned, to: approved }, AT)).toBe(
          'conflict',
        );
        expect(await deposits.get(deposit.depositId)).toEqual(pending);
      });
    });

    describe('fail', () => {
      it('marks a pending deposit FAILED with its code, and a later failure replaces it', async () => {
        const pending = registered(freshDeposit());
        await deposits.create(pending, AT);
        await deposits.fail(failed(pending, { code: 'OBJECT_NOT_FOUND', message: 'gone' }), AT);
        expect(await deposits.get(pending.depositId)).toEqual(
          failed(pending, { code: 'OBJECT_NOT_FOUND', message: 'gone' }),
        );
        await deposits.fail(failed(pending, { code: 'DIGEST_MISMATCH', message: 'later' }), AT);
        expect(await deposits.get(pending.depositId)).toMatchObject({
          status: 'FAILED',
          failure: { code: 'DIGEST_MISMATCH' },
        });
      });

      it('writes nothing when the deposit it fails is not there', async () => {
        const pending = registered(freshDeposit());
        await deposits.fail(failed(pending, { code: 'OBJECT_NOT_FOUND', message: 'gone' }), AT);
        expect(await deposits.get(pending.depositId)).toBeNull();
      });

      it('writes a failure record for an object version only while its id is free', async () => {
        const object = {
          bucket: 'evidence-bucket',
          key: `${uniqueName('failed')}/x`,
          versionId: 'v1',
          eTag: null,
        };
        const depositId = depositIdFor({ ...object, versionId: 'v1' });
        const record = failedObject(depositId, object, { code: 'INVALID_EVENT', message: 'x' });
        await deposits.fail(record, AT);
        expect(await deposits.get(depositId)).toEqual(record);

        const pending = registered(freshDeposit());
        await deposits.create(pending, AT);
        const clash = { ...record, depositId: pending.depositId };
        await deposits.fail(clash, AT);
        expect(await deposits.get(pending.depositId)).toEqual(pending);
      });
    });
  });
}
