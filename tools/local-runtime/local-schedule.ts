/**
 * A local stand-in for an EventBridge schedule rule: invokes a handler with the
 * "Scheduled Event" EventBridge sends, every `intervalMs`, one invocation at a time.
 */
import { randomUUID } from 'node:crypto';

export interface LocalSchedule {
  /** Stops the schedule and waits for a running invocation to finish. */
  stop(): Promise<void>;
  readonly invocations: () => number;
}

export function scheduledEvent(ruleArn: string, time: Date = new Date()): Record<string, unknown> {
  const [, , , region = 'local', account = '000000000000'] = ruleArn.split(':');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [ruleArn],
    detail: {},
  };
}

export function startLocalSchedule(
  ruleArn: string,
  intervalMs: number,
  handler: (event: unknown) => Promise<unknown>,
  onError: (error: unknown) => void,
): LocalSchedule {
  let running: Promise<void> = Promise.resolve();
  let count = 0;
  const timer = setInterval(() => {
    running = running.then(async () => {
      count++;
      await handler(scheduledEvent(ruleArn)).catch(onError);
    });
  }, intervalMs);
  return {
    invocations: () => count,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
