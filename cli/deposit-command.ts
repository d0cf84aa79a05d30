/**
 * `evidence deposit FILE|DIR… --bucket B --case-id ID --exhibit EX [options]`: parses the
 * arguments, builds the AWS adapters (S3 through lib-storage, the auditor through Lambda
 * Invoke) and runs cli/deposit/deposit-files.ts. Every check that needs no network (metadata,
 * keys, part counts) is made before the first byte is sent.
 */
import { parseArgs } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { LambdaAuditorClient } from './deposit/auditor-clients';
import { parseMetaOptions } from './deposit/case-metadata';
import { depositFiles } from './deposit/deposit-files';
import { planDeposits } from './deposit/deposit-plan';
import { systemDepositClock, type DepositReporter } from './deposit/ports';
import { jsonReporter, plainReporter, ttyReporter } from './deposit/reporters';
import { LibStorageUploader, MIN_PART_SIZE } from './deposit/s3-uploader';
import type { Output } from './verify-bundle-command';

export const DEPOSIT_USAGE = `usage: evidence deposit FILE|DIR… --bucket B --case-id ID --exhibit EX [--meta name=value…]
         [--key-prefix P] [--concurrency N] [--part-size MiB] [--retries N]
         [--no-wait] [--wait-timeout S] [--auditor-function NAME] [--receipts DIR]
         [--json] [--profile P] [--region R] [--endpoint URL]`;

const MIB = 1024 * 1024;

/** The options of `deposit` (each documented in cli/help.ts). */
export const DEPOSIT_OPTIONS = {
  bucket: { type: 'string' },
  'case-id': { type: 'string' },
  exhibit: { type: 'string' },
  meta: { type: 'string', multiple: true, default: [] as string[] },
  'key-prefix': { type: 'string' },
  concurrency: { type: 'string', default: '4' },
  'part-size': { type: 'string', default: '8' },
  retries: { type: 'string', default: '2' },
  'no-wait': { type: 'boolean', default: false },
  'wait-timeout': { type: 'string', default: '900' },
  'auditor-function': { type: 'string' },
  receipts: { type: 'string', default: 'receipts' },
  json: { type: 'boolean', default: false },
  profile: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
} as const;

const usage = (message: string) => new CliError(EXIT.USAGE, `${message}\n${DEPOSIT_USAGE}`);

function wholeNumber(text: string, option: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max))
    throw usage(`--${option} must be a whole number from ${min} to ${max}`);
  return value;
}

function parse(args: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: DEPOSIT_OPTIONS });
  } catch (error) {
    throw usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  const { bucket, exhibit } = values;
  const caseId = values['case-id'];
  if (
    positionals.length === 0 ||
    bucket === undefined ||
    caseId === undefined ||
    exhibit === undefined
  ) {
    throw usage('FILE or DIR, --bucket, --case-id and --exhibit are required');
  }
  const wait = !values['no-wait'];
  const auditorFunction = values['auditor-function'] ?? process.env.EVIDENCE_AUDITOR_FUNCTION;
  if (wait && auditorFunction === undefined) {
    throw usage(
      'waiting for the receipt needs --auditor-function (the stack output AuditorFunctionName) or --no-wait',
    );
  }
  return {
    values,
    paths: positionals,
    bucket,
    caseId,
    exhibit,
    wait,
    auditorFunction: auditorFunction ?? '',
    partSize: wholeNumber(values['part-size'], 'part-size', MIN_PART_SIZE / MIB, 5 * 1024) * MIB,
    concurrency: wholeNumber(values.concurrency, 'concurrency', 1, 64),
    attempts: wholeNumber(values.retries, 'retries', 0, 20) + 1,
    waitTimeoutMs: wholeNumber(values['wait-timeout'], 'wait-timeout', 1, 7 * 24 * 3600) * 1000,
  };
}

/** Progress as a bar on a terminal, as plain lines in a log, or as JSON lines for scripts. */
export function depositReporter(output: Output, json: boolean): DepositReporter {
  if (json) return jsonReporter(output);
  return process.stderr.isTTY ? ttyReporter(output, process.stderr) : plainReporter(output);
}

export async function depositCommand(args: readonly string[], output: Output): Promise<ExitCode> {
  const options = parse(args);
  const { values } = options;
  const plan = await planDeposits(options.paths, {
    bucket: options.bucket,
    caseId: options.caseId,
    exhibit: options.exhibit,
    meta: parseMetaOptions(values.meta),
    keyPrefix: values['key-prefix'],
    partSize: options.partSize,
  });
  for (const path of plan.skipped) output.err(`skipped ${path}: not a regular file`);
  // The usual credential chain; --profile, --region and --endpoint override it.
  const config = {
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
  };
  const s3 = new S3Client({
    ...config,
    ...(values.endpoint !== undefined ? { forcePathStyle: true } : {}),
  });
  const lambda = new LambdaClient(config);
  try {
    const run = await depositFiles(
      plan.items,
      {
        uploader: new LibStorageUploader(s3),
        auditor: new LambdaAuditorClient(lambda, options.auditorFunction),
        clock: systemDepositClock,
        reporter: depositReporter(output, values.json),
      },
      {
        partSize: options.partSize,
        concurrency: options.concurrency,
        attempts: options.attempts,
        wait: options.wait
          ? { timeoutMs: options.waitTimeoutMs, pollMs: 5000, receiptsDir: values.receipts }
          : false,
      },
    );
    return run.exitCode;
  } finally {
    s3.destroy();
    lambda.destroy();
  }
}
