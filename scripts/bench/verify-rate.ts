/**
 * (d) Offline verification against OpenSSL's ECDSA P-256 verify rate, measured side by side
 * in one run: `openssl speed -seconds N ecdsap256` on one core before and after the paths
 * (the yardstick is their mean; both are reported), then each path over the same records:
 * verifyLedgerRecords with the browser defaults (WebCrypto, noble); with node:crypto's
 * verifier and SHA-256 (what the CLI and the auditor inject), which verifies in one
 * synchronous pass; records bundles decoded, then verified the same way (what the monitor
 * does per bundle); node:crypto's verify on libuv's thread pool, VERIFY_CONCURRENCY records
 * at a time (the path before the synchronous pass, kept as the comparison); the monitor
 * itself (verifyNewEntries over the log's tiles, entry and records bundles) with its bundles
 * verified on the calling thread and in the CLI's worker pool (cli/monitor/records-verify-pool.ts,
 * one worker per core);
 * and the signature check alone (crypto.verify in a loop). The paths run in turn three times over;
 * each path's median round is reported.
 *
 * Per core = signatures verified per CPU-second this process used over the run
 * (process.cpuUsage: user + system time of every thread, main, thread pool and workers),
 * the unit `openssl speed` reports for one core: the ratio is (signatures / CPU-seconds) /
 * (openssl verify/s). The split (verify-split.ts) shows where a record's time goes. No
 * collection is forced between paths: a full collection (gc()) shrinks V8's young generation
 * and the path after it paid about 10 µs per record more in scavenges until it grew back.
 */
import { verify } from 'node:crypto';
import { RecordsVerifyPool } from '../../cli/monitor/records-verify-pool';
import type { TrustedKeys } from '../../core/bundle/trusted-keys';
import { verifyLedgerRecords } from '../../core/ledger-verification';
import type { LogSource } from '../../core/monitor';
import { verifyNewEntries } from '../../core/monitor/verify-new-entries';
import type { TrustedParties } from '../../core/party-signatures';
import { decodeRecordsBundle, encodeRecordsBundle } from '../../core/tlog/records-bundle';
import { TILE_WIDTH } from '../../core/tlog/tile';
import { GENESIS_HEAD, type LedgerRecord, type PartyRole } from '../../core/types';
import { nodeSha256 } from '../../functions/shared/node-sha256';
import { nodeSignatureVerifier } from '../../functions/shared/node-signature-verifier';
import { appendTiledLogRecords } from '../../tools/fakes/tiled-log';
import { opensslEcdsaP256VerifyPerSecond } from './machine';
import { f, table } from './markdown-table';
import { measureVerifySplit, signatureChecks, type VerifyStep } from './verify-split';

/** Seconds of each `openssl speed` run. */
const OPENSSL_SECONDS = 3;
/** Times each path is run; the median is reported. */
const ROUNDS = 3;

export interface VerifyPathRate {
  readonly path: string;
  readonly signaturesPerSecond: number;
  readonly cpuSeconds: number;
  readonly coresUsed: number;
  readonly signaturesPerCoreSecond: number;
  /** signaturesPerCoreSecond over OpenSSL's verifications per second on one core. */
  readonly ratioPerCore: number;
}

export interface VerifyRate {
  readonly records: number;
  /** The yardstick: the mean of the two openssl runs. */
  readonly opensslVerifyPerSecond: number;
  /** openssl verify/s on one core, before and after the paths. */
  readonly opensslRuns: readonly number[];
  readonly paths: readonly VerifyPathRate[];
  /** CPU µs per record of each step (verify-split.ts). */
  readonly split: readonly VerifyStep[];
  /** The CPU µs per record of the path the ratio is taken on, for the split's remainder. */
  readonly pathMicrosPerRecord: number;
  /** verifyLedgerRecords as the CLI and the auditor run it (node:crypto, one synchronous pass). */
  readonly ratioPerCore: number;
}

interface Timed {
  readonly path: string;
  readonly signatures: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

async function timed(path: string, signatures: number, run: () => Promise<void>): Promise<Timed> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // Thread-pool and worker threads count too: process.cpuUsage covers every thread.
  return { path, signatures, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function rate(t: Timed, opensslPerSecond: number): VerifyPathRate {
  const signaturesPerCoreSecond = t.signatures / t.cpuSeconds;
  return {
    path: t.path,
    signaturesPerSecond: t.signatures / t.seconds,
    cpuSeconds: t.cpuSeconds,
    coresUsed: t.cpuSeconds / t.seconds,
    signaturesPerCoreSecond,
    ratioPerCore: signaturesPerCoreSecond / opensslPerSecond,
  };
}

async function verifyAll(records: readonly LedgerRecord[], trusted: TrustedParties): Promise<void> {
  const result = await verifyLedgerRecords(records, trusted);
  if (!result.ok)
    throw new Error(`the bench ledger does not verify: ${JSON.stringify(result.failures[0])}`);
}

/** The records bundles of `records` (full ranges of 256, then the partial one). */
function bundlesOf(records: readonly LedgerRecord[]): Uint8Array[] {
  const bundles: Uint8Array[] = [];
  for (let i = 0; i < records.length; i += TILE_WIDTH) {
    bundles.push(encodeRecordsBundle(records.slice(i, i + TILE_WIDTH)));
  }
  return bundles;
}

/** What the monitor does per records bundle: decode its lines, verify its records. */
async function verifyBundles(
  bundles: readonly Uint8Array[],
  total: number,
  trusted: TrustedParties,
): Promise<void> {
  let head;
  for (let i = 0; i < bundles.length; i++) {
    const width = Math.min(TILE_WIDTH, total - i * TILE_WIDTH);
    const result = await verifyLedgerRecords(decodeRecordsBundle(bundles[i]!, width), trusted, {
      ...(head ? { start: head } : {}),
    });
    if (!result.ok) throw new Error(`bench bundle ${i} does not verify`);
    head = result.head;
  }
}

async function signatureChecksAlone(
  records: readonly LedgerRecord[],
  trusted: TrustedParties,
): Promise<() => Promise<void>> {
  const checks = await signatureChecks(records, trusted);
  return () => {
    if (!checks.every((c) => verify('sha256', c.message, c.key, c.signature)))
      throw new Error('a bench signature does not verify');
    return Promise.resolve();
  };
}

/** The log objects of `records` (tiles, entry and records bundles), as the monitor reads them. */
async function logSourceOf(records: readonly LedgerRecord[]): Promise<LogSource> {
  const log = { origin: 'bench', signers: [], records: [], files: new Map<string, Uint8Array>() };
  await appendTiledLogRecords(log, records);
  // A copy per read, as a store returns: the pool transfers the bytes to its workers.
  return { get: (path) => Promise.resolve(log.files.get(path)?.slice() ?? null) };
}

/** The monitor's verification of the whole log, from the empty tree (on this thread without a pool). */
async function monitorLogOnce(
  source: LogSource,
  total: number,
  trusted: TrustedParties,
  pool?: RecordsVerifyPool,
): Promise<void> {
  const head = await verifyNewEntries(source, trusted, GENESIS_HEAD, total, pool);
  if (head.nextSeq !== total) throw new Error('the bench log did not verify to its end');
}

/** The trusted parties as the trusted-keys file the pool's workers are started with. */
async function trustedKeysOf(trusted: TrustedParties): Promise<TrustedKeys> {
  const roles = Object.entries(trusted.keyIds) as [PartyRole, string][];
  const parties = await Promise.all(
    roles.map(async ([role, keyId]) => ({
      role,
      keyId,
      noteKeyName: `bench/${role}`,
      publicKeySpki: await trusted.keys.publicKey(keyId),
    })),
  );
  return { origin: 'bench', parties, tsa: [] };
}

export async function measureVerifyRate(
  records: readonly LedgerRecord[],
  trusted: TrustedParties,
): Promise<VerifyRate> {
  const signatures = 2 * records.length;
  const onePass = { ...trusted, verifier: nodeSignatureVerifier, sha256: nodeSha256 };
  // node:crypto without its synchronous form: verifyLedgerRecords' concurrent path.
  const threadPool = {
    ...trusted,
    verifier: { verify: nodeSignatureVerifier.verify.bind(nodeSignatureVerifier) },
    sha256: nodeSha256,
  };
  const pool = new RecordsVerifyPool(await trustedKeysOf(trusted));
  const source = await logSourceOf(records);
  const bundles = bundlesOf(records);
  const warmUp = records.slice(0, 512);
  await verifyAll(warmUp, onePass); // compiles the hot paths
  await verifyAll(warmUp, threadPool);
  await verifyBundles(bundlesOf(warmUp), warmUp.length, onePass);
  await monitorLogOnce(source, records.length, onePass, pool); // starts and warms the workers

  const before = opensslEcdsaP256VerifyPerSecond(OPENSSL_SECONDS);
  const paths: [string, () => Promise<void>][] = [
    [
      'verifyLedgerRecords, WebCrypto + noble (browser defaults)',
      () => verifyAll(records, trusted),
    ],
    [
      'verifyLedgerRecords, node:crypto: one synchronous pass, SHA-256 (CLI, auditor)',
      () => verifyAll(records, onePass),
    ],
    [
      'records bundles decoded, then verified as above, one after another on one thread',
      () => verifyBundles(bundles, records.length, onePass),
    ],
    [
      'verifyLedgerRecords, node:crypto verify on the libuv thread pool, 32 records at a time (before)',
      () => verifyAll(records, threadPool),
    ],
    [
      'evidence monitor: verifyNewEntries over tiles and bundles, bundles verified on one thread',
      () => monitorLogOnce(source, records.length, onePass),
    ],
    [
      `evidence monitor: verifyNewEntries over tiles and bundles, bundles verified in ${pool.size} worker threads (one per core)`,
      () => monitorLogOnce(source, records.length, onePass, pool),
    ],
  ];
  const alone = 'signature check alone: crypto.verify in a loop, one thread';
  // The paths in turn, ROUNDS times; each path's median round (by CPU time) is reported, so
  // that a burst of load from another process in one round does not decide a ratio.
  const rounds: Timed[][] = [...paths, alone].map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [path, run]] of paths.entries()) {
      rounds[i]!.push(await timed(path, signatures, run));
    }
    // Its 20,000 messages and signatures are made for the round only: that many live
    // ArrayBuffers slow every scavenge, and the other paths would pay for them.
    rounds[paths.length]!.push(
      await timed(alone, signatures, await signatureChecksAlone(records, trusted)),
    );
  }
  const runs = rounds.map(
    (timings) => [...timings].sort((a, b) => a.cpuSeconds - b.cpuSeconds)[ROUNDS >> 1]!,
  );
  const after = opensslEcdsaP256VerifyPerSecond(OPENSSL_SECONDS);
  await pool.close();
  const openssl = (before + after) / 2;
  return {
    records: records.length,
    opensslVerifyPerSecond: openssl,
    opensslRuns: [before, after],
    paths: runs.map((run) => rate(run, openssl)),
    split: await measureVerifySplit(records.slice(0, 5000), trusted),
    pathMicrosPerRecord: (runs[2]!.cpuSeconds * 1e6) / records.length,
    ratioPerCore: rate(runs[1]!, openssl).ratioPerCore,
  };
}

/** The (d) section of docs/PERFORMANCE.md: the paths, then the split. */
export function renderVerifyRate(v: VerifyRate): string {
  const head = [
    'path',
    'signatures/s',
    'CPU s',
    'cores used',
    'signatures per CPU-second',
    'ratio per core',
  ];
  const rows = v.paths.map((p) => [
    p.path,
    f(p.signaturesPerSecond),
    f(p.cpuSeconds, 2),
    f(p.coresUsed, 2),
    f(p.signaturesPerCoreSecond),
    f(p.ratioPerCore, 2),
  ]);
  rows.push([
    `\`openssl speed -seconds ${OPENSSL_SECONDS} ecdsap256\` verify, 1 core (before / after; mean)`,
    v.opensslRuns.map((r) => f(r)).join(' / '),
    '',
    '1.00',
    f(v.opensslVerifyPerSecond),
    '1.00',
  ]);
  const measured = v.split.filter((s) => !s.step.startsWith('('));
  const sum = measured.reduce((total, s) => total + s.micros, 0);
  const split = table(
    ['step (per record, 2 signatures)', 'CPU µs', 'share of the monitor path'],
    [
      ...v.split.map((s) => [
        s.step,
        f(s.micros, 1),
        s.step.startsWith('(') ? '' : `${f((100 * s.micros) / v.pathMicrosPerRecord)} %`,
      ]),
      [
        'rest: chain checks, key lookups, bookkeeping, garbage collection (path total − steps)',
        f(v.pathMicrosPerRecord - sum, 1),
        `${f((100 * (v.pathMicrosPerRecord - sum)) / v.pathMicrosPerRecord)} %`,
      ],
      ['monitor path total (records bundles, node:crypto)', f(v.pathMicrosPerRecord, 1), '100 %'],
    ],
  );
  return `${table(head, rows)}\n\nWhere a record's time goes:\n\n${split}`;
}
