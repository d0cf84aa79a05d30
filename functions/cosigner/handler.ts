import { once } from '../shared/once';
import { createAwsClients } from '../shared/aws-clients';
import { cosignerDeps, cosignerHandler } from './cosigner';

const clients = createAwsClients();
export const handler = cosignerHandler(once(() => cosignerDeps(process.env, clients)));
