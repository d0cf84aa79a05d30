// Placeholder while the pipeline is being written; replaced by the real handler.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export const handler = (_event: SQSEvent): Promise<SQSBatchResponse> =>
  Promise.resolve({ batchItemFailures: [] });
