/**
 * SQS partial batch responses through Powertools' BatchProcessor: a record whose handler
 * throws is reported in batchItemFailures and comes back after the visibility timeout;
 * after maxReceiveCount receives it moves to the dead-letter queue. Nothing is dropped.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { isLedgerError } from '../../core/errors';
import { recordLogger } from './logger';
import { observedInvocation, type Observability } from './observability';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * @param handleRecord handles one record; `log` is that record's own logger (messageId as a
 *   key): the handler appends the depositId to it once it knows it.
 */
export function partialBatchHandler(
  observability: Observability,
  handleRecord: (record: SQSRecord, context: Context, log: Logger) => Promise<void>,
): SqsHandler {
  const processor = new BatchProcessor(EventType.SQS);
  const logged = async (record: SQSRecord, context: Context): Promise<void> => {
    const log = recordLogger(observability.logger, { messageId: record.messageId });
    try {
      await handleRecord(record, context, log);
    } catch (error) {
      log.warn('record failed; SQS will retry it', {
        receiveCount: record.attributes.ApproximateReceiveCount,
        code: isLedgerError(error) ? error.code : 'UNEXPECTED',
        error: error as Error,
      });
      throw error;
    }
  };
  return observedInvocation(observability, (event: SQSEvent, context: Context) =>
    processPartialResponse(event, (record: SQSRecord) => logged(record, context), processor, {
      context,
      throwOnFullBatchFailure: false,
    }),
  );
}
