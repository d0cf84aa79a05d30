/**
 * A party's own state store's contract (core/ports/party-state.ts), run against
 * InMemoryPartyStore and DynamoPartyStore: hash checkpoints move only from where they were
 * and for the same draft, facts and signature are each recorded once, and the signature is
 * kept apart from the facts (another role writes it).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PartyStateStore } from '../../core/ports/party-state';
import type { Deposit, DepositDraft } from '../../core/types';
import { AGENCY_SIGNATURE, AT, freshDeposit } from './fixtures';

const draftOf = ({ sha256: _digest, ...draft }: Deposit): DepositDraft => draft;
const checkpoint = (offset: number) => ({ offset, state: btoa(`state at ${offset}`) });

export function describePartyStoreContract(
  name: string,
  makeSubject: () => Promise<PartyStateStore>,
): void {
  describe(`the party state store contract on ${name}`, () => {
    let party: PartyStateStore;
    let deposit: Deposit;
    beforeEach(async () => {
      party = await makeSubject();
      deposit = freshDeposit('party');
    });

    it('answers null for a deposit it holds nothing of', async () => {
      expect(await party.get(deposit.depositId)).toBeNull();
    });

    describe('saveHashProgress', () => {
      it('saves a first checkpoint once, then moves it only from the stored one', async () => {
        const draft = draftOf(deposit);
        expect(await party.saveHashProgress(draft, null, checkpoint(10), AT)).toBe('saved');
        expect(await party.saveHashProgress(draft, null, checkpoint(99), AT)).toBe('conflict');
        expect(await party.saveHashProgress(draft, checkpoint(5), checkpoint(99), AT)).toBe(
          'conflict',
        );
        expect(await party.saveHashProgress(draft, checkpoint(10), checkpoint(20), AT)).toBe(
          'saved',
        );

        expect(await party.get(deposit.depositId)).toEqual({
          depositId: deposit.depositId,
          draft,
          checkpoint: checkpoint(20),
          facts: null,
          signature: null,
        });
      });

      it('answers conflict for another draft, and once the facts are recorded', async () => {
        const draft = draftOf(deposit);
        await party.saveHashProgress(draft, null, checkpoint(10), AT);
        const other = { ...draft, size: draft.size + 1 };
        expect(await party.saveHashProgress(other, checkpoint(10), checkpoint(20), AT)).toBe(
          'conflict',
        );

        await party.recordFacts(deposit, AT);
        expect(await party.saveHashProgress(draft, checkpoint(10), checkpoint(20), AT)).toBe(
          'conflict',
        );
        expect(await party.get(deposit.depositId)).toMatchObject({
          draft,
          checkpoint: checkpoint(10),
          facts: deposit,
        });
      });

      it('answers conflict for a later checkpoint of a deposit it never started', async () => {
        const draft = draftOf(deposit);
        expect(await party.saveHashProgress(draft, checkpoint(0), checkpoint(10), AT)).toBe(
          'conflict',
        );
        expect(await party.get(deposit.depositId)).toBeNull();
      });

      it('refuses a draft or checkpoint that does not parse with INVALID_INPUT', async () => {
        const draft = draftOf(deposit);
        await expect(
          party.saveHashProgress({ ...draft, size: -1 }, null, checkpoint(1), AT),
        ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        await expect(
          party.saveHashProgress(draft, null, { offset: -1, state: '' }, AT),
        ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        expect(await party.get(deposit.depositId)).toBeNull();
      });
    });

    describe('recordFacts and recordSignature', () => {
      it('records the facts once and keeps the first', async () => {
        expect(await party.recordFacts(deposit, AT)).toBe('saved');
        expect(await party.recordFacts({ ...deposit, sha256: 'b'.repeat(64) }, AT)).toBe('exists');
        expect(await party.get(deposit.depositId)).toMatchObject({ facts: deposit, draft: null });
      });

      it('records a signature once and keeps the first', async () => {
        await party.recordFacts(deposit, AT);
        expect(await party.recordSignature(deposit.depositId, AGENCY_SIGNATURE, AT)).toBe('saved');
        const other = { ...AGENCY_SIGNATURE, signature: 'MEQCIA==' };
        expect(await party.recordSignature(deposit.depositId, other, AT)).toBe('exists');
        expect(await party.get(deposit.depositId)).toMatchObject({
          facts: deposit,
          signature: AGENCY_SIGNATURE,
        });
      });

      it('keeps a signature as an item of its own, whether or not facts are recorded', async () => {
        expect(await party.recordSignature(deposit.depositId, AGENCY_SIGNATURE, AT)).toBe('saved');
        expect(await party.get(deposit.depositId)).toEqual({
          depositId: deposit.depositId,
          draft: null,
          checkpoint: null,
          facts: null,
          signature: AGENCY_SIGNATURE,
        });
        // The facts role's first checkpoint is not blocked by the signer's item.
        expect(await party.saveHashProgress(draftOf(deposit), null, checkpoint(1), AT)).toBe(
          'saved',
        );
      });

      it('refuses facts or a signature that do not parse with INVALID_INPUT', async () => {
        await expect(party.recordFacts({ ...deposit, sha256: 'x' }, AT)).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
        await expect(
          party.recordSignature(
            deposit.depositId,
            { ...AGENCY_SIGNATURE, role: 'mallory' as 'agency' },
            AT,
          ),
        ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        expect(await party.get(deposit.depositId)).toBeNull();
      });
    });
  });
}
