/**
 * The event source mappings: receive a batch from a stage's queue, run one invocation of the
 * stage's handler on it, and settle the messages as Lambda does: delete what succeeded, leave
 * what failed (batchItemFailures, a thrown handler, a crash) to come back after the visibility
 * timeout. And the anchor's runs, each an invocation of its own.
 */
import type { SQSBatchResponse } from 'aws-lambda';
import { isLedgerError } from '../../core/errors';
import { ANCHOR_FUNCTION } from '../../definitions/anchor';
import { anchorRun, taskGate } from './anchor-stage';
import { lambdaContext } from './lambda-context';
import { stageHandler, type StageSpec } from './pipeline-stages';
import type { TaskOutcome } from './scheduler';
import type { SimMessage, SimQueue } from './sim-queue';
import { shortId } from './trace';
import type { World } from './world';

const failureOf = (outcome: TaskOutcome<unknown>): string => {
  if (outcome.kind === 'crashed') return `crashed at ${outcome.at}`;
  if (outcome.kind === 'threw')
    return `threw ${isLedgerError(outcome.error) ? outcome.error.code : String(outcome.error)}`;
  return 'reported as a batch item failure';
};

function settleMessages(
  queue: SimQueue,
  messages: readonly SimMessage[],
  outcome: TaskOutcome<SQSBatchResponse>,
): string[] {
  const failed = new Set(
    outcome.kind === 'returned'
      ? outcome.value.batchItemFailures.map((f) => f.itemIdentifier)
      : messages.map((m) => m.id),
  );
  for (const message of messages) {
    if (failed.has(message.id)) message.lastFailure = failureOf(outcome);
    else queue.delete(message);
  }
  return [...failed];
}

/** Receives a batch for `stage` and starts its invocation; resolves when the invocation ends. */
export async function deliverBatch(world: World, stage: StageSpec): Promise<void> {
  const queue = world.queues[stage.queue];
  const messages = queue.receive(world.now(), stage.definition.batchSize, world.prng);
  if (messages.length === 0) return;
  const budgetReads =
    world.scheduler.faultsEnabled && world.prng.chance(world.options.rates.budgetExhausted)
      ? world.prng.int(0, 3)
      : null;
  const deadline = world.now() + stage.definition.timeoutSeconds * 1000;
  const outcome = await world.scheduler.spawn(stage.name, deadline, (task) => {
    const ids = messages.map((m) => `${m.id}(rc${m.receiveCount}:${describeBody(m.body)})`);
    world.trace.step(`${task.label} receives ${ids.join(' ')}`);
    if (budgetReads !== null)
      world.trace.fault('budget-exhausted', `${task.label} after ${budgetReads} reads`);
    const context = lambdaContext(
      stage.definition.id,
      stage.definition.timeoutSeconds,
      budgetReads,
      task.label,
    );
    return stageHandler(
      world,
      taskGate(world, task),
      stage.name,
    )({ Records: messages.map((m) => queue.record(m)) }, context);
  });
  const failed = settleMessages(queue, messages, outcome);
  world.trace.step(
    `${stage.name} ${outcome.kind}${failed.length ? ` failed: ${failed.join(' ')}` : ''}`,
  );
}

/** What a message is about, for the trace: its deposit, or the object version of its S3 event. */
function describeBody(body: string): string {
  const deposit = /"depositId":"([0-9a-f]{64})"/.exec(body);
  if (deposit) return shortId(deposit[1]!);
  const key = /"key":"([^"]+)"/.exec(body)?.[1] ?? '?';
  const version = /"versionId":"([^"]+)"/.exec(body)?.[1] ?? 'no-version';
  return `${key}@${version}`;
}

/** One anchor run; resolves to what it reported (or how it failed). */
export async function runAnchor(world: World): Promise<string> {
  const deadline = world.now() + ANCHOR_FUNCTION.timeoutSeconds * 1000;
  const outcome = await world.scheduler.spawn('anchor', deadline, (task) => anchorRun(world, task));
  const summary =
    outcome.kind === 'returned'
      ? `${outcome.value.outcome} ${outcome.value.treeSize}`
      : failureOf(outcome);
  world.trace.step(`anchor ${summary}`);
  return summary;
}
