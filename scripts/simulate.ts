/**
 * The deterministic fault simulator (docs/SIMULATION.md):
 *
 *   npm run simulate -- --seeds 200            seeds 1..200
 *   npm run simulate -- --seed 17              replay seed 17 exactly (--trace prints every step)
 *   npm run simulate -- --seeds 50 --steps 600 longer fault phases
 *   npm run simulate -- --seeds 50 --bug append-with-one-signature   a planted bug
 *
 * Exits 1 at the first seed that breaks an invariant, with the steps that led to it.
 */
import { parseArgs } from 'node:util';
import { PLANTED_BUGS, type PlantedBug } from '../tools/simulator/planted-bugs';
import { DEFAULT_STEPS, runSeed, type RunResult } from '../tools/simulator/run-seed';
import { batchSummary, failureReport } from '../tools/simulator/summary';

const USAGE =
  'usage: npm run simulate -- [--seeds N] [--first F] [--seed S] [--steps K] [--uploads U] [--bug NAME] [--trace]';

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`--${name} must be a whole number\n${USAGE}`);
  return n;
}

function plantedBug(value: string | undefined): PlantedBug | null {
  if (value === undefined) return null;
  const bug = PLANTED_BUGS.find((b) => b === value);
  if (!bug) throw new Error(`--bug must be one of ${PLANTED_BUGS.join(', ')}\n${USAGE}`);
  return bug;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string' },
      first: { type: 'string' },
      seed: { type: 'string' },
      steps: { type: 'string' },
      uploads: { type: 'string' },
      bug: { type: 'string' },
      trace: { type: 'boolean', default: false },
    },
  });
  const steps = positive('steps', values.steps, DEFAULT_STEPS);
  const uploads = values.uploads === undefined ? undefined : positive('uploads', values.uploads, 0);
  const bug = plantedBug(values.bug);
  const seeds =
    values.seed !== undefined
      ? [positive('seed', values.seed, 1)]
      : Array.from(
          { length: positive('seeds', values.seeds, 100) },
          (_, i) => i + positive('first', values.first, 1),
        );
  const started = Date.now();
  const results: RunResult[] = [];
  for (const seed of seeds) {
    const options = {
      seed,
      steps,
      plantedBug: bug,
      ...(uploads === undefined ? {} : { uploads }),
    };
    const result = await runSeed(options);
    results.push(result);
    if (values.trace) console.log(result.trace.join('\n'));
    if (result.violation) {
      console.log(failureReport(result, options));
      break;
    }
  }
  console.log(batchSummary(results, Date.now() - started));
  return results.some((r) => r.violation) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
