import { RemovalPolicy } from 'aws-cdk-lib';
import type { IGrantable, IRole } from 'aws-cdk-lib/aws-iam';
import {
  AccountRootPrincipal,
  AnyPrincipal,
  ArnPrincipal,
  Effect,
  Grant,
  PolicyDocument,
  PolicyStatement,
} from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SIGNING_KEY } from '../../definitions/pipeline.js';
import type { CrossAccountRoles } from './cross-account.js';
import { crossAccountStatement } from './cross-account.js';

export type Party = 'agency' | 'custodian';

export interface PartySigningKeyProps {
  readonly party: Party;
  /** Alias for a key the stack creates. */
  readonly alias: string;
  /** A key the party holds in its own account; the stack then creates none. */
  readonly externalKeyArn?: string | undefined;
}

/** What KmsSigner sends (functions/shared/kms-signer.ts): SHA-256 digests, never raw bytes. */
export const SIGNING_MESSAGE_TYPE = 'DIGEST';

/**
 * What the owning account may do with a party's key: administer it, never use it to sign.
 * No kms:Sign, no kms:CreateGrant (a grant could hand signing to anyone), no kms:Verify or
 * other cryptographic operation, no kms:ReplicateKey (a replica gets a policy of its own),
 * no wildcards. kms:PutKeyPolicy has to stay (KMS refuses a policy that locks its own
 * administrators out), so an administrator can still rewrite this policy: that is a
 * separate, visible CloudTrail event, and the two-account deployment is the answer to it.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetPublicKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:ListKeyPolicies',
  'kms:GetKeyRotationStatus',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

/** Sids of the key policy, so tests and the example policy in docs/ name the same statements. */
export const KEY_POLICY_SIDS = {
  administration: 'KeyAdministrationWithoutSigning',
  partySigns: 'PartyRolesMaySignDigestsWithEcdsaSha256',
  denyOthers: 'DenySigningToEveryOtherPrincipal',
  denyAlgorithms: 'DenyOtherSigningAlgorithms',
  denyMessageTypes: 'DenyRawMessages',
  denyGrants: 'DenyGrants',
  /** Two-account mode: the other account's roles that verify this party's signatures. */
  otherAccountReadsPublicKey: 'OtherAccountRolesReadThePublicKey',
} as const;

/**
 * One party's asymmetric signing key (ECC_NIST_P256, SIGN_VERIFY). Either created here,
 * or the ARN of a key in the party's own account, whose key policy the party writes
 * (docs/DEPLOY.md); grants then only add the identity-policy half of the cross-account
 * permission and never touch the party's key.
 *
 * A created key's policy lets exactly the roles passed to `allowSigningBy` sign, and denies
 * kms:Sign to every other principal (the account root and administrators included) in an
 * explicit Deny that no IAM allow overrides; the account keeps key administration without
 * signing rights.
 */
export class PartySigningKey extends Construct {
  readonly party: Party;
  readonly key: IKey;
  /** True when the key lives in another account and is only referenced by ARN. */
  readonly external: boolean;
  /** Roles the key policy lets sign (created keys only); see allowSigningBy. */
  private readonly signingRoleArns: string[] = [];
  private readonly policy: PolicyDocument | undefined;
  private readonly denyOthers: PolicyStatement | undefined;
  private partySigns: PolicyStatement | undefined;

  constructor(scope: Construct, id: string, props: PartySigningKeyProps) {
    super(scope, id);
    this.party = props.party;
    this.external = props.externalKeyArn !== undefined;
    if (props.externalKeyArn !== undefined) {
      this.key = Key.fromKeyArn(this, 'External', props.externalKeyArn);
      return;
    }
    // Until a role is allowed, nobody signs: the Deny has no exemption yet.
    this.denyOthers = denySign(KEY_POLICY_SIDS.denyOthers);
    // Given a policy, the Key does not add its default `kms:*` for the account root.
    this.policy = new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: KEY_POLICY_SIDS.administration,
          principals: [new AccountRootPrincipal()],
          actions: [...KEY_ADMINISTRATION_ACTIONS],
          resources: ['*'], // in a key policy, "*" means this key
        }),
        this.denyOthers,
        denySign(KEY_POLICY_SIDS.denyAlgorithms, {
          StringNotEquals: { 'kms:SigningAlgorithm': SIGNING_KEY.signingAlgorithm },
        }),
        denySign(KEY_POLICY_SIDS.denyMessageTypes, {
          StringNotEquals: { 'kms:MessageType': SIGNING_MESSAGE_TYPE },
        }),
        new PolicyStatement({
          sid: KEY_POLICY_SIDS.denyGrants,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
        }),
      ],
    });
    this.key = new Key(this, 'Key', {
      alias: props.alias,
      description: `The ${props.party}'s evidence ledger signing key`,
      keySpec: KeySpec[SIGNING_KEY.keySpec],
      keyUsage: KeyUsage[SIGNING_KEY.keyUsage],
      // Asymmetric keys cannot be rotated by KMS; a new key means a new ledger key id.
      enableKeyRotation: false,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: this.policy,
    });
  }

  get keyArn(): string {
    return this.key.keyArn;
  }

  /**
   * Lets these roles of this party sign, ECDSA_SHA_256 over digests only: the key policy
   * allows them and exempts them from its Deny, and each role's identity policy allows it.
   */
  allowSigningBy(roles: readonly IRole[]): void {
    for (const role of roles) this.grantSign(role);
  }

  /** kms:Sign with this key for one role of this party (see allowSigningBy). */
  grantSign(role: IRole): Grant {
    if (this.policy !== undefined) this.addToKeyPolicy(role);
    return Grant.addToPrincipal({
      grantee: role,
      actions: ['kms:Sign'],
      resourceArns: [this.keyArn],
      conditions: { StringEquals: signingConditions() },
    });
  }

  /** The key-policy half: the statements hold the role list, so they resolve at synthesis. */
  private addToKeyPolicy(role: IRole): void {
    if (this.signingRoleArns.includes(role.roleArn)) return;
    this.signingRoleArns.push(role.roleArn);
    if (this.partySigns === undefined) {
      this.partySigns = new PolicyStatement({
        sid: KEY_POLICY_SIDS.partySigns,
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { StringEquals: signingConditions() },
      });
      this.policy?.addStatements(this.partySigns);
    }
    this.partySigns.addPrincipals(new ArnPrincipal(role.roleArn));
    this.denyOthers?.addCondition('ArnNotEquals', {
      'aws:PrincipalArn': [...this.signingRoleArns],
    });
  }

  /**
   * The key-policy half of kms:GetPublicKey for roles of another account (two-account mode),
   * which verify this party's signatures; created keys only. Never kms:Sign: the Deny stands.
   */
  allowPublicKeyReadsBy(roles: CrossAccountRoles): void {
    if (this.policy === undefined)
      throw new Error(`${this.party}: an external key's policy is its owner's`);
    this.policy.addStatements(
      crossAccountStatement({
        sid: KEY_POLICY_SIDS.otherAccountReadsPublicKey,
        roles,
        actions: ['kms:GetPublicKey'],
        resources: ['*'],
      }),
    );
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

function signingConditions(): Record<string, string> {
  return {
    'kms:SigningAlgorithm': SIGNING_KEY.signingAlgorithm,
    'kms:MessageType': SIGNING_MESSAGE_TYPE,
  };
}

/** Deny kms:Sign to every principal: explicit, so no IAM allow (the root's included) wins. */
function denySign(sid: string, conditions?: Record<string, unknown>): PolicyStatement {
  return new PolicyStatement({
    sid,
    effect: Effect.DENY,
    principals: [new AnyPrincipal()],
    actions: ['kms:Sign'],
    resources: ['*'],
    ...(conditions === undefined ? {} : { conditions }),
  });
}
