/**
 * The deployment's settings: read from CDK context (`cdk.json` or `-c key=value`) and
 * validated with zod before any construct is created, so a typo fails the synth with a
 * message naming the key instead of deploying a bucket with the wrong retention.
 *
 * Context values given with `-c` arrive as strings; numbers and lists are coerced here.
 */
import { z } from 'zod';
import type { TwoAccountSetting } from '../two-account-names.js';
import { partitionOf } from '../two-account-names.js';
import { ANCHOR_FUNCTION } from '../../definitions/anchor.js';

/** Retention periods CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** Context keys that only the two-account mode reads (docs/DEPLOY.md, "Two-account mode"). */
export const TWO_ACCOUNT_KEYS = [
  'operatorAccount',
  'custodianAccount',
  'region',
  'trustedAgencyKeyArn',
  'operatorStorageKeyArn',
  'custodianStorageKeyArn',
] as const;

/** The context keys this app reads; each is documented in docs/DEPLOY.md. */
export const CONTEXT_KEYS = [
  'deploymentName',
  'ledgerOrigin',
  'evidenceRetentionDays',
  'evidenceRetentionMode',
  'anchorRetentionDays',
  'agencyKeyArn',
  'custodianKeyArn',
  'uploaderPrincipalArns',
  'logRetentionDays',
  'alarmEmail',
  'alarmTopicArn',
  'anchorScheduleMinutes',
  'anchorMaxRecordsPerRun',
  'pendingDepositAlarmMinutes',
  'anchorStalledIntervals',
  'tsaUrl',
  'tsaCertificatePem',
  'auditorPrincipalArns',
  'deploymentMode',
  ...TWO_ACCOUNT_KEYS,
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const DAYS_IN_100_YEARS = 36_500;
const PEM_CERTIFICATE =
  /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\r?\n?$/;
/** Lambda allows 4 KB of environment in all; the other variables of the auditor take < 1 KB. */
const MAX_PEM_LENGTH = 3072;

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The account and region in a KMS key ARN. */
function keyArnPlace(arn: string): { account: string; region: string } {
  const [, , , region = '', account = ''] = arn.split(':');
  return { account, region };
}

const days = (fallback: number) =>
  z.coerce.number().int().min(1).max(DAYS_IN_100_YEARS).default(fallback);

/** Accepts a JSON array, a comma-separated string (as `-c` gives it) or nothing. */
const principalList = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return value; // not an array: the schema below reports it
      }
    }
    return text === '' ? [] : text.split(',').map((part) => part.trim());
  },
  z.array(z.string().regex(IAM_PRINCIPAL_ARN, 'expected an IAM role or user ARN')).default([]),
);

export const stackConfigSchema = z
  .object({
    /** Stack name and resource-name prefix; bucket names are built from it, so it is short. */
    deploymentName: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/, '3-24 chars: lowercase letters, digits, hyphens')
      .default('evidence-ledger'),
    /** The ledger's origin line in its checkpoints (C2SP signed-note): a schema-less URL. */
    ledgerOrigin: z
      .string()
      .regex(
        /^[a-z0-9.-]+(\/[\w.-]+)*$/,
        'a schema-less origin such as ledger.example.org/evidence',
      )
      .default('evidence-ledger.example/ledger'),
    evidenceRetentionDays: days(3650),
    /** GOVERNANCE can be lifted by a privileged user: only for test environments. */
    evidenceRetentionMode: z.enum(['COMPLIANCE', 'GOVERNANCE']).default('COMPLIANCE'),
    /** Anchors are always COMPLIANCE; only their retention period is configurable. */
    anchorRetentionDays: days(3650),
    /** A key in the party's own account; when absent the stack creates the party's key. */
    agencyKeyArn: z.string().regex(KMS_KEY_ARN, 'expected a KMS key ARN').optional(),
    custodianKeyArn: z.string().regex(KMS_KEY_ARN, 'expected a KMS key ARN').optional(),
    uploaderPrincipalArns: principalList,
    logRetentionDays: z.coerce
      .number()
      .int()
      .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), {
        message: `one of ${LOG_RETENTION_DAYS.join(', ')}`,
      })
      .default(365),
    alarmEmail: z.email().optional(),
    alarmTopicArn: z.string().regex(SNS_TOPIC_ARN, 'expected an SNS topic ARN').optional(),
    /** How often the anchor function publishes a checkpoint. */
    anchorScheduleMinutes: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(15),
    /** Most new records one anchor run covers; a backlog is caught up by consecutive runs. */
    anchorMaxRecordsPerRun: z.coerce
      .number()
      .int()
      .min(1)
      .max(ANCHOR_FUNCTION.defaultMaxRecordsPerRun)
      .default(ANCHOR_FUNCTION.defaultMaxRecordsPerRun),
    /** Alarm when a deposit uploaded this long ago is still pending (not appended, not failed). */
    pendingDepositAlarmMinutes: z.coerce
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(60),
    /** Alarm when the anchor published nothing for this many intervals while records waited. */
    anchorStalledIntervals: z.coerce.number().int().min(1).max(24).default(3),
    /** RFC 3161 time-stamping authority the anchor asks for a token on each checkpoint. */
    tsaUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** That TSA's certificate (PEM), which the auditor checks the tokens against. */
    tsaCertificatePem: z
      .string()
      .max(
        MAX_PEM_LENGTH,
        `at most ${String(MAX_PEM_LENGTH)} characters (Lambda environment limit)`,
      )
      .regex(PEM_CERTIFICATE, 'expected one PEM certificate (-----BEGIN CERTIFICATE-----)')
      .optional(),
    /** IAM roles or users of this account that get the EvidenceAuditor policy attached. */
    auditorPrincipalArns: principalList,
    /**
     * `single-account`: one stack holds both parties (trials). `two-account`: the custodian's
     * key, functions and state are a stack of their own in the custodian's account.
     */
    deploymentMode: z.enum(['single-account', 'two-account']).default('single-account'),
    /** Two-account mode: account A (operator and agency) and account B (custodian). */
    operatorAccount: z.string().regex(ACCOUNT_ID, 'expected a 12-digit account id').optional(),
    custodianAccount: z.string().regex(ACCOUNT_ID, 'expected a 12-digit account id').optional(),
    /** Two-account mode: the region of both stacks. */
    region: z.string().regex(REGION, 'expected a region such as eu-west-1').optional(),
    /** Two-account mode, custodian stack: the agency key it verifies (main stack's AgencyKeyArn output). */
    trustedAgencyKeyArn: z.string().regex(KMS_KEY_ARN, 'expected a KMS key ARN').optional(),
    /** Two-account mode, custodian stack: the operator's storage key (main stack's StorageKeyArn output). */
    operatorStorageKeyArn: z.string().regex(KMS_KEY_ARN, 'expected a KMS key ARN').optional(),
    /** Two-account mode, main stack: the custodian's storage key (custodian stack's StorageKeyArn output). */
    custodianStorageKeyArn: z.string().regex(KMS_KEY_ARN, 'expected a KMS key ARN').optional(),
  })
  .strict()
  .refine((config) => !(config.alarmEmail !== undefined && config.alarmTopicArn !== undefined), {
    message: 'give alarmEmail (the stack creates a topic) or alarmTopicArn, not both',
    path: ['alarmTopicArn'],
  })
  // CloudWatch evaluates an alarm over at most one day.
  .refine((config) => config.anchorStalledIntervals * config.anchorScheduleMinutes <= 24 * 60, {
    message:
      'anchorStalledIntervals × anchorScheduleMinutes must be at most one day (1440 minutes)',
    path: ['anchorStalledIntervals'],
  })
  .superRefine((config, context) => {
    for (const message of deploymentModeIssues(config)) {
      context.addIssue({ code: 'custom', message: message.text, path: [message.key] });
    }
  });

type ModeFields = { readonly deploymentMode: string } & Partial<
  Record<(typeof TWO_ACCOUNT_KEYS)[number] | 'agencyKeyArn' | 'custodianKeyArn', string | undefined>
>;

/** What is wrong with the mode's settings, one issue per key. */
function deploymentModeIssues(config: ModeFields): { key: string; text: string }[] {
  if (config.deploymentMode !== 'two-account') {
    return TWO_ACCOUNT_KEYS.filter((key) => config[key] !== undefined).map((key) => ({
      key,
      text: 'only read with deploymentMode=two-account',
    }));
  }
  const issues: { key: string; text: string }[] = [];
  for (const key of ['operatorAccount', 'custodianAccount', 'region'] as const) {
    if (config[key] === undefined)
      issues.push({ key, text: 'required with deploymentMode=two-account' });
  }
  if (config.operatorAccount !== undefined && config.operatorAccount === config.custodianAccount) {
    issues.push({ key: 'custodianAccount', text: 'must differ from operatorAccount' });
  }
  if (config.agencyKeyArn !== undefined) {
    issues.push({
      key: 'agencyKeyArn',
      text: 'not with two-account: the main stack creates the agency key',
    });
  }
  if ((config.trustedAgencyKeyArn === undefined) !== (config.operatorStorageKeyArn === undefined)) {
    issues.push({
      key: 'operatorStorageKeyArn',
      text: 'give trustedAgencyKeyArn and operatorStorageKeyArn together',
    });
  }
  if ((config.custodianKeyArn === undefined) !== (config.custodianStorageKeyArn === undefined)) {
    issues.push({
      key: 'custodianStorageKeyArn',
      text: 'give custodianKeyArn and custodianStorageKeyArn together',
    });
  }
  const placed: [string, string | undefined, string | undefined][] = [
    ['custodianKeyArn', config.custodianKeyArn, config.custodianAccount],
    ['custodianStorageKeyArn', config.custodianStorageKeyArn, config.custodianAccount],
    ['trustedAgencyKeyArn', config.trustedAgencyKeyArn, config.operatorAccount],
    ['operatorStorageKeyArn', config.operatorStorageKeyArn, config.operatorAccount],
  ];
  for (const [key, arn, account] of placed) {
    if (arn === undefined) continue;
    const place = keyArnPlace(arn);
    if (place.account !== account || place.region !== config.region) {
      issues.push({
        key,
        text: `expected a key in account ${String(account)}, region ${String(config.region)}`,
      });
    }
  }
  return issues;
}

export type StackConfig = z.infer<typeof stackConfigSchema>;

export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
  constructor(
    readonly issues: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`invalid CDK context:\n  ${issues.join('\n  ')}`, options);
  }
}

/** Validates raw context values; keys that are undefined count as not given. */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>): StackConfig {
  const given = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
  const result = stackConfigSchema.safeParse(given);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new StackConfigError(issues, { cause: result.error });
  }
  return result.data;
}

/** Reads this app's keys from CDK context (a construct node's `tryGetContext`). */
export function readStackConfig(context: { tryGetContext(key: string): unknown }): StackConfig {
  return parseStackConfig(
    Object.fromEntries(CONTEXT_KEYS.map((key) => [key, context.tryGetContext(key)])),
  );
}

/** The two-account setting of a two-account config (validated above); undefined in single-account mode. */
export function twoAccountSetting(config: StackConfig): TwoAccountSetting | undefined {
  if (config.deploymentMode !== 'two-account') return undefined;
  const { operatorAccount, custodianAccount, region } = config;
  if (operatorAccount === undefined || custodianAccount === undefined || region === undefined) {
    throw new StackConfigError([
      'deploymentMode: two-account needs operatorAccount, custodianAccount and region',
    ]);
  }
  return {
    deploymentName: config.deploymentName,
    operatorAccount,
    custodianAccount,
    region,
    partition: partitionOf(region),
  };
}
