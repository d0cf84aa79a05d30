import { once } from '../shared/once';
import { createAwsClients } from '../shared/aws-clients';
import { functionTracer } from '../shared/tracer';
import { cosignerDeps, cosignerHandler } from './cosigner';

const clients = createAwsClients({ tracer: functionTracer('cosigner') });
export const handler = cosignerHandler(once(() => cosignerDeps(process.env, clients)));
