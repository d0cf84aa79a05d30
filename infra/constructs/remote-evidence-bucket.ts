import type { Acknowledgment } from 'aws-cdk-lib';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { READ_VERSION_ACTIONS } from './locked-bucket.js';
import { grantStorageKeyVia } from './storage-key.js';

/**
 * The operator's evidence bucket as the custodian's stack sees it (two-account mode): named,
 * encrypted with the operator's storage key. Grants are the identity-policy half of
 * LockedBucket.grantReadVersions; the bucket and key policies in the operator's account
 * (LockedBucket.allowReadVersionsBy) are the other half.
 */
export class RemoteEvidenceBucket {
  constructor(
    readonly bucketName: string,
    private readonly partition: string,
    private readonly storageKeyArn: string,
  ) {}

  private get objectsArn(): string {
    return `arn:${this.partition}:s3:::${this.bucketName}/*`;
  }

  grantReadVersions(grantee: IGrantable): Grant {
    grantStorageKeyVia(grantee, this.storageKeyArn, 's3', 'read');
    return Grant.addToPrincipal({
      grantee,
      actions: READ_VERSION_ACTIONS,
      resourceArns: [this.objectsArn],
    });
  }

  /** The cdk-nag IAM5 acknowledgment for the grant on `<bucket>/*`, and nothing else. */
  objectsWildcardAcknowledgment(reason: string): Acknowledgment {
    return { id: `AwsSolutions-IAM5[Resource::${this.objectsArn}]`, reason };
  }
}
