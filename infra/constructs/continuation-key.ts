import { RemovalPolicy } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { AnyPrincipal, Effect, Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CONTINUATION_KEY } from '../../definitions/auditor.js';

/** What the auditor does with the key; nobody else may do either. */
export const MAC_ACTIONS = ['kms:GenerateMac', 'kms:VerifyMac'] as const;

/**
 * The auditor's HMAC key (HMAC_256): it seals the cursors and hashing states the auditor
 * hands to its callers (core/audit/sealed-continuation.ts), so that a caller cannot forge
 * one. Only the auditor's role may compute or check a MAC with it: an identity grant for
 * that role, and a key-policy Deny of the MAC actions for every other principal (the account
 * root and administrators included), which no IAM allow can override. Key administration
 * stays with the account.
 */
export class ContinuationKey extends Construct {
  readonly key: Key;
  private user: IRole | undefined;

  constructor(scope: Construct, id: string, props: { readonly alias: string }) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      alias: props.alias,
      description: "Seals the evidence ledger auditor's continuation state (HMAC-SHA-256)",
      keySpec: KeySpec[CONTINUATION_KEY.keySpec],
      keyUsage: KeyUsage[CONTINUATION_KEY.keyUsage],
      // KMS rotates symmetric encryption keys only; a new HMAC key just voids open cursors.
      enableKeyRotation: false,
      // Retained like every key of the stack (a deleted key cannot be recovered).
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  get keyArn(): string {
    return this.key.keyArn;
  }

  /** Makes `role` the one principal that may GenerateMac/VerifyMac; callable once. */
  restrictTo(role: IRole): Grant {
    if (this.user !== undefined) throw new Error('the continuation key already has its one user');
    this.user = role;
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyMacToAllButTheAuditor',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: [...MAC_ACTIONS],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': role.roleArn } },
      }),
    );
    return Grant.addToPrincipal({
      grantee: role,
      actions: [...MAC_ACTIONS],
      resourceArns: [this.keyArn],
      conditions: { StringEquals: { 'kms:MacAlgorithm': CONTINUATION_KEY.macAlgorithm } },
    });
  }
}
