/**
 * One in-memory pipeline per test: the evidence bucket, the deposit and ledger stores, one
 * recording queue per stage, a steppable clock and two in-memory signers. Helpers drive an
 * upload through the real use cases, so the tests set up state the way production does.
 */
import { readFileSync } from 'node:fs';
import type { TrustedParties } from '../../../core/party-signatures';
import type { AppendApprovedDeps } from '../../../core/pipeline/append-approved';
import { failed, type DepositFailureCode } from '../../../core/pipeline/deposit-state';
import {
  AGENCY_STAGE,
  collectSignature,
  CUSTODIAN_STAGE,
  type CollectSignatureDeps,
} from '../../../core/pipeline/collect-signature';
import { registerDeposit, type RegisterDepositDeps } from '../../../core/pipeline/register-deposit';
import type { ObjectCreatedNotice } from '../../../core/pipeline/object-notice';
import {
  InMemoryDepositStore,
  InMemoryEvidenceObjects,
  InMemoryLedgerStore,
  InMemoryPartyStore,
  RecordingQueue,
  SteppableClock,
} from '../../../tools/fakes/in-memory-pipeline';
import {
  createInMemorySigner,
  inMemoryKeyResolver,
  type InMemorySigner,
} from '../../../tools/fakes/in-memory-signer';

export const BUCKET = 'evidence-bucket';

/** A captured S3 event body from test/fixtures/s3-events. */
export const s3EventBody = (name: string): string =>
  readFileSync(new URL(`../../fixtures/s3-events/${name}`, import.meta.url), 'utf8');

export interface Pipeline {
  readonly objects: InMemoryEvidenceObjects;
  readonly deposits: InMemoryDepositStore;
  readonly ledger: InMemoryLedgerStore;
  /** Each party's own state. */
  readonly parties: { readonly agency: InMemoryPartyStore; readonly custodian: InMemoryPartyStore };
  readonly clock: SteppableClock;
  readonly queues: {
    readonly agency: RecordingQueue;
    readonly custodian: RecordingQueue;
    readonly appender: RecordingQueue;
    /** The hasher's and the custodian's own queues: their continuations. */
    readonly hasherContinuations: RecordingQueue;
    readonly custodianContinuations: RecordingQueue;
  };
  readonly agency: InMemorySigner;
  readonly custodian: InMemorySigner;
  readonly trusted: TrustedParties;
}

export async function createPipeline(): Promise<Pipeline> {
  const [agency, custodian] = await Promise.all([
    createInMemorySigner('agency'),
    createInMemorySigner('custodian'),
  ]);
  const deposits = new InMemoryDepositStore();
  return {
    objects: new InMemoryEvidenceObjects(),
    deposits,
    ledger: new InMemoryLedgerStore(deposits),
    parties: { agency: new InMemoryPartyStore(), custodian: new InMemoryPartyStore() },
    clock: new SteppableClock(),
    queues: {
      agency: new RecordingQueue(),
      custodian: new RecordingQueue(),
      appender: new RecordingQueue(),
      hasherContinuations: new RecordingQueue(),
      custodianContinuations: new RecordingQueue(),
    },
    agency,
    custodian,
    trusted: {
      keyIds: { agency: agency.keyId, custodian: custodian.keyId },
      keys: inMemoryKeyResolver([agency, custodian]),
    },
  };
}

export const registerDeps = (p: Pipeline): RegisterDepositDeps => ({
  objects: p.objects,
  deposits: p.deposits,
  party: p.parties.agency,
  next: p.queues.agency,
  continueOn: p.queues.hasherContinuations,
  clock: p.clock,
});

export const agencyDeps = (p: Pipeline): CollectSignatureDeps => ({
  signer: p.agency,
  deposits: p.deposits,
  party: p.parties.agency,
  objects: p.objects,
  evidenceBucket: BUCKET,
  next: p.queues.custodian,
  clock: p.clock,
});

export const custodianDeps = (p: Pipeline): CollectSignatureDeps => ({
  signer: p.custodian,
  deposits: p.deposits,
  party: p.parties.custodian,
  objects: p.objects,
  evidenceBucket: BUCKET,
  next: p.queues.appender,
  clock: p.clock,
  rehash: { continueOn: p.queues.custodianContinuations, trusted: p.trusted },
});

/** Appender deps with a no-op backoff, so retries cost no wall-clock time. */
export const appendDeps = (
  p: Pipeline,
  overrides: Partial<AppendApprovedDeps> = {},
): AppendApprovedDeps => ({
  deposits: p.deposits,
  ledger: p.ledger,
  trusted: p.trusted,
  clock: p.clock,
  backoff: () => Promise.resolve(),
  ...overrides,
});

/** The notice S3 would send for an upload, with its versionId unless overridden. */
export function noticeFor(
  upload: { bucket: string; key: string; versionId: string; eTag: string; size: number },
  overrides: Partial<ObjectCreatedNotice> = {},
): ObjectCreatedNotice {
  return {
    bucket: upload.bucket,
    key: upload.key,
    versionId: upload.versionId,
    eTag: upload.eTag,
    size: upload.size,
    eventTime: '2026-11-24T02:32:35.678Z',
    principalId: 'AWS:AIDAEXAMPLEUPLOADER',
    sourceIp: '203.0.113.7',
    ...overrides,
  };
}

/** Uploads `bytes` under `key` and registers it; returns the deposit id. */
export async function upload(p: Pipeline, key: string, bytes: string): Promise<string> {
  const outcome = await registerDeposit(
    noticeFor(p.objects.put(BUCKET, key, bytes)),
    registerDeps(p),
  );
  if (outcome.kind !== 'registered') throw new Error(`upload of ${key} was ${outcome.kind}`);
  return outcome.depositId;
}

/** Runs both signature stages for a registered deposit. */
export async function approve(p: Pipeline, depositId: string): Promise<void> {
  await collectSignature(depositId, AGENCY_STAGE, agencyDeps(p));
  await collectSignature(depositId, CUSTODIAN_STAGE, custodianDeps(p));
}

/** Uploads and approves `count` distinct objects; returns their deposit ids in upload order. */
export async function approvedDeposits(
  p: Pipeline,
  count: number,
  prefix = 'cases/2026-0001',
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const depositId = await upload(p, `${prefix}/item-${i}.bin`, `evidence ${prefix} ${i}`);
    await approve(p, depositId);
    ids.push(depositId);
  }
  return ids;
}

/** Fails a pending deposit as a refusing stage would, with `code`. */
export async function failDeposit(
  p: Pipeline,
  depositId: string,
  code: DepositFailureCode,
): Promise<void> {
  const state = await p.deposits.get(depositId);
  if (!state || state.status === 'FAILED' || state.status === 'APPENDED')
    throw new Error(`deposit ${depositId} is not pending`);
  await p.deposits.fail(failed(state, { code, message: 'test' }), p.clock.now());
}
