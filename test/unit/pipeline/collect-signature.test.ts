import { beforeEach, describe, expect, it } from 'vitest';
import { LedgerError } from '../../../core/errors';
import { verifyApprovals } from '../../../core/party-signatures';
import {
  AGENCY_STAGE,
  collectSignature,
  CUSTODIAN_STAGE,
} from '../../../core/pipeline/collect-signature';
import type { DepositFields } from '../../../core/pipeline/deposit-state';
import {
  agencyDeps,
  approve,
  BUCKET,
  createPipeline,
  custodianDeps,
  noticeFor,
  registerDeps,
  failDeposit,
  type Pipeline,
} from './fixtures';
import { registerDeposit } from '../../../core/pipeline/register-deposit';

let p: Pipeline;
let depositId: string;
let uploaded: ReturnType<Pipeline['objects']['put']>;

beforeEach(async () => {
  p = await createPipeline();
  uploaded = p.objects.put(BUCKET, 'cases/2026-0042/exhibit-7.jpg', 'photo of exhibit 7');
  ({ depositId } = await registerDeposit(noticeFor(uploaded), registerDeps(p)));
});

const signAsAgency = () => collectSignature(depositId, AGENCY_STAGE, agencyDeps(p));
const signAsCustodian = () => collectSignature(depositId, CUSTODIAN_STAGE, custodianDeps(p));
/** The mailbox item's fields, once it has read back as a valid state. */
const stateOf = async (): Promise<DepositFields> => {
  const fields = p.deposits.fields(depositId);
  if (!(await p.deposits.get(depositId)) || !fields) throw new Error(`no deposit ${depositId}`);
  return fields;
};

describe('collectSignature', () => {
  describe('when the agency and then the custodian sign', () => {
    it('leaves the deposit PENDING_APPEND with two signatures that verifyApprovals accepts', async () => {
      expect(await signAsAgency()).toBe('signed');
      expect(await signAsCustodian()).toBe('signed');

      const state = await stateOf();
      expect(state.status).toBe('PENDING_APPEND');
      const { agency, custodian } = state.signatures;
      await expect(
        verifyApprovals(state.deposit!, [agency!, custodian!], p.trusted),
      ).resolves.toBeUndefined();
    });

    it('passes the deposit from each stage to the next queue', async () => {
      await signAsAgency();
      expect(p.queues.custodian.sent).toEqual([depositId]);
      await signAsCustodian();
      expect(p.queues.appender.sent).toEqual([depositId]);
    });
  });

  describe('when the signing key is unavailable', () => {
    const unavailable = () => Promise.reject(new LedgerError('KEY_UNAVAILABLE', 'key disabled'));

    it('propagates KEY_UNAVAILABLE and leaves the deposit pending with no agency signature', async () => {
      const deps = { ...agencyDeps(p), signer: { ...p.agency, sign: unavailable } };
      await expect(collectSignature(depositId, AGENCY_STAGE, deps)).toFailWithCode(
        'KEY_UNAVAILABLE',
      );
      expect(await stateOf()).toMatchObject({ status: 'PENDING_AGENCY_SIGNATURE', signatures: {} });
      expect(p.queues.custodian.sent).toEqual([]);
    });

    it('leaves an agency-signed deposit PENDING_CUSTODIAN_SIGNATURE with no custodian signature', async () => {
      await signAsAgency();
      const deps = { ...custodianDeps(p), signer: { ...p.custodian, sign: unavailable } };
      await expect(collectSignature(depositId, CUSTODIAN_STAGE, deps)).toFailWithCode(
        'KEY_UNAVAILABLE',
      );
      const state = await stateOf();
      expect(state.status).toBe('PENDING_CUSTODIAN_SIGNATURE');
      expect(state.signatures.custodian).toBeUndefined();
    });
  });

  describe('when a message is redelivered after its stage signed', () => {
    it('reports already-signed and re-notifies the custodian after the agency stage', async () => {
      await signAsAgency();
      expect(await signAsAgency()).toBe('already-signed');
      expect(p.queues.custodian.sent).toEqual([depositId, depositId]);
    });

    it('reports already-signed and re-notifies the appender after the custodian stage', async () => {
      await approve(p, depositId);
      const signature = (await stateOf()).signatures.custodian;
      expect(await signAsCustodian()).toBe('already-signed');
      expect(p.queues.appender.sent).toEqual([depositId, depositId]);
      expect((await stateOf()).signatures.custodian).toEqual(signature);
    });

    it('reports already-signed to a late agency message without re-notifying anyone', async () => {
      await approve(p, depositId);
      expect(await signAsAgency()).toBe('already-signed');
      expect(p.queues.custodian.sent).toEqual([depositId]);
    });
  });

  describe('when the custodian re-hashes bytes that changed under the same version', () => {
    it('fails the deposit with DIGEST_MISMATCH and does not sign', async () => {
      await signAsAgency();
      p.objects.corrupt(uploaded, 'photo of exhibit 8');

      expect(await signAsCustodian()).toBe('failed');
      const state = await stateOf();
      expect(state).toMatchObject({ status: 'FAILED', failure: { code: 'DIGEST_MISMATCH' } });
      expect(state.signatures.custodian).toBeUndefined();
      expect(p.queues.appender.sent).toEqual([]);
    });
  });

  describe('when the version is deleted before the custodian re-hashes it', () => {
    it('fails the deposit with OBJECT_NOT_FOUND and does not sign', async () => {
      await signAsAgency();
      p.objects.deleteVersion(uploaded);

      expect(await signAsCustodian()).toBe('failed');
      const state = await stateOf();
      expect(state).toMatchObject({ status: 'FAILED', failure: { code: 'OBJECT_NOT_FOUND' } });
      expect(state.signatures.custodian).toBeUndefined();
    });
  });

  describe('when the deposit is already FAILED', () => {
    it('reports failed and sends nothing on', async () => {
      await failDeposit(p, depositId, 'DIGEST_MISMATCH');
      expect(await signAsAgency()).toBe('failed');
      expect(p.queues.custodian.sent).toEqual([]);
    });
  });

  describe('when a message arrives for a deposit not yet at its stage', () => {
    it('fails the custodian with DEPOSIT_NOT_READY before the agency signed', async () => {
      await expect(signAsCustodian()).toFailWithCode('DEPOSIT_NOT_READY');
      expect(await stateOf()).toMatchObject({ status: 'PENDING_AGENCY_SIGNATURE', signatures: {} });
    });

    it('fails with DEPOSIT_NOT_READY for a deposit the hasher has not created yet', async () => {
      const unknown = collectSignature('f'.repeat(64), AGENCY_STAGE, agencyDeps(p));
      await expect(unknown).toFailWithCode('DEPOSIT_NOT_READY');
    });
  });
});
