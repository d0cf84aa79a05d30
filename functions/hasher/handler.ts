import { createAwsClients } from '../shared/aws-clients';
import { hasherDeps, hasherHandler } from './hasher';

export const handler = hasherHandler(hasherDeps(process.env, createAwsClients()));
