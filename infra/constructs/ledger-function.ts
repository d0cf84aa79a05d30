import type { Acknowledgment } from 'aws-cdk-lib';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionDefinition } from '../../definitions/pipeline.js';
import {
  METRICS_NAMESPACE,
  OBSERVABILITY_ENV,
  serviceName,
} from '../../definitions/observability.js';
import { ALARM_PERIOD, anyAboveZeroAlarm } from './alarms.js';
import type { ItemAction, TableTarget, WriteLimits } from './ledger-table.js';
import type { LockedBucket } from './locked-bucket.js';
import type { PartySigningKey } from './party-signing-key.js';
import type { QueueTarget } from './pipeline-queue.js';

/** A bucket whose object versions a function may read (own, or another account's). */
export type VersionedObjects = Pick<
  LockedBucket,
  'grantReadVersions' | 'objectsWildcardAcknowledgment'
>;

/** The repository root: function entries in the definitions are relative to it. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The defaults every Lambda of this project shares, fixed here once. */
export const LEDGER_FUNCTION_DEFAULTS = {
  runtime: Runtime.NODEJS_22_X,
  architecture: Architecture.ARM_64,
  tracing: Tracing.ACTIVE,
} as const;

/**
 * Powertools' service name and metrics namespace, and the Deployment dimension (the stack's
 * name), on every function: definitions/observability.ts.
 */
export function observabilityEnvironment(
  definitionId: string,
  deployment: string,
): Record<string, string> {
  return {
    [OBSERVABILITY_ENV.serviceName]: serviceName(definitionId),
    [OBSERVABILITY_ENV.metricsNamespace]: METRICS_NAMESPACE,
    [OBSERVABILITY_ENV.deployment]: deployment,
  };
}

/** esbuild emits ESM; packages that still call require() get one from createRequire. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __ledgerCreateRequire } from 'node:module'; const require = __ledgerCreateRequire(import.meta.url);";

/**
 * What the construct needs of a function's definition: a pipeline stage (definitions/pipeline.ts)
 * fits as is; the anchor and the auditor list every variable the stack binds in `env`.
 */
export type LedgerFunctionDefinition<E extends string> = Pick<
  FunctionDefinition,
  'id' | 'entry' | 'timeoutSeconds' | 'memoryMiB'
> & {
  /** Every variable the stack must bind; an optional setting is bound to '' when unset. */
  readonly env: readonly E[];
  readonly reservedConcurrency?: number;
};

export interface LedgerFunctionProps<E extends string> {
  readonly definition: LedgerFunctionDefinition<E>;
  readonly logRetention: RetentionDays;
  readonly alarmAction?: IAlarmAction | undefined;
  /**
   * Fixed role and function names, for a function another account's policies name
   * (two-account mode; infra/two-account-names.ts). Generated names otherwise.
   */
  readonly physicalName?: string | undefined;
}

/** What every function construct's props carry besides the definition. */
export type LedgerFunctionOptions = Omit<LedgerFunctionProps<string>, 'definition'>;

/** The LedgerFunction props for `definition` from a construct's `options`. */
export function ledgerFunctionProps<E extends string>(
  definition: LedgerFunctionDefinition<E>,
  options: LedgerFunctionOptions,
): LedgerFunctionProps<E> {
  const { logRetention, alarmAction, physicalName } = options;
  return { definition, logRetention, alarmAction, physicalName };
}

/**
 * A Lambda of this project: bundled ESM on nodejs22.x/arm64, traced (X-Ray active tracing,
 * the SDK clients through the Powertools Tracer), reporting Powertools logs and metrics as
 * its service (observabilityEnvironment), logging to its own
 * retained log group, alarmed on errors and throttles, with a role that holds nothing
 * until a bind/grant method adds exactly one permission set. A bind method also sets the
 * environment variable naming the resource, so a handler never sees a name it may not use;
 * synthesis fails if a variable the definition lists was never bound.
 */
export class LedgerFunction<E extends string> extends Construct {
  readonly definition: LedgerFunctionDefinition<E>;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly errorAlarm: Alarm;
  readonly throttleAlarm: Alarm;
  private readonly bound = new Set<E>();

  constructor(scope: Construct, id: string, props: LedgerFunctionProps<E>) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${definition.id} function of the evidence ledger`,
      ...(props.physicalName === undefined ? {} : { roleName: props.physicalName }),
    });
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      ...LEDGER_FUNCTION_DEFAULTS,
      entry: path.join(REPOSITORY_ROOT, definition.entry),
      handler: 'handler',
      ...(props.physicalName === undefined ? {} : { functionName: props.physicalName }),
      projectRoot: REPOSITORY_ROOT,
      depsLockFilePath: path.join(REPOSITORY_ROOT, 'package-lock.json'),
      role: this.role,
      logGroup: this.logGroup,
      memorySize: definition.memoryMiB,
      timeout: Duration.seconds(definition.timeoutSeconds),
      ...(definition.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: definition.reservedConcurrency }),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...observabilityEnvironment(definition.id, Stack.of(scope).stackName),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Bundle the AWS SDK too: the deployed code runs the versions the tests ran.
        externalModules: [],
      },
    });
    this.errorAlarm = anyAboveZeroAlarm(
      this,
      'ErrorAlarm',
      this.function.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      `${definition.id}: the function returned an error`,
      props.alarmAction,
    );
    this.throttleAlarm = anyAboveZeroAlarm(
      this,
      'ThrottleAlarm',
      this.function.metricThrottles({ period: ALARM_PERIOD, statistic: 'Sum' }),
      `${definition.id}: invocations were throttled`,
      props.alarmAction,
    );
    this.node.addValidation({ validate: () => this.unboundEnvironment() });
    this.suppressUnavoidableFindings();
  }

  get functionName(): string {
    return this.function.functionName;
  }

  /** Sends to the next stage's queue; `env` carries its URL. */
  bindNextQueue(env: E, next: QueueTarget): void {
    this.setEnv(env, next.queueUrl);
    next.grantSend(this.role);
  }

  /**
   * The listed item actions on one table; `env` carries its name. `limits` narrow what its
   * writes may touch (see LedgerTable.grantItemActions).
   */
  bindTable(
    env: E,
    table: TableTarget,
    actions: readonly ItemAction[],
    limits: WriteLimits = {},
  ): void {
    this.setEnv(env, table.reference);
    table.grantItemActions(this.role, actions, limits);
  }

  /** kms:Sign with this one party's key; `env` carries the key ARN. */
  bindSigningKey(env: E, key: PartySigningKey): void {
    this.setEnv(env, key.keyArn);
    key.grantSign(this.role);
  }

  /**
   * kms:Sign (ECDSA_SHA_256) and kms:GetPublicKey on one party's key, for a function that
   * signs notes in that party's name and names the public key in them; `env` carries the ARN.
   */
  bindNoteSigningKey(env: E, key: PartySigningKey): void {
    this.bindSigningKey(env, key);
    key.grantGetPublicKey(this.role);
  }

  /** kms:GetPublicKey on a party's key, to verify its signatures; `env` carries the key ARN. */
  bindVerifyingKey(env: E, key: PartySigningKey): void {
    this.setEnv(env, key.keyArn);
    key.grantGetPublicKey(this.role);
  }

  /** Reads exact object versions of a bucket (an S3 event or a deposit names key and version). */
  grantReadObjectVersions(
    bucket: VersionedObjects,
    reason = 'The S3 event names the object; any key may be a deposit.',
  ): void {
    bucket.grantReadVersions(this.role);
    this.suppressOnPolicy(bucket.objectsWildcardAcknowledgment(reason));
  }

  /**
   * Reads the objects under `prefix` of a locked bucket (a missing key reads as absent);
   * with `locked-writes`, also adds new object versions there under Object Lock retention of
   * its own choosing (no shorter than the default); with `writes`, new versions under the
   * bucket's default retention. `env` carries the bucket name.
   */
  bindBucketPrefix(
    env: E,
    bucket: LockedBucket,
    prefix: string,
    access: 'read' | 'locked-writes' | 'writes',
    reason: string,
  ): void {
    this.setEnv(env, bucket.bucket.bucketName);
    bucket.grantReadPrefix(this.role, prefix);
    if (access === 'locked-writes') bucket.grantLockedWrites(this.role, prefix);
    if (access === 'writes') bucket.grantWrites(this.role, prefix);
    this.suppressOnPolicy(bucket.objectsWildcardAcknowledgment(reason, prefix));
  }

  /** A setting that names no resource (an origin, a number of days, a URL); may be ''. */
  bindSetting(env: E, value: string): void {
    this.setEnv(env, value);
  }

  private setEnv(env: E, value: string): void {
    if (!this.definition.env.includes(env)) {
      throw new Error(`${this.definition.id} does not declare ${env} in its definition`);
    }
    this.function.addEnvironment(env, value);
    this.bound.add(env);
  }

  private unboundEnvironment(): string[] {
    return this.definition.env
      .filter((env) => !this.bound.has(env))
      .map((env) => `${this.definition.id}: ${env} is declared but never bound`);
  }

  /** Acknowledges one finding on this function's own role policy, nowhere else. */
  private suppressOnPolicy(acknowledgment: Acknowledgment): void {
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) throw new Error(`${this.definition.id}: role has no policy yet`);
    Validations.of(policy).acknowledge(acknowledgment);
  }

  private suppressUnavoidableFindings(): void {
    this.suppressOnPolicy({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The project pins nodejs22.x: the handlers are built and tested for Node 22 (esbuild target node22).',
    });
  }
}
