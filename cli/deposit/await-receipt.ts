/**
 * Waiting for the receipt of one exact object version: asks the auditor for the evidence
 * bundle of its deposit (`exportBundle`) until the record is in the ledger AND covered by a
 * co-signed checkpoint. The auditor's answer says which of the two is still missing
 * (core/audit/export-bundle.ts): DEPOSIT_NOT_READY with the deposit's status, or
 * TREE_SIZE_INVALID while no checkpoint covers its seq. A deposit the pipeline FAILED ends
 * the wait at once with the pipeline's code.
 */
import { z } from 'zod';
import { bundleSchema, type EvidenceBundle } from '../../core/bundle';
import { isLedgerError } from '../../core/errors';
import { parseWith } from '../../core/schemas';
import type { LedgerRecord } from '../../core/types';
import type { AuditorClient, DepositClock } from './ports';

export type ReceiptWait =
  | { readonly kind: 'anchored'; readonly bundle: EvidenceBundle; readonly record: LedgerRecord }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'timeout'; readonly message: string };

export interface ReceiptWaitOptions {
  readonly auditor: AuditorClient;
  readonly clock: DepositClock;
  /** Give up at this time (ms since the epoch). */
  readonly deadline: number;
  readonly pollMs: number;
  /** Called when what is awaited changes: the ledger record, then the anchor. */
  readonly onWaiting: (stage: 'ledger' | 'anchor', detail: string) => void;
}

// The auditor's answer is read like any input from outside: only what is used is parsed.
const answerSchema = z.union([
  z.object({ verdict: z.literal('valid'), bundle: z.unknown() }),
  z.object({
    verdict: z.literal('error'),
    error: z.object({
      code: z.string().max(64),
      message: z.string().max(4096),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
]);

type Step =
  | ReceiptWait
  | { readonly kind: 'waiting'; readonly stage: 'ledger' | 'anchor'; readonly detail: string };

const failureSchema = z.object({ code: z.string(), message: z.string() });

function notReady(details: Record<string, unknown>): Step {
  const status = typeof details.status === 'string' ? details.status : null;
  if (status === 'FAILED') {
    const failure = failureSchema.safeParse(details.failure);
    const why = failure.success
      ? `${failure.data.code}: ${failure.data.message}`
      : 'no reason given';
    return { kind: 'failed', message: `the ledger refused the deposit (${why})` };
  }
  return {
    kind: 'waiting',
    stage: 'ledger',
    detail: status === null ? 'not registered yet' : status,
  };
}

function stepOf(answer: unknown, depositId: string): Step {
  const parsed = answerSchema.safeParse(answer);
  if (!parsed.success)
    return { kind: 'failed', message: 'the auditor gave an answer of unknown shape' };
  const data = parsed.data;
  if (data.verdict === 'error') {
    const { code, message, details = {} } = data.error;
    if (code === 'DEPOSIT_NOT_READY') return notReady(details);
    if (code === 'TREE_SIZE_INVALID') {
      const at = typeof details.seq === 'number' ? `recorded at seq ${details.seq}, ` : '';
      return { kind: 'waiting', stage: 'anchor', detail: `${at}awaiting a checkpoint` };
    }
    return { kind: 'failed', message: `auditor: ${code}: ${message}` };
  }
  try {
    const bundle = parseWith(bundleSchema, data.bundle, 'receipt bundle');
    const item = bundle.items.find((i) => i.record.deposit.depositId === depositId);
    if (item === undefined)
      return { kind: 'failed', message: 'the receipt bundle holds another deposit' };
    return { kind: 'anchored', bundle, record: item.record };
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    return { kind: 'failed', message: error.message };
  }
}

export async function awaitReceipt(
  depositId: string,
  options: ReceiptWaitOptions,
): Promise<ReceiptWait> {
  let last = '';
  for (;;) {
    const step = stepOf(await options.auditor.exportBundle(depositId), depositId);
    if (step.kind !== 'waiting') return step;
    if (`${step.stage}:${step.detail}` !== last) options.onWaiting(step.stage, step.detail);
    last = `${step.stage}:${step.detail}`;
    const left = options.deadline - options.clock.now();
    if (left <= 0) {
      const what = step.stage === 'ledger' ? 'the ledger record' : 'a checkpoint';
      return { kind: 'timeout', message: `gave up waiting for ${what} (${step.detail})` };
    }
    await options.clock.sleep(Math.min(options.pollMs, left));
  }
}
