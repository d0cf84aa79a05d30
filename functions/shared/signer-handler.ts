/** The two signer functions differ only in their party, key, stage and (custodian) re-hash. */
import {
  collectSignature,
  type CollectSignatureDeps,
  type SignatureStage,
} from '../../core/pipeline/collect-signature';
import { DIMENSION, METRIC } from '../../definitions/observability';
import { functionObservability, type Observability } from './observability';
import { observedDeposits, observedObjects } from './observed-ports';
import { parseDepositMessage } from './sqs-messages';
import { partialBatchHandler, type SqsHandler } from './partial-batch';
import { invocationBudget } from './work-budget';

export function signerHandler(
  name: string,
  stage: SignatureStage,
  deps: CollectSignatureDeps,
  observability: Observability = functionObservability(name),
): SqsHandler {
  const { metrics } = observability;
  const observed: CollectSignatureDeps = {
    ...deps,
    deposits: observedDeposits(deps.deposits, metrics, deps.clock),
    objects: observedObjects(deps.objects, metrics),
  };
  const party = { [DIMENSION.party]: deps.signer.role };
  return partialBatchHandler(observability, async (record, context, log) => {
    const depositId = parseDepositMessage(record.body);
    log.appendKeys({ depositId });
    const outcome = await collectSignature(depositId, stage, observed, invocationBudget(context));
    if (outcome === 'signed') metrics.count(METRIC.depositsSigned, 1, party);
    log.info('signature', { role: deps.signer.role, outcome });
  });
}
