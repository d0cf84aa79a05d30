import { createAwsClients } from '../shared/aws-clients';
import { once } from '../shared/once';
import { functionTracer } from '../shared/tracer';
import { anchorDeps, anchorHandler } from './anchor';

const clients = createAwsClients({ tracer: functionTracer('anchor') });
export const handler = anchorHandler(once(() => anchorDeps(process.env, clients)));
