/**
 * The appender: a batch of approved deposits → chained records, in group-committed
 * conditional transactions. Messages whose deposit is not ready, or whose item does not
 * parse, are reported as failures, so SQS brings them back (and parks an unreadable one in
 * the DLQ); a transaction that keeps losing the head fails the whole batch.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { appendApproved, type AppendApprovedDeps } from '../../core/pipeline/append-approved';
import { systemClock } from '../../core/ports/clock';
import { APPENDER_FUNCTION } from '../../definitions/pipeline';
import type { AwsClients } from '../shared/aws-clients';
import { DynamoDepositStore } from '../shared/dynamo-deposit-store';
import { DynamoLedgerStore } from '../shared/dynamo-ledger-store';
import { requireEnvironment, type FunctionEnvironment } from '../shared/function-environment';
import { KmsKeyResolver } from '../shared/kms-key-resolver';
import { functionLogger } from '../shared/logger';
import { parseDepositMessage } from '../shared/sqs-messages';
import { ENV } from '../../definitions/environment';

export function appenderDeps(environment: FunctionEnvironment, clients: AwsClients): AppendApprovedDeps {
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

export function appenderHandler(deps: AppendApprovedDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  const logger = functionLogger('appender');
  return async (event) => {
    const failures: { itemIdentifier: string }[] = [];
    const messagesByDeposit = new Map<string, string[]>();
    for (const record of event.Records) {
      try {
        const depositId = parseDepositMessage(record.body);
        messagesByDeposit.set(depositId, [...(messagesByDeposit.get(depositId) ?? []), record.messageId]);
      } catch (error) {
        logger.warn('invalid stage message', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    const report = await appendApproved([...messagesByDeposit.keys()], deps);
    logger.info('append', { appended: report.appended.length, settled: report.settled.length, notReady: report.notReady.length });
    for (const { depositId, code } of report.unreadable) logger.warn('unreadable deposit item', { depositId, code });
    for (const depositId of [...report.notReady, ...report.unreadable.map((u) => u.depositId)]) {
      for (const messageId of messagesByDeposit.get(depositId) ?? []) failures.push({ itemIdentifier: messageId });
    }
    return { batchItemFailures: failures };
  };
}
