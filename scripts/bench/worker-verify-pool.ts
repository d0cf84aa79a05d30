/**
 * The alternative to verifying on the calling thread that section (d) measures and that was
 * not adopted: worker threads that each decode and verify whole records bundles, as a monitor
 * could. The bundle's bytes are transferred (not copied) to the least busy worker, which runs
 * decodeRecordsBundle and verifyLedgerRecords (node:crypto, one synchronous pass) and answers
 * with the failures and the head; the calling thread then checks that each bundle starts where
 * the one before ended. Verifying a bundle does not depend on the bundle before (a worker
 * starts from the first record's own seq and prevHash), so bundles are verified in parallel.
 *
 * It can only add CPU per signature (messages, a second V8 heap and JIT per worker), never
 * save any; what it can buy is wall-clock time on idle cores. The earlier design this file
 * held (signatures batched to workers one by one, replacing the libuv thread pool) cost more
 * CPU per signature than the thread pool and is gone with it.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ChainFailure } from '../../core/chain';
import type { ChainHead } from '../../core/types';

/** What a worker answers for one bundle. */
export interface BundleVerdict {
  readonly id: number;
  /** The head the bundle's first record claims to extend (its seq and prevHash). */
  readonly start?: ChainHead;
  readonly head?: ChainHead;
  readonly failures: readonly ChainFailure[];
  readonly error?: string;
}

/** The trusted parties as plain data a worker can receive: key ids and their SPKI bytes. */
export interface TrustedKeys {
  readonly keyIds: Readonly<Record<string, string>>;
  readonly spkis: Readonly<Record<string, Uint8Array>>;
}

class BundleWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (verdict: BundleVerdict) => void>();

  constructor(trusted: TrustedKeys) {
    // A worker does not inherit tsx's loader: it registers it, then imports the TypeScript.
    const url = JSON.stringify(new URL('./bundle-verify-worker.ts', import.meta.url).href);
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${url}); })`;
    this.worker = new Worker(bootstrap, { eval: true, workerData: trusted });
    this.worker.unref();
    this.worker.on('message', (verdict: BundleVerdict) => {
      const settle = this.waiting.get(verdict.id);
      this.waiting.delete(verdict.id);
      if (this.waiting.size === 0) this.worker.unref();
      settle?.(verdict);
    });
    this.worker.on('error', (error) => this.failAll(String(error)));
    this.worker.on('exit', (code) => this.failAll(`exited with code ${code}`));
  }

  get load(): number {
    return this.waiting.size;
  }

  verify(id: number, bundle: Uint8Array, width: number): Promise<BundleVerdict> {
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.ref();
      this.worker.postMessage({ id, bundle, width }, [bundle.buffer as ArrayBuffer]);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }

  private failAll(error: string): void {
    for (const [id, settle] of this.waiting) settle({ id, failures: [], error });
    this.waiting.clear();
  }
}

/** A pool of `size` workers (default: one per core, at most 8) verifying whole bundles. */
export class BundleVerifyPool {
  private readonly workers: BundleWorker[];
  private nextId = 0;

  constructor(trusted: TrustedKeys, size = Math.max(1, Math.min(8, availableParallelism()))) {
    this.workers = Array.from({ length: size }, () => new BundleWorker(trusted));
  }

  /**
   * Verifies `bundles` (their bytes are transferred: copy them first to keep them) of
   * `total` records from `start`, and whether each bundle starts where the one before ended.
   */
  async verify(
    bundles: readonly Uint8Array[],
    widths: readonly number[],
    start: ChainHead,
  ): Promise<{ ok: boolean; head: ChainHead; failures: ChainFailure[] }> {
    const verdicts = await Promise.all(
      bundles.map((bundle, i) => this.leastBusy().verify(this.nextId++, bundle, widths[i]!)),
    );
    const failures: ChainFailure[] = [];
    let head = start;
    for (const verdict of verdicts) {
      if (verdict.error !== undefined) throw new Error(`bundle worker failed: ${verdict.error}`);
      const joined =
        verdict.start?.nextSeq === head.nextSeq && verdict.start.lastHash === head.lastHash;
      if (!joined) {
        const seq = verdict.start?.nextSeq ?? head.nextSeq;
        failures.push({ code: 'CHAIN_LINK_MISMATCH', seq, message: 'bundle does not join' });
      }
      failures.push(...verdict.failures);
      head = verdict.head ?? head;
    }
    return { ok: failures.length === 0, head, failures };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  private leastBusy(): BundleWorker {
    return this.workers.reduce((best, worker) => (worker.load < best.load ? worker : best));
  }
}
