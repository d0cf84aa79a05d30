/**
 * `npm run demo`: starts the local emulators, provisions the pipeline from the stack's
 * definitions, uploads the sample evidence in samples/evidence, runs the pipeline until
 * every deposit is settled, prints the ledger and its verification, and stops everything.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { verifyLedgerRecords } from '../core/ledger-verification';
import type { LedgerRecord } from '../core/types';
import { startLocalEmulators } from '../tools/emulators/local-emulators';
import { emulatorClientOptions } from '../tools/local-runtime/emulator-backend';
import { LocalDeployment } from '../tools/local-runtime/local-deployment';
import { startLocalSchedule } from '../tools/local-runtime/local-schedule';
import { startLocalTsa } from '../tools/tsa/local-tsa';

const samples = resolve(import.meta.dirname, '../samples/evidence');

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

async function main(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  console.log('Starting the local emulators (moto for S3/DynamoDB/SQS, LocalStack KMS) and a local RFC 3161 TSA ...');
  const [emulators, tsa] = await Promise.all([startLocalEmulators(), startLocalTsa()]);
  try {
    const deployment = await LocalDeployment.create(emulatorClientOptions(emulators.endpoints), {
      prefix: 'demo',
      origin: 'evidence-ledger.example/demo',
      tsaUrl: tsa.url,
    });
    // The anchor's EventBridge schedule, every 0.5 s here instead of the stack's minutes.
    const schedule = startLocalSchedule('arn:aws:events:us-east-1:000000000000:rule/demo-anchor', 500, deployment.anchor, (error) =>
      console.error('scheduled anchor failed:', error),
    );
    try {
      const manifest = JSON.parse(await readFile(join(samples, 'manifest.json'), 'utf8')) as { items: ManifestItem[] };
      const upload = async (item: ManifestItem) => {
        const version = await deployment.upload(item.key, await readFile(join(samples, item.file)), item.metadata);
        console.log(`uploaded s3://${deployment.resources.evidenceBucket}/${item.key} (version ${version})`);
      };
      // First wave: anchored by the schedule. Last item: anchored on demand.
      const firstWave = manifest.items.slice(0, -1);
      for (const item of firstWave) await upload(item);
      await deployment.pipeline.runUntilIdle(120_000);
      await deployment.pipeline.runUntil(async () => (await deployment.anchors.latest())?.treeSize === firstWave.length, 60_000);
      console.log(`scheduled anchor published checkpoint ${firstWave.length}`);
      await schedule.stop();
      for (const item of manifest.items.slice(-1)) await upload(item);
      await deployment.pipeline.runUntilIdle(120_000);
      const onDemand = await deployment.anchor({ action: 'anchor' });
      console.log(`on-demand anchor: ${onDemand.outcome}, checkpoint ${onDemand.treeSize}`);
      const records = await deployment.ledgerRecords();
      console.log(`\nLedger (${records.length} records):\n`);
      records.forEach(printRecord);
      const verification = await verifyLedgerRecords(records, deployment.trusted, { allFailures: true });
      console.log(
        verification.ok
          ? `\nverified: ${verification.recordsChecked} records, chain intact, both parties' signatures valid; head ${verification.head.lastHash}`
          : `\nVERIFICATION FAILED: ${verification.failures.map((f) => `${f.code} at seq ${f.seq}`).join(', ')}`,
      );
      const latest = await deployment.anchors.latest();
      console.log(`\nAnchors: ${schedule.invocations()} scheduled run(s), 1 on demand (${onDemand.outcome}).`);
      console.log(`Latest checkpoint (C2SP signed note, co-signed by both parties; WORM copy in s3://${deployment.resources.anchorBucket}):\n`);
      console.log(latest?.checkpointNote ?? '(none)');
      console.log(`RFC 3161 timestamp token: ${latest?.timestampToken ? `${latest.timestampToken.length} base64 chars from ${tsa.url}` : 'none'}`);
      if (!verification.ok || records.length !== manifest.items.length || latest?.treeSize !== records.length) process.exitCode = 1;
    } finally {
      await schedule.stop();
      deployment.close();
    }
  } finally {
    await Promise.all([emulators.stop(), tsa.stop()]);
  }
}

await main();
