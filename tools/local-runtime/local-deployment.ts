/**
 * One deployment of the pipeline on a backend (emulators, LocalStack or an AWS account):
 * resources provisioned from the stack's definitions, the in-process pipeline, and the
 * stores to read the outcome. Used by the demo and by every integration test.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import type { TrustedParties } from '../../core/party-signatures';
import { PARTY_ROLES, type LedgerRecord, type PartyRole } from '../../core/types';
import type { CosignerState } from '../../core/witness/ports';
import { DynamoCosignerStore } from '../../functions/shared/dynamo-cosigner-store';
import {
  createAwsClients,
  destroyAwsClients,
  type AwsClientOptions,
  type AwsClients,
} from '../../functions/shared/aws-clients';
import type { DigestTuning } from '../../functions/shared/budgeted-digest';
import { DynamoDepositStore } from '../../functions/shared/dynamo-deposit-store';
import { DynamoLedgerStore } from '../../functions/shared/dynamo-ledger-store';
import { DynamoPartyStore } from '../../functions/shared/dynamo-party-store';
import { KmsKeyResolver } from '../../functions/shared/kms-key-resolver';
import { anchorDeps, anchorHandler, type AnchorResponse } from '../../functions/anchor/anchor';
import { once } from '../../functions/shared/once';
import { auditorDeps, auditorHandler } from '../../functions/auditor/auditor';

import { DynamoAnchorStore } from '../../functions/shared/dynamo-anchor-store';
import { cosignerDeps, cosignerHandler } from '../../functions/cosigner/cosigner';
import {
  anchorEnvironment,
  cosignerEnvironment,
  provisionPipeline,
  type PipelineResources,
  type ProvisionOptions,
} from './provision-resources';
import { LocalPipeline, type StageName } from './local-pipeline';
import { ENV } from '../../definitions/environment';
import { LedgerError } from '../../core/errors';

export interface LocalDeploymentOptions extends Partial<Omit<ProvisionOptions, 'prefix'>> {
  readonly prefix: string;
  readonly workers?: Partial<Record<StageName, number>>;
  /** How the hasher and the custodian read and slice objects; production defaults otherwise. */
  readonly hashing?: DigestTuning;
  /** RFC 3161 TSA for the anchors' timestamp tokens; none by default. */
  readonly tsaUrl?: string | null;
  /** The TSA's certificate, which the anchor and the auditor pin to check those tokens. */
  readonly tsaCertificatePem?: string | null;
  /** The checkpoint origin line; defaults to one derived from the prefix. */
  readonly origin?: string;
  /** Most new records one anchor run covers (ANCHOR_MAX_RECORDS_PER_RUN); 10,000 by default. */
  readonly anchorMaxRecordsPerRun?: number;
}

export class LocalDeployment {
  readonly deposits: DynamoDepositStore;
  /** Each party's own state (what it established and signed). */
  readonly parties: { readonly agency: DynamoPartyStore; readonly custodian: DynamoPartyStore };
  readonly ledger: DynamoLedgerStore;
  readonly trusted: TrustedParties;
  readonly anchors: DynamoAnchorStore;
  /** Invokes the anchor function, as its schedule or an operator would. */
  readonly anchor: (event?: unknown) => Promise<AnchorResponse>;
  /** Invokes the auditor function, as `aws lambda invoke` would (with Lambda's remaining time, if given). */
  readonly auditor: (
    event: unknown,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ) => Promise<Record<string, unknown>>;

  private constructor(
    readonly clients: AwsClients,
    readonly resources: PipelineResources,
    readonly pipeline: LocalPipeline,
    readonly origin: string,
    tsaUrl: string | null,
    tsaCertificatePem: string | null,
    maxRecordsPerRun?: number,
  ) {
    this.deposits = new DynamoDepositStore(clients.documents, resources.depositsTable);
    this.parties = {
      agency: new DynamoPartyStore(clients.documents, resources.partyTables.agency),
      custodian: new DynamoPartyStore(clients.documents, resources.partyTables.custodian),
    };
    this.anchors = new DynamoAnchorStore(clients.documents, resources.anchorsTable);
    const environment = anchorEnvironment(resources, {
      origin,
      retentionDays: 1,
      tsaUrl,
      tsaCertificatePem,
      ...(maxRecordsPerRun === undefined ? {} : { maxRecordsPerRun }),
    });
    // Each party's co-signer runs its real handler in-process, as Lambda would on Invoke.
    const cosigners = {
      agency: cosignerHandler(
        once(() => cosignerDeps(cosignerEnvironment(resources, 'agency', origin), clients)),
      ),
      custodian: cosignerHandler(
        once(() => cosignerDeps(cosignerEnvironment(resources, 'custodian', origin), clients)),
      ),
    };
    const handler = anchorHandler(once(() => anchorDeps(environment, clients, cosigners)));
    this.anchor = (event: unknown = { action: 'anchor' }) => handler(event);
    const auditorEnvironment = {
      [ENV.ledgerTable]: resources.ledgerTable,
      [ENV.depositsTable]: resources.depositsTable,
      [ENV.anchorsTable]: resources.anchorsTable,
      [ENV.anchorBucket]: resources.anchorBucket,
      [ENV.agencyKeyId]: resources.keys.agency,
      [ENV.custodianKeyId]: resources.keys.custodian,
      [ENV.origin]: origin,
      [ENV.evidenceBucket]: resources.evidenceBucket,
      [ENV.agencyPartyTable]: resources.partyTables.agency,
      [ENV.custodianPartyTable]: resources.partyTables.custodian,
      [ENV.continuationKeyId]: resources.continuationKey,
      [ENV.auditStateTable]: resources.auditStateTable,
      [ENV.tsaCertificate]: tsaCertificatePem ?? '',
    };
    const audit = auditorHandler(once(() => auditorDeps(auditorEnvironment, clients)));
    this.auditor = (event, context) => audit(event, context);
    this.ledger = new DynamoLedgerStore(
      clients.documents,
      resources.ledgerTable,
      resources.depositsTable,
    );
    this.trusted = {
      keyIds: { agency: resources.keys.agency, custodian: resources.keys.custodian },
      keys: new KmsKeyResolver(clients.kms),
    };
  }

  static async create(
    clientOptions: AwsClientOptions,
    options: LocalDeploymentOptions,
  ): Promise<LocalDeployment> {
    const clients = createAwsClients(clientOptions);
    const resources = await provisionPipeline(clients, {
      prefix: options.prefix,
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2,
      evidenceRetention: options.evidenceRetention ?? { mode: 'GOVERNANCE', days: 1 },
      anchorRetentionDays: options.anchorRetentionDays ?? 1,
    });
    const pipeline = new LocalPipeline(clients, resources, {
      region: clientOptions.region ?? 'us-east-1',
      ...(options.workers ? { workers: options.workers } : {}),
      ...(options.hashing ? { hashing: options.hashing } : {}),
    });
    const origin = options.origin ?? `evidence-ledger.local/${options.prefix}`;
    return new LocalDeployment(
      clients,
      resources,
      pipeline,
      origin,
      options.tsaUrl ?? null,
      options.tsaCertificatePem ?? null,
      options.anchorMaxRecordsPerRun,
    );
  }

  /** Puts an object into the evidence bucket as an uploader would; returns its version id. */
  async upload(
    key: string,
    body: Uint8Array | string,
    metadata: Record<string, string> = {},
  ): Promise<string> {
    const { VersionId } = await this.clients.s3.send(
      new PutObjectCommand({
        Bucket: this.resources.evidenceBucket,
        Key: key,
        Body: body,
        Metadata: metadata,
      }),
    );
    if (!VersionId)
      throw new LedgerError(
        'CONFIG_INVALID',
        'the evidence bucket returned no version id: is versioning on?',
        { bucket: this.resources.evidenceBucket, key },
      );
    return VersionId;
  }

  /** What each party's co-signer last co-signed, read from its own table. */
  async cosignerStates(): Promise<Record<PartyRole, CosignerState | null>> {
    const [agency, custodian] = await Promise.all(
      PARTY_ROLES.map((role) =>
        new DynamoCosignerStore(this.clients.documents, this.resources.partyTables[role]).load(),
      ),
    );
    return { agency: agency ?? null, custodian: custodian ?? null };
  }

  async ledgerRecords(): Promise<LedgerRecord[]> {
    const head = await this.ledger.head();
    return this.ledger.read(0, head.nextSeq);
  }

  close(): void {
    destroyAwsClients(this.clients);
  }
}
