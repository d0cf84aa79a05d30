/**
 * The load run's workload, derived from a seed alone so that a run can be repeated exactly:
 * which key each upload writes, how many bytes, and which bytes. Most objects are small, a
 * few are MiB-sized, a handful are 20–40 MiB; about one upload in ten writes a new version of
 * an earlier key, and some of those repeat that key's bytes exactly (same ETag, which is how
 * the hasher tells versions apart when the emulator's notice has no versionId).
 */
import { Prng } from '../fakes/prng';

const KiB = 1024;
export const MiB = 1024 * KiB;

/** What bounds the workload, whatever --uploads says. */
export const MAX_TOTAL_BYTES = 600 * MiB;

export interface WorkloadOptions {
  readonly uploads: number;
  readonly seed: number;
  /** The largest object; every planned size is clamped to it. */
  readonly maxSize: number;
}

export interface PlannedUpload {
  readonly index: number;
  readonly key: string;
  readonly size: number;
  /** Seeds the bytes: two uploads with the same contentSeed and size carry identical bytes. */
  readonly contentSeed: number;
}

const between = (random: () => number, low: number, high: number) =>
  low + Math.floor(random() * (high - low + 1));

/** Uniform floats in [0, 1) from `seed`: the project's one seeded generator (sfc32). */
function seededFloats(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.float();
}

/** "A handful": one per 500 uploads, at most 6 (about 180 MiB). */
function largeIndexes(random: () => number, uploads: number): Set<number> {
  const count = Math.min(6, Math.floor(uploads / 500));
  const indexes = new Set<number>();
  while (indexes.size < count) indexes.add(Math.floor(random() * uploads));
  return indexes;
}

/** 2 % empty, 1.5 % of 1–4 MiB, the rest log-uniform up to 64 KiB (about 6 KiB on average). */
function plannedSize(random: () => number, large: boolean): number {
  if (large) return between(random, 20 * MiB, 40 * MiB);
  const r = random();
  if (r < 0.02) return 0;
  if (r < 0.035) return between(random, 1 * MiB, 4 * MiB);
  return Math.floor(Math.exp(random() * Math.log(64 * KiB)));
}

export function planWorkload(options: WorkloadOptions): PlannedUpload[] {
  const random = seededFloats(options.seed);
  const large = largeIndexes(random, options.uploads);
  const plan: PlannedUpload[] = [];
  let total = 0;
  for (let index = 0; index < options.uploads; index++) {
    const earlier = index > 0 && random() < 0.1 ? plan[Math.floor(random() * index)] : undefined;
    const repeat = earlier !== undefined && random() < 0.2;
    let size = repeat
      ? earlier.size
      : Math.min(plannedSize(random, large.has(index)), options.maxSize);
    // The total stays bounded: what would pass it is cut to what is left (at the end, 0 bytes).
    size = Math.min(size, MAX_TOTAL_BYTES - total);
    total += size;
    plan.push({
      index,
      key: earlier?.key ?? `load/${options.seed}/object-${index}.bin`,
      size,
      contentSeed: repeat ? earlier.contentSeed : (options.seed * 1_000_003 + index) >>> 0,
    });
  }
  return plan;
}

/** The bytes of an upload: a xorshift32 stream from its contentSeed (never 0). */
export function uploadBody(upload: Pick<PlannedUpload, 'size' | 'contentSeed'>): Uint8Array {
  const words = new Uint32Array(Math.ceil(upload.size / 4));
  let x = upload.contentSeed || 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, upload.size);
}

export const totalBytes = (plan: readonly PlannedUpload[]): number =>
  plan.reduce((sum, upload) => sum + upload.size, 0);
