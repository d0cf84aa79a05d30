import { RemovalPolicy } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SIGNING_KEY } from '../definitions.js';

export type Party = 'agency' | 'custodian';

export interface PartySigningKeyProps {
  readonly party: Party;
  /** Alias for a key the stack creates. */
  readonly alias: string;
  /** A key the party holds in its own account; the stack then creates none. */
  readonly externalKeyArn?: string | undefined;
}

/**
 * One party's asymmetric signing key (ECC_NIST_P256, SIGN_VERIFY). Either created here,
 * or the ARN of a key in the party's own account, whose key policy the party writes
 * (docs/DEPLOY.md); grants then only add the identity-policy half of the cross-account
 * permission and never touch the party's key.
 */
export class PartySigningKey extends Construct {
  readonly party: Party;
  readonly key: IKey;
  /** True when the key lives in another account and is only referenced by ARN. */
  readonly external: boolean;

  constructor(scope: Construct, id: string, props: PartySigningKeyProps) {
    super(scope, id);
    this.party = props.party;
    this.external = props.externalKeyArn !== undefined;
    this.key =
      props.externalKeyArn !== undefined
        ? Key.fromKeyArn(this, 'External', props.externalKeyArn)
        : new Key(this, 'Key', {
            alias: props.alias,
            description: `The ${props.party}'s evidence ledger signing key`,
            keySpec: KeySpec[SIGNING_KEY.keySpec],
            keyUsage: KeyUsage[SIGNING_KEY.keyUsage],
            // Asymmetric keys cannot be rotated by KMS; a new key means a new ledger key id.
            enableKeyRotation: false,
            removalPolicy: RemovalPolicy.RETAIN,
          });
  }

  get keyArn(): string {
    return this.key.keyArn;
  }

  /** kms:Sign with this key only, and only with the ledger's signing algorithm. */
  grantSign(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['kms:Sign'],
      resourceArns: [this.keyArn],
      conditions: { StringEquals: { 'kms:SigningAlgorithm': SIGNING_KEY.signingAlgorithm } },
    });
  }

  /** kms:GetPublicKey, to verify this party's signatures. */
  grantGetPublicKey(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['kms:GetPublicKey'],
      resourceArns: [this.keyArn],
    });
  }
}
