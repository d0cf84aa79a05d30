/** The agency's approval, over the facts its own hasher established. Its role may use only the agency's key. */
import { AGENCY_STAGE, type CollectSignatureDeps } from '../../core/pipeline/collect-signature';
import { systemClock } from '../../core/ports/clock';
import { AGENCY_SIGNER_FUNCTION } from '../../definitions/pipeline';
import type { AwsClients } from '../shared/aws-clients';
import { DynamoDepositStore } from '../shared/dynamo-deposit-store';
import { DynamoPartyStore } from '../shared/dynamo-party-store';
import { requireEnvironment, type FunctionEnvironment } from '../shared/function-environment';
import { KmsSigner } from '../shared/kms-signer';
import type { Observability } from '../shared/observability';
import type { SqsHandler } from '../shared/partial-batch';
import { S3EvidenceObjects } from '../shared/s3-evidence-objects';
import { signerHandler } from '../shared/signer-handler';
import { SqsStageQueue } from '../shared/sqs-stage-queue';
import { ENV } from '../../definitions/environment';

export function agencySignerDeps(
  environment: FunctionEnvironment,
  clients: AwsClients,
): CollectSignatureDeps {
  const env = requireEnvironment(AGENCY_SIGNER_FUNCTION, environment);
  return {
    signer: new KmsSigner(clients.kms, 'agency', env[ENV.agencyKeyId]),
    deposits: new DynamoDepositStore(clients.documents, env[ENV.depositsTable]),
    party: new DynamoPartyStore(clients.documents, env[ENV.partyTable]),
    objects: new S3EvidenceObjects(clients.s3),
    evidenceBucket: env[ENV.evidenceBucket],
    next: new SqsStageQueue(clients.sqs, env[ENV.custodianSignQueueUrl]),
    clock: systemClock,
  };
}

export const agencySignerHandler = (
  deps: CollectSignatureDeps,
  observability?: Observability,
): SqsHandler => signerHandler('agency-signer', AGENCY_STAGE, deps, observability);
