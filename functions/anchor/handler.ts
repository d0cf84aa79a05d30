import { createAwsClients } from '../shared/aws-clients';
import { once } from '../shared/once';
import { anchorDeps, anchorHandler } from './anchor';

const clients = createAwsClients();
export const handler = anchorHandler(once(() => anchorDeps(process.env, clients)));
