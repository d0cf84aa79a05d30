import type { VersionedObjects } from './constructs/ledger-function.js';
import type { TableTarget } from './constructs/ledger-table.js';
import type { PartySigningKey } from './constructs/party-signing-key.js';
import type { PipelineFunction } from './constructs/pipeline-function.js';
import type { QueueTarget } from './constructs/pipeline-queue.js';
import { WRITABLE_ATTRIBUTES } from '../definitions/pipeline.js';
import { ENV } from '../definitions/environment.js';

/** A party's per-deposit items (`deposit#<id>`); its co-signer's item is `cosigner`. */
export const PARTY_DEPOSIT_KEYS = 'deposit#*';
/** A party's signatures (`signed#<id>`), written only by its signer. */
export const PARTY_SIGNATURE_KEYS = 'signed#*';

/** What the custodian's signer works with: in one stack, or across two accounts. */
export interface CustodianSignerResources {
  readonly evidenceBucket: VersionedObjects;
  readonly evidenceBucketName: string;
  readonly partyTable: TableTarget;
  readonly deposits: TableTarget;
  readonly appendQueue: QueueTarget;
  /** Its own source queue: continuations of re-hashes done in slices. */
  readonly signQueue: QueueTarget;
  readonly agencyKey: PartySigningKey;
  readonly custodianKey: PartySigningKey;
}

/**
 * The custodian's signer's grants, the same in both deployment modes: it checks the agency's
 * signature, re-reads and re-hashes the version itself (its state in its own table), writes
 * only its attributes of the mailbox, and passes the deposit on to the Append queue.
 */
export function wireCustodianSigner(
  signer: PipelineFunction,
  resources: CustodianSignerResources,
): void {
  signer.grantReadObjectVersions(resources.evidenceBucket);
  signer.bindSetting(ENV.evidenceBucket, resources.evidenceBucketName);
  signer.bindTable(
    ENV.partyTable,
    resources.partyTable,
    ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    { partitionKeys: [PARTY_DEPOSIT_KEYS, PARTY_SIGNATURE_KEYS] },
  );
  signer.bindTable(
    ENV.depositsTable,
    resources.deposits,
    ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    {
      attributes: WRITABLE_ATTRIBUTES.deposits.custodianSigner,
    },
  );
  signer.bindVerifyingKey(ENV.agencyKeyId, resources.agencyKey);
  signer.bindSigningKey(ENV.custodianKeyId, resources.custodianKey);
  signer.bindNextQueue(ENV.appendQueueUrl, resources.appendQueue);
  // Like the hasher, it re-hashes large objects in slices through its own queue.
  signer.bindNextQueue(ENV.custodianSignQueueUrl, resources.signQueue);
}
