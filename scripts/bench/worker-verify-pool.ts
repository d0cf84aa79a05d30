/**
 * The alternative to node-signature-verifier.ts that section (d) measures and that was not
 * adopted: a SignatureVerifier that verifies in worker threads, in batches, with OpenSSL's
 * synchronous ECDSA verify. Each call of the async `crypto.verify` queues one job on libuv's
 * thread pool and resolves one callback and one promise on the main thread; here the calls
 * made while the main thread is busy are sent together, packed into one transferred buffer,
 * to the least busy of a few workers, which verify them in a plain loop with a KeyObject
 * parsed once per key and answer with one byte per signature. Measured on the shared 2-core
 * machine it used more CPU per signature than the thread pool, not less (docs/PERFORMANCE.md).
 *
 * Same contract as node-signature-verifier.ts, which checks the key here (INVALID_INPUT)
 * before anything is queued. Workers are created on first use and hold the process open only
 * while they have work (unref'd when idle); the worker's code is a string evaluated in the
 * worker, so it runs the same from tsx, the tests and the bundled CLI.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SignatureVerifier } from '../../core/ports/signature-verifier';
import { nodeVerifyKey } from '../../functions/shared/node-signature-verifier';

/** Signatures per message to a worker; a batch also leaves when the main thread yields. */
const MAX_BATCH = 128;
/** Per signature in a batch: message offset, message length, signature offset, length, key. */
const FIELDS = 5;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const keys = new Map();
function keyOf(spki) {
  const id = Buffer.from(spki).toString('base64');
  let key = keys.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (keys.size >= 64) keys.delete(keys.keys().next().value);
    keys.set(id, key);
  }
  return key;
}
parentPort.on('message', ({ id, bytes, fields, spkis }) => {
  const results = new Uint8Array(fields.length / ${FIELDS});
  let error;
  try {
    const keyObjects = spkis.map(keyOf);
    for (let i = 0, f = 0; i < results.length; i++, f += ${FIELDS}) {
      const message = bytes.subarray(fields[f], fields[f] + fields[f + 1]);
      const signature = bytes.subarray(fields[f + 2], fields[f + 2] + fields[f + 3]);
      // A KeyObject alone: dsaEncoding defaults to DER, and no options object to read per call.
      results[i] = verify('sha256', message, keyObjects[fields[f + 4]], signature) ? 1 : 0;
    }
  } catch (cause) {
    error = String(cause && cause.message ? cause.message : cause);
  }
  parentPort.postMessage({ id, results, error }, [results.buffer]);
});
`;

interface Pending {
  readonly spki: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly resolve: (valid: boolean) => void;
  readonly reject: (error: Error) => void;
}

interface Reply {
  readonly id: number;
  readonly results: Uint8Array;
  readonly error?: string;
}

class PoolWorker {
  private readonly worker: Worker;
  private readonly batches = new Map<number, readonly Pending[]>();
  private nextId = 0;

  constructor(private readonly onExit: (worker: PoolWorker) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', () => {
      this.fail(new Error('signature verification worker exited'));
      this.onExit(this);
    });
  }

  /** Signatures sent and not yet answered. */
  get load(): number {
    let count = 0;
    for (const batch of this.batches.values()) count += batch.length;
    return count;
  }

  send(batch: readonly Pending[]): void {
    const spkis: Uint8Array[] = [];
    const keyIndex = new Map<Uint8Array, number>();
    let size = 0;
    for (const item of batch) size += item.message.length + item.signature.length;
    const bytes = new Uint8Array(size);
    const fields = new Uint32Array(batch.length * FIELDS);
    let at = 0;
    batch.forEach((item, i) => {
      let key = keyIndex.get(item.spki);
      if (key === undefined) {
        key = spkis.push(item.spki) - 1;
        keyIndex.set(item.spki, key);
      }
      const f = i * FIELDS;
      fields[f] = at;
      fields[f + 1] = item.message.length;
      bytes.set(item.message, at);
      at += item.message.length;
      fields[f + 2] = at;
      fields[f + 3] = item.signature.length;
      bytes.set(item.signature, at);
      at += item.signature.length;
      fields[f + 4] = key;
    });
    const id = this.nextId++;
    this.batches.set(id, batch);
    this.worker.ref(); // the process waits for the answer
    this.worker.postMessage({ id, bytes, fields, spkis }, [bytes.buffer, fields.buffer]);
  }

  private settle({ id, results, error }: Reply): void {
    const batch = this.batches.get(id);
    this.batches.delete(id);
    if (this.batches.size === 0) this.worker.unref();
    if (batch === undefined) return;
    if (error !== undefined) {
      for (const item of batch) item.reject(new Error(`OpenSSL verify failed: ${error}`));
      return;
    }
    batch.forEach((item, i) => item.resolve(results[i] === 1));
  }

  private fail(error: Error): void {
    for (const batch of this.batches.values()) for (const item of batch) item.reject(error);
    this.batches.clear();
  }
}

class VerifyPool implements SignatureVerifier {
  private readonly workers: PoolWorker[] = [];
  private queue: Pending[] = [];
  private flushScheduled = false;

  constructor(private readonly size: number) {}

  verify(spkiDer: Uint8Array, message: Uint8Array, derSignature: Uint8Array): Promise<boolean> {
    nodeVerifyKey(spkiDer); // INVALID_INPUT here, as node-signature-verifier.ts
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ spki: spkiDer, message, signature: derSignature, resolve, reject });
      if (this.queue.length >= MAX_BATCH) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Sends what is queued, split evenly over the workers (created up to `size`). */
  private flush(): void {
    this.flushScheduled = false;
    const queued = this.queue;
    this.queue = [];
    if (queued.length === 0) return;
    while (this.workers.length < this.size) {
      this.workers.push(
        new PoolWorker((gone) => this.workers.splice(this.workers.indexOf(gone), 1)),
      );
    }
    const share = Math.ceil(queued.length / this.workers.length);
    const byLoad = [...this.workers].sort((a, b) => a.load - b.load);
    for (let i = 0, w = 0; i < queued.length; i += share, w++) {
      byLoad[w]!.send(queued.slice(i, i + share));
    }
  }
}

/** Workers: one per core the process may use, at most 8 (verification is CPU-bound). */
const DEFAULT_WORKERS = Math.max(1, Math.min(8, availableParallelism()));

/** The process's verifier pool. */
export const workerVerifyPool: SignatureVerifier = new VerifyPool(DEFAULT_WORKERS);
