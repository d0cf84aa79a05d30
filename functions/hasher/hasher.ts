/**
 * The hasher, one of the agency's roles: S3 notification → the agency's facts of the deposit
 * (exact version, SHA-256, uploader, case metadata), kept in the agency's own table.
 * Its queue also carries its own continuations ({"depositId"}) for objects hashed in slices.
 */
import {
  continueDeposit,
  registerDeposit,
  rejectNotice,
  type RegisterDepositDeps,
  type RegisterOutcome,
} from '../../core/pipeline/register-deposit';
import { parseS3Notification } from '../shared/s3-notification';
import { LedgerError } from '../../core/errors';
import { systemClock } from '../../core/ports/clock';
import { HASHER_FUNCTION } from '../../definitions/pipeline';
import type { AwsClients } from '../shared/aws-clients';
import type { DigestTuning } from '../shared/budgeted-digest';
import { DynamoDepositStore } from '../shared/dynamo-deposit-store';
import { DynamoPartyStore } from '../shared/dynamo-party-store';
import { requireEnvironment, type FunctionEnvironment } from '../shared/function-environment';
import { functionObservability, type Observability } from '../shared/observability';
import { observedDeposits, observedObjects } from '../shared/observed-ports';
import { partialBatchHandler, type SqsHandler } from '../shared/partial-batch';
import { S3EvidenceObjects } from '../shared/s3-evidence-objects';
import { isDepositMessage, parseDepositMessage } from '../shared/sqs-messages';
import { SqsStageQueue } from '../shared/sqs-stage-queue';
import { invocationBudget } from '../shared/work-budget';
import { ENV } from '../../definitions/environment';
import { METRIC } from '../../definitions/observability';

export function hasherDeps(
  environment: FunctionEnvironment,
  clients: AwsClients,
  tuning?: DigestTuning,
): RegisterDepositDeps {
  const env = requireEnvironment(HASHER_FUNCTION, environment);
  return {
    objects: new S3EvidenceObjects(clients.s3, tuning),
    deposits: new DynamoDepositStore(clients.documents, env[ENV.depositsTable]),
    party: new DynamoPartyStore(clients.documents, env[ENV.partyTable]),
    next: new SqsStageQueue(clients.sqs, env[ENV.agencySignQueueUrl]),
    continueOn: new SqsStageQueue(clients.sqs, env[ENV.intakeQueueUrl]),
    clock: systemClock,
  };
}

export function hasherHandler(
  deps: RegisterDepositDeps,
  observability: Observability = functionObservability('hasher'),
): SqsHandler {
  const { metrics } = observability;
  const observed: RegisterDepositDeps = {
    ...deps,
    deposits: observedDeposits(deps.deposits, metrics, deps.clock),
    objects: observedObjects(deps.objects, metrics),
  };
  const registered = (outcome: RegisterOutcome): void => {
    if (outcome.kind === 'registered') metrics.count(METRIC.depositsRegistered);
  };
  return partialBatchHandler(observability, async (record, context, log) => {
    const budget = invocationBudget(context);
    if (isDepositMessage(record.body)) {
      const depositId = parseDepositMessage(record.body);
      log.appendKeys({ depositId });
      const outcome = await continueDeposit(depositId, observed, budget);
      registered(outcome);
      log.info('deposit', { ...outcome });
      return;
    }
    const notification = parseS3Notification(record.body);
    if (notification.kind === 'test-event') return; // sent once when the notification is configured
    // One notification may name several objects: each outcome carries its own depositId.
    for (const notice of notification.notices) {
      const outcome = await registerDeposit(notice, observed, budget);
      registered(outcome);
      log.info('deposit', { ...outcome, bucket: notice.bucket, key: notice.key });
    }
    for (const notice of notification.rejected) {
      const outcome = await rejectNotice(notice, observed);
      log.warn('deposit', {
        ...outcome,
        bucket: notice.bucket,
        key: notice.key,
        reason: notice.message,
      });
    }
    // A record naming no object version has no deposit to fail: the message goes to the DLQ for an operator.
    if (notification.unusable.length > 0) {
      throw new LedgerError(
        'INVALID_EVENT',
        'the notification holds records that name no object version',
        { reasons: notification.unusable },
      );
    }
  });
}
