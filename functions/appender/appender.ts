/**
 * The appender: a batch of approved deposits → chained records, in group-committed
 * conditional transactions. Messages whose deposit is not ready, or whose item does not
 * parse, are reported as failures, so SQS brings them back (and parks an unreadable one in
 * the DLQ); a transaction that keeps losing the head fails the whole batch.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { appendApproved, type AppendApprovedDeps } from '../../core/pipeline/append-approved';
import { systemClock } from '../../core/ports/clock';
import { APPENDER_FUNCTION } from '../../definitions/pipeline';
import type { AwsClients } from '../shared/aws-clients';
import { DynamoDepositStore } from '../shared/dynamo-deposit-store';
import { DynamoLedgerStore } from '../shared/dynamo-ledger-store';
import { requireEnvironment, type FunctionEnvironment } from '../shared/function-environment';
import { KmsKeyResolver } from '../shared/kms-key-resolver';
import { recordLogger } from '../shared/logger';
import {
  functionObservability,
  observedInvocation,
  type Observability,
} from '../shared/observability';
import { observedDeposits } from '../shared/observed-ports';
import { parseDepositMessage } from '../shared/sqs-messages';
import { ENV } from '../../definitions/environment';
import { METRIC } from '../../definitions/observability';

export function appenderDeps(
  environment: FunctionEnvironment,
  clients: AwsClients,
): AppendApprovedDeps {
  const env = requireEnvironment(APPENDER_FUNCTION, environment);
  return {
    deposits: new DynamoDepositStore(clients.documents, env[ENV.depositsTable]),
    ledger: new DynamoLedgerStore(clients.documents, env[ENV.ledgerTable], env[ENV.depositsTable]),
    trusted: {
      keyIds: { agency: env[ENV.agencyKeyId], custodian: env[ENV.custodianKeyId] },
      keys: new KmsKeyResolver(clients.kms),
    },
    clock: systemClock,
  };
}

export function appenderHandler(
  deps: AppendApprovedDeps,
  observability: Observability = functionObservability('appender'),
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const { logger, metrics } = observability;
  const observed: AppendApprovedDeps = {
    ...deps,
    deposits: observedDeposits(deps.deposits, metrics, deps.clock),
  };
  return observedInvocation(observability, async (event: SQSEvent) => {
    const failures: { itemIdentifier: string }[] = [];
    const messagesByDeposit = new Map<string, string[]>();
    for (const record of event.Records) {
      try {
        const depositId = parseDepositMessage(record.body);
        messagesByDeposit.set(depositId, [
          ...(messagesByDeposit.get(depositId) ?? []),
          record.messageId,
        ]);
      } catch (error) {
        logger.warn('invalid stage message', {
          messageId: record.messageId,
          error: error as Error,
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    // The batch is appended as a whole (group commit): each deposit is logged with its own key after.
    const report = await appendApproved([...messagesByDeposit.keys()], observed);
    logger.info('append', {
      appended: report.appended.length,
      settled: report.settled.length,
      notReady: report.notReady.length,
    });
    for (const { depositId, seq } of report.appended)
      recordLogger(logger, { depositId }).info('appended', { seq });
    for (const { depositId, code } of report.unreadable)
      recordLogger(logger, { depositId }).warn('unreadable deposit item', { code });
    if (report.appended.length > 0) {
      metrics.count(METRIC.depositsAppended, report.appended.length);
      metrics.count(METRIC.appendBatchSize, report.appended.length);
    }
    for (const depositId of [...report.notReady, ...report.unreadable.map((u) => u.depositId)]) {
      for (const messageId of messagesByDeposit.get(depositId) ?? [])
        failures.push({ itemIdentifier: messageId });
    }
    return { batchItemFailures: failures };
  });
}
