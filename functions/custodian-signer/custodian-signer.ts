/** The custodian's approval, after its own re-read and re-hash of the object version. */
import { CUSTODIAN_STAGE, type CollectSignatureDeps } from '../../core/pipeline/collect-signature';
import { systemClock } from '../../core/ports/clock';
import { CUSTODIAN_SIGNER_FUNCTION } from '../../definitions/pipeline';
import type { AwsClients } from '../shared/aws-clients';
import type { DigestTuning } from '../shared/budgeted-digest';
import { DynamoDepositStore } from '../shared/dynamo-deposit-store';
import { DynamoPartyStore } from '../shared/dynamo-party-store';
import { KmsKeyResolver } from '../shared/kms-key-resolver';
import { requireEnvironment, type FunctionEnvironment } from '../shared/function-environment';
import { KmsSigner } from '../shared/kms-signer';
import type { Observability } from '../shared/observability';
import type { SqsHandler } from '../shared/partial-batch';
import { S3EvidenceObjects } from '../shared/s3-evidence-objects';
import { signerHandler } from '../shared/signer-handler';
import { SqsStageQueue } from '../shared/sqs-stage-queue';
import { ENV } from '../../definitions/environment';

export function custodianSignerDeps(
  environment: FunctionEnvironment,
  clients: AwsClients,
  tuning?: DigestTuning,
): CollectSignatureDeps {
  const env = requireEnvironment(CUSTODIAN_SIGNER_FUNCTION, environment);
  return {
    signer: new KmsSigner(clients.kms, 'custodian', env[ENV.custodianKeyId]),
    deposits: new DynamoDepositStore(clients.documents, env[ENV.depositsTable]),
    party: new DynamoPartyStore(clients.documents, env[ENV.partyTable]),
    objects: new S3EvidenceObjects(clients.s3, tuning),
    evidenceBucket: env[ENV.evidenceBucket],
    next: new SqsStageQueue(clients.sqs, env[ENV.appendQueueUrl]),
    clock: systemClock,
    rehash: {
      continueOn: new SqsStageQueue(clients.sqs, env[ENV.custodianSignQueueUrl]),
      trusted: {
        keyIds: { agency: env[ENV.agencyKeyId], custodian: env[ENV.custodianKeyId] },
        keys: new KmsKeyResolver(clients.kms),
      },
    },
  };
}

export const custodianSignerHandler = (
  deps: CollectSignatureDeps,
  observability?: Observability,
): SqsHandler => signerHandler('custodian-signer', CUSTODIAN_STAGE, deps, observability);
