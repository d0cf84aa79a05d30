/**
 * Section (g) of `npm run bench` alone: `npx tsx scripts/bench/run-tiles.ts [SAMPLES] [LATENCY_MS]`
 * (defaults 200 and 20) measures the tiled log against the counting store and prints the
 * tables kept in docs/PERFORMANCE.md.
 */
import { measureTiledLog, renderTiledLog } from './tiles';

const samples = Number(process.argv[2] ?? 200);
const latencyMs = Number(process.argv[3] ?? 20);
if (!Number.isSafeInteger(samples) || samples < 1 || !(latencyMs >= 0))
  throw new Error('usage: run-tiles.ts [SAMPLES] [LATENCY_MS]');
const started = performance.now();
const tiles = await measureTiledLog({
  samples,
  latencyMs,
  log: (message) => process.stderr.write(`[bench] ${message}\n`),
});
process.stdout.write(
  `**g. Tiled log** (${samples} random indices or sizes per row; hashed tree generated in ${tiles.generationSeconds.toFixed(1)} s, not counted; ${((performance.now() - started) / 1000).toFixed(0)} s in all)\n\n${renderTiledLog(tiles)}\n`,
);
