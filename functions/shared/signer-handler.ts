/** The two signer functions differ only in their party, key, stage and (custodian) re-hash. */
import { collectSignature, type CollectSignatureDeps, type SignatureStage } from '../../core/pipeline/collect-signature';
import { parseDepositMessage } from './sqs-messages';
import { functionLogger } from './logger';
import { partialBatchHandler, type SqsHandler } from './partial-batch';

export function signerHandler(name: string, stage: SignatureStage, deps: CollectSignatureDeps): SqsHandler {
  const logger = functionLogger(name);
  return partialBatchHandler(logger, async (record) => {
    const depositId = parseDepositMessage(record.body);
    const outcome = await collectSignature(depositId, stage, deps);
    logger.info('signature', { depositId, role: deps.signer.role, outcome });
  });
}
