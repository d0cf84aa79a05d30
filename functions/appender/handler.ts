import { createAwsClients } from '../shared/aws-clients';
import { functionTracer } from '../shared/tracer';
import { appenderDeps, appenderHandler } from './appender';

export const handler = appenderHandler(
  appenderDeps(process.env, createAwsClients({ tracer: functionTracer('appender') })),
);
