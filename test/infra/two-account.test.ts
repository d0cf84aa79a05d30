/**
 * Two-account mode: the custodian's key, signer, co-signer, table and queue are a stack in
 * the custodian's account (B); the main stack (A) only names them. Both templates are walked
 * to show that no principal of A can sign with the custodian's key, that each cross-account
 * statement gives exactly one custodian or operator role exactly what it uses, and that
 * cdk-nag passes on both stacks. The app itself is synthesized with `cdk synth` too.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStackConfig, StackConfigError } from '../../infra/config/stack-config.js';
import { REPOSITORY_ROOT } from '../../infra/constructs/ledger-function.js';
import type { CustodianPartyStack } from '../../infra/custodian-party-stack.js';
import {
  AGENCY_SIGNER_FUNCTION,
  DEPOSITS_TABLE,
  LEDGER_TABLE,
  WRITABLE_ATTRIBUTES,
} from '../../definitions/pipeline.js';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack.js';
import { addLedgerStacks } from '../../infra/ledger-stacks.js';
import {
  keyPolicyAllows,
  keyPolicyOf,
  roleArnJson,
  signDenyExemptions,
  statementCovers,
} from './support/signing-rights.js';
import type { PolicyStatementJson } from './support/template-queries.js';
import {
  asArray,
  identityStatements,
  logicalIdOf,
  propertiesOf,
  resourcePolicyStatements,
  resourcesOfType,
  statementsOfRole,
} from './support/template-queries.js';

const A = '111122223333';
const B = '444455556666';
const REGION = 'eu-west-1';
const CUSTODIAN_KEY_ARN = `arn:aws:kms:${REGION}:${B}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
const AGENCY_KEY_ARN = `arn:aws:kms:${REGION}:${A}:key/1a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
const STORAGE_KEY_ARN = `arn:aws:kms:${REGION}:${A}:key/2a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
const CUSTODIAN_STORAGE_KEY_ARN = `arn:aws:kms:${REGION}:${B}:key/3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;

const BASE_CONTEXT = {
  deploymentMode: 'two-account',
  operatorAccount: A,
  custodianAccount: B,
  region: REGION,
};
const FULL_CONTEXT = {
  ...BASE_CONTEXT,
  custodianKeyArn: CUSTODIAN_KEY_ARN,
  custodianStorageKeyArn: CUSTODIAN_STORAGE_KEY_ARN,
  trustedAgencyKeyArn: AGENCY_KEY_ARN,
  operatorStorageKeyArn: STORAGE_KEY_ARN,
};

const role = (account: string, name: string) =>
  `arn:aws:iam::${account}:role/evidence-ledger-${name}`;
const CUSTODIAN_SIGNER = role(B, 'CustodianSigner');
const CUSTODIAN_COSIGNER = role(B, 'CustodianCosigner');
const accountRoot = (account: string) => ({
  AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] },
});
const onlyRoles = (...arns: string[]) => ({ ArnEquals: { 'aws:PrincipalArn': arns } });

interface CdkJson {
  readonly context: Record<string, unknown>;
}
const cdkJson = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as CdkJson;

function synthesize(context: Record<string, unknown>) {
  const app = new App({
    context: { ...cdkJson.context, ...context, 'aws:cdk:bundling-stacks': [] },
  });
  return { app, stacks: addLedgerStacks(app, parseStackConfig(context)) };
}

let app: App;
let main: EvidenceLedgerStack;
let custodian: CustodianPartyStack;
let mainTemplate: Template;
let custodianTemplate: Template;

beforeAll(() => {
  const synthesized = synthesize(FULL_CONTEXT);
  app = synthesized.app;
  if (synthesized.stacks.main === undefined || synthesized.stacks.custodian === undefined) {
    throw new Error('both stacks expected');
  }
  main = synthesized.stacks.main;
  custodian = synthesized.stacks.custodian;
  mainTemplate = Template.fromStack(main);
  custodianTemplate = Template.fromStack(custodian);
}, 120_000);

/** Statements with a Sid of the given resource-policy type. */
function sidStatements(
  template: Template,
  type: 'AWS::S3::BucketPolicy' | 'AWS::SQS::QueuePolicy' | 'AWS::KMS::Key',
  sid: string,
): PolicyStatementJson[] {
  return resourcePolicyStatements(template, type)
    .map(({ statement }) => statement)
    .filter((statement) => statement.Sid?.startsWith(sid));
}

function tablePolicy(template: Template, tableId: string): PolicyStatementJson[] {
  const policy = propertiesOf(template, tableId).ResourcePolicy as
    { PolicyDocument: { Statement: PolicyStatementJson[] } } | undefined;
  return policy?.PolicyDocument.Statement ?? [];
}

const mainRole = (fn: { readonly role: IConstruct }) => logicalIdOf(main, fn.role);

describe('the main stack (operator and agency, account A)', () => {
  it('has no custodian key, no custodian function and no custodian table or queue', () => {
    const signingKeys = resourcesOfType(mainTemplate, 'AWS::KMS::Key').filter(
      ([, key]) => key.Properties?.KeyUsage === 'SIGN_VERIFY',
    );
    expect(signingKeys.map(([id]) => id)).toEqual([logicalIdOf(main, main.signingKeys.agency.key)]);
    expect(
      Object.keys(mainTemplate.toJSON().Resources as object).filter((id) => /Custodian/.test(id)),
    ).toEqual([]);
    expect(() => main.cosignerFunction('custodian')).toThrow(/another account/);
  });

  it('lets no principal of account A sign with the custodian key', () => {
    const signs = identityStatements(mainTemplate).filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        statementCovers(statement, 'kms:Sign') &&
        asArray(statement.Resource).some(
          (resource) => resource === '*' || JSON.stringify(resource).includes(B),
        ),
    );
    expect(signs).toEqual([]);
  });

  it('lets the anchor invoke the two co-signers, the custodian’s by its ARN in B, and sign nothing', () => {
    const anchor = statementsOfRole(mainTemplate, mainRole(main.anchorFunction));
    const invokes = anchor.filter((statement) =>
      statementCovers(statement, 'lambda:InvokeFunction'),
    );
    const resources = invokes
      .flatMap((statement) => asArray(statement.Resource))
      .map((r) => JSON.stringify(r));
    expect(resources.sort()).toEqual(
      [
        { 'Fn::GetAtt': [logicalIdOf(main, main.cosignerFunction('agency').function), 'Arn'] },
        `arn:aws:lambda:${REGION}:${B}:function:evidence-ledger-CustodianCosigner`,
      ]
        .map((r) => JSON.stringify(r))
        .sort(),
    );
    expect(anchor.filter((statement) => statementCovers(statement, 'kms:Sign'))).toEqual([]);
  });

  it('lets only the custodian signer read evidence versions, and the storage key only through S3', () => {
    expect(sidStatements(mainTemplate, 'AWS::S3::BucketPolicy', 'CustodianSigner')).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: accountRoot(B),
        Action: 's3:GetObjectVersion',
        Condition: onlyRoles(CUSTODIAN_SIGNER),
      }),
    ]);
    expect(
      sidStatements(mainTemplate, 'AWS::KMS::Key', 'CustodianSignerReadsVersionsThroughS3'),
    ).toEqual([
      expect.objectContaining({
        Principal: accountRoot(B),
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Condition: {
          StringEquals: {
            'kms:ViaService': {
              'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
            },
          },
          ...onlyRoles(CUSTODIAN_SIGNER),
        },
      }),
    ]);
  });

  it('lets the custodian signer read the mailbox and write only its attributes there', () => {
    const deposits = tablePolicy(mainTemplate, logicalIdOf(main, main.table(DEPOSITS_TABLE).table));
    const arn = `arn:aws:dynamodb:${REGION}:${A}:table/evidence-ledger-Deposits`;
    expect(deposits).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:GetItem',
        Resource: arn,
        Condition: onlyRoles(CUSTODIAN_SIGNER),
      }),
      expect.objectContaining({
        Action: 'dynamodb:UpdateItem',
        Resource: arn,
        Principal: accountRoot(B),
        Condition: {
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': [...WRITABLE_ATTRIBUTES.deposits.custodianSigner],
          },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] },
          ...onlyRoles(CUSTODIAN_SIGNER),
        },
      }),
    ]);
  });

  it('lets the custodian co-signer read the ledger (GetItem, Query) and nothing else', () => {
    const ledger = tablePolicy(mainTemplate, logicalIdOf(main, main.table(LEDGER_TABLE).table));
    expect(ledger).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:GetItem', 'dynamodb:Query'],
        Resource: `arn:aws:dynamodb:${REGION}:${A}:table/evidence-ledger-Ledger`,
        Principal: accountRoot(B),
        Condition: onlyRoles(CUSTODIAN_COSIGNER),
      }),
    ]);
  });

  it('lets the custodian signer send to the Append queue, nothing more', () => {
    expect(sidStatements(mainTemplate, 'AWS::SQS::QueuePolicy', 'CustodianSigner')).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Principal: accountRoot(B),
        Condition: onlyRoles(CUSTODIAN_SIGNER),
      }),
    ]);
  });

  it('lets the custodian’s two roles read the agency’s public key, and only agency roles sign with it', () => {
    const agencyKey = logicalIdOf(main, main.signingKeys.agency.key);
    expect(
      sidStatements(mainTemplate, 'AWS::KMS::Key', 'OtherAccountRolesReadThePublicKey'),
    ).toEqual([
      expect.objectContaining({
        Action: 'kms:GetPublicKey',
        Principal: accountRoot(B),
        Condition: onlyRoles(CUSTODIAN_SIGNER, CUSTODIAN_COSIGNER),
      }),
    ]);
    const agencyRoles = [
      main.ledgerFunction(AGENCY_SIGNER_FUNCTION),
      main.cosignerFunction('agency'),
    ].map((fn) => roleArnJson(mainRole(fn)));
    expect(keyPolicyAllows(mainTemplate, agencyKey, 'kms:Sign')).toEqual([...agencyRoles].sort());
    expect(signDenyExemptions(mainTemplate, agencyKey)).toEqual([...agencyRoles].sort());
  });
});

describe('the custodian stack (account B)', () => {
  const keyId = () => logicalIdOf(custodian, custodian.signingKey.key);
  const custodianRoles = () =>
    [custodian.signer, custodian.cosigner].map((fn) => {
      if (fn === undefined) throw new Error('functions expected');
      return roleArnJson(logicalIdOf(custodian, fn.role));
    });

  it('lets exactly its signer and co-signer sign, and denies kms:Sign to everyone else', () => {
    expect(keyPolicyAllows(custodianTemplate, keyId(), 'kms:Sign')).toEqual(
      custodianRoles().sort(),
    );
    expect(signDenyExemptions(custodianTemplate, keyId())).toEqual(custodianRoles().sort());
    const signers = identityStatements(custodianTemplate).filter(
      ({ statement }) => statement.Effect === 'Allow' && statementCovers(statement, 'kms:Sign'),
    );
    expect(
      signers
        .flatMap(({ roles }) => roles.map((r) => roleArnJson((r as { Ref: string }).Ref)))
        .sort(),
    ).toEqual(custodianRoles().sort());
  });

  it('gives account A nothing on its key but kms:GetPublicKey, for the four roles that verify', () => {
    const toA = keyPolicyOf(custodianTemplate, keyId()).filter(
      (statement) =>
        statement.Effect === 'Allow' && JSON.stringify(statement.Principal).includes(A),
    );
    expect(toA).toEqual([
      expect.objectContaining({
        Action: 'kms:GetPublicKey',
        Condition: onlyRoles(
          role(A, 'Appender'),
          role(A, 'Anchor'),
          role(A, 'Auditor'),
          role(A, 'AgencyCosigner'),
        ),
      }),
    ]);
  });

  it('lets A’s auditor read (GetItem only) the custodian’s memory, and B’s storage key only through DynamoDB', () => {
    const table = tablePolicy(
      custodianTemplate,
      logicalIdOf(custodian, custodian.partyTable.table),
    );
    expect(table).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:GetItem',
        Resource: `arn:aws:dynamodb:${REGION}:${B}:table/evidence-ledger-CustodianParty`,
        Principal: accountRoot(A),
        Condition: onlyRoles(role(A, 'Auditor')),
      }),
    ]);
    expect(
      sidStatements(
        custodianTemplate,
        'AWS::KMS::Key',
        'OperatorAuditorReadsCustodianMemoryThroughDynamoDB',
      ),
    ).toEqual([
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:DescribeKey'],
        Principal: accountRoot(A),
      }),
    ]);
    const auditorEnv = (
      propertiesOf(mainTemplate, logicalIdOf(main, main.auditorFunction.function)).Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(auditorEnv.CUSTODIAN_PARTY_TABLE).toBe(
      `arn:aws:dynamodb:${REGION}:${B}:table/evidence-ledger-CustodianParty`,
    );
  });

  it('lets only A’s anchor role invoke the co-signer, and only A’s agency signer send to its queue', () => {
    const permissions = resourcesOfType(custodianTemplate, 'AWS::Lambda::Permission').map(
      ([, r]) => r.Properties,
    );
    expect(permissions).toEqual([
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Principal: role(A, 'Anchor') }),
    ]);
    const allows = resourcePolicyStatements(custodianTemplate, 'AWS::SQS::QueuePolicy')
      .map(({ statement }) => statement)
      .filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Principal: accountRoot(A),
        Condition: onlyRoles(role(A, 'AgencySigner')),
      }),
    ]);
  });

  it('names A’s resources by ARN: the mailbox, the ledger, the Append queue, the evidence bucket', () => {
    const signer = custodian.signer;
    if (signer === undefined) throw new Error('signer expected');
    const env = (
      propertiesOf(custodianTemplate, logicalIdOf(custodian, signer.function)).Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(env).toMatchObject({
      DEPOSITS_TABLE: `arn:aws:dynamodb:${REGION}:${A}:table/evidence-ledger-Deposits`,
      EVIDENCE_BUCKET: `evidence-ledger-evidence-${A}-${REGION}`,
      APPEND_QUEUE_URL: `https://sqs.${REGION}.amazonaws.com/${A}/evidence-ledger-Append`,
      AGENCY_KEY_ID: AGENCY_KEY_ARN,
    });
  });

  it('before the operator’s keys are known, creates its key, table and queue, and no function or signer', () => {
    const { stacks } = synthesize(BASE_CONTEXT);
    expect(stacks.main).toBeUndefined();
    expect(stacks.notes).toEqual([expect.stringMatching(/custodianKeyArn/)]);
    const first = stacks.custodian;
    if (first === undefined) throw new Error('custodian stack expected');
    const template = Template.fromStack(first);
    expect(resourcesOfType(template, 'AWS::Lambda::Function')).toEqual([]);
    const key = logicalIdOf(first, first.signingKey.key);
    expect(keyPolicyAllows(template, key, 'kms:Sign')).toEqual([]);
    expect(signDenyExemptions(template, key)).toEqual([]);
  });
});

describe('the two-account context', () => {
  const issues = (context: Record<string, unknown>) => {
    try {
      parseStackConfig(context);
      return [];
    } catch (error) {
      if (!(error instanceof StackConfigError)) throw error;
      return error.issues;
    }
  };

  it('refuses two-account keys in single-account mode, and a missing or shared account', () => {
    expect(issues({ custodianAccount: B })).toEqual([
      'custodianAccount: only read with deploymentMode=two-account',
    ]);
    expect(
      issues({ deploymentMode: 'two-account', operatorAccount: A, custodianAccount: A }),
    ).toEqual([
      'region: required with deploymentMode=two-account',
      'custodianAccount: must differ from operatorAccount',
    ]);
  });

  it('refuses a custodian key outside the custodian’s account, and agencyKeyArn', () => {
    expect(
      issues({
        ...BASE_CONTEXT,
        custodianKeyArn: AGENCY_KEY_ARN,
        custodianStorageKeyArn: CUSTODIAN_STORAGE_KEY_ARN,
        agencyKeyArn: AGENCY_KEY_ARN,
      }),
    ).toEqual([
      'agencyKeyArn: not with two-account: the main stack creates the agency key',
      `custodianKeyArn: expected a key in account ${B}, region ${REGION}`,
    ]);
  });
});

describe('cdk-nag AwsSolutions on both stacks', () => {
  it('reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });
});

describe('`cdk synth` with the two-account context', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'two-account-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes both templates', () => {
    const context = Object.entries(FULL_CONTEXT).flatMap(([key, value]) => [
      '-c',
      `${key}=${value}`,
    ]);
    execFileSync('npx', ['cdk', 'synth', '--quiet', '-o', outdir, ...context], {
      cwd: REPOSITORY_ROOT,
      stdio: 'pipe',
    });
    expect(existsSync(path.join(outdir, 'EvidenceLedger.template.json'))).toBe(true);
    expect(existsSync(path.join(outdir, 'EvidenceLedgerCustodian.template.json'))).toBe(true);
  }, 300_000);
});
