/**
 * One simulated run: a seed's workload pushed through the real stages while the scheduler
 * interleaves them and injects faults for `steps` trace steps; then, faults off, the run
 * drains to quiescence, the anchor runs until every record is in a checkpoint, and the auditor
 * verifies the ledger. Invariants are checked after every step and at the end; the first
 * violation stops the run with the trace of what led to it.
 */
import { PARTY_ROLES } from '../../core/types';
import { ANCHOR_FUNCTION } from '../../definitions/anchor';
import { verifyWithAuditor } from './audit-run';
import { deliverBatch, runAnchor } from './deliveries';
import { DEFAULT_FAULT_RATES, type FaultRates } from './faults';
import { checkQuiescence, checkSafety, InvariantMemory, type Violation } from './invariants';
import { STAGES, type StageName } from './pipeline-stages';
import type { PlantedBug } from './planted-bugs';
import { deleteVersion, upload } from './uploader';
import { planWorkload, type TrueVersion } from './workload';
import { World } from './world';

export interface RunOptions {
  readonly seed: number;
  /** Trace steps with faults injected before the run drains. */
  readonly steps?: number;
  readonly uploads?: number;
  readonly rates?: FaultRates;
  readonly plantedBug?: PlantedBug | null;
}

export interface RunResult {
  readonly seed: number;
  readonly violation: Violation | null;
  readonly steps: number;
  readonly faults: ReadonlyMap<string, number>;
  readonly records: number;
  readonly versions: number;
  /** The whole trace, one line per step. */
  readonly trace: readonly string[];
  /** The steps that concern the violation. */
  readonly minimalTrace: readonly string[];
}

export const DEFAULT_STEPS = 300;
export const DEFAULT_UPLOADS = 10;
const ANCHOR_PERIOD_MS = ANCHOR_FUNCTION.defaultIntervalMinutes * 60_000;
/** A run that has not drained after this many iterations is declared stuck. */
const MAX_ITERATIONS = 50_000;
const MAX_FINAL_ANCHOR_RUNS = 30;

type Action = 'release' | `invoke:${StageName}` | 'upload' | 'delete' | 'anchor' | 'advance';

class Run {
  readonly world: World;
  private readonly plan;
  readonly truth: TrueVersion[] = [];
  readonly memory = new InvariantMemory();
  private readonly pendingDeletes: TrueVersion[] = [];
  private readonly running = new Map<string, number>();
  private nextScheduledAnchor: number;

  constructor(readonly options: Required<RunOptions>) {
    this.world = new World({
      seed: options.seed,
      rates: options.rates,
      plantedBug: options.plantedBug,
    });
    this.plan = planWorkload(this.world.prng, options.rates, options.uploads);
    this.nextScheduledAnchor = this.world.now() + ANCHOR_PERIOD_MS;
  }

  private busy(name: string): number {
    return this.running.get(name) ?? 0;
  }

  private track(name: string, work: Promise<unknown>): void {
    this.running.set(name, this.busy(name) + 1);
    void work.finally(() => this.running.set(name, this.busy(name) - 1));
  }

  private actions(): (readonly [Action, number])[] {
    const { world } = this;
    const now = world.now();
    const actions: (readonly [Action, number])[] = [];
    if (world.scheduler.parkedGates().length > 0) actions.push(['release', 12]);
    for (const stage of STAGES) {
      if (
        world.queues[stage.queue].visible(now).length > 0 &&
        this.busy(stage.name) < stage.concurrency
      )
        actions.push([`invoke:${stage.name}`, 3]);
    }
    if (this.plan.length > 0) actions.push(['upload', 3]);
    if (this.pendingDeletes.length > 0) actions.push(['delete', 2]);
    if (this.busy('anchor') < 2)
      actions.push(['anchor', now >= this.nextScheduledAnchor ? 4 : 0.05]);
    actions.push([
      'advance',
      actions.length === 0 || (actions.length === 1 && actions[0]![0] === 'anchor') ? 1 : 0.5,
    ]);
    return actions;
  }

  /** Moves virtual time: a little, or to the next thing that will happen when nothing else can. */
  private advance(idle: boolean): void {
    const { world } = this;
    const now = world.now();
    const next = Math.min(
      ...world.queueList().map((q) => q.nextVisibleAt(now)),
      ...PARTY_ROLES.map((r) => world.keyDisabledUntil[r]).filter((t) => t > now),
      this.nextScheduledAnchor,
    );
    const step =
      idle && Number.isFinite(next) ? Math.max(1, next - now) : world.prng.int(1, 30) * 1000;
    world.clock.advance(step);
    world.trace.step(`advance ${step}ms`);
    world.scheduler.expire(world.now());
  }

  private async perform(action: Action): Promise<void> {
    const { world } = this;
    if (action === 'release') {
      const gate = world.scheduler.pickGate(() => world.prng.float());
      if (gate) world.scheduler.release(gate);
    } else if (action === 'upload') {
      const planned = this.plan.shift()!;
      const version = await upload(world, planned);
      this.truth.push(version);
      this.memory.remember(version);
      if (planned.deleteEarly) this.pendingDeletes.push(version);
    } else if (action === 'delete') {
      const version = this.pendingDeletes.splice(
        world.prng.int(0, this.pendingDeletes.length - 1),
        1,
      )[0]!;
      deleteVersion(world, version);
    } else if (action === 'anchor') {
      if (world.now() >= this.nextScheduledAnchor)
        this.nextScheduledAnchor = world.now() + ANCHOR_PERIOD_MS;
      this.track('anchor', runAnchor(world));
    } else if (action === 'advance') {
      const idle = world.scheduler.parkedGates().length === 0;
      this.advance(idle);
    } else {
      const stage = STAGES.find((s) => `invoke:${s.name}` === action)!;
      this.track(stage.name, deliverBatch(world, stage));
    }
  }

  private maybeDisableKey(): void {
    const { world } = this;
    if (!world.scheduler.faultsEnabled || !world.prng.chance(this.options.rates.keyDisabled))
      return;
    const role = world.prng.pick(PARTY_ROLES);
    const minutes = world.prng.int(1, 10);
    world.keyDisabledUntil[role] = world.now() + minutes * 60_000;
    world.trace.fault('key-disabled', `${role} for ${minutes} min`);
  }

  private drained(): boolean {
    const { world } = this;
    return (
      !world.scheduler.faultsEnabled &&
      world.scheduler.liveTasks() === 0 &&
      this.plan.length === 0 &&
      this.pendingDeletes.length === 0 &&
      world.queueList().every((q) => q.depth === 0)
    );
  }

  private async settle(): Promise<Violation | null> {
    try {
      await this.world.scheduler.settle();
    } catch (error) {
      return { invariant: 'no-hang', message: (error as Error).message, about: [] };
    }
    return checkSafety(this.world, this.memory);
  }

  /** Runs until quiescence; the first violation, if any. */
  async run(): Promise<Violation | null> {
    const { world } = this;
    for (let iteration = 0; !this.drained(); iteration++) {
      const broken = await this.settle();
      if (broken) return broken;
      if (world.scheduler.faultsEnabled && world.trace.stepCount >= this.options.steps) {
        world.scheduler.faultsEnabled = false;
        for (const role of PARTY_ROLES) world.keyDisabledUntil[role] = 0;
        world.trace.step('faults off: draining');
      }
      if (iteration > MAX_ITERATIONS)
        return {
          invariant: 'terminates',
          message: `no quiescence after ${MAX_ITERATIONS} iterations`,
          about: [],
        };
      this.maybeDisableKey();
      await this.perform(world.prng.weighted(this.actions()));
    }
    return this.finish();
  }

  /** Anchors every record (faults off), then checks the end state and asks the auditor. */
  private async finish(): Promise<Violation | null> {
    const { world } = this;
    for (let runs = 0; runs < MAX_FINAL_ANCHOR_RUNS; runs++) {
      const done = runAnchor(world);
      let summary: string | null = null;
      void done.then((s) => (summary = s));
      while (summary === null) {
        const broken = await this.settle();
        if (broken) return broken;
        const gates = world.scheduler.parkedGates();
        if (gates.length > 0) world.scheduler.release(world.prng.pick(gates));
      }
      if (!(summary as string).startsWith('published')) break;
    }
    const broken = (await this.settle()) ?? (await checkQuiescence(world, this.truth));
    if (broken) return broken;
    return verifyWithAuditor(world, this.truth);
  }
}

/** The trace lines about `violation`: those naming its ids, and every step of the invocations in them. */
function minimalTrace(lines: readonly string[], violation: Violation): string[] {
  if (violation.about.length === 0) return lines.slice(-80);
  const direct = lines.filter((line) => violation.about.some((id) => line.includes(id)));
  const tasks = new Set(direct.flatMap((line) => line.match(/t\d+:[a-z-]+/g) ?? []));
  return lines.filter(
    (line) =>
      violation.about.some((id) => line.includes(id)) ||
      (line.match(/t\d+:[a-z-]+/g) ?? []).some((t) => tasks.has(t)),
  );
}

export async function runSeed(options: RunOptions): Promise<RunResult> {
  const run = new Run({
    seed: options.seed,
    steps: options.steps ?? DEFAULT_STEPS,
    uploads: options.uploads ?? DEFAULT_UPLOADS,
    rates: options.rates ?? DEFAULT_FAULT_RATES,
    plantedBug: options.plantedBug ?? null,
  });
  const violation = await run.run();
  const { trace } = run.world;
  return {
    seed: options.seed,
    violation,
    steps: trace.stepCount,
    faults: new Map(trace.faultCounts),
    records: (await run.world.ledger.all()).length,
    versions: run.truth.length,
    trace: [...trace.lines],
    minimalTrace: violation ? minimalTrace(trace.lines, violation) : [],
  };
}
