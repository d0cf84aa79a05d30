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
  console.log('Starting the local emulators (moto for S3/DynamoDB/SQS, LocalStack KMS) ...');
  const emulators = await startLocalEmulators();
  try {
    const deployment = await LocalDeployment.create(emulatorClientOptions(emulators.endpoints), { prefix: 'demo' });
    try {
      const manifest = JSON.parse(await readFile(join(samples, 'manifest.json'), 'utf8')) as { items: ManifestItem[] };
      for (const item of manifest.items) {
        const version = await deployment.upload(item.key, await readFile(join(samples, item.file)), item.metadata);
        console.log(`uploaded s3://${deployment.resources.evidenceBucket}/${item.key} (version ${version})`);
      }
      await deployment.pipeline.runUntilIdle(120_000);
      const records = await deployment.ledgerRecords();
      console.log(`\nLedger (${records.length} records):\n`);
      records.forEach(printRecord);
      const verification = await verifyLedgerRecords(records, deployment.trusted, { allFailures: true });
      console.log(
        verification.ok
          ? `\nverified: ${verification.recordsChecked} records, chain intact, both parties' signatures valid; head ${verification.head.lastHash}`
          : `\nVERIFICATION FAILED: ${verification.failures.map((f) => `${f.code} at seq ${f.seq}`).join(', ')}`,
      );
      if (!verification.ok || records.length !== manifest.items.length) process.exitCode = 1;
    } finally {
      deployment.close();
    }
  } finally {
    await emulators.stop();
  }
}

await main();
