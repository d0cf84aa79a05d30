/**
 * What a load run must leave behind, checked at quiescence against the primary sources: the
 * bucket's versions, the ledger, the anchors, the co-signers' own state, the dead-letter
 * queues, and the auditor's verdict. Each check has a name the report and the exit status use.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { verifyLedgerRecords } from '../../core/ledger-verification';
import type { LedgerRecord } from '../../core/types';
import { depositIdFor } from '../../core/deposit-id';
import { S3EvidenceVersions } from '../../functions/shared/s3-evidence-versions';
import type { LocalDeployment } from '../local-runtime/local-deployment';
import { checkpointProblems } from './checkpoint-checks';
import type { UploadLog } from './uploaders';

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

const check = (name: string, problems: readonly string[], fine: string): CheckResult => ({
  name,
  ok: problems.length === 0,
  detail:
    problems.length === 0
      ? fine
      : `${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`,
});

async function bucketVersions(deployment: LocalDeployment): Promise<Set<string>> {
  const listed = new Set<string>();
  const versions = new S3EvidenceVersions(
    deployment.clients.s3,
    deployment.resources.evidenceBucket,
  );
  for await (const v of versions.list()) listed.add(v.versionId);
  return listed;
}

function versionsCheck(log: UploadLog, planned: number, listed: Set<string>): CheckResult {
  const uploaded = new Set(log.versions.map((v) => v.versionId));
  const problems = [
    ...log.errors.map((e) => `upload of ${e.key} failed: ${e.message}`),
    ...[...uploaded].filter((v) => !listed.has(v)).map((v) => `version ${v} not in the bucket`),
    ...[...listed].filter((v) => !uploaded.has(v)).map((v) => `unexpected version ${v}`),
  ];
  if (uploaded.size !== planned) problems.push(`${uploaded.size} versions for ${planned} uploads`);
  return check('uploaded-versions', problems, `${listed.size} versions, as uploaded`);
}

/** What the Deposits table says of each version that has no record: where it stopped. */
async function lostVersions(
  deployment: LocalDeployment,
  log: UploadLog,
  records: readonly LedgerRecord[],
): Promise<string[]> {
  const recorded = new Set(records.map((r) => r.deposit.versionId));
  const lost = log.versions.filter((v) => !recorded.has(v.versionId));
  return Promise.all(
    lost.map(async (v) => {
      const depositId = depositIdFor({
        bucket: deployment.resources.evidenceBucket,
        key: v.key,
        versionId: v.versionId,
      });
      const state = await deployment.deposits
        .get(depositId)
        .catch((error: unknown) => String(error));
      const status =
        state === null ? 'no deposit' : typeof state === 'string' ? state : JSON.stringify(state);
      return `${v.key}@${v.versionId} (${v.size} bytes): ${status}`;
    }),
  );
}

/** N versions → N records: none lost, none twice, each with the digest of what was sent. */
function recordsCheck(
  log: UploadLog,
  records: readonly LedgerRecord[],
  lost: readonly string[],
): CheckResult {
  const recorded = new Map<string, LedgerRecord[]>();
  for (const r of records)
    recorded.set(r.deposit.versionId, [...(recorded.get(r.deposit.versionId) ?? []), r]);
  const problems: string[] = [];
  let duplicated = 0;
  for (const v of log.versions) {
    const found = recorded.get(v.versionId) ?? [];
    if (found.length > 1) duplicated++;
    for (const r of found)
      if (r.deposit.sha256 !== v.sha256 || r.deposit.size !== v.size || r.deposit.key !== v.key)
        problems.push(`seq ${r.seq} does not match what was uploaded as ${v.versionId}`);
  }
  const known = new Set(log.versions.map((v) => v.versionId));
  const strangers = records.filter((r) => !known.has(r.deposit.versionId)).length;
  if (lost.length > 0)
    problems.push(`${lost.length} versions lost (no record): ${lost.join('; ')}`);
  if (duplicated > 0) problems.push(`${duplicated} versions recorded more than once`);
  if (strangers > 0) problems.push(`${strangers} records of versions nobody uploaded`);
  return check(
    'one-record-per-version',
    problems,
    `${log.versions.length} versions → ${records.length} records, 0 lost, 0 duplicated, digests match`,
  );
}

async function chainCheck(
  deployment: LocalDeployment,
  records: readonly LedgerRecord[],
): Promise<CheckResult> {
  const problems = records.flatMap((r, i) =>
    r.seq === i ? [] : [`seq ${r.seq} at position ${i}`],
  );
  const verification = await verifyLedgerRecords(records, deployment.trusted, {
    allFailures: true,
  });
  problems.push(...verification.failures.map((f) => `${f.code} at seq ${f.seq}`));
  return check(
    'chain',
    problems,
    `seq 0..${records.length - 1} gapless, links and both signatures verified`,
  );
}

async function cosignersCheck(deployment: LocalDeployment, size: number): Promise<CheckResult> {
  const states = await deployment.cosignerStates();
  const problems = Object.entries(states)
    .filter(([, state]) => state?.treeSize !== size)
    .map(([role, state]) => `${role} co-signed ${state?.treeSize ?? 0}, ledger ${size}`);
  return check('co-signers', problems, `both parties co-signed tree ${size}`);
}

async function deadLettersCheck(deployment: LocalDeployment): Promise<CheckResult> {
  const problems: string[] = [];
  for (const [stage, queue] of Object.entries(deployment.resources.queues)) {
    const { Attributes } = await deployment.clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.deadLetterUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const parked =
      Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
    if (parked > 0) problems.push(`${parked} in ${stage}'s dead-letter queue`);
  }
  return check('dead-letter-queues', problems, 'all empty');
}

function evidenceProblem(evidence: unknown, size: number): string | null {
  const e = (evidence ?? {}) as Record<string, unknown>;
  const fine = e.versions === size && e.recorded === size && e.failed === 0 && e.pending === 0;
  return fine ? null : `evidence reconciliation ${JSON.stringify(evidence)}`;
}

/** The auditor's full verifyLedger job (every record, the bucket swept), following its cursor. */
async function auditorCheck(deployment: LocalDeployment, size: number): Promise<CheckResult> {
  const problems: string[] = [];
  let checked = 0;
  let invocations = 0;
  let cursor: string | null = null;
  do {
    const report = await deployment.auditor({
      action: 'verifyLedger',
      full: true,
      ...(cursor ? { cursor } : {}),
    });
    cursor = typeof report.cursor === 'string' ? report.cursor : null;
    if (report.verdict !== 'valid' && !(report.verdict === 'incomplete' && cursor))
      problems.push(`verdict ${String(report.verdict)}: ${JSON.stringify(report.failures)}`);
    const evidence = invocations === 0 ? evidenceProblem(report.evidence, size) : null;
    if (evidence) problems.push(evidence);
    checked += Number(report.recordsChecked ?? 0);
    invocations++;
  } while (cursor && problems.length === 0);
  if (checked !== size) problems.push(`auditor checked ${checked} records of ${size}`);
  return check(
    'auditor',
    problems,
    `verifyLedger valid over ${checked} records in ${invocations} invocation(s)`,
  );
}

/** Runs one check, telling `progress` how it went and how long it took. */
async function timed(
  progress: (line: string) => void,
  run: () => CheckResult | Promise<CheckResult>,
): Promise<CheckResult> {
  const start = performance.now();
  const result = await run();
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  progress(`check ${result.name}: ${result.ok ? 'ok' : 'FAILED'} (${seconds} s)`);
  return result;
}

export async function runChecks(
  deployment: LocalDeployment,
  log: UploadLog,
  planned: number,
  progress: (line: string) => void,
): Promise<CheckResult[]> {
  const records = await deployment.ledgerRecords();
  const lost = await lostVersions(deployment, log, records);
  for (const line of lost) progress(`lost: ${line}`);
  const anchors = await deployment.anchors.list(0, Number.MAX_SAFE_INTEGER);
  const results: CheckResult[] = [];
  const steps: (() => CheckResult | Promise<CheckResult>)[] = [
    async () => versionsCheck(log, planned, await bucketVersions(deployment)),
    () => recordsCheck(log, records, lost),
    () => chainCheck(deployment, records),
    async () =>
      check(
        'checkpoints',
        await checkpointProblems(deployment, anchors, records),
        `${anchors.length} co-signed checkpoints, each consistent with the one before, the last at ${records.length}`,
      ),
    () => cosignersCheck(deployment, records.length),
    () => deadLettersCheck(deployment),
    () => auditorCheck(deployment, records.length),
  ];
  for (const step of steps) results.push(await timed(progress, step));
  return results;
}
