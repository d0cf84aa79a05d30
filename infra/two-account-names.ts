/**
 * The physical names and ARNs the two stacks of a two-account deployment use to name each
 * other's resources. CDK cannot pass references between accounts, so every resource one
 * account's policies name in the other account gets an explicit name built here, from the
 * deployment name, the two account ids and the region, by both stacks alike.
 *
 * Key ARNs carry a random key id and cannot be built: they are passed as context
 * (custodianKeyArn, trustedAgencyKeyArn, operatorStorageKeyArn; docs/DEPLOY.md).
 *
 * Pure data: no CDK and no SDK imports here.
 */

export interface TwoAccountSetting {
  readonly deploymentName: string;
  /** Account A: the operator's roles and the agency's party. */
  readonly operatorAccount: string;
  /** Account B: the custodian's party. */
  readonly custodianAccount: string;
  /** Both stacks' region: Lambda's queue polling and DynamoDB's table ARNs are regional. */
  readonly region: string;
  /** `aws`, `aws-cn`, `aws-us-gov` (partitionOf(region)): both accounts are in it. */
  readonly partition: string;
}

/** The partition of a region: both accounts are in it. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const queueUrl = (setting: TwoAccountSetting, account: string, name: string) =>
  `https://sqs.${setting.region}.amazonaws.com${setting.partition === 'aws-cn' ? '.cn' : ''}/${account}/${name}`;

const roleArn = (partition: string, account: string, name: string) =>
  `arn:${partition}:iam::${account}:role/${name}`;

/** Physical names of the operator's (A's) roles and resources that the custodian's policies name. */
export function operatorNames(setting: TwoAccountSetting) {
  const { deploymentName: name, operatorAccount: account, region, partition } = setting;
  const role = (id: string) => ({
    name: `${name}-${id}`,
    arn: roleArn(partition, account, `${name}-${id}`),
  });
  const table = (id: string) => {
    const tableName = `${name}-${id}`;
    return {
      name: tableName,
      arn: `arn:${partition}:dynamodb:${region}:${account}:table/${tableName}`,
    };
  };
  const appendQueue = `${name}-Append`;
  return {
    roles: {
      agencySigner: role('AgencySigner'),
      agencyCosigner: role('AgencyCosigner'),
      appender: role('Appender'),
      anchor: role('Anchor'),
      auditor: role('Auditor'),
    },
    tables: { deposits: table('Deposits'), ledger: table('Ledger') },
    appendQueue: {
      name: appendQueue,
      arn: `arn:${partition}:sqs:${region}:${account}:${appendQueue}`,
      url: queueUrl(setting, account, appendQueue),
    },
    /** The same name the main stack gives its evidence bucket (`<name>-evidence-<account>-<region>`). */
    evidenceBucket: `${name}-evidence-${account}-${region}`,
  };
}

/** Physical names of the custodian's (B's) roles and resources that the operator's policies name. */
export function custodianNames(setting: TwoAccountSetting) {
  const { deploymentName: name, custodianAccount: account, region, partition } = setting;
  const signSlug = `${name}-CustodianSign`;
  const cosigner = `${name}-CustodianCosigner`;
  return {
    roles: {
      custodianSigner: {
        name: `${name}-CustodianSigner`,
        arn: roleArn(partition, account, `${name}-CustodianSigner`),
      },
      custodianCosigner: { name: cosigner, arn: roleArn(partition, account, cosigner) },
    },
    functions: {
      custodianSigner: `${name}-CustodianSigner`,
      custodianCosigner: {
        name: cosigner,
        arn: `arn:${partition}:lambda:${region}:${account}:function:${cosigner}`,
      },
    },
    partyTable: {
      name: `${name}-CustodianParty`,
      arn: `arn:${partition}:dynamodb:${region}:${account}:table/${name}-CustodianParty`,
    },
    signQueue: {
      name: signSlug,
      arn: `arn:${partition}:sqs:${region}:${account}:${signSlug}`,
      url: queueUrl(setting, account, signSlug),
    },
  };
}

export type OperatorNames = ReturnType<typeof operatorNames>;
export type CustodianNames = ReturnType<typeof custodianNames>;
