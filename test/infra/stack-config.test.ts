/** The deployment's context is validated before anything is built. */
import { describe, expect, it } from 'vitest';
import { parseStackConfig, StackConfigError } from '../../infra/config/stack-config.js';

const issuesOf = (raw: Record<string, unknown>): readonly string[] => {
  try {
    parseStackConfig(raw);
  } catch (error) {
    if (error instanceof StackConfigError) return error.issues;
    throw error;
  }
  return [];
};

describe('stack configuration from CDK context', () => {
  it('defaults to COMPLIANCE, 10-year retention, 1-year logs, 15-minute anchors, no external keys, no TSA, 1-hour pending and 3-interval anchor alarms', () => {
    expect(parseStackConfig({})).toEqual({
      deploymentName: 'evidence-ledger',
      ledgerOrigin: 'evidence-ledger.example/ledger',
      evidenceRetentionDays: 3650,
      evidenceRetentionMode: 'COMPLIANCE',
      anchorRetentionDays: 3650,
      uploaderPrincipalArns: [],
      auditorPrincipalArns: [],
      deploymentMode: 'single-account',
      logRetentionDays: 365,
      anchorScheduleMinutes: 15,
      anchorMaxRecordsPerRun: 10_000,
      pendingDepositAlarmMinutes: 60,
      anchorStalledIntervals: 3,
    });
  });

  it('accepts GOVERNANCE and coerces the strings that `-c key=value` gives', () => {
    expect(
      parseStackConfig({
        evidenceRetentionMode: 'GOVERNANCE',
        evidenceRetentionDays: '7',
        logRetentionDays: '30',
      }),
    ).toMatchObject({
      evidenceRetentionMode: 'GOVERNANCE',
      evidenceRetentionDays: 7,
      logRetentionDays: 30,
    });
  });

  it('rejects any other retention mode', () => {
    expect(issuesOf({ evidenceRetentionMode: 'NONE' })).toEqual([
      expect.stringMatching(/^evidenceRetentionMode:/),
    ]);
  });

  it('rejects a retention of zero days or a fraction', () => {
    expect(issuesOf({ evidenceRetentionDays: 0 })).toHaveLength(1);
    expect(issuesOf({ anchorRetentionDays: '1.5' })).toHaveLength(1);
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    expect(issuesOf({ logRetentionDays: 100 })).toEqual([
      expect.stringMatching(/^logRetentionDays:/),
    ]);
  });

  it('rejects an external key that is not a KMS key ARN', () => {
    expect(issuesOf({ agencyKeyArn: 'alias/agency' })).toEqual([
      expect.stringMatching(/^agencyKeyArn:/),
    ]);
    expect(
      parseStackConfig({
        custodianKeyArn:
          'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      }).custodianKeyArn,
    ).toMatch(/^arn:aws:kms:/);
  });

  it('reads uploaders from a comma-separated string or a JSON array and rejects non-IAM ARNs', () => {
    const roles = ['arn:aws:iam::111122223333:role/A', 'arn:aws:iam::111122223333:role/B'];
    expect(
      parseStackConfig({ uploaderPrincipalArns: roles.join(', ') }).uploaderPrincipalArns,
    ).toEqual(roles);
    expect(
      parseStackConfig({ uploaderPrincipalArns: JSON.stringify(roles) }).uploaderPrincipalArns,
    ).toEqual(roles);
    expect(issuesOf({ uploaderPrincipalArns: '*' })).toHaveLength(1);
  });

  it('rejects a deployment name that cannot prefix a bucket name', () => {
    expect(issuesOf({ deploymentName: 'Evidence_Ledger' })).toHaveLength(1);
    expect(issuesOf({ deploymentName: 'a-name-far-too-long-for-buckets' })).toHaveLength(1);
  });

  it('takes an alarm email or an alarm topic, not both', () => {
    expect(
      issuesOf({
        alarmEmail: 'ops@example.org',
        alarmTopicArn: 'arn:aws:sns:eu-west-1:111122223333:on-call',
      }),
    ).toEqual([expect.stringMatching(/^alarmTopicArn:/)]);
  });

  it('bounds the anchor schedule between 5 minutes and a day', () => {
    expect(issuesOf({ anchorScheduleMinutes: 1 })).toHaveLength(1);
    expect(issuesOf({ anchorMaxRecordsPerRun: 10_001 })).toHaveLength(1);
    expect(issuesOf({ anchorMaxRecordsPerRun: 0 })).toHaveLength(1);
    expect(parseStackConfig({ anchorScheduleMinutes: '15' }).anchorScheduleMinutes).toBe(15);
  });

  it('takes an http(s) TSA URL and rejects anything else', () => {
    expect(parseStackConfig({ tsaUrl: 'http://timestamp.example.org/tsr' }).tsaUrl).toBe(
      'http://timestamp.example.org/tsr',
    );
    expect(issuesOf({ tsaUrl: 'ftp://tsa.example.org' })).toEqual([
      expect.stringMatching(/^tsaUrl:/),
    ]);
  });

  it('takes one PEM certificate for the TSA, small enough for the Lambda environment', () => {
    const pem = (body: string) =>
      `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
    expect(parseStackConfig({ tsaCertificatePem: pem('MIIBexample==') }).tsaCertificatePem).toBe(
      pem('MIIBexample=='),
    );
    expect(issuesOf({ tsaCertificatePem: 'MIIBexample==' })).toHaveLength(1);
    expect(issuesOf({ tsaCertificatePem: pem('A'.repeat(4000)) })).toHaveLength(1);
  });

  it('reads auditor principals like uploaders', () => {
    expect(
      parseStackConfig({ auditorPrincipalArns: 'arn:aws:iam::111122223333:role/Auditor' })
        .auditorPrincipalArns,
    ).toEqual(['arn:aws:iam::111122223333:role/Auditor']);
    expect(
      issuesOf({ auditorPrincipalArns: 'arn:aws:sts::111122223333:assumed-role/A/b' }),
    ).toHaveLength(1);
  });
});
