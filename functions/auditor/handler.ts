import { once } from '../shared/once';
import { createAwsClients } from '../shared/aws-clients';
import { functionTracer } from '../shared/tracer';
import { auditorDeps, auditorHandler } from './auditor';

const clients = createAwsClients({ tracer: functionTracer('auditor') });
export const handler = auditorHandler(once(() => auditorDeps(process.env, clients)));
