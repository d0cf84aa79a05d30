/**
 * The monitor's records bundles verified on every core: worker threads (up to one per core,
 * each started when all the others are busy, so a small growth starts one) that each decode
 * and verify whole bundles in one synchronous pass on node:crypto (records-verify-worker.ts),
 * the same CPU per signature as on the calling thread (docs/PERFORMANCE.md, d). A bundle's bytes are transferred to the least busy worker, not
 * copied. Idle workers do not keep the process alive; close() ends them.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TrustedKeys } from '../../core/bundle/trusted-keys';
import { LedgerError, type LedgerErrorCode } from '../../core/errors';
import type {
  RecordsBundleCheck,
  RecordsBundleVerdict,
  RecordsBundleVerifier,
} from '../../core/monitor';

/** A worker's answer to bundle `id`: its verdict, or the error verifying it threw. */
export type VerifyAnswer =
  | { readonly id: number; readonly verdict: RecordsBundleVerdict }
  | {
      readonly id: number;
      readonly error: {
        readonly code?: LedgerErrorCode;
        readonly message: string;
        readonly details?: Readonly<Record<string, unknown>>;
      };
    };

interface Waiting {
  readonly resolve: (verdict: RecordsBundleVerdict) => void;
  readonly reject: (error: Error) => void;
}

/**
 * How a worker is started. From the built CLI (dist/cli/evidence.js) the worker is the
 * compiled file beside it; from the TypeScript sources (tsx, the tests) it is this folder's
 * .ts file, behind tsx's loader, which a worker thread does not inherit.
 */
function workerEntry(): { script: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts'))
    return { script: new URL('./records-verify-worker.js', here), eval: false };
  const source = JSON.stringify(new URL('./records-verify-worker.ts', here).href);
  // tsx as this module resolves it: the worker's own resolution starts from the working directory.
  const tsx = JSON.stringify(resolveHere('tsx/esm/api'));
  return {
    script: `import(${tsx}).then((tsx) => { tsx.register(); return import(${source}); })`,
    eval: true,
  };
}

/** `specifier` resolved from this module; as it is where import.meta.resolve is missing (vitest). */
function resolveHere(specifier: string): string {
  const meta = import.meta as { resolve?: (specifier: string) => string };
  return meta.resolve ? meta.resolve(specifier) : specifier;
}

/** The bytes to transfer: the bundle's own buffer, or a copy when it shares one. */
function transferable(bytes: Uint8Array): Uint8Array {
  const whole =
    bytes.buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength;
  return whole ? bytes : bytes.slice();
}

class VerifyWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private failure: Error | undefined;

  constructor(trusted: TrustedKeys) {
    const { script, eval: evaluate } = workerEntry();
    this.worker = new Worker(script, { eval: evaluate, workerData: trusted });
    this.worker.unref();
    this.worker.on('message', (answer: VerifyAnswer) => this.settle(answer));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`exited with code ${code}`)));
  }

  get load(): number {
    return this.waiting.size;
  }

  verify(id: number, check: RecordsBundleCheck): Promise<RecordsBundleVerdict> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      const bundle = transferable(check.bundle);
      this.worker.postMessage({ id, check: { ...check, bundle } }, [bundle.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private settle(answer: VerifyAnswer): void {
    const waiting = this.waiting.get(answer.id);
    this.waiting.delete(answer.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (!waiting) return;
    if ('verdict' in answer) return waiting.resolve(answer.verdict);
    const { code, message, details } = answer.error;
    waiting.reject(
      code === undefined ? new Error(message) : new LedgerError(code, message, details ?? {}),
    );
  }

  private failAll(error: Error): void {
    this.failure ??= new Error(`records verify worker failed: ${error.message}`, { cause: error });
    for (const { reject } of this.waiting.values()) reject(this.failure);
    this.waiting.clear();
  }
}

/** Worker threads verifying records bundles: `size` of them, one per core by default. */
export class RecordsVerifyPool implements RecordsBundleVerifier {
  private readonly workers: VerifyWorker[] = [];
  private nextId = 0;

  constructor(
    private readonly trusted: TrustedKeys,
    readonly size = Math.max(1, availableParallelism()),
  ) {}

  verify(check: RecordsBundleCheck): Promise<RecordsBundleVerdict> {
    return this.idleOrNewWorker().verify(this.nextId++, check);
  }

  /** Ends the workers (the pool starts new ones if used again). */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((worker) => worker.close()));
  }

  /** The least busy worker; a new one while all are busy and there are fewer than `size`. */
  private idleOrNewWorker(): VerifyWorker {
    const least = this.workers.reduce<VerifyWorker | undefined>(
      (best, w) => (best === undefined || w.load < best.load ? w : best),
      undefined,
    );
    if (least !== undefined && (least.load === 0 || this.workers.length >= this.size)) return least;
    const started = new VerifyWorker(this.trusted);
    this.workers.push(started);
    return started;
  }
}

/**
 * The CLI's records-bundle verifier: a pool when there is more than one core, else none (the
 * monitor verifies on its own thread, which costs one core no more).
 */
export function parallelBundleVerifier(trusted: TrustedKeys): RecordsVerifyPool | undefined {
  return availableParallelism() > 1 ? new RecordsVerifyPool(trusted) : undefined;
}
