/**
 * The one scheduler of a simulated run. Every port call of every invocation is a gate: the call
 * waits until the scheduler releases it, and the scheduler releases one gate at a time, chosen
 * by the run's PRNG, after every live invocation has come to rest (parked at a gate, waiting on
 * an invocation it started, or finished). So concurrent invocations interleave only at port
 * calls, in an order the seed alone decides, and the in-memory stores see one call at a time.
 *
 * Coming to rest is observed, not assumed: between gates an invocation may do work that ends
 * on another thread (WebCrypto in the checkpoint verifier, WebAssembly instantiation in the
 * resumable SHA-256), so `settle` polls the event loop until every invocation is at rest.
 * Which gate goes next depends only on the set of parked gates, never on when they parked.
 *
 * A crashed invocation's gates never resolve: it stops where it was, as a Lambda that dies does,
 * and whatever it had received comes back after the visibility timeout.
 */
import { LedgerError, type LedgerErrorCode } from '../../core/errors';
import type { FaultPolicy } from './faults';
import type { Trace } from './trace';

export type TaskOutcome<T> =
  | { readonly kind: 'returned'; readonly value: T }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'crashed'; readonly at: string };

interface Gate {
  readonly task: Task;
  readonly seq: number;
  readonly port: string;
  readonly detail: string;
  readonly call: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export class Task {
  state: 'running' | 'done' | 'dead' = 'running';
  /** Relative chance of being picked when gates are released: a slow invocation lags behind. */
  speed = 1;
  /** Virtual time at which Lambda kills it (its function's timeout). */
  deadline = Number.POSITIVE_INFINITY;
  readonly parked: Gate[] = [];
  children = 0;
  calls = 0;
  onCrash: (at: string) => void = () => undefined;

  constructor(
    readonly id: number,
    readonly name: string,
  ) {}

  get label(): string {
    return `t${this.id}:${this.name}`;
  }
}

/** Event-loop turns to wait before polling on a timer (work on the thread pool takes a while). */
const IMMEDIATE_TURNS = 4096;
/** How long (wall clock) an invocation may take between two gates before the run is declared stuck. */
const MAX_SETTLE_MS = 30_000;

/** How much less often a slow invocation's gates are picked. */
const SLOW_SPEED = 0.03;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

export class Scheduler {
  private readonly tasks = new Map<number, Task>();
  private nextTaskId = 1;
  /** Set after the step budget: no more faults, so the run can reach quiescence. */
  faultsEnabled = true;

  constructor(
    private readonly faults: FaultPolicy,
    private readonly trace: Trace,
  ) {}

  /**
   * Starts `body` as a new invocation that Lambda kills at virtual time `deadline`; the promise
   * settles when it returns, throws or crashes.
   */
  spawn<T>(
    name: string,
    deadline: number,
    body: (task: Task) => Promise<T>,
  ): Promise<TaskOutcome<T>> {
    const task = new Task(this.nextTaskId++, name);
    task.deadline = deadline;
    this.tasks.set(task.id, task);
    if (this.faultsEnabled && this.faults.slowInvocation()) {
      task.speed = SLOW_SPEED;
      this.trace.fault('slow-invocation', task.label);
    } else {
      this.trace.step(`${task.label} start`);
    }
    return new Promise<TaskOutcome<T>>((resolve) => {
      task.onCrash = (at) => resolve({ kind: 'crashed', at });
      body(task).then(
        (value) => {
          if (task.state !== 'running') return;
          task.state = 'done';
          this.tasks.delete(task.id);
          resolve({ kind: 'returned', value });
        },
        (error: unknown) => {
          if (task.state !== 'running') return;
          task.state = 'done';
          this.tasks.delete(task.id);
          resolve({ kind: 'threw', error });
        },
      );
    });
  }

  /** Runs `child` as an invocation `parent` waits on (a co-signer the anchor invokes). */
  async invoke<T>(
    parent: Task,
    name: string,
    deadline: number,
    child: (task: Task) => Promise<T>,
  ): Promise<TaskOutcome<T>> {
    parent.children += 1;
    try {
      return await this.spawn(name, deadline, child);
    } finally {
      parent.children -= 1;
    }
  }

  /** The port call `call` of `task`, made when the scheduler releases it. */
  gate<T>(task: Task, port: string, detail: string, call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (task.state !== 'running') return; // a dead or finished invocation makes no more calls
      task.parked.push({
        task,
        seq: task.calls++,
        port,
        detail,
        call,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
    });
  }

  /** Waits until every live invocation is at rest; throws if one never comes to rest. */
  async settle(): Promise<void> {
    const started = Date.now();
    for (let turns = 0; Date.now() - started < MAX_SETTLE_MS; turns++) {
      await (turns < IMMEDIATE_TURNS ? turn() : pause());
      if (this.atRest()) return;
    }
    const busy = [...this.tasks.values()].filter((t) => t.parked.length === 0 && t.children === 0);
    throw new Error(`invocations never came to rest: ${busy.map((t) => t.label).join(', ')}`);
  }

  private atRest(): boolean {
    for (const task of this.tasks.values())
      if (task.parked.length === 0 && task.children === 0) return false;
    return true;
  }

  /** A parked gate, drawn with each invocation's speed as its weight (canonical order first). */
  pickGate(draw: () => number): Gate | null {
    const gates = this.parkedGates();
    const total = gates.reduce((sum, g) => sum + g.task.speed, 0);
    let roll = draw() * total;
    for (const gate of gates) {
      roll -= gate.task.speed;
      if (roll < 0) return gate;
    }
    return gates.at(-1) ?? null;
  }

  /** Kills every invocation whose function timeout has passed at virtual time `now`. */
  expire(now: number): void {
    for (const task of [...this.tasks.values()].sort((a, b) => a.id - b.id)) {
      if (task.deadline > now) continue;
      this.trace.fault('timed-out', task.label);
      this.crash(task, 'its timeout');
    }
  }

  /** Parked gates in a canonical order (task, then call), independent of when they parked. */
  parkedGates(): readonly Gate[] {
    return [...this.tasks.values()]
      .sort((a, b) => a.id - b.id)
      .flatMap((t) => [...t.parked].sort((a, b) => a.seq - b.seq));
  }

  liveTasks(): number {
    return this.tasks.size;
  }

  /** Releases `gate`, injecting the fault the policy draws for it, if any. */
  release(gate: Gate): void {
    const { task } = gate;
    task.parked.splice(task.parked.indexOf(gate), 1);
    const fault = this.faultsEnabled ? this.faults.draw(gate.port) : null;
    const where = `${task.label} ${gate.port}(${gate.detail})`;
    if (fault?.kind === 'crash-before') {
      this.trace.fault('crash-before', where);
      this.crash(task, where);
      return;
    }
    if (fault?.kind === 'error') {
      this.trace.fault(fault.code, where);
      gate.reject(new LedgerError(fault.code, `simulated ${fault.code} at ${gate.port}`));
      return;
    }
    if (this.faultsEnabled && task.speed > SLOW_SPEED && this.faults.stall()) {
      task.speed = SLOW_SPEED;
      this.trace.fault('stall', where);
    } else {
      this.trace.step(where);
    }
    // After the call took effect: the invocation sees the answer, or dies before it does.
    const answer = (deliver: () => void) => {
      if (fault?.kind !== 'crash-after') return deliver();
      this.trace.fault('crash-after', where);
      this.crash(task, where);
    };
    gate.call().then(
      (value) => answer(() => gate.resolve(value)),
      (error: unknown) => answer(() => gate.reject(error)),
    );
  }

  /** Kills `task`: its parked gates and any later ones never resolve. */
  crash(task: Task, at: string): void {
    if (task.state !== 'running') return;
    task.state = 'dead';
    task.parked.length = 0;
    this.tasks.delete(task.id);
    task.onCrash(at);
  }
}

export type TransientCode = Extract<
  LedgerErrorCode,
  | 'THROTTLED'
  | 'DEPENDENCY_UNAVAILABLE'
  | 'KEY_UNAVAILABLE'
  | 'COSIGNER_UNAVAILABLE'
  | 'TIMESTAMP_UNAVAILABLE'
>;
