/**
 * The ledger store's contract (core/ports/ledger.ts), run against the in-memory fakes and the
 * DynamoDB adapter: the append transaction is conditional on the head, every seq and every
 * deposit, and happens entirely or not at all; reads are ranges in seq order, across pages.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { buildRecords } from '../../core/chain';
import { failed, type PendingAppend } from '../../core/pipeline/deposit-state';
import type { DepositWriter } from '../../core/ports/deposits';
import type { ChainHead } from '../../core/types';
import type { LedgerAppender } from '../../core/ports/ledger';
import { GENESIS_HEAD } from '../../core/types';
import { AT, approvedDeposit, freshDeposit, largeDeposit } from './fixtures';

export interface LedgerSubject {
  /** A ledger of its own (empty), over `deposits`. */
  readonly ledger: LedgerAppender;
  readonly deposits: DepositWriter;
  /** How many pages the store has read so far, where it reads in pages. */
  readonly pagesRead?: () => number;
}

/** How many large records make more than one page: DynamoDB's Query stops at 1 MB. */
const PAGE_RECORDS = 250;
/** Deposits written at once while setting up (the emulator answers one DynamoDB call at a time). */
const SETUP_CONCURRENCY = 8;

export function describeLedgerStoreContract(
  name: string,
  makeSubject: () => Promise<LedgerSubject>,
): void {
  describe(`the ledger store contract on ${name}`, () => {
    let subject: LedgerSubject;
    beforeEach(async () => {
      subject = await makeSubject();
    });

    async function approved(count: number, make = () => freshDeposit('ledger')) {
      const states: PendingAppend[] = [];
      while (states.length < count) {
        const batch = Math.min(SETUP_CONCURRENCY, count - states.length);
        const made = Array.from({ length: batch }, () => approvedDeposit(subject.deposits, make()));
        states.push(...(await Promise.all(made)));
      }
      return states;
    }

    /** Builds records for `states` on `head` and appends them. */
    async function append(head: ChainHead, states: readonly PendingAppend[]) {
      const approvals = states.map((s) => ({
        deposit: s.deposit,
        signatures: [s.signatures.agency, s.signatures.custodian],
      }));
      const built = buildRecords(head, approvals, AT);
      const outcome = await subject.ledger.append(head, built.records, built.head, AT);
      return { outcome, ...built };
    }

    async function statusesOf(states: readonly PendingAppend[]) {
      return Promise.all(
        states.map(async (s) => (await subject.deposits.get(s.depositId))?.status),
      );
    }

    it('starts at the genesis head and holds no records', async () => {
      expect(await subject.ledger.head()).toEqual(GENESIS_HEAD);
      expect(await subject.ledger.read(0, 10)).toEqual([]);
    });

    it('appends records, moves the head and marks each deposit APPENDED at its seq', async () => {
      const states = await approved(3);
      const { outcome, records, head } = await append(GENESIS_HEAD, states);

      expect(outcome).toEqual({ kind: 'appended' });
      expect(await subject.ledger.head()).toEqual(head);
      expect(await subject.ledger.read(0, 3)).toEqual(records);
      for (const record of records) {
        expect(await subject.deposits.get(record.deposit.depositId)).toMatchObject({
          status: 'APPENDED',
          seq: record.seq,
          recordHash: record.recordHash,
        });
      }
    });

    it('reads [from, to) in seq order, and nothing for an empty or inverted range', async () => {
      const { records } = await append(GENESIS_HEAD, await approved(4));

      expect(await subject.ledger.read(1, 3)).toEqual(records.slice(1, 3));
      expect(await subject.ledger.read(3, 100)).toEqual(records.slice(3));
      expect(await subject.ledger.read(2, 2)).toEqual([]);
      expect(await subject.ledger.read(3, 1)).toEqual([]);
    });

    describe('when the head moved since it was read', () => {
      it('answers head-moved and writes nothing of the append', async () => {
        const first = await append(GENESIS_HEAD, await approved(2));
        const late = await approved(2);
        const { outcome } = await append(GENESIS_HEAD, late);

        expect(outcome).toEqual({ kind: 'head-moved' });
        expect(await subject.ledger.head()).toEqual(first.head);
        expect(await subject.ledger.read(0, 10)).toEqual(first.records);
        expect(await statusesOf(late)).toEqual(['PENDING_APPEND', 'PENDING_APPEND']);
      });

      it('answers head-moved for a head with the right seq and another hash', async () => {
        const first = await append(GENESIS_HEAD, await approved(1));
        const forged = { nextSeq: first.head.nextSeq, lastHash: 'f'.repeat(64) };
        const { outcome } = await append(forged, await approved(1));

        expect(outcome).toEqual({ kind: 'head-moved' });
        expect(await subject.ledger.head()).toEqual(first.head);
      });
    });

    describe('when a deposit of the append was appended already', () => {
      it('answers already-appended naming only it, and the other deposits stay pending', async () => {
        const [taken, ...rest] = await approved(3);
        const first = await append(GENESIS_HEAD, [taken!]);
        const { outcome } = await append(first.head, [rest[0]!, taken!, rest[1]!]);

        expect(outcome).toEqual({ kind: 'already-appended', depositIds: [taken!.depositId] });
        expect(await subject.ledger.head()).toEqual(first.head);
        expect(await subject.ledger.read(0, 10)).toEqual(first.records);
        expect(await statusesOf(rest)).toEqual(['PENDING_APPEND', 'PENDING_APPEND']);
      });
    });

    describe('when a deposit is not approved (or not there)', () => {
      it('answers already-appended for it: the appender drops it', async () => {
        const [ready] = await approved(1);
        const unapproved = freshDeposit('ledger-unapproved');
        const unknown = freshDeposit('ledger-unknown');
        await subject.deposits.create(
          {
            status: 'PENDING_AGENCY_SIGNATURE',
            depositId: unapproved.depositId,
            deposit: unapproved,
          },
          AT,
        );
        const approvals = { signatures: ready!.signatures, status: 'PENDING_APPEND' as const };
        const { outcome } = await append(GENESIS_HEAD, [
          ready!,
          { ...approvals, depositId: unapproved.depositId, deposit: unapproved },
          { ...approvals, depositId: unknown.depositId, deposit: unknown },
        ]);

        expect(outcome).toEqual({
          kind: 'already-appended',
          depositIds: [unapproved.depositId, unknown.depositId],
        });
        expect(await subject.ledger.head()).toEqual(GENESIS_HEAD);
        expect(await subject.deposits.get(unknown.depositId)).toBeNull();
      });
    });

    describe('when an append holds more than 100 items (33 deposits is the most)', () => {
      it('is refused as a whole', async () => {
        const states = await approved(34);
        await expect(append(GENESIS_HEAD, states)).rejects.toThrow();
        expect(await subject.ledger.head()).toEqual(GENESIS_HEAD);
        expect(new Set(await statusesOf(states))).toEqual(new Set(['PENDING_APPEND']));
      });
    });

    it('never turns an APPENDED deposit into a failure', async () => {
      const [state] = await approved(1);
      const { records } = await append(GENESIS_HEAD, [state!]);
      await subject.deposits.fail(failed(state!, { code: 'DIGEST_MISMATCH', message: 'late' }), AT);

      expect(await subject.deposits.get(state!.depositId)).toMatchObject({
        status: 'APPENDED',
        seq: 0,
        recordHash: records[0]!.recordHash,
      });
    });

    describe('when the records are more than one page', () => {
      it('reads every one, in order, from any offset', { timeout: 300_000 }, async () => {
        const states = await approved(PAGE_RECORDS, () => largeDeposit('ledger-page'));
        let head = GENESIS_HEAD;
        for (let i = 0; i < states.length; i += 33) {
          const step = await append(head, states.slice(i, i + 33));
          expect(step.outcome).toEqual({ kind: 'appended' });
          head = step.head;
        }
        const pagesBefore = subject.pagesRead?.() ?? 0;
        const all = await subject.ledger.read(0, PAGE_RECORDS);

        expect(all.map((r) => r.seq)).toEqual([...Array(PAGE_RECORDS).keys()]);
        expect(all.map((r) => r.deposit.depositId)).toEqual(states.map((s) => s.depositId));
        if (subject.pagesRead) expect(subject.pagesRead() - pagesBefore).toBeGreaterThan(1);
        expect((await subject.ledger.read(100, 240)).map((r) => r.seq)).toEqual(
          [...Array(140).keys()].map((i) => i + 100),
        );
      });
    });
  });
}
