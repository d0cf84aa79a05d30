import type { Acknowledgment } from 'aws-cdk-lib';
import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IGrantable, IRole } from 'aws-cdk-lib/aws-iam';
import { AnyPrincipal, Effect, Grant, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IPrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MINIMUM_TLS_VERSION } from './access-logs-bucket.js';
import type { CrossAccountRoles } from './cross-account.js';
import { crossAccountStatement } from './cross-account.js';
import type { PipelineQueue } from './pipeline-queue.js';
import type { StorageKey } from './storage-key.js';

/** Reading an exact object version (GetObject and HEAD with a version id): nothing else. */
export const READ_VERSION_ACTIONS = ['s3:GetObjectVersion'];

export type RetentionMode = 'COMPLIANCE' | 'GOVERNANCE';

export interface LockedBucketProps {
  /** Fixed name: the intake queue's policy must name the bucket before the bucket exists. */
  readonly bucketName: string;
  readonly retention: { readonly mode: RetentionMode; readonly days: number };
  readonly storageKey: StorageKey;
  readonly accessLogs: Bucket;
  readonly accessLogsPrefix: string;
  /**
   * Prefixes whose keys are written once and never removed or replaced (the anchor bucket's
   * `checkpoints/` and `log/tile/`): the policy then denies everyone delete markers there and
   * every write that does not carry `If-None-Match`.
   */
  readonly writeOncePrefixes?: readonly string[] | undefined;
}

/**
 * Actions nobody may take on a locked bucket, whatever their identity policy says: the
 * explicit Deny in the bucket policy wins over any Allow, including an administrator's.
 */
export const LOCK_PROTECTING_DENIES = [
  { sid: 'DenyObjectVersionDeletion', on: 'objects', actions: ['s3:DeleteObjectVersion'] },
  { sid: 'DenyGovernanceBypass', on: 'objects', actions: ['s3:BypassGovernanceRetention'] },
  {
    sid: 'DenyObjectLockConfigurationChanges',
    on: 'bucket',
    actions: ['s3:PutBucketObjectLockConfiguration'],
  },
] as const;

/**
 * s3:PutObjectRetention is denied to everyone but the principals a grant names: S3 asks for
 * it on a PutObject that sets its own retention (the anchor's WORM copies), not only on
 * PutObjectRetention calls. Those principals can only lock harder (see grantLockedWrites).
 */
const RETENTION_CHANGES_SID = 'DenyRetentionChanges';

/** Sids of the write-once prefixes' denies (LockedBucketProps.writeOncePrefixes). */
export const WRITE_ONCE_SIDS = {
  removal: 'DenyWriteOnceRemoval',
  overwrites: 'DenyWriteOnceOverwrites',
} as const;

/** Sids of the denies that keep a replaced key to its one writer (denyWritesExceptBy). */
export const REPLACED_KEY_SIDS = {
  removal: 'DenyReplacedKeyRemoval',
  otherWriters: 'DenyReplacedKeyOtherWriters',
} as const;

/**
 * A write-once bucket: versioned, Object Lock with a default retention, SSE-KMS with the
 * storage key, no public access, TLS only, access-logged, retained. Its policy denies
 * everyone the actions that would shorten or lift the lock, removing a legal hold, and
 * uploads encrypted under any other key.
 */
export class LockedBucket extends Construct {
  readonly bucket: Bucket;
  /** The bucket's name as given (tokens for account and region), usable before the bucket exists. */
  readonly bucketName: string;
  private readonly storageKey: StorageKey;
  private readonly retention: LockedBucketProps['retention'];
  private readonly retentionChanges: PolicyStatement;
  /** Principals exempt from the retention-changes Deny (grantLockedWrites). */
  private readonly retentionWriters: string[] = [];

  constructor(scope: Construct, id: string, props: LockedBucketProps) {
    super(scope, id);
    this.storageKey = props.storageKey;
    this.retention = props.retention;
    this.bucketName = props.bucketName;
    const { mode, days } = props.retention;
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        mode === 'COMPLIANCE'
          ? ObjectLockRetention.compliance(Duration.days(days))
          : ObjectLockRetention.governance(Duration.days(days)),
      encryption: BucketEncryption.KMS,
      encryptionKey: props.storageKey.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: MINIMUM_TLS_VERSION,
      // aws-cdk-lib's Bucket declares `isWebsite?` but IBucket `isWebsite`, which
      // exactOptionalPropertyTypes rejects; the object is the same.
      serverAccessLogsBucket: props.accessLogs as IBucket,
      serverAccessLogsPrefix: props.accessLogsPrefix,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.retentionChanges = this.deny(
      RETENTION_CHANGES_SID,
      ['s3:PutObjectRetention'],
      this.objectsArn,
    );
    this.denyLockRemoval();
    if (props.writeOncePrefixes?.length) this.denyRemovalAndOverwrites(props.writeOncePrefixes);
  }

  /** The ARN built from the name, for policies the bucket itself must depend on. */
  static arnForName(bucketName: string): string {
    return `arn:${Aws.PARTITION}:s3:::${bucketName}`;
  }

  private get objectsArn(): string {
    return this.bucket.arnForObjects('*');
  }

  private denyLockRemoval(): void {
    for (const { sid, on, actions } of LOCK_PROTECTING_DENIES) {
      this.deny(sid, [...actions], on === 'bucket' ? this.bucket.bucketArn : this.objectsArn);
    }
    // Placing a legal hold stays possible (it only protects more); lifting one does not.
    this.deny('DenyLegalHoldRemoval', ['s3:PutObjectLegalHold'], this.objectsArn, {
      StringEquals: { 's3:object-lock-legal-hold': 'OFF' },
    });
    // Objects must stay readable by the pipeline: an upload that names an encryption
    // (it may also name none and get the bucket default) must name the storage key.
    const encryption = 's3:x-amz-server-side-encryption';
    this.deny('DenyOtherEncryption', ['s3:PutObject'], this.objectsArn, {
      Null: { [encryption]: 'false' },
      StringNotEquals: { [encryption]: 'aws:kms' },
    });
    const keyId = 's3:x-amz-server-side-encryption-aws-kms-key-id';
    this.deny('DenyOtherEncryptionKeys', ['s3:PutObject'], this.objectsArn, {
      Null: { [keyId]: 'false' },
      StringNotEquals: { [keyId]: this.storageKey.key.keyArn },
    });
  }

  /**
   * Object Lock keeps every version, but a DeleteObject without a version id is allowed and
   * puts a delete marker on top, hiding the newest checkpoint from the current view; and a
   * second PutObject on the same key hides the first behind a new version. Both are refused
   * under each prefix, to every principal.
   */
  private denyRemovalAndOverwrites(prefixes: readonly string[]): void {
    const objects = prefixes.map((prefix) => this.bucket.arnForObjects(`${prefix}*`));
    this.deny(WRITE_ONCE_SIDS.removal, ['s3:DeleteObject', 's3:DeleteObjectVersion'], objects);
    // s3:if-none-match is absent unless the request carries If-None-Match (which S3 takes
    // only as `*` on a write): new keys only. This also refuses CopyObject and multipart
    // uploads there, whose first requests cannot carry the header; checkpoints need neither.
    this.deny(WRITE_ONCE_SIDS.overwrites, ['s3:PutObject'], objects, {
      Null: { 's3:if-none-match': 'true' },
    });
  }

  /**
   * A key that only `role` may give new versions (the tiled log's `checkpoint`, replaced on
   * every publish): every other principal is denied writes there, and everyone its removal.
   * Each version keeps the bucket's default retention.
   */
  denyWritesExceptBy(key: string, role: IRole): void {
    const object = this.bucket.arnForObjects(key);
    this.deny(REPLACED_KEY_SIDS.removal, ['s3:DeleteObject', 's3:DeleteObjectVersion'], object);
    this.deny(REPLACED_KEY_SIDS.otherWriters, ['s3:PutObject'], object, {
      ArnNotEquals: { 'aws:PrincipalArn': role.roleArn },
    });
  }

  private deny(
    sid: string,
    actions: string[],
    resource: string | readonly string[],
    conditions?: Record<string, unknown>,
  ): PolicyStatement {
    const statement = new PolicyStatement({
      sid,
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions,
      resources: typeof resource === 'string' ? [resource] : [...resource],
      ...(conditions === undefined ? {} : { conditions }),
    });
    this.bucket.addToResourcePolicy(statement);
    return statement;
  }

  /**
   * The cdk-nag IAM5 acknowledgment for a grant on this bucket's objects (`<bucket>/*`)
   * and nothing else: object keys are not known in advance, so grants name all of them.
   */
  objectsWildcardAcknowledgment(reason: string, prefix = ''): Acknowledgment {
    const logicalId: unknown = Stack.of(this).resolve(
      (this.bucket.node.defaultChild as CfnBucket).logicalId,
    );
    return { id: `AwsSolutions-IAM5[Resource::<${String(logicalId)}.Arn>/${prefix}*]`, reason };
  }

  /**
   * s3:GetObject and s3:GetObjectVersion under `prefix`, s3:ListBucket on the bucket (without
   * it S3 answers 403, not 404, for a key that does not exist), s3:ListBucketVersions for
   * listings under `prefix`, decryption through S3.
   */
  grantReadPrefix(grantee: IGrantable, prefix: string): void {
    this.storageKey.grantVia(grantee, 's3', 'read');
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resourceArns: [this.bucket.arnForObjects(`${prefix}*`)],
    });
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
    });
    // Versions and delete markers under `prefix`: reads that do not trust the current view.
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucketVersions'],
      resourceArns: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': `${prefix}*` } },
    });
  }

  /**
   * New object versions under `prefix`, each with its own Object Lock retention: s3:PutObject
   * and s3:PutObjectRetention there, data keys through S3, and an exemption for this role
   * from the bucket's retention-changes Deny. Never a delete and never a governance bypass:
   * those stay denied to everyone. The bucket then also denies everyone a lock mode weaker
   * than its own and a retention shorter than its default (less one day of rounding).
   */
  grantLockedWrites(role: IRole, prefix: string): void {
    this.storageKey.grantVia(role, 's3', 'write');
    Grant.addToPrincipal({
      grantee: role,
      actions: ['s3:PutObject', 's3:PutObjectRetention'],
      resourceArns: [this.bucket.arnForObjects(`${prefix}*`)],
    });
    if (this.retentionWriters.length === 0) this.denyWeakerLocks();
    this.retentionWriters.push(role.roleArn);
    this.retentionChanges.addCondition('ArnNotEquals', {
      'aws:PrincipalArn': [...this.retentionWriters],
    });
  }

  /**
   * New object versions under `prefix` under the bucket's default retention (the request
   * names no lock of its own, so no s3:PutObjectRetention): s3:PutObject there and data keys
   * through S3. Never a delete and never a governance bypass.
   */
  grantWrites(grantee: IGrantable, prefix: string): void {
    this.storageKey.grantVia(grantee, 's3', 'write');
    Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject'],
      resourceArns: [this.bucket.arnForObjects(`${prefix}*`)],
    });
  }

  private denyWeakerLocks(): void {
    const writes = ['s3:PutObject', 's3:PutObjectRetention'];
    const mode = 's3:object-lock-mode';
    this.deny('DenyWeakerLockMode', writes, this.objectsArn, {
      Null: { [mode]: 'false' },
      StringNotEquals: {
        [mode]:
          this.retention.mode === 'COMPLIANCE' ? ['COMPLIANCE'] : ['COMPLIANCE', 'GOVERNANCE'],
      },
    });
    const days = 's3:object-lock-remaining-retention-days';
    this.deny('DenyShorterRetention', writes, this.objectsArn, {
      Null: { [days]: 'false' },
      NumericLessThan: { [days]: String(this.retention.days - 1) },
    });
  }

  /** s3:GetObjectVersion on the objects, and decryption with the storage key through S3. */
  /** s3:ListBucketVersions on the whole bucket: who may enumerate every object version (the auditor). */
  grantListVersions(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucketVersions'],
      resourceArns: [this.bucket.bucketArn],
    });
  }

  grantReadVersions(grantee: IGrantable): Grant {
    this.storageKey.grantVia(grantee, 's3', 'read');
    return Grant.addToPrincipal({
      grantee,
      actions: READ_VERSION_ACTIONS,
      resourceArns: [this.objectsArn],
    });
  }

  /**
   * The resource-policy half of grantReadVersions for roles of another account (two-account
   * mode): s3:GetObjectVersion on the objects, and the storage key through S3.
   */
  allowReadVersionsBy(sid: string, roles: CrossAccountRoles): void {
    this.bucket.addToResourcePolicy(
      crossAccountStatement({
        sid,
        roles,
        actions: READ_VERSION_ACTIONS,
        resources: [this.objectsArn],
      }),
    );
    this.storageKey.allowViaFor(`${sid}ThroughS3`, roles, 's3', 'read');
  }

  /** The identity-policy statements an uploader needs: PutObject and the key through S3. */
  uploaderStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({ actions: ['s3:PutObject'], resources: [this.objectsArn] }),
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.storageKey.key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
        },
      }),
    ];
  }

  /**
   * Lets the given principals (possibly in other accounts) upload: the bucket policy
   * allows s3:PutObject, the key policy allows the data key S3 asks for on their behalf.
   */
  allowUploads(principals: readonly IPrincipal[]): void {
    if (principals.length === 0) return;
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowUploaders',
        principals: [...principals],
        actions: ['s3:PutObject'],
        resources: [this.objectsArn],
      }),
    );
    this.storageKey.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowUploadersThroughS3',
        principals: [...principals],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'], // in a key policy, "*" means this key
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
        },
      }),
    );
  }

  /**
   * Sends the bucket's event notifications to a queue, natively (no custom resource): the
   * queue policy is created first because S3 tests the destination when it is configured.
   */
  notifyQueue(events: readonly string[], destination: PipelineQueue): void {
    const queuePolicy = destination.allowS3Notifications(LockedBucket.arnForName(this.bucketName));
    const cfnBucket = this.bucket.node.defaultChild as CfnBucket;
    cfnBucket.notificationConfiguration = {
      queueConfigurations: events.map((event) => ({ event, queue: destination.queue.queueArn })),
    };
    this.bucket.node.addDependency(queuePolicy);
  }
}
