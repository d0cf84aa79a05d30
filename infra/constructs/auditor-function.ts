import { ManagedPolicy, PolicyStatement, Role, User } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { AuditorEnvName } from '../../definitions/auditor.js';
import { AUDITOR_ENV_NAMES, AUDITOR_FUNCTION } from '../../definitions/auditor.js';
import { CHECKPOINTS_PREFIX, LOG_PREFIX } from './anchor-function.js';
import type { ContinuationKey } from './continuation-key.js';
import type { LedgerFunctionDefinition } from './ledger-function.js';
import {
  LedgerFunction,
  ledgerFunctionProps,
  type LedgerFunctionOptions,
} from './ledger-function.js';
import type { ItemAction, LedgerTable, TableTarget } from './ledger-table.js';
import type { LockedBucket } from './locked-bucket.js';
import type { Party, PartySigningKey } from './party-signing-key.js';
import { ENV } from '../../definitions/environment.js';

/** The auditor's definition as the construct takes it: TSA_CERTIFICATE_PEM is bound too, '' when unset. */
export const AUDITOR_DEFINITION: LedgerFunctionDefinition<AuditorEnvName> = {
  id: AUDITOR_FUNCTION.id,
  entry: AUDITOR_FUNCTION.entry,
  timeoutSeconds: AUDITOR_FUNCTION.timeoutSeconds,
  memoryMiB: AUDITOR_FUNCTION.memoryMiB,
  env: AUDITOR_ENV_NAMES,
};

const TABLE_READS: readonly ItemAction[] = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
];

/** Its sealed state: read, and written conditionally (never backwards). */
export const STATE_ACTIONS: readonly ItemAction[] = ['dynamodb:GetItem', 'dynamodb:PutItem'];

export interface AuditorFunctionProps extends LedgerFunctionOptions {
  readonly ledger: LedgerTable;
  readonly deposits: LedgerTable;
  readonly anchors: LedgerTable;
  /** Its own table, for its sealed "verified up to" state: the one thing it writes. */
  readonly auditState: LedgerTable;
  /** Each party's own table (read: its co-signer state). */
  readonly partyTables: Readonly<Record<Party, TableTarget>>;
  readonly evidenceBucket: LockedBucket;
  readonly anchorBucket: LockedBucket;
  readonly signingKeys: Readonly<Record<Party, PartySigningKey>>;
  /** Seals the cursors and hashing states it answers with; this function becomes its only user. */
  readonly continuationKey: ContinuationKey;
  readonly origin: string;
  /** PEM certificate of the trusted RFC 3161 TSA; tokens are not checked when absent. */
  readonly tsaCertificatePem?: string | undefined;
}

/**
 * The auditor: invoked by auditors (`aws lambda invoke`), it verifies the ledger, evidence,
 * proofs and checkpoints, and exports bundles in its response. Its role reads items of the
 * three tables, evidence object versions, checkpoint copies, the tiled log and the public
 * keys; it alone may MAC with its continuation key, and it alone may write its own table (its
 * sealed state: GetItem and PutItem, nothing else, on that table only).
 */
export class AuditorFunction extends LedgerFunction<AuditorEnvName> {
  constructor(scope: Construct, id: string, props: AuditorFunctionProps) {
    super(scope, id, ledgerFunctionProps(AUDITOR_DEFINITION, props));
    this.bindTable(ENV.ledgerTable, props.ledger, TABLE_READS);
    this.bindTable(ENV.depositsTable, props.deposits, TABLE_READS);
    this.bindTable(ENV.anchorsTable, props.anchors, TABLE_READS);
    // The table is its own: no other role of the stack is granted anything on it.
    this.bindTable(ENV.auditStateTable, props.auditState, STATE_ACTIONS);
    this.grantReadObjectVersions(
      props.evidenceBucket,
      'Any evidence key may be a deposit; the auditor reads the versions its Deposits items name.',
    );
    this.bindBucketPrefix(
      ENV.anchorBucket,
      props.anchorBucket,
      CHECKPOINTS_PREFIX,
      'read',
      'The auditor compares every checkpoint with its WORM copy under checkpoints/.',
    );
    this.bindBucketPrefix(
      ENV.anchorBucket,
      props.anchorBucket,
      LOG_PREFIX,
      'read',
      'The auditor reads proofs from the tiles of the log under log/.',
    );
    // Completeness: every object version of the evidence bucket must be recorded or failed.
    this.bindSetting(ENV.evidenceBucket, props.evidenceBucket.bucket.bucketName);
    props.evidenceBucket.grantListVersions(this.role);
    // What each party last co-signed, from the party's own table.
    this.bindTable(ENV.agencyPartyTable, props.partyTables.agency, ['dynamodb:GetItem']);
    this.bindTable(ENV.custodianPartyTable, props.partyTables.custodian, ['dynamodb:GetItem']);
    this.bindVerifyingKey(ENV.agencyKeyId, props.signingKeys.agency);
    this.bindVerifyingKey(ENV.custodianKeyId, props.signingKeys.custodian);
    // The ARN is bound as a setting: the key's own construct grants (and denies) its use.
    this.bindSetting(ENV.continuationKeyId, props.continuationKey.keyArn);
    props.continuationKey.restrictTo(this.role);
    this.bindSetting(ENV.origin, props.origin);
    this.bindSetting(ENV.tsaCertificate, props.tsaCertificatePem ?? '');
  }

  /** What an auditor's identity policy needs: lambda:InvokeFunction on this function only. */
  invokerStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.functionArn],
      }),
    ];
  }
}

/**
 * The `<deploymentName>-EvidenceAuditor` managed policy: invoke the auditor, nothing else.
 * Attached to the listed roles and users, which must be in this account (the policy is
 * attached by name); an auditor elsewhere assumes one of them.
 */
export function evidenceAuditorPolicy(
  scope: Construct,
  auditor: AuditorFunction,
  config: { readonly deploymentName: string; readonly auditorPrincipalArns: readonly string[] },
): ManagedPolicy {
  const policy = new ManagedPolicy(scope, 'EvidenceAuditor', {
    managedPolicyName: `${config.deploymentName}-EvidenceAuditor`,
    description: 'Invoke the read-only auditor function of the evidence ledger',
    statements: auditor.invokerStatements(),
  });
  config.auditorPrincipalArns.forEach((arn, index) => {
    const id = `EvidenceAuditor${String(index)}`;
    if (arn.includes(':role/')) policy.attachToRole(Role.fromRoleArn(scope, id, arn));
    else policy.attachToUser(User.fromUserArn(scope, id, arn));
  });
  return policy;
}
