/**
 * `npm run demo`: starts the local emulators, provisions the pipeline from the stack's
 * definitions, deposits the sample evidence in samples/evidence with `evidence deposit`'s
 * module (lib-storage upload, progress, a receipt per exhibit in --out DIR/receipts), runs the
 * pipeline until every deposit is settled, prints the ledger and its verification, and stops
 * everything. With --out DIR it keeps the bundles, receipts, a certificate of exhibit 0 and
 * the verifier page (verifier.html) there.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { auditTrust } from '../core/audit/audit-trust';
import { trustedKeysFile } from '../core/audit/export-bundle';
import { InProcessAuditorClient } from '../cli/deposit/auditor-clients';
import {
  caseMetadata,
  checkObjectKey,
  CASE_ID_KEY,
  EXHIBIT_KEY,
} from '../cli/deposit/case-metadata';
import { depositFiles, type DepositRun } from '../cli/deposit/deposit-files';
import { systemDepositClock, type DepositItem } from '../cli/deposit/ports';
import { LibStorageUploader, MIN_PART_SIZE } from '../cli/deposit/s3-uploader';
import { depositReporter } from '../cli/deposit-command';
import { EXIT } from '../cli/exit-codes';
import { verifyLedgerRecords } from '../core/ledger-verification';
import type { LedgerRecord } from '../core/types';
import { startLocalEmulators } from '../tools/emulators/local-emulators';
import { emulatorClientOptions } from '../tools/local-runtime/emulator-backend';
import { LocalDeployment } from '../tools/local-runtime/local-deployment';
import { startLocalSchedule } from '../tools/local-runtime/local-schedule';
import { startLocalTsa } from '../tools/tsa/local-tsa';
import { chromiumUnavailableReason } from '../cli/chromium';
import { LOG_PREFIX, S3TileLogReader } from '../functions/shared/s3-tile-log';
import { S3WormReader } from '../functions/shared/s3-worm-store';
import { buildVerifierPage } from './build-verifier-page';

const samples = resolve(import.meta.dirname, '../samples/evidence');
const cli = resolve(import.meta.dirname, '../bin/evidence.js');
const run = promisify(execFile);

interface ManifestItem {
  readonly file: string;
  readonly key: string;
  readonly metadata: Record<string, string>;
}

function printRecord(record: LedgerRecord): void {
  const d = record.deposit;
  console.log(`#${record.seq}  ${record.recordHash}`);
  console.log(`    prev      ${record.prevHash}`);
  console.log(`    object    s3://${d.bucket}/${d.key}`);
  console.log(`    version   ${d.versionId}   size ${d.size} B`);
  console.log(`    sha256    ${d.sha256}`);
  console.log(`    case      ${JSON.stringify(d.caseMetadata)}`);
  console.log(`    uploaded  ${d.uploadedAt} by ${d.uploader.principalId ?? '(not in event)'}`);
  console.log(`    sequenced ${record.sequencedAt}`);
  for (const s of record.signatures) console.log(`    signed    ${s.role.padEnd(9)} ${s.keyId}`);
}

/** Each party's co-signer state: the last checkpoint it co-signed, from its own table. */
async function printCosigners(deployment: LocalDeployment, when: string): Promise<void> {
  const states = await deployment.cosignerStates();
  for (const [role, state] of Object.entries(states)) {
    console.log(
      `  ${when}: ${role.padEnd(9)} co-signer holds tree ${state?.treeSize ?? 0}${state ? ` root ${state.rootHash}` : ''}`,
    );
  }
}

/** The --out directory: one bundle per item, the trusted keys, the latest checkpoint. */
const { values: args } = parseArgs({
  options: { out: { type: 'string' } },
  allowPositionals: false,
});

/** Copies every object of the tiled log (log/ in the anchor bucket) to DIR/log/, same paths. */
async function copyTiledLog(dir: string, deployment: LocalDeployment): Promise<number> {
  const { s3 } = deployment.clients;
  const bucket = deployment.resources.anchorBucket;
  const keys = await new S3WormReader(s3, bucket).list(LOG_PREFIX);
  const log = new S3TileLogReader(s3, bucket);
  for (const key of keys) {
    const path = key.slice(LOG_PREFIX.length);
    const target = join(dir, 'log', path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, (await log.get(path)) ?? new Uint8Array(0));
  }
  return keys.length;
}

/** The parties' keys as an auditor or a monitor trusts them (docs/FORMAT.md §11). */
async function writeTrustedKeys(
  dir: string,
  deployment: LocalDeployment,
  tsaCertificatePem: string,
): Promise<string> {
  const trust = await auditTrust(deployment.origin, deployment.trusted);
  const path = join(dir, 'trusted-keys.json');
  await writeFile(
    path,
    `${JSON.stringify(await trustedKeysFile(trust, tsaCertificatePem), null, 2)}\n`,
  );
  return path;
}

/** A third party's watch: copies the log as a mirror would, then `evidence monitor` checks it. */
async function monitorTiledLog(
  dir: string,
  deployment: LocalDeployment,
  trustedKeysPath: string,
): Promise<void> {
  await copyTiledLog(dir, deployment);
  await runEvidence(
    'monitor',
    join(dir, 'log'),
    '--trusted-keys',
    trustedKeysPath,
    '--state',
    join(dir, 'monitor-state.json'),
  );
}

async function writeOutputs(
  dir: string,
  deployment: LocalDeployment,
  records: readonly LedgerRecord[],
  items: readonly ManifestItem[],
  checkpointNote: string,
  trustedKeysPath: string,
): Promise<void> {
  await writeFile(join(dir, 'checkpoint.note'), checkpointNote);
  const bundles: string[] = [];
  for (const record of records) {
    const response = await deployment.auditor({
      action: 'exportBundle',
      depositIds: [record.deposit.depositId],
    });
    const path = join(dir, `bundle-${record.seq}.json`);
    await writeFile(path, `${JSON.stringify(response.bundle, null, 2)}\n`);
    bundles.push(path);
  }
  const logObjects = await copyTiledLog(dir, deployment);
  console.log(
    `\nWrote ${bundles.length} evidence bundles, trusted-keys.json, checkpoint.note, the tiled log (log/, ${logObjects} objects) and the deposit receipts (receipts/) to ${dir}`,
  );
  // The offline tools, as an auditor or a court would run them: no AWS, no network.
  const first = items.find((item) => item.key === records[0]?.deposit.key);
  const evidence = first ? ['--evidence', join(samples, first.file)] : [];
  await runEvidence(
    'verify-bundle',
    bundles[0] ?? '',
    '--trusted-keys',
    trustedKeysPath,
    ...evidence,
  );
  const certificate = join(
    dir,
    `certificate-${records[0]?.seq ?? 0}${chromiumUnavailableReason() === undefined ? '.pdf' : '.html'}`,
  );
  await runEvidence(
    'certificate',
    bundles[0] ?? '',
    '--trusted-keys',
    trustedKeysPath,
    ...evidence,
    '-o',
    certificate,
  );
  const page = await buildVerifierPage(join(dir, 'verifier.html'));
  console.log(`Verifier page (open in any browser, works offline): ${page}`);
}

/** Runs the installed `evidence` command (compiled, bin/evidence.js) and prints what it says. */
async function runEvidence(...cliArgs: string[]): Promise<void> {
  console.log(`$ npx evidence ${cliArgs.join(' ')}`);
  const result = await run(process.execPath, [cli, ...cliArgs]).catch(
    (error: { stdout?: string; stderr?: string; code?: number }) => {
      process.exitCode = 1;
      return { stdout: error.stdout ?? '', stderr: `${error.stderr ?? ''}(exit ${error.code})` };
    },
  );
  process.stdout.write(result.stdout + result.stderr);
}

/** A manifest item as `evidence deposit` would take it: metadata and key checked first. */
function depositItem(bucket: string, item: ManifestItem): DepositItem {
  const { [CASE_ID_KEY]: caseId = '', [EXHIBIT_KEY]: exhibit = '', ...extra } = item.metadata;
  const metadata = caseMetadata(caseId, exhibit, Object.entries(extra));
  return { path: join(samples, item.file), bucket, key: checkObjectKey(item.key), metadata };
}

/** Deposits `items` and waits for their receipts while `settle` runs the pipeline and an anchor. */
async function deposit(
  deployment: LocalDeployment,
  items: readonly ManifestItem[],
  receiptsDir: string,
  settle: () => Promise<void>,
): Promise<DepositRun> {
  const ports = {
    uploader: new LibStorageUploader(deployment.clients.s3),
    auditor: new InProcessAuditorClient(deployment.auditor),
    clock: systemDepositClock,
    reporter: depositReporter(
      { out: (line) => console.log(line), err: (line) => console.error(line) },
      false,
    ),
  };
  const options = {
    partSize: MIN_PART_SIZE,
    concurrency: 4,
    attempts: 3,
    wait: { timeoutMs: 180_000, pollMs: 250, receiptsDir },
  };
  const bucket = deployment.resources.evidenceBucket;
  const [run] = await Promise.all([
    depositFiles(
      items.map((item) => depositItem(bucket, item)),
      ports,
      options,
    ),
    settle(),
  ]);
  if (run.exitCode !== EXIT.OK) process.exitCode = 1;
  return run;
}

async function main(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  console.log(
    'Starting the local emulators (moto for S3/DynamoDB/SQS, LocalStack KMS) and a local RFC 3161 TSA ...',
  );
  const [emulators, tsa] = await Promise.all([startLocalEmulators(), startLocalTsa()]);
  const dir = args.out ? resolve(args.out) : await mkdtemp(join(tmpdir(), 'evidence-demo-'));
  await mkdir(dir, { recursive: true });
  const receiptsDir = join(dir, 'receipts');
  try {
    const deployment = await LocalDeployment.create(emulatorClientOptions(emulators.endpoints), {
      prefix: 'demo',
      origin: 'evidence-ledger.example/demo',
      tsaUrl: tsa.url,
      tsaCertificatePem: tsa.certificatePem,
    });
    const trustedKeysPath = await writeTrustedKeys(dir, deployment, tsa.certificatePem);
    // The anchor's EventBridge schedule, every 0.5 s here instead of the stack's minutes.
    const schedule = startLocalSchedule(
      'arn:aws:events:us-east-1:000000000000:rule/demo-anchor',
      500,
      deployment.anchor,
      (error) => console.error('scheduled anchor failed:', error),
    );
    try {
      const manifest = JSON.parse(await readFile(join(samples, 'manifest.json'), 'utf8')) as {
        items: ManifestItem[];
      };
      // First wave: anchored by the schedule. Last item: anchored on demand. Each deposit
      // waits for its receipt while the pipeline runs.
      const firstWave = manifest.items.slice(0, -1);
      await deposit(deployment, firstWave, receiptsDir, () =>
        deployment.pipeline.runUntil(
          async () => (await deployment.anchors.latest())?.treeSize === firstWave.length,
          120_000,
        ),
      );
      console.log(
        `scheduled anchor published checkpoint ${firstWave.length}, co-signed by both parties' co-signers:`,
      );
      await schedule.stop();
      await printCosigners(deployment, 'after the scheduled anchor');
      await monitorTiledLog(dir, deployment, trustedKeysPath);
      let onDemand: Awaited<ReturnType<LocalDeployment['anchor']>> | undefined;
      await deposit(deployment, manifest.items.slice(-1), receiptsDir, async () => {
        await deployment.pipeline.runUntil(
          async () => (await deployment.ledger.head()).nextSeq === manifest.items.length,
          120_000,
        );
        onDemand = await deployment.anchor({ action: 'anchor' });
      });
      if (onDemand === undefined) throw new Error('the on-demand anchor did not run');
      console.log(
        `on-demand anchor: ${onDemand.outcome}, checkpoint ${onDemand.treeSize}; each co-signer checked the new record against its own state:`,
      );
      await printCosigners(deployment, 'after the on-demand anchor');
      await monitorTiledLog(dir, deployment, trustedKeysPath);
      const records = await deployment.ledgerRecords();
      console.log(`\nLedger (${records.length} records):\n`);
      records.forEach(printRecord);
      const verification = await verifyLedgerRecords(records, deployment.trusted, {
        allFailures: true,
      });
      console.log(
        verification.ok
          ? `\nverified: ${verification.recordsChecked} records, chain intact, both parties' signatures valid; head ${verification.head.lastHash}`
          : `\nVERIFICATION FAILED: ${verification.failures.map((f) => `${f.code} at seq ${f.seq}`).join(', ')}`,
      );
      const audit = await deployment.auditor({ action: 'verifyLedger', full: true });
      console.log(
        `auditor verifyLedger: ${String(audit.verdict)}; parties' co-signed sizes ${JSON.stringify(audit.partyCheckpointSizes)}; evidence versions ${JSON.stringify(audit.evidence)}`,
      );
      const latest = await deployment.anchors.latest();
      console.log(
        `\nAnchors: ${schedule.invocations()} scheduled run(s), 1 on demand (${onDemand.outcome}).`,
      );
      console.log(
        `Latest checkpoint (C2SP signed note, co-signed by both parties; WORM copy in s3://${deployment.resources.anchorBucket}):\n`,
      );
      console.log(latest?.checkpointNote ?? '(none)');
      console.log(
        `RFC 3161 timestamp token: ${latest?.timestampToken ? `${latest.timestampToken.length} base64 chars from ${tsa.url}` : 'none'}`,
      );
      await writeOutputs(
        dir,
        deployment,
        records,
        manifest.items,
        latest?.checkpointNote ?? '',
        trustedKeysPath,
      );
      const cosigned = await deployment.cosignerStates();
      const bothCosigned = Object.values(cosigned).every(
        (state) => state?.treeSize === records.length,
      );
      if (
        !verification.ok ||
        audit.verdict !== 'valid' ||
        !bothCosigned ||
        records.length !== manifest.items.length ||
        latest?.treeSize !== records.length
      ) {
        process.exitCode = 1;
      }
    } finally {
      await schedule.stop();
      deployment.close();
    }
  } finally {
    await Promise.all([emulators.stop(), tsa.stop()]);
    if (!args.out) await rm(dir, { recursive: true, force: true });
  }
}

await main();
