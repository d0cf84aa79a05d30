/**
 * Known bugs the simulator must find (issue 12): each is a test-only variant of one store or
 * one stage's ports, switched on by WorldOptions.plantedBug. Production code is never touched:
 * the bug lives in the simulated world, exactly where a real regression would break a
 * condition or an order the pipeline relies on.
 *
 * - append-without-head-condition: the ledger accepts an append whatever its head and seqs
 *   hold (DynamoLedgerStore's head condition and the records' attribute_not_exists dropped).
 * - skip-duplicate-check: creating a deposit overwrites an existing item (no attribute_not_exists).
 * - append-with-one-signature: the appender's transaction writes records carrying only the
 *   agency's signature.
 * - send-before-save: each stage sends the next stage's message before its state change is saved.
 * - anchor-without-consistency-proof: the anchor publishes its checkpoint without the proof
 *   of consistency with the previous one.
 */
import { buildRecords } from '../../core/chain';
import type { AnchorStore } from '../../core/anchor/ports';
import type { DepositWriter } from '../../core/ports/deposits';
import type { LedgerAppender } from '../../core/ports/ledger';
import type { PendingAgencySignature } from '../../core/pipeline/deposit-state';
import type { StageQueue } from '../../core/pipeline/stage-queue';
import type { LedgerRecord } from '../../core/types';
import { fieldsOf } from '../fakes/deposit-fields';
import { InMemoryDepositStore, type InMemoryLedgerStore } from '../fakes/in-memory-pipeline';

export const PLANTED_BUGS = [
  'append-without-head-condition',
  'skip-duplicate-check',
  'append-with-one-signature',
  'send-before-save',
  'anchor-without-consistency-proof',
] as const;

export type PlantedBug = (typeof PLANTED_BUGS)[number];

type SimLedger = LedgerAppender & { all(): Promise<LedgerRecord[]> };

/** A deposits table whose create overwrites: the duplicate check skipped. */
class OverwritingDepositStore extends InMemoryDepositStore {
  override async create(state: PendingAgencySignature, at: Date): Promise<'created' | 'exists'> {
    if ((await super.create(state, at)) === 'created') return 'created';
    const fresh = fieldsOf(state);
    this.tamper(state.depositId, (item) => {
      for (const key of Object.keys(item)) delete (item as Record<string, unknown>)[key];
      Object.assign(item, structuredClone(fresh));
    });
    return 'created';
  }
}

export function plantedDeposits(bug: PlantedBug | null): InMemoryDepositStore {
  return bug === 'skip-duplicate-check'
    ? new OverwritingDepositStore()
    : new InMemoryDepositStore();
}

/** The honest ledger, whose appends keep only the agency's signature on every record. */
function oneSignatureLedger(inner: InMemoryLedgerStore): SimLedger {
  return {
    head: () => inner.head(),
    read: (from, to) => inner.read(from, to),
    all: () => inner.all(),
    append(expected, records, _next, at) {
      const first = records[0];
      const rebuilt = buildRecords(
        expected,
        records.map((r) => ({
          deposit: r.deposit,
          signatures: r.signatures.filter((s) => s.role === 'agency'),
        })),
        first ? new Date(first.sequencedAt) : at,
      );
      return inner.append(expected, rebuilt.records, rebuilt.head, at);
    },
  };
}

export function plantedLedger(bug: PlantedBug | null, honest: InMemoryLedgerStore): SimLedger {
  if (bug === 'append-without-head-condition') honest.checksHead = false;
  if (bug === 'append-with-one-signature') return oneSignatureLedger(honest);
  return honest;
}

/** A stage's mailbox whose state changes first send the next stage's message (send-before-save). */
export function sendingBeforeSaving(deposits: DepositWriter, next: StageQueue): DepositWriter {
  return {
    get: (id) => deposits.get(id),
    fail: (state, at) => deposits.fail(state, at),
    async create(state, at) {
      await next.send(state.depositId);
      return deposits.create(state, at);
    },
    async addSignature(step, at) {
      await next.send(step.from.depositId);
      return deposits.addSignature(step, at);
    },
  };
}

/** An anchors table that stores each checkpoint without its consistency proof. */
export function publishingWithoutProof(anchors: AnchorStore): AnchorStore {
  return {
    latest: () => anchors.latest(),
    list: (from, to) => anchors.list(from, to),
    publish: (previous, next) => anchors.publish(previous, { ...next, consistencyProof: [] }),
  };
}
