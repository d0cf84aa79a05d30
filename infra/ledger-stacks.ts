import type { App } from 'aws-cdk-lib';
import type { StackConfig } from './config/stack-config.js';
import { twoAccountSetting } from './config/stack-config.js';
import { CustodianPartyStack } from './custodian-party-stack.js';
import { EvidenceLedgerStack } from './evidence-ledger-stack.js';

/** Stack ids (`cdk deploy <id>`): the main stack keeps its id in both modes. */
export const STACK_IDS = { main: 'EvidenceLedger', custodian: 'EvidenceLedgerCustodian' } as const;

export interface LedgerStacks {
  /** Absent in two-account mode until custodianKeyArn is given (the custodian stack comes first). */
  readonly main: EvidenceLedgerStack | undefined;
  readonly custodian: CustodianPartyStack | undefined;
  /** Why a stack was left out, for the CLI to print. */
  readonly notes: readonly string[];
}

const DESCRIPTION =
  'Evidence ledger: S3 deposits hashed, signed by two parties with KMS, chained in DynamoDB';

/**
 * The app's stacks for a configuration: one stack in single-account mode; in two-account
 * mode the custodian's stack (account B) and the main stack (account A), each pinned to its
 * account and the region, so `cdk deploy` refuses credentials of the wrong account.
 */
export function addLedgerStacks(app: App, config: StackConfig): LedgerStacks {
  const setting = twoAccountSetting(config);
  const common = { config, terminationProtection: true } as const;
  if (setting === undefined) {
    const main = new EvidenceLedgerStack(app, STACK_IDS.main, {
      ...common,
      stackName: config.deploymentName,
      description: DESCRIPTION,
    });
    return { main, custodian: undefined, notes: [] };
  }
  const custodian = new CustodianPartyStack(app, STACK_IDS.custodian, {
    ...common,
    setting,
    stackName: `${config.deploymentName}-custodian`,
    description: `${DESCRIPTION} (the custodian's party, two-account mode)`,
    env: { account: setting.custodianAccount, region: setting.region },
  });
  if (config.custodianKeyArn === undefined) {
    return {
      main: undefined,
      custodian,
      notes: [
        `two-account mode: ${STACK_IDS.main} needs -c custodianKeyArn (output of ${STACK_IDS.custodian}); not synthesized`,
      ],
    };
  }
  const main = new EvidenceLedgerStack(app, STACK_IDS.main, {
    ...common,
    stackName: config.deploymentName,
    description: `${DESCRIPTION} (operator and agency, two-account mode)`,
    env: { account: setting.operatorAccount, region: setting.region },
  });
  return { main, custodian, notes: [] };
}
