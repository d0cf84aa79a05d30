import { createAwsClients } from '../shared/aws-clients';
import { agencySignerDeps, agencySignerHandler } from './agency-signer';

export const handler = agencySignerHandler(agencySignerDeps(process.env, createAwsClients()));
