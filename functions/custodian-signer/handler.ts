import { createAwsClients } from '../shared/aws-clients';
import { functionTracer } from '../shared/tracer';
import { custodianSignerDeps, custodianSignerHandler } from './custodian-signer';

export const handler = custodianSignerHandler(
  custodianSignerDeps(
    process.env,
    createAwsClients({ tracer: functionTracer('custodian-signer') }),
  ),
);
