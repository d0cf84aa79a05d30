import { createAwsClients } from '../shared/aws-clients';
import { custodianSignerDeps, custodianSignerHandler } from './custodian-signer';

export const handler = custodianSignerHandler(custodianSignerDeps(process.env, createAwsClients()));
