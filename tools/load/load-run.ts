/**
 * One load run: starts the emulators, a local TSA and a deployment with several workers per
 * stage (as Lambda would scale out), runs the anchor on a schedule, drives the deployment
 * with concurrent uploaders and injected duplicate notifications, runs the pipeline to
 * quiescence, anchors once more, and checks what it left behind (checks.ts). Loopback only.
 */
import { randomBytes } from 'node:crypto';
import { startLocalEmulators, type RunningEmulators } from '../emulators/local-emulators';
import { emulatorClientOptions } from '../local-runtime/emulator-backend';
import { LocalDeployment } from '../local-runtime/local-deployment';
import { startLocalSchedule } from '../local-runtime/local-schedule';
import { startLocalTsa } from '../tsa/local-tsa';
import { runChecks, type CheckResult } from './checks';
import { DuplicateInjector, type InjectedDuplicates } from './duplicate-notifications';
import { ownPeakRssMiB, processTreePeakRssMiB } from './peak-rss';
import { runUploaders, type UploadLog } from './uploaders';
import { MiB, planWorkload, totalBytes } from './workload';

export interface LoadOptions {
  readonly uploads: number;
  readonly clients: number;
  readonly maxSize: number;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly anchorIntervalMs: number;
  /** Local stand-in for the production minutes; a slow invocation must not be redelivered. */
  readonly visibilityTimeoutSeconds: number;
}

export interface LoadReport {
  readonly options: LoadOptions;
  readonly workers: Record<string, number>;
  readonly uploadedMiB: number;
  readonly duplicates: InjectedDuplicates;
  readonly anchors: { readonly scheduled: number; readonly errors: string[] };
  readonly seconds: {
    startup: number;
    uploads: number;
    endToEnd: number;
    checks: number;
    wall: number;
  };
  readonly throughput: { uploadsPerS: number; recordsPerS: number; hashedMiBPerS: number };
  readonly peakRssMiB: {
    readonly runtime: number;
    readonly emulators: Record<string, number | null>;
  };
  readonly checks: CheckResult[];
  readonly ok: boolean;
}

/** Lambda's scaling, in small: the appender at its stack maxConcurrency (2), the hashing stages wider. */
const WORKERS = { hasher: 8, agencySigner: 3, custodianSigner: 6, appender: 2 };

const since = (start: number) => (performance.now() - start) / 1000;

/** Anchors until the latest checkpoint covers the whole ledger (or a few tries fail to). */
async function anchorToHead(deployment: LocalDeployment): Promise<void> {
  for (let tries = 0; tries < 5; tries++) {
    const head = (await deployment.ledger.head()).nextSeq;
    if ((await deployment.anchors.latest())?.treeSize === head) return;
    await deployment.anchor({ action: 'anchor' });
  }
}

async function peakRss(emulators: RunningEmulators): Promise<LoadReport['peakRssMiB']> {
  const entries = await Promise.all(
    Object.entries(emulators.pids).map(async ([name, pid]): Promise<[string, number | null]> => [
      name,
      await processTreePeakRssMiB(pid),
    ]),
  );
  return { runtime: ownPeakRssMiB(), emulators: Object.fromEntries(entries) };
}

function withDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('the load run did not finish before --timeout')),
      Math.max(0, deadline - Date.now()),
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Uploads, duplicates and the pipeline side by side, then the pipeline alone until idle. */
async function drive(
  deployment: LocalDeployment,
  options: LoadOptions,
  log: UploadLog,
  injector: DuplicateInjector,
  deadline: number,
  timing: { uploads: number },
): Promise<void> {
  const plan = planWorkload(options);
  const started = performance.now();
  let uploading = true;
  let injecting = true;
  await Promise.all([
    runUploaders(
      deployment.clients.s3,
      deployment.resources.evidenceBucket,
      plan,
      options.clients,
      log,
    ).then(() => {
      timing.uploads = since(started);
      uploading = false;
    }),
    injector.run(() => !uploading, 100).finally(() => (injecting = false)),
    deployment.pipeline.runUntil(
      () => Promise.resolve(!uploading && !injecting),
      deadline - Date.now(),
    ),
  ]);
  await deployment.pipeline.runUntilIdle(deadline - Date.now());
}

/** The final anchor and the checks, or, past the deadline, the one check that failed. */
async function finalChecks(
  deployment: LocalDeployment,
  options: LoadOptions,
  log: UploadLog,
  deadline: number,
  timedOut: string | null,
  progress: (line: string) => void,
): Promise<CheckResult[]> {
  if (timedOut !== null) {
    const recorded = (await deployment.ledger.head()).nextSeq;
    const detail = `${timedOut}: ${log.versions.length} of ${options.uploads} uploaded, ${recorded} recorded`;
    return [{ name: 'finished-in-time', ok: false, detail }];
  }
  const anchoring = performance.now();
  await withDeadline(anchorToHead(deployment), deadline);
  progress(`anchored to the head in ${since(anchoring).toFixed(1)} s`);
  return withDeadline(runChecks(deployment, log, options.uploads, progress), deadline);
}

export async function runLoad(
  options: LoadOptions,
  progress: (line: string) => void,
): Promise<LoadReport> {
  const wall = performance.now();
  const deadline = Date.now() + options.timeoutMs;
  const [emulators, tsa] = await Promise.all([startLocalEmulators(), startLocalTsa()]);
  try {
    const deployment = await LocalDeployment.create(emulatorClientOptions(emulators.endpoints), {
      prefix: `load-${randomBytes(3).toString('hex')}`,
      origin: 'evidence-ledger.example/load',
      workers: WORKERS,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
      tsaUrl: tsa.url,
      tsaCertificatePem: tsa.certificatePem,
    });
    const anchorErrors: string[] = [];
    const schedule = startLocalSchedule(
      'arn:aws:events:us-east-1:000000000000:rule/load-anchor',
      options.anchorIntervalMs,
      deployment.anchor,
      (error) => anchorErrors.push(String(error)),
    );
    const log: UploadLog = { versions: [], errors: [] };
    const injector = new DuplicateInjector(
      deployment.clients.sqs,
      deployment.resources.queues.intake.url,
      Math.max(2, Math.round(options.uploads * 0.02)),
      log.versions,
      deployment.resources.evidenceBucket,
    );
    const ticker = setInterval(() => {
      void deployment.ledger.head().then(
        (head) =>
          progress(`uploaded ${log.versions.length}/${options.uploads}, records ${head.nextSeq}`),
        () => undefined,
      );
    }, 15_000);
    try {
      const startup = since(wall);
      progress(`deployment ${deployment.resources.prefix} ready after ${startup.toFixed(1)} s`);
      const pipelineStart = performance.now();
      const timing = { uploads: Number.NaN };
      const timedOut = await withDeadline(
        drive(deployment, options, log, injector, deadline, timing),
        deadline,
      ).then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      const endToEnd = since(pipelineStart);
      clearInterval(ticker);
      await schedule.stop();
      const rss = await peakRss(emulators);
      const recorded = (await deployment.ledger.head()).nextSeq;
      progress(`${timedOut ?? 'quiescent'} after ${endToEnd.toFixed(1)} s; checking`);
      const checksStart = performance.now();
      const checks = await finalChecks(deployment, options, log, deadline, timedOut, progress);
      const bytes = totalBytes(planWorkload(options));
      return {
        options,
        workers: WORKERS,
        uploadedMiB: bytes / MiB,
        duplicates: injector.injected,
        anchors: { scheduled: schedule.invocations(), errors: anchorErrors },
        seconds: {
          startup,
          uploads: timing.uploads,
          endToEnd,
          checks: since(checksStart),
          wall: since(wall),
        },
        throughput: {
          uploadsPerS: log.versions.length / timing.uploads,
          recordsPerS: recorded / endToEnd,
          hashedMiBPerS: bytes / MiB / endToEnd,
        },
        peakRssMiB: rss,
        checks,
        ok: checks.every((c) => c.ok),
      };
    } finally {
      clearInterval(ticker);
      await schedule.stop();
      deployment.close();
    }
  } finally {
    await Promise.all([emulators.stop(), tsa.stop()]);
  }
}
