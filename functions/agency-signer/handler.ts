import { createAwsClients } from '../shared/aws-clients';
import { functionTracer } from '../shared/tracer';
import { agencySignerDeps, agencySignerHandler } from './agency-signer';

export const handler = agencySignerHandler(
  agencySignerDeps(process.env, createAwsClients({ tracer: functionTracer('agency-signer') })),
);
