/**
 * `evidence deposit`'s work, on ports: for each file, its SHA-256 (streamed), the upload
 * with S3 checksums and whole-upload retries; then, unless told not to wait, the receipt of
 * each exact version once the ledger recorded it and a checkpoint covers it. All files are
 * uploaded before any receipt is awaited, so one anchor run can cover them all.
 *
 * "Resumable" means here: each part request is retried by the SDK's retry strategy (so a
 * dropped connection costs one part), and an upload that still fails is started again from
 * the first byte up to `attempts` times (lib-storage aborts the failed multipart upload; the
 * parts already sent are not reused). A deposit is an object version, so a retry never
 * creates a second record: only a completed upload makes a version.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { depositIdFor } from '../../core/deposit-id';
import type { LedgerRecord } from '../../core/types';
import { EXIT, type ExitCode } from '../exit-codes';
import { digestFile } from '../read-inputs';
import { awaitReceipt, type ReceiptWait } from './await-receipt';
import { summaryLine } from './deposit-text';
import type {
  AuditorClient,
  DepositClock,
  DepositEvent,
  DepositItem,
  DepositOutcome,
  DepositReporter,
  DepositRow,
  EvidenceUploader,
} from './ports';

export interface DepositPorts {
  readonly uploader: EvidenceUploader;
  readonly auditor: AuditorClient;
  readonly clock: DepositClock;
  readonly reporter: DepositReporter;
}

export interface ReceiptWaitSettings {
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** Where the receipts (evidence bundles) are written. */
  readonly receiptsDir: string;
}

export interface DepositOptions {
  readonly partSize: number;
  readonly concurrency: number;
  /** Whole-upload attempts per file (1 = no retry). */
  readonly attempts: number;
  /** False for --no-wait. */
  readonly wait: ReceiptWaitSettings | false;
}

export interface DepositRun {
  readonly rows: readonly DepositRow[];
  readonly exitCode: ExitCode;
}

interface Uploaded {
  readonly item: DepositItem;
  readonly versionId: string;
  readonly depositId: string;
  readonly sha256: string;
  readonly size: number;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

const emptyRow = (
  item: DepositItem,
  outcome: DepositOutcome,
  message: string | null,
): DepositRow => ({
  file: item.path,
  key: item.key,
  outcome,
  versionId: null,
  depositId: null,
  seq: null,
  recordHash: null,
  localSha256: null,
  ledgerSha256: null,
  receipt: null,
  message,
});

const uploadedRow = (u: Uploaded, outcome: DepositOutcome, message: string | null): DepositRow => ({
  ...emptyRow(u.item, outcome, message),
  versionId: u.versionId,
  depositId: u.depositId,
  localSha256: u.sha256,
});

/** Progress of one phase of one file, at most every 250 ms (and always its last step). */
function progressOf(ports: DepositPorts, file: string, phase: 'hash' | 'upload', total: number) {
  const started = ports.clock.now();
  let emitted = -Infinity;
  return (loaded: number) => {
    const now = ports.clock.now();
    if (loaded < total && now - emitted < 250) return;
    emitted = now;
    const event: DepositEvent = {
      type: 'progress',
      phase,
      file,
      loaded,
      total,
      elapsedMs: now - started,
    };
    ports.reporter.event(event);
  };
}

async function uploadWithRetries(
  item: DepositItem,
  digest: { sha256: string; size: number },
  ports: DepositPorts,
  options: DepositOptions,
) {
  for (let attempt = 1; ; attempt++) {
    try {
      const request = {
        ...item,
        ...digest,
        partSize: options.partSize,
        concurrency: options.concurrency,
      };
      return await ports.uploader.upload(
        request,
        progressOf(ports, item.path, 'upload', digest.size),
      );
    } catch (error) {
      if (attempt >= options.attempts) throw error;
      ports.reporter.event({
        type: 'retry',
        file: item.path,
        attempt,
        attempts: options.attempts,
        message: reason(error),
      });
    }
  }
}

async function upload(
  item: DepositItem,
  ports: DepositPorts,
  options: DepositOptions,
): Promise<Uploaded | DepositRow> {
  let digest;
  try {
    const { size } = await stat(item.path);
    digest = await digestFile(item.path, progressOf(ports, item.path, 'hash', size));
  } catch (error) {
    return emptyRow(item, 'failed', `cannot read the file: ${reason(error)}`);
  }
  let result;
  try {
    result = await uploadWithRetries(item, digest, ports, options);
  } catch (error) {
    return {
      ...emptyRow(item, 'failed', `upload failed: ${reason(error)}`),
      localSha256: digest.sha256,
    };
  }
  const ref = { bucket: item.bucket, key: item.key, versionId: result.versionId };
  const uploaded: Uploaded = { item, ...ref, depositId: depositIdFor(ref), ...digest };
  if (result.sentSha256 !== digest.sha256) {
    return uploadedRow(
      uploaded,
      'mismatch',
      `the file changed while it was uploaded: sent bytes hash to ${result.sentSha256}, the file hashed to ${digest.sha256} before`,
    );
  }
  ports.reporter.event({
    type: 'uploaded',
    file: item.path,
    ...ref,
    depositId: uploaded.depositId,
    sha256: digest.sha256,
    size: digest.size,
    multipart: result.multipart,
  });
  return uploaded;
}

/** What the ledger recorded that differs from what was uploaded, or null. */
function disagreement(record: LedgerRecord, u: Uploaded): string | null {
  const d = record.deposit;
  if (d.bucket !== u.item.bucket || d.key !== u.item.key || d.versionId !== u.versionId) {
    return `the receipt names s3://${d.bucket}/${d.key} version ${d.versionId}, not the uploaded version`;
  }
  if (d.sha256 !== u.sha256 || d.size !== u.size) {
    return `THE LEDGER RECORDED sha256 ${d.sha256} (${d.size} B) BUT THE LOCAL FILE IS sha256 ${u.sha256} (${u.size} B)`;
  }
  return null;
}

async function receiptRow(
  u: Uploaded,
  wait: ReceiptWait,
  settings: ReceiptWaitSettings,
): Promise<DepositRow> {
  if (wait.kind === 'failed') return uploadedRow(u, 'failed', wait.message);
  if (wait.kind === 'timeout') return uploadedRow(u, 'timeout', wait.message);
  const recorded = {
    seq: wait.record.seq,
    recordHash: wait.record.recordHash,
    ledgerSha256: wait.record.deposit.sha256,
  };
  const problem = disagreement(wait.record, u);
  // A receipt is written only for the bytes this file holds.
  if (problem !== null) return { ...uploadedRow(u, 'mismatch', problem), ...recorded };
  await mkdir(settings.receiptsDir, { recursive: true });
  const receipt = join(settings.receiptsDir, `${u.depositId}.bundle.json`);
  await writeFile(receipt, `${JSON.stringify(wait.bundle, null, 2)}\n`);
  const row = { ...uploadedRow(u, 'receipt', null), ...recorded, receipt };
  await writeFile(
    join(settings.receiptsDir, `${u.depositId}.summary.txt`),
    `${summaryLine(row)}\n`,
  );
  return row;
}

const SEVERITY: readonly [DepositOutcome, ExitCode][] = [
  ['mismatch', EXIT.DEPOSIT_MISMATCH],
  ['failed', EXIT.DEPOSIT_FAILED],
  ['timeout', EXIT.WAIT_TIMEOUT],
];

/** The exit code of the worst outcome: a mismatch before a failure before a timeout. */
export function exitCodeOf(rows: readonly DepositRow[]): ExitCode {
  return SEVERITY.find(([outcome]) => rows.some((row) => row.outcome === outcome))?.[1] ?? EXIT.OK;
}

export async function depositFiles(
  items: readonly DepositItem[],
  ports: DepositPorts,
  options: DepositOptions,
): Promise<DepositRun> {
  const rows: DepositRow[] = [];
  const uploads: Uploaded[] = [];
  const finish = (row: DepositRow) => {
    rows.push(row);
    ports.reporter.event({ type: 'result', row });
  };
  for (const item of items) {
    const outcome = await upload(item, ports, options);
    if ('outcome' in outcome) finish(outcome);
    else if (options.wait === false) finish(uploadedRow(outcome, 'uploaded', null));
    else uploads.push(outcome);
  }
  if (options.wait !== false) {
    const settings = options.wait;
    const deadline = ports.clock.now() + settings.timeoutMs;
    for (const u of uploads) {
      const wait = await awaitReceipt(u.depositId, {
        auditor: ports.auditor,
        clock: ports.clock,
        deadline,
        pollMs: settings.pollMs,
        onWaiting: (stage, detail) =>
          ports.reporter.event({ type: 'waiting', file: u.item.path, stage, detail }),
      });
      finish(await receiptRow(u, wait, settings));
    }
  }
  // Failures were reported as they happened; the table follows the order of the files.
  const order = new Map(items.map((item, index) => [item.key, index]));
  rows.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
  ports.reporter.event({ type: 'summary', rows });
  return { rows, exitCode: exitCodeOf(rows) };
}
