import { once } from '../shared/once';
import { createAwsClients } from '../shared/aws-clients';
import { auditorDeps, auditorHandler } from './auditor';

const clients = createAwsClients();
export const handler = auditorHandler(once(() => auditorDeps(process.env, clients)));
