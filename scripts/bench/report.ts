/** The benchmark's results as the Markdown tables kept in docs/PERFORMANCE.md. */
import type { AnchorScaling } from './anchor-scaling';
import type { GroupCommit } from './group-commit';
import type { HashThroughput } from './hash-throughput';
import type { RssRun } from './hasher-rss';
import type { IngestRun } from './ingest-throughput';
import type { MachineInfo } from './machine';
import { appendSpread, readsWithinBound, renderTiledLog, tightest, type TiledLog } from './tiles';
import { renderVerifyRate, type VerifyRate } from './verify-rate';
import { f, table } from './markdown-table';
import {
  incrementalAuditSpread,
  renderIncrementalAudit,
  type IncrementalAuditRun,
} from './incremental-audit';

export interface BenchResults {
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly startedAt: string;
  readonly seconds: number;
  readonly hashing: HashThroughput;
  readonly ingest: readonly IngestRun[];
  readonly groupCommit: GroupCommit;
  readonly verification: VerifyRate;
  readonly rss: readonly RssRun[];
  readonly anchors: AnchorScaling;
  readonly tiles: TiledLog;
  readonly incrementalAudit: readonly IncrementalAuditRun[];
}

const size = (bytes: number) =>
  bytes >= 2 ** 30
    ? `${f(bytes / 2 ** 30)} GiB`
    : bytes >= 2 ** 20
      ? `${f(bytes / 2 ** 20)} MiB`
      : bytes >= 1024
        ? `${f(bytes / 1024)} KiB`
        : `${bytes} B`;
const met = (ok: boolean) => (ok ? 'met' : '**not met**');

function summary(r: BenchResults): string {
  const peak = Math.max(...r.rss.map((run) => run.peakRssMiB));
  const perRecord = r.anchors.perRecord.map((run) => run.msPerNewRecord);
  const spread = Math.max(...perRecord) / Math.min(...perRecord);
  return table(
    ['', 'measured', 'target', ''],
    [
      [
        'a. hasher SHA-256 (fast path) / `openssl speed -evp sha256`, 1 core',
        f(r.hashing.fastPathRatio, 2),
        '≥ 0.85',
        met(r.hashing.fastPathRatio >= 0.85),
      ],
      [
        'c. group commit / PutItem loop, records/s, same concurrency',
        f(r.groupCommit.ratio, 2),
        '≥ 0.5',
        met(r.groupCommit.ratio >= 0.5),
      ],
      [
        'd. verifyLedgerRecords (node:crypto) signatures/s per core / `openssl speed ecdsap256` verify/s',
        f(r.verification.ratioPerCore, 2),
        '≥ 0.8',
        met(r.verification.ratioPerCore >= 0.8),
      ],
      ['e. hasher peak RSS, largest of all runs', `${f(peak)} MiB`, '< 256 MiB', met(peak < 256)],
      [
        'f. anchor ms per new record, largest / smallest over ledger sizes',
        f(spread, 2),
        'flat',
        met(spread < 1.5),
      ],
      [
        'g. tiled log: most object reads per inclusion proof, consistency proof or one-record export (10^6-10^8 leaves)',
        tightest(r.tiles),
        '≤ 2 × ceil(log256 n) + 2',
        met(readsWithinBound(r.tiles)),
      ],
      [
        'g. tile append µs per new record, largest / smallest over ledger sizes 10^3-10^7',
        f(appendSpread(r.tiles), 2),
        'flat',
        met(appendSpread(r.tiles) < 1.5),
      ],
      [
        'h. incremental verifyLedger ms per new record, largest / smallest over ledger sizes',
        f(incrementalAuditSpread(r.incrementalAudit), 2),
        'flat',
        met(incrementalAuditSpread(r.incrementalAudit) < 1.5),
      ],
    ],
  );
}

function sections(r: BenchResults): string[] {
  const h = r.hashing;
  const v = r.verification;
  const g = r.groupCommit;
  return [
    `**a. Hashing ${size(h.bytes)} in process** (openssl: ${f(h.opensslMBps)} MB/s)\n\n` +
      table(
        ['path', 'MB/s', '/ openssl'],
        [
          [
            'fast: node:crypto (OpenSSL), state not exportable',
            f(h.fastPathMBps),
            f(h.fastPathRatio, 2),
          ],
          [
            'fast, each part first copied into a pooled buffer (as from S3)',
            f(h.fastPathWithCopyMBps),
            f(h.fastPathWithCopyMBps / h.opensslMBps, 2),
          ],
          [
            'resumable: hash-wasm, state saved between invocations',
            f(h.resumablePathMBps),
            f(h.resumablePathRatio, 2),
          ],
        ],
      ),
    '**b. End-to-end ingest through the emulators** (upload excluded; hasher + agency + custodian re-hash + appender)\n\n' +
      table(
        ['object', 'objects', 'upload s', 'pipeline s', 'objects/s', 'MB/s'],
        r.ingest.map((i) => [
          size(i.objectBytes),
          String(i.objects),
          f(i.uploadSeconds, 1),
          f(i.pipelineSeconds, 2),
          f(i.objectsPerSecond, 1),
          f(i.MBps, 1),
        ]),
      ),
    `**c. Appends** (${g.records} records, concurrency ${g.concurrency})\n\n` +
      table(
        ['method', 'records/s'],
        [
          [
            'group commit (appendApproved, batches of 49 messages, at most 33 deposits per conditional transaction)',
            f(g.groupCommitPerSecond),
          ],
          ['plain unconditional PutItem loop', f(g.putItemPerSecond)],
          ['ratio', f(g.ratio, 2)],
        ],
      ),
    `**d. Offline verification** (${f(v.records)} records, 2 signatures each)\n\n${renderVerifyRate(v)}`,
    '**e. Hasher peak RSS** (one process per run, production tuning: 8 × 8 MiB ranged GETs in flight)\n\n' +
      table(
        ['source', 'path', 'object', 'seconds', 'MB/s', 'peak RSS MiB'],
        r.rss.map((x) => [
          x.source,
          x.path,
          size(x.bytes),
          f(x.seconds, 1),
          f(x.bytes / x.seconds / 1e6),
          f(x.peakRssMiB),
        ]),
      ),
    '**f. Anchors** (createAnchor, in-memory stores)\n\n' +
      table(
        ['ledger size', 'new records', 'run s', 'ms per new record', 'consistency proof hashes'],
        [...r.anchors.perRecord, ...r.anchors.runTimes].map((a) => [
          f(a.ledgerSize),
          f(a.newRecords),
          f(a.seconds, 3),
          f(a.msPerNewRecord, 3),
          String(a.consistencyProofHashes),
        ]),
      ) +
      '\n\n' +
      table(
        ['tree size', 'inclusion proof (longest of 3 leaves)', 'consistency proof (from size/2+1)'],
        r.anchors.proofSizes.map((p) => [
          f(p.treeSize),
          `${p.inclusionHashes} hashes, ${p.inclusionBytes} B`,
          `${p.consistencyHashes} hashes, ${p.consistencyBytes} B`,
        ]),
      ),
    `**g. Tiled log** (counting in-memory store, ${r.tiles.samples} random indices or sizes per row)\n\n` +
      renderTiledLog(r.tiles),
    '**h. Incremental verifyLedger** (in-memory stores; the auditor’s sealed state at the ledger size, new records and one new checkpoint per call; median of 5)\n\n' +
      renderIncrementalAudit(r.incrementalAudit),
  ];
}

export function renderReport(r: BenchResults): string {
  const m = r.machine;
  const machine = `${m.cpu}, ${m.cores} cores${m.shaExtensions ? ' (SHA extensions)' : ''}, ${m.memoryGiB} GiB; Node ${m.node}; ${m.openssl}`;
  return [
    `Run ${r.startedAt} on ${machine}; ${f(r.seconds)} s in all${r.quick ? ' — QUICK RUN, sizes scaled down: not figures' : ''}.`,
    summary(r),
    ...sections(r),
  ].join('\n\n');
}
