import { createAwsClients } from '../shared/aws-clients';
import { anchorDeps, anchorHandler, once } from './anchor';

const clients = createAwsClients();
export const handler = anchorHandler(once(() => anchorDeps(process.env, clients)));
