import type { Acknowledgment } from 'aws-cdk-lib';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { Alarm, IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvName, FunctionDefinition } from '../definitions.js';
import { ALARM_PERIOD, anyAboveZeroAlarm } from './alarms.js';
import type { ItemAction, LedgerTable } from './ledger-table.js';
import type { LockedBucket } from './locked-bucket.js';
import type { PartySigningKey } from './party-signing-key.js';
import type { PipelineQueue } from './pipeline-queue.js';

/** The repository root: function entries in the definitions are relative to it. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The defaults every Lambda of this project shares, fixed here once. */
export const LEDGER_FUNCTION_DEFAULTS = {
  runtime: Runtime.NODEJS_22_X,
  architecture: Architecture.ARM_64,
  tracing: Tracing.ACTIVE,
} as const;

/** esbuild emits ESM; packages that still call require() get one from createRequire. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __ledgerCreateRequire } from 'node:module'; const require = __ledgerCreateRequire(import.meta.url);";

export interface LedgerFunctionProps {
  readonly definition: FunctionDefinition;
  readonly logRetention: RetentionDays;
  readonly alarmAction?: IAlarmAction | undefined;
}

/**
 * A Lambda of this project: bundled ESM on nodejs22.x/arm64, traced, logging to its own
 * retained log group, alarmed on errors and throttles, with a role that holds nothing
 * until a bind/grant method adds exactly one permission set. A bind method also sets the
 * environment variable naming the resource, so a handler never sees a name it may not use;
 * synthesis fails if a variable the definition lists was never bound.
 */
export class LedgerFunction extends Construct {
  readonly definition: FunctionDefinition;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly errorAlarm: Alarm;
  readonly throttleAlarm: Alarm;
  private readonly bound = new Set<EnvName>();

  constructor(scope: Construct, id: string, props: LedgerFunctionProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${definition.id} function of the evidence ledger`,
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
      projectRoot: REPOSITORY_ROOT,
      depsLockFilePath: path.join(REPOSITORY_ROOT, 'package-lock.json'),
      role: this.role,
      logGroup: this.logGroup,
      memorySize: definition.memoryMiB,
      timeout: Duration.seconds(definition.timeoutSeconds),
      environment: { NODE_OPTIONS: '--enable-source-maps' },
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

  /** Consumes the definition's source queue with the definition's batching settings. */
  bindSource(source: PipelineQueue): void {
    if (source.definition !== this.definition.source) {
      throw new Error(
        `${this.definition.id} reads ${this.definition.source.id}, not ${source.definition.id}`,
      );
    }
    const { batchSize, maxBatchingWindowSeconds, maxConcurrency } = this.definition;
    this.function.addEventSource(
      new SqsEventSource(source.queue, {
        batchSize,
        reportBatchItemFailures: true,
        ...(maxBatchingWindowSeconds > 0
          ? { maxBatchingWindow: Duration.seconds(maxBatchingWindowSeconds) }
          : {}),
        ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
      }),
    );
  }

  /** Sends to the next stage's queue; `env` carries its URL. */
  bindNextQueue(env: EnvName, next: PipelineQueue): void {
    this.setEnv(env, next.queue.queueUrl);
    next.grantSend(this.role);
  }

  /** The listed item actions on one table; `env` carries its name. */
  bindTable(env: EnvName, table: LedgerTable, actions: readonly ItemAction[]): void {
    this.setEnv(env, table.table.tableName);
    table.grantItemActions(this.role, actions);
  }

  /** kms:Sign with this one party's key; `env` carries the key ARN. */
  bindSigningKey(env: EnvName, key: PartySigningKey): void {
    this.setEnv(env, key.keyArn);
    key.grantSign(this.role);
  }

  /** kms:GetPublicKey on a party's key, to verify its signatures; `env` carries the key ARN. */
  bindVerifyingKey(env: EnvName, key: PartySigningKey): void {
    this.setEnv(env, key.keyArn);
    key.grantGetPublicKey(this.role);
  }

  /** Reads exact object versions of a bucket (the S3 event names the bucket and version). */
  grantReadObjectVersions(bucket: LockedBucket): void {
    bucket.grantReadVersions(this.role);
    this.suppressOnPolicy(
      bucket.objectsWildcardAcknowledgment(
        'The S3 event names the object; any key may be a deposit.',
      ),
    );
  }

  private setEnv(env: EnvName, value: string): void {
    if (!this.definition.env.includes(env)) {
      throw new Error(`${this.definition.id} does not declare ${env} in infra/definitions.ts`);
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
