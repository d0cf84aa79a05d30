/** What `npm run simulate` prints: a failing seed with its trace, and the totals of a batch. */
import { DEFAULT_STEPS, type RunOptions, type RunResult } from './run-seed';

/** The command that replays `options` exactly (custom fault rates have no flag). */
export function replayCommand(options: RunOptions): string {
  return [
    `npm run simulate -- --seed ${options.seed}`,
    options.steps !== undefined && options.steps !== DEFAULT_STEPS
      ? `--steps ${options.steps}`
      : '',
    options.uploads !== undefined ? `--uploads ${options.uploads}` : '',
    options.plantedBug ? `--bug ${options.plantedBug}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function failureReport(result: RunResult, options: RunOptions): string {
  const { violation } = result;
  if (!violation) return '';
  return [
    `seed ${result.seed} broke invariant "${violation.invariant}": ${violation.message}`,
    `the steps that led to it (${result.minimalTrace.length} of ${result.steps}):`,
    ...result.minimalTrace.map((line) => `  ${line}`),
    `replay: ${replayCommand(options)}`,
  ].join('\n');
}

/** Faults injected per seed on average, by kind, most frequent first. */
export function faultsPerSeed(results: readonly RunResult[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const result of results)
    for (const [kind, count] of result.faults) totals.set(kind, (totals.get(kind) ?? 0) + count);
  return [...totals.entries()]
    .map(([kind, total]): [string, number] => [kind, total / Math.max(1, results.length)])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function batchSummary(results: readonly RunResult[], elapsedMs: number): string {
  const failed = results.filter((r) => r.violation);
  const steps = results.reduce((sum, r) => sum + r.steps, 0);
  const faults = faultsPerSeed(results);
  const perSeed = faults.reduce((sum, [, n]) => sum + n, 0);
  return [
    `seeds run: ${results.length} (${failed.length} failed${failed.length ? `: ${failed.map((r) => r.seed).join(', ')}` : ''})`,
    `steps: ${steps} (${(steps / Math.max(1, results.length)).toFixed(0)} per seed)`,
    `object versions: ${results.reduce((sum, r) => sum + r.versions, 0)}, records: ${results.reduce((sum, r) => sum + r.records, 0)}`,
    `faults per seed: ${perSeed.toFixed(1)} on average`,
    ...faults.map(([kind, n]) => `  ${kind.padEnd(24)} ${n.toFixed(2)}`),
    `time: ${(elapsedMs / 1000).toFixed(1)} s`,
  ].join('\n');
}
