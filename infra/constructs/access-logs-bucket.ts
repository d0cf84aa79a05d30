import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** TLS 1.2 or later for every request to the project's buckets. */
export const MINIMUM_TLS_VERSION = 1.2;

/**
 * Receives the S3 server access logs of the evidence and anchor buckets. S3 writes
 * access logs only to SSE-S3 buckets, so this one cannot use the storage key.
 */
export class AccessLogsBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: { readonly retentionDays: number }) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: MINIMUM_TLS_VERSION,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(props.retentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
