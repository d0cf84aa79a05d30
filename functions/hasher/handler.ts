import { createAwsClients } from '../shared/aws-clients';
import { functionTracer } from '../shared/tracer';
import { hasherDeps, hasherHandler } from './hasher';

export const handler = hasherHandler(
  hasherDeps(process.env, createAwsClients({ tracer: functionTracer('hasher') })),
);
