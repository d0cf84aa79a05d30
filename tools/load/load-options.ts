/**
 * `npm run load` options: parsed and bounded here, so a typo cannot start a run that never
 * ends or fills the disk.
 */
import { parseArgs } from 'node:util';
import type { LoadOptions } from './load-run';
import { MAX_TOTAL_BYTES, MiB } from './workload';

export const LOAD_HELP = `npm run load -- [options]

Starts the local emulators (moto, LocalStack KMS) and a local TSA on loopback, deploys the
pipeline with several workers per stage, and drives it with concurrent uploaders: sizes from
0 bytes to --max-size (most small, 1.5 % of 1-4 MiB, one 20-40 MiB object per 500 uploads,
at most 6), about 10 % new versions of earlier keys, and 2 % duplicate S3 notifications. The
workload never exceeds ${MAX_TOTAL_BYTES / MiB} MiB in all, whatever --uploads says. The
anchor runs on a schedule during the load and once at the end. At quiescence it checks: every
uploaded version exactly one record with its SHA-256, chain gapless and verified, every
co-signed checkpoint consistent with the one before, dead-letter queues empty, the auditor's
verifyLedger valid. Exits 1 naming any check that failed, 2 on bad options.

  --uploads N            object versions to upload (default 5000, at most 100000)
  --clients N            concurrent uploaders (default 32, at most 256)
  --max-size BYTES       largest object (default 40 MiB = ${40 * MiB}, at most 64 MiB)
  --seed N               workload seed: same seed, same keys, sizes and bytes (default 1)
  --timeout MINUTES      give up after this long (default 45)
  --anchor-interval MS   the anchor schedule's period (default 5000)
  --visibility-timeout S the queues' visibility timeout (default 60)
  --json                 print the report as JSON
  --help                 this text`;

const BOUNDS = {
  uploads: [1, 100_000],
  clients: [1, 256],
  'max-size': [0, 64 * MiB],
  seed: [0, 2 ** 32 - 1],
  timeout: [1, 24 * 60],
  'anchor-interval': [100, 3_600_000],
  'visibility-timeout': [1, 43_200],
} as const;

type Bounded = keyof typeof BOUNDS;

export class LoadUsageError extends Error {}

function integer(values: Record<string, unknown>, name: Bounded, fallback: number): number {
  const text = values[name];
  const value = typeof text === 'string' ? Number(text) : fallback;
  const [low, high] = BOUNDS[name];
  if (!Number.isInteger(value) || value < low || value > high)
    throw new LoadUsageError(`--${name} must be an integer from ${low} to ${high}`);
  return value;
}

export function parseLoadOptions(argv: readonly string[]): {
  options: LoadOptions;
  json: boolean;
  help: boolean;
} {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...Object.fromEntries(Object.keys(BOUNDS).map((name) => [name, { type: 'string' as const }])),
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    allowPositionals: false,
  });
  const options: LoadOptions = {
    uploads: integer(values, 'uploads', 5000),
    clients: integer(values, 'clients', 32),
    maxSize: integer(values, 'max-size', 40 * MiB),
    seed: integer(values, 'seed', 1),
    timeoutMs: integer(values, 'timeout', 45) * 60_000,
    anchorIntervalMs: integer(values, 'anchor-interval', 5000),
    visibilityTimeoutSeconds: integer(values, 'visibility-timeout', 60),
  };
  return { options, json: values.json === true, help: values.help === true };
}
