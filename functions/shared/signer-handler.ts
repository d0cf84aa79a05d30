/** The two signer functions differ only in their party, key, stage and (custodian) re-hash. */
import { collectSignature, type CollectSignatureDeps, type SignatureStage } from '../../core/pipeline/collect-signature';
import { parseDepositMessage } from './sqs-messages';
import { functionLogger } from './logger';
import { partialBatchHandler, type SqsHandler } from './partial-batch';
import { invocationBudget } from './work-budget';

export function signerHandler(name: string, stage: SignatureStage, deps: CollectSignatureDeps): SqsHandler {
  const logger = functionLogger(name);
  return partialBatchHandler(logger, async (record, context) => {
    const depositId = parseDepositMessage(record.body);
    const outcome = await collectSignature(depositId, stage, deps, invocationBudget(context));
    logger.info('signature', { depositId, role: deps.signer.role, outcome });
  });
}
