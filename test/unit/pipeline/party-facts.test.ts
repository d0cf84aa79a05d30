/**
 * Each party signs only facts it established itself. These tests play a principal who can
 * write the shared Deposits mailbox (the hasher, the agency signer, the custodian signer and
 * the appender all can) or who plants state, and require a refusal with a code.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AGENCY_STAGE,
  collectSignature,
  CUSTODIAN_STAGE,
} from '../../../core/pipeline/collect-signature';
import { registered } from '../../../core/pipeline/deposit-state';
import { registerDeposit } from '../../../core/pipeline/register-deposit';
import { depositIdFor } from '../../../core/deposit-id';
import {
  agencyDeps,
  BUCKET,
  createPipeline,
  custodianDeps,
  noticeFor,
  registerDeps,
  type Pipeline,
} from './fixtures';

let p: Pipeline;
let depositId: string;
let uploaded: ReturnType<Pipeline['objects']['put']>;

beforeEach(async () => {
  p = await createPipeline();
  uploaded = p.objects.put(BUCKET, 'cases/2026-0042/exhibit-7.jpg', 'photo of exhibit 7', {
    'case-id': '2026-0042',
  });
  ({ depositId } = await registerDeposit(noticeFor(uploaded), registerDeps(p)));
});

const signAsAgency = () => collectSignature(depositId, AGENCY_STAGE, agencyDeps(p));
const signAsCustodian = () => collectSignature(depositId, CUSTODIAN_STAGE, custodianDeps(p));
const failureOf = async () => {
  const state = await p.deposits.get(depositId);
  return state?.status === 'FAILED' ? state.failure.code : undefined;
};
const FORGED_SHA256 = 'f'.repeat(64);

describe('party facts', () => {
  describe('when the mailbox facts are rewritten before the agency signs', () => {
    it('the agency signs its own facts and writes them back beside its signature', async () => {
      p.deposits.tamper(depositId, (item) => {
        item.deposit = {
          ...item.deposit!,
          sha256: FORGED_SHA256,
          caseMetadata: { 'case-id': 'other' },
        };
      });
      expect(await signAsAgency()).toBe('signed');
      expect(p.deposits.fields(depositId)?.deposit).toEqual(
        (await p.parties.agency.get(depositId))?.facts,
      );
      expect(await signAsCustodian()).toBe('signed');
    });
  });

  describe('when the mailbox facts are rewritten after the agency signed', () => {
    it('the custodian refuses the proposal with SIGNATURE_INVALID', async () => {
      await signAsAgency();
      p.deposits.tamper(depositId, (item) => {
        item.deposit = { ...item.deposit!, sha256: FORGED_SHA256, size: 3 };
      });
      expect(await signAsCustodian()).toBe('failed');
      expect(await failureOf()).toBe('SIGNATURE_INVALID');
      expect(p.queues.appender.sent).toEqual([]);
    });
  });

  describe('when a mailbox item names a deposit the agency never established', () => {
    it('the agency refuses with FACTS_NOT_ESTABLISHED', async () => {
      const other = p.objects.put(BUCKET, 'cases/2026-0042/unhashed.bin', 'never announced');
      const forged = {
        ...p.deposits.fields(depositId)!.deposit!,
        // Facts carry no ETag: the store refuses a deposit its schema does not take.
        bucket: other.bucket,
        key: other.key,
        versionId: other.versionId,
        size: other.size,
        depositId: depositIdFor(other),
        sha256: FORGED_SHA256,
      };
      await p.deposits.create(registered(forged), p.clock.now());
      expect(await collectSignature(forged.depositId, AGENCY_STAGE, agencyDeps(p))).toBe('failed');
      expect(p.deposits.fields(forged.depositId)?.failure?.code).toBe('FACTS_NOT_ESTABLISHED');
    });
  });

  describe("when the agency's own facts disagree with S3", () => {
    it('the agency refuses with FACTS_MISMATCH', async () => {
      p.objects.rewriteMetadata(uploaded, { 'case-id': 'rewritten' });
      expect(await signAsAgency()).toBe('failed');
      expect(await failureOf()).toBe('FACTS_MISMATCH');
    });
  });

  describe('when the facts name another bucket than the evidence bucket', () => {
    it('the agency refuses with DEPOSIT_ID_MISMATCH', async () => {
      expect(
        await collectSignature(depositId, AGENCY_STAGE, {
          ...agencyDeps(p),
          evidenceBucket: 'another-bucket',
        }),
      ).toBe('failed');
      expect(await failureOf()).toBe('DEPOSIT_ID_MISMATCH');
    });
  });

  describe("when the custodian's re-hash gives other bytes than the agency's digest", () => {
    it('the custodian refuses with DIGEST_MISMATCH', async () => {
      await signAsAgency();
      p.objects.corrupt(uploaded, 'photo of exhibit 8');
      expect(await signAsCustodian()).toBe('failed');
      expect(await failureOf()).toBe('DIGEST_MISMATCH');
    });
  });

  describe('when the custodian holds a planted checkpoint for other facts', () => {
    it('the custodian refuses to resume it and fails the deposit with PARTY_STATE_CORRUPT', async () => {
      await signAsAgency();
      p.parties.custodian.tamper(depositId, (item) => {
        item.draft = { ...draftInMailbox(p), size: 0 };
        item.checkpoint = { offset: 0, state: 'AAAA' };
      });
      expect(await signAsCustodian()).toBe('failed');
      expect(await failureOf()).toBe('PARTY_STATE_CORRUPT');
    });
  });

  describe('when a party signed once and is asked again', () => {
    it('reuses the signature it remembers instead of signing anew', async () => {
      await signAsAgency();
      const remembered = (await p.parties.agency.get(depositId))?.signature;
      expect(remembered).toEqual(p.deposits.fields(depositId)?.signatures.agency);
      p.deposits.tamper(depositId, (item) => {
        item.status = 'PENDING_AGENCY_SIGNATURE';
        item.signatures = {};
      });
      await signAsAgency();
      expect(p.deposits.fields(depositId)?.signatures.agency).toEqual(remembered);
    });
  });
});

/** The agency's established facts without the digest: a draft the custodian would build. */
function draftInMailbox(pipeline: Pipeline) {
  const facts = pipeline.deposits.all().find((d) => d.depositId === depositId)?.deposit;
  if (!facts) throw new Error('no facts');
  return { ...facts, sha256: undefined };
}
