/**
 * The CDK app (`cdk.json` runs it with tsx). Account- and region-agnostic: `cdk synth`
 * needs no AWS credentials; `cdk deploy` takes the account and region of the caller.
 * Settings come from CDK context, validated in infra/config/stack-config.ts.
 * cdk-nag's AwsSolutions pack runs on every synth as a policy-validation plugin: an
 * unacknowledged finding stops the synth (see policy-validation-report.json).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StackConfig } from './config/stack-config.js';
import { readStackConfig, StackConfigError } from './config/stack-config.js';
import { EvidenceLedgerStack } from './evidence-ledger-stack.js';

function configOrExit(app: App): StackConfig {
  try {
    return readStackConfig(app.node);
  } catch (error) {
    if (!(error instanceof StackConfigError)) throw error;
    console.error(error.message); // one line per invalid key, without a stack trace
    process.exit(1);
  }
}

const app = new App();
const config = configOrExit(app);
new EvidenceLedgerStack(app, 'EvidenceLedger', {
  config,
  stackName: config.deploymentName,
  description:
    'Evidence ledger: S3 deposits hashed, signed by two parties with KMS, chained in DynamoDB',
  terminationProtection: true,
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
