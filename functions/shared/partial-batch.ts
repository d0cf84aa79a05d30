/**
 * SQS partial batch responses through Powertools' BatchProcessor: a record whose handler
 * throws is reported in batchItemFailures and comes back after the visibility timeout;
 * after maxReceiveCount receives it moves to the dead-letter queue. Nothing is dropped.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { isLedgerError } from '../../core/errors';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function partialBatchHandler(
  logger: Logger,
  handleRecord: (record: SQSRecord, context: Context) => Promise<void>,
): SqsHandler {
  const processor = new BatchProcessor(EventType.SQS);
  const logged = async (record: SQSRecord, context: Context): Promise<void> => {
    try {
      await handleRecord(record, context);
    } catch (error) {
      logger.warn('record failed; SQS will retry it', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        code: isLedgerError(error) ? error.code : 'UNEXPECTED',
        error: error as Error,
      });
      throw error;
    }
  };
  return (event, context) =>
    processPartialResponse(event, (record: SQSRecord) => logged(record, context), processor, {
      context,
      throwOnFullBatchFailure: false,
    });
}
