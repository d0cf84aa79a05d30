/**
 * `npm run bench`: every figure of docs/PERFORMANCE.md measured in one run on this machine.
 * Prints a table and writes bench-results/<time>.json and bench-results/latest.{json,md}.
 * BENCH_QUICK=1 runs every section at a fraction of the sizes (a smoke test, not figures).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startLocalEmulators } from '../../tools/emulators/local-emulators';
import { emulatorClientOptions } from '../../tools/local-runtime/emulator-backend';
import { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { measureAnchorScaling } from './anchor-scaling';
import { BLOCK } from './deterministic-object';
import { measureGroupCommit } from './group-commit';
import { measureHashThroughput } from './hash-throughput';
import { measureIncrementalAudit } from './incremental-audit';
import { hasherRss, hasherRssOnLocalServer } from './hasher-rss';
import { measureIngest } from './ingest-throughput';
import { machineInfo } from './machine';
import { renderReport } from './report';
import { benchParties, signedLedger } from './signed-ledger';
import { measureTiledLog } from './tiles';
import { measureVerifyRate } from './verify-rate';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const quick = process.env.BENCH_QUICK === '1';
const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const scale = (n: number) => (quick ? Math.max(1, Math.round(n / 64)) : n);
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function emulatorSections(parties: Awaited<ReturnType<typeof benchParties>>) {
  log('starting the emulators');
  const emulators = await startLocalEmulators();
  const clientOptions = emulatorClientOptions(emulators.endpoints);
  try {
    const ingestDeployment = await LocalDeployment.create(clientOptions, {
      prefix: `bench-ingest-${Date.now()}`,
    });
    const ingest = [];
    for (const [bytes, count] of [
      [KiB, 50],
      [MiB, 20],
      [100 * MiB, 2],
      [GiB, 1],
    ] as const) {
      log(`ingest: ${count} x ${bytes} bytes`);
      ingest.push(await measureIngest(ingestDeployment, scale(bytes), count, BLOCK, 600_000));
    }
    log('hasher RSS on the 1 GiB object in the emulator');
    const [last] = (await ingestDeployment.ledgerRecords()).slice(-1);
    if (!last) throw new Error('no record of the 1 GiB object');
    const target = {
      endpoint: emulators.endpoints.moto,
      bucket: last.deposit.bucket,
      key: last.deposit.key,
      versionId: last.deposit.versionId,
    };
    const motoRss = await hasherRss('moto 5.2.5 (emulator)', target, last.deposit.size, 'fast');
    ingestDeployment.close();

    log('group commit against PutItem');
    const appendDeployment = await LocalDeployment.create(clientOptions, {
      prefix: `bench-append-${Date.now()}`,
    });
    // Concurrency 1: moto 5.2.5 runs a transaction on a deep copy of each table it touches and
    // restores that copy when it cancels, so two concurrent transactions can undo each other's
    // commit (measured at concurrency 2: 980 records reported appended, head at 49).
    const groupCommit = await measureGroupCommit(appendDeployment, parties, scale(49 * 20), 1);
    appendDeployment.close();
    return { ingest, motoRss, groupCommit };
  } finally {
    await emulators.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const machine = machineInfo();
  log('(a) hash throughput');
  const hashing = await measureHashThroughput(scale(GiB));
  const parties = await benchParties();
  const { ingest, motoRss, groupCommit } = await emulatorSections(parties);
  log('(e) hasher RSS on the local ranged server');
  const rss = [
    motoRss,
    ...(await hasherRssOnLocalServer([GiB, 4 * GiB, 16 * GiB].map(scale), scale(4 * GiB))),
  ];
  const ledgerSizes = [1000, 10_000, 100_000].map(scale);
  const newCounts = [10, 1000, 10_000].map(scale);
  log(`signing a ledger of ${ledgerSizes.at(-1)! + newCounts.at(-1)!} records`);
  const records = await signedLedger(parties, ledgerSizes.at(-1)! + newCounts.at(-1)!);
  log('(d) offline verification');
  const verification = await measureVerifyRate(records, parties.trusted);
  log('(f) anchor scaling');
  const anchors = await measureAnchorScaling(
    records,
    parties.trusted,
    ledgerSizes,
    newCounts,
    scale(1000),
  );
  log('(h) incremental verifyLedger');
  const incrementalAudit = await measureIncrementalAudit(
    parties,
    records,
    ledgerSizes,
    scale(1000),
  );
  log('(g) tiled log');
  const tiles = await measureTiledLog({ samples: quick ? 20 : 200, log });
  const results = {
    quick,
    machine,
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    hashing,
    ingest,
    groupCommit,
    verification,
    rss,
    anchors,
    tiles,
    incrementalAudit,
  };

  const report = renderReport(results);
  process.stdout.write(`${report}\n`);
  const dir = resolve(import.meta.dirname, '../../bench-results');
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  await writeFile(resolve(dir, `${results.startedAt.replace(/[:.]/g, '-')}.json`), json);
  await writeFile(resolve(dir, 'latest.json'), json);
  await writeFile(resolve(dir, 'latest.md'), `${report}\n`);
  log(`done in ${results.seconds.toFixed(0)} s; results in bench-results/`);
}

await main();
