/**
 * The CDK app (`cdk.json` runs it with tsx). Account- and region-agnostic: `cdk synth`
 * needs no AWS credentials; `cdk deploy` takes the account and region of the caller.
 * Settings come from CDK context, validated in infra/config/stack-config.ts; the stacks for
 * the deployment mode come from infra/ledger-stacks.ts.
 * cdk-nag's AwsSolutions pack runs on every synth as a policy-validation plugin: an
 * unacknowledged finding stops the synth (see policy-validation-report.json).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StackConfig } from './config/stack-config.js';
import { readStackConfig, StackConfigError } from './config/stack-config.js';
import { addLedgerStacks } from './ledger-stacks.js';

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
// Two-account mode (docs/DEPLOY.md): the custodian's stack too, and the main stack once it can name the custodian's key.
for (const note of addLedgerStacks(app, config).notes) console.error(note);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
