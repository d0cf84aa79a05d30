/**
 * (g) The tiled log (issue #10): object reads and time per inclusion proof, consistency proof
 * and one-record export at 10^6-10^8 leaves, against the bound 2 * ceil(log256 n) + 2; and the
 * part of an anchor run that depends on the ledger size (reading the compact range from the
 * tiles and extending them) per new record at 10^3-10^7 records, plus a capped run.
 */
import { appendLeaves, compactRangeRoot } from '../../core/merkle/compact-range';
import { verifyInclusion } from '../../core/merkle/inclusion';
import { tileWidthInTree } from '../../core/tlog/tile';
import { appendToTiles } from '../../core/tlog/tile-append';
import { partialTiles } from '../../core/tlog/tiles-for-tree';
import { hashTilePath, recordsBundlePath } from '../../core/tlog/tile-path';
import {
  compactRangeFromTiles,
  consistencyProofFromTiles,
  inclusionProofFromTiles,
} from '../../core/tlog/tile-proofs';
import {
  CountingLogStore,
  hashedLeaves,
  identicalLeaves,
  leafHash,
  recordHashOf,
  type TreeContents,
} from './tiles-store';
import { f, table } from './markdown-table';
import { seededRandom as random } from '../../tools/fakes/seeded-random';

export interface ProofCost {
  readonly treeSize: number;
  readonly leaves: string;
  readonly operation: 'inclusion proof' | 'consistency proof' | 'one-record export';
  readonly samples: number;
  readonly maxReads: number;
  readonly meanReads: number;
  readonly bound: number;
  /** Mean CPU time (user + system, this process) per operation, every object already in the map. */
  readonly msPerOperation: number;
  /** Mean wall time per operation with `latencyMs` per GET (reads in parallel where the code allows). */
  readonly msWithLatency: number;
}

export interface AppendCost {
  readonly ledgerSize: number;
  readonly newRecords: number;
  readonly gets: number;
  readonly puts: number;
  /** Median CPU time (user + system, this process) of the whole step: compact range, new root, tiles. */
  readonly ms: number;
  readonly usPerRecord: number;
}

export interface TiledLog {
  readonly samples: number;
  readonly latencyMs: number;
  /** Seconds spent generating the hashed 10^6 tree's tiles on first read (not in any figure). */
  readonly generationSeconds: number;
  readonly proofs: readonly ProofCost[];
  readonly appends: readonly AppendCost[];
  readonly cappedRun: AppendCost;
}

/** ceil(log256 n): the tile levels the bound counts. */
export function ceilLog256(n: number): number {
  let levels = 0;
  while (256 ** levels < n) levels++;
  return levels;
}

export const readBound = (n: number): number => 2 * ceilLog256(n) + 2;

/**
 * One-record export: the checkpoint, then at once the inclusion proof's tiles and the records
 * bundle holding the record. Returns the proof and the checkpoint's root line.
 */
export async function exportRecord(store: CountingLogStore, index: number) {
  const note = new TextDecoder().decode(await store.get('checkpoint'));
  const [size, root] = note.split('\n').slice(1, 3);
  const treeSize = Number(size);
  const bundle = Math.floor(index / 256);
  const [proof, records] = await Promise.all([
    inclusionProofFromTiles(store, index, treeSize),
    store.get(recordsBundlePath({ index: bundle, width: tileWidthInTree(0, bundle, treeSize) })),
  ]);
  return { proof, root: Buffer.from(root!, 'base64'), records };
}

/** One operation at a drawn index or size; `check` verifies what it got (on the counted pass). */
type Operation = (
  store: CountingLogStore,
  draw: (below: number) => number,
) => (check: boolean) => Promise<unknown>;

const operations: Record<ProofCost['operation'], Operation> = {
  'inclusion proof': (store, draw) => {
    const index = draw(store.treeSize);
    return () => inclusionProofFromTiles(store, index, store.treeSize);
  },
  'consistency proof': (store, draw) => {
    const first = 1 + draw(store.treeSize - 1);
    return () => consistencyProofFromTiles(store, first, store.treeSize);
  },
  'one-record export': (store, draw) => {
    const index = draw(store.treeSize);
    return async (check) => {
      const exported = await exportRecord(store, index);
      // The export proves the leaf against the checkpoint's root.
      if (check)
        verifyInclusion({
          leafIndex: index,
          treeSize: store.treeSize,
          leafHash: store.contents.hashAt(0, index),
          proof: exported.proof,
          root: exported.root,
        });
    };
  },
};

async function measureProofs(
  store: CountingLogStore,
  operation: ProofCost['operation'],
  samples: number,
  latencyMs: number,
): Promise<ProofCost> {
  const draw = random(store.treeSize + samples);
  const runs = Array.from({ length: samples }, () => operations[operation](store, draw));
  // Counted pass: fills the map (generating tiles on first read) and counts each run's GETs.
  const reads: number[] = [];
  for (const run of runs) reads.push((await store.count(() => run(true))).gets);
  // Timed pass: every object is in the map now, so this is the operation's own work.
  const started = process.cpuUsage();
  for (const run of runs) await run(false);
  const { user, system } = process.cpuUsage(started);
  const msPerOperation = (user + system) / 1000 / runs.length;
  const slow = runs.slice(0, Math.min(20, runs.length));
  store.latencyMs = latencyMs;
  const slowStarted = performance.now();
  for (const run of slow) await run(false);
  const msWithLatency = (performance.now() - slowStarted) / slow.length;
  store.latencyMs = 0;
  return {
    treeSize: store.treeSize,
    leaves: store.contents.leaves,
    operation,
    samples,
    maxReads: Math.max(...reads),
    meanReads: reads.reduce((a, b) => a + b, 0) / reads.length,
    bound: readBound(store.treeSize),
    msPerOperation,
    msWithLatency,
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * The ledger-size-dependent part of an anchor run over a log of `ledgerSize` records:
 * the compact range from the rightmost tiles, the new root, the new tiles written once.
 * Checks afterwards that the tiles written give the same compact range as appendLeaves.
 */
async function appendOnce(contents: TreeContents, ledgerSize: number, newRecords: number) {
  const store = new CountingLogStore(ledgerSize, contents);
  // The previous run's partial tiles are in the bucket already: generate them before timing.
  for (const tile of partialTiles(ledgerSize)) await store.get(hashTilePath(tile));
  const newLeaves = Array.from({ length: newRecords }, (_, i) =>
    leafHash(recordHashOf(ledgerSize + i)),
  );
  const started = process.cpuUsage();
  const { gets, puts, result } = await store.count(async () => {
    const range = appendLeaves(await compactRangeFromTiles(store, ledgerSize), newLeaves);
    compactRangeRoot(range);
    const tiles = await appendToTiles(store, ledgerSize, newLeaves);
    for (const tile of tiles) await store.put(hashTilePath(tile), tile.hashes);
    return range;
  });
  const { user, system } = process.cpuUsage(started);
  const ms = (user + system) / 1000;
  const fromTiles = await compactRangeFromTiles(store, ledgerSize + newRecords);
  if (fromTiles.hashes.join() !== result.hashes.join()) {
    throw new Error(`tiles written at ${ledgerSize} + ${newRecords} disagree with appendLeaves`);
  }
  return { gets, puts, ms };
}

/**
 * Median CPU time of `repeats` runs at each ledger size, the sizes taken in turn within each
 * round so the load of a shared machine falls on all of them alike.
 */
async function measureAppends(
  ledgerSizes: readonly number[],
  newRecords: number,
  repeats: number,
): Promise<AppendCost[]> {
  // Identical previous leaves at every size, so the sizes differ only in where the edge is.
  const contents = identicalLeaves();
  const runs = ledgerSizes.map(() => [] as Awaited<ReturnType<typeof appendOnce>>[]);
  for (let round = -1; round < repeats; round++) {
    for (const [i, size] of ledgerSizes.entries()) {
      const run = await appendOnce(contents, size, newRecords);
      if (round >= 0) runs[i]!.push(run); // round -1 warms up
    }
  }
  return ledgerSizes.map((ledgerSize, i) => {
    const ms = median(runs[i]!.map((run) => run.ms));
    const { gets, puts } = runs[i]![0]!;
    return { ledgerSize, newRecords, gets, puts, ms, usPerRecord: (ms * 1000) / newRecords };
  });
}

export interface TiledLogOptions {
  readonly samples?: number;
  readonly latencyMs?: number;
  readonly log?: (message: string) => void;
}

export async function measureTiledLog(options: TiledLogOptions = {}): Promise<TiledLog> {
  const { samples = 200, latencyMs = 20, log = () => undefined } = options;
  const trees: [number, TreeContents][] = [
    [1e6, hashedLeaves()],
    [1e7, identicalLeaves()],
    [1e8, identicalLeaves()],
  ];
  const proofs: ProofCost[] = [];
  let generationSeconds = 0;
  for (const [size, contents] of trees) {
    const store = new CountingLogStore(size, contents);
    if (contents.leaves === 'hashed') {
      log(`generating the rightmost tiles of the hashed tree of ${size} leaves`);
      const started = performance.now();
      await store.get('checkpoint');
      generationSeconds = (performance.now() - started) / 1000;
    }
    for (const operation of Object.keys(operations) as ProofCost['operation'][]) {
      log(`${operation}s at ${size} leaves (${contents.leaves})`);
      proofs.push(await measureProofs(store, operation, samples, latencyMs));
    }
  }
  log('appending 1,000 records to the tiles at 10^3 to 10^7 records');
  const appends = await measureAppends([1e3, 1e4, 1e5, 1e6, 1e7], 1000, 21);
  log('a capped run: 10,000 records at 10^6');
  const [cappedRun] = await measureAppends([1e6], 10_000, 5);
  return { samples, latencyMs, generationSeconds, proofs, appends, cappedRun: cappedRun! };
}

/** Largest over smallest time per record of the 1,000-record appends. */
export const appendSpread = (t: TiledLog): number => {
  const perRecord = t.appends.map((a) => a.usPerRecord);
  return Math.max(...perRecord) / Math.min(...perRecord);
};

export const readsWithinBound = (t: TiledLog): boolean =>
  t.proofs.every((p) => p.maxReads <= p.bound);

/** The row closest to its bound, as "8 of 10 (one-record export, 10^8)". */
export function tightest(t: TiledLog): string {
  const [worst] = [...t.proofs].sort((a, b) => b.maxReads - b.bound - (a.maxReads - a.bound));
  if (!worst) return 'none';
  return `${worst.maxReads} of ${worst.bound} (${worst.operation}, ${power(worst.treeSize)})`;
}

const power = (n: number) => `10^${Math.round(Math.log10(n))}`;

export function renderTiledLog(t: TiledLog): string {
  return [
    table(
      [
        'tree size',
        'leaves',
        'operation',
        'reads max',
        'reads mean',
        'bound',
        'CPU ms (no latency)',
        `wall ms at ${t.latencyMs} ms/GET`,
      ],
      t.proofs.map((p) => [
        power(p.treeSize),
        p.leaves,
        p.operation,
        String(p.maxReads),
        f(p.meanReads, 2),
        String(p.bound),
        f(p.msPerOperation, 3),
        f(p.msWithLatency, 1),
      ]),
    ),
    table(
      ['ledger size', 'new records', 'GETs', 'PUTs', 'CPU ms (median)', 'µs per new record'],
      [...t.appends, t.cappedRun].map((a) => [
        f(a.ledgerSize),
        f(a.newRecords),
        String(a.gets),
        String(a.puts),
        f(a.ms, 2),
        f(a.usPerRecord, 2),
      ]),
    ),
  ].join('\n\n');
}
