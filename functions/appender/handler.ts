import { createAwsClients } from '../shared/aws-clients';
import { appenderDeps, appenderHandler } from './appender';

export const handler = appenderHandler(appenderDeps(process.env, createAwsClients()));
