import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { CrossAccountRoles } from './cross-account.js';
import { crossAccountStatement } from './cross-account.js';

/** The services that use the storage key on a caller's behalf. */
export type StorageService = 's3' | 'dynamodb' | 'sns';

/** `read`: decrypt what is stored; `write`: also encrypt new data (data keys). */
export type StorageAccess = 'read' | 'write';

const ACTIONS: Record<StorageAccess, readonly string[]> = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  write: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
};

/**
 * The symmetric customer-managed key that encrypts the buckets and tables at rest.
 * It is not a signing key: the parties' keys never encrypt data, and this one never signs.
 * Rotated yearly by KMS; retained with the data it protects.
 */
export class StorageKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: { readonly alias: string }) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      alias: props.alias,
      description: 'Encrypts the evidence ledger buckets and tables at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Lets the grantee use the key only through one service (kms:ViaService), as that
   * service does when the grantee reads or writes an encrypted object or item.
   */
  grantVia(grantee: IGrantable, service: StorageService, access: StorageAccess): Grant {
    return grantStorageKeyVia(grantee, this.key.keyArn, service, access);
  }

  /**
   * The key-policy half for roles of another account (two-account mode): the same actions,
   * through the same one service, for exactly those roles.
   */
  allowViaFor(
    sid: string,
    roles: CrossAccountRoles,
    service: StorageService,
    access: StorageAccess,
  ): void {
    this.key.addToResourcePolicy(
      crossAccountStatement({
        sid,
        roles,
        actions: ACTIONS[access],
        resources: ['*'], // in a key policy, "*" means this key
        conditions: viaService(service),
      }),
    );
  }
}

const viaService = (service: StorageService) => ({
  StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` },
});

/**
 * The identity-policy half of StorageKey.grantVia, for a storage key given by ARN (the
 * other account's, in two-account mode, whose key policy must allow the grantee too).
 */
export function grantStorageKeyVia(
  grantee: IGrantable,
  keyArn: string,
  service: StorageService,
  access: StorageAccess,
): Grant {
  return Grant.addToPrincipal({
    grantee,
    actions: [...ACTIONS[access]],
    resourceArns: [keyArn],
    conditions: viaService(service),
  });
}
