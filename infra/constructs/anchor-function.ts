import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AnchorEnvName } from '../../definitions/anchor.js';
import { ANCHOR_ENV_NAMES, ANCHOR_FUNCTION } from '../../definitions/anchor.js';
import type { CosignerEndpoint } from './cosigner-function.js';
import { FunctionSchedule } from './function-schedule.js';
import type { LedgerFunctionDefinition } from './ledger-function.js';
import {
  LedgerFunction,
  ledgerFunctionProps,
  type LedgerFunctionOptions,
} from './ledger-function.js';
import type { LedgerTable } from './ledger-table.js';
import type { LockedBucket } from './locked-bucket.js';
import type { Party, PartySigningKey } from './party-signing-key.js';
import { ENV } from '../../definitions/environment.js';

/** The anchor bucket's prefix for WORM copies (core/anchor/worm-keys.ts). */
export const CHECKPOINTS_PREFIX = 'checkpoints/';
/** The tiled log in the anchor bucket (functions/shared/s3-tile-log.ts LOG_PREFIX). */
export const LOG_PREFIX = 'log/';
/** Its tiles, entry and records bundles: each written once (If-None-Match). */
export const LOG_TILES_PREFIX = `${LOG_PREFIX}tile/`;
/** Its latest checkpoint, replaced by the anchor on every publish. */
export const LOG_CHECKPOINT_KEY = `${LOG_PREFIX}checkpoint`;

/** The anchor's definition as the construct takes it: TSA_URL and its certificate are bound too, '' when unset. */
export const ANCHOR_DEFINITION: LedgerFunctionDefinition<AnchorEnvName> = {
  id: ANCHOR_FUNCTION.id,
  entry: ANCHOR_FUNCTION.entry,
  timeoutSeconds: ANCHOR_FUNCTION.timeoutSeconds,
  memoryMiB: ANCHOR_FUNCTION.memoryMiB,
  reservedConcurrency: ANCHOR_FUNCTION.reservedConcurrency,
  env: ANCHOR_ENV_NAMES,
};

export interface AnchorFunctionProps extends LedgerFunctionOptions {
  readonly ledger: LedgerTable;
  readonly anchors: LedgerTable;
  readonly anchorBucket: LockedBucket;
  readonly signingKeys: Readonly<Record<Party, PartySigningKey>>;
  /** Each party's checkpoint co-signer, which the anchor invokes with proposals. */
  readonly cosigners: Readonly<Record<Party, CosignerEndpoint>>;
  readonly origin: string;
  readonly retentionDays: number;
  /** Most new records one run covers (default ANCHOR_FUNCTION.defaultMaxRecordsPerRun). */
  readonly maxRecordsPerRun?: number | undefined;
  /** RFC 3161 time-stamping authority; no timestamp tokens when absent. */
  readonly tsaUrl?: string | undefined;
  /** That TSA's certificate (PEM), required with tsaUrl: only tokens that verify with it are stored. */
  readonly tsaCertificatePem?: string | undefined;
  readonly intervalMinutes: number;
  /** Fixed role and function name (two-account mode: the custodian's policies name the role). */
}

/**
 * The anchor: every `intervalMinutes` it reads the new ledger records, has both parties'
 * co-signers sign a checkpoint over them, and publishes it to the Anchors table and a WORM
 * copy to the anchor bucket, with the tiled log under log/. It can read the ledger but never
 * write it; it may write checkpoints and the log, never delete; it holds no signing right of either party.
 */
export class AnchorFunction extends LedgerFunction<AnchorEnvName> {
  readonly schedule: FunctionSchedule;

  constructor(scope: Construct, id: string, props: AnchorFunctionProps) {
    super(scope, id, ledgerFunctionProps(ANCHOR_DEFINITION, props));
    this.bindTable(ENV.ledgerTable, props.ledger, ['dynamodb:GetItem', 'dynamodb:Query']);
    this.bindTable(ENV.anchorsTable, props.anchors, [
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:ConditionCheckItem',
    ]);
    this.bindBucketPrefix(
      ENV.anchorBucket,
      props.anchorBucket,
      CHECKPOINTS_PREFIX,
      'locked-writes',
      'Each checkpoint gets a new key under checkpoints/, named by its tree size.',
    );
    // The tiled log: tiles and bundles under log/tile/ are write-once (bucket policy); every
    // object, `checkpoint` included, keeps the bucket's default COMPLIANCE retention per version.
    this.bindBucketPrefix(
      ENV.anchorBucket,
      props.anchorBucket,
      LOG_PREFIX,
      'writes',
      'Each tile, bundle and records file gets a new key under log/tile/, named by its position.',
    );
    props.anchorBucket.denyWritesExceptBy(LOG_CHECKPOINT_KEY, this.role);
    // The anchor signs nothing: it reads the parties' public keys to check their co-signatures,
    // and asks each party's co-signer, which signs only what it verified against its own state.
    this.bindVerifyingKey(ENV.agencyKeyId, props.signingKeys.agency);
    this.bindVerifyingKey(ENV.custodianKeyId, props.signingKeys.custodian);
    for (const party of ['agency', 'custodian'] as const) {
      const cosigner = props.cosigners[party];
      this.bindSetting(
        party === 'agency' ? ENV.agencyCosigner : ENV.custodianCosigner,
        cosigner.functionName,
      );
      cosigner.grantInvoke(this.role);
    }
    this.bindSetting(ENV.origin, props.origin);
    this.bindSetting(ENV.anchorRetentionDays, String(props.retentionDays));
    this.bindSetting(
      ENV.anchorMaxRecordsPerRun,
      String(props.maxRecordsPerRun ?? ANCHOR_FUNCTION.defaultMaxRecordsPerRun),
    );
    this.bindSetting(ENV.tsaUrl, props.tsaUrl ?? '');
    this.bindSetting(ENV.tsaCertificate, props.tsaCertificatePem ?? '');
    this.node.addValidation({
      validate: () =>
        props.tsaUrl !== undefined && props.tsaCertificatePem === undefined
          ? ['tsaUrl needs tsaCertificatePem: the anchor stores only tokens that verify with it']
          : [],
    });

    const interval = Duration.minutes(props.intervalMinutes);
    // A run throttled by the reserved concurrency is stale once the next one is due.
    this.function.configureAsyncInvoke({ maxEventAge: interval });
    this.schedule = new FunctionSchedule(this, 'Schedule', {
      target: this.function,
      intervalMinutes: props.intervalMinutes,
      description: `${ANCHOR_DEFINITION.id}: publish a checkpoint every ${String(props.intervalMinutes)} minutes`,
      alarmAction: props.alarmAction,
    });
  }
}
