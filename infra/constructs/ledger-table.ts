import { RemovalPolicy } from 'aws-cdk-lib';
import type { Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Grant as IamGrant } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { KeyAttribute, TableDefinition } from '../definitions.js';
import type { StorageKey } from './storage-key.js';

/** Item-level DynamoDB actions a function may be given; reads and writes are named one by one. */
export type ItemAction =
  | 'dynamodb:GetItem'
  | 'dynamodb:BatchGetItem'
  | 'dynamodb:Query'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:ConditionCheckItem';

const WRITES: ReadonlySet<ItemAction> = new Set<ItemAction>([
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
]);

/** What a role that shares a table may write there (see LedgerTable.grantItemActions). */
export interface WriteLimits {
  readonly attributes?: readonly string[];
  readonly partitionKeys?: readonly string[];
}

function writeConditions(limits: WriteLimits): Record<string, Record<string, unknown>> | null {
  if (limits.attributes === undefined && limits.partitionKeys === undefined) return null;
  return {
    ...(limits.attributes ? { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...limits.attributes] } } : {}),
    ...(limits.partitionKeys ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...limits.partitionKeys] } } : {}),
    StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] },
  };
}

export interface LedgerTableProps {
  readonly definition: TableDefinition;
  readonly storageKey: StorageKey;
}

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * A table from the definitions: on-demand, point-in-time recovery, deletion protection,
 * encrypted with the storage key, retained when the stack goes.
 */
export class LedgerTable extends Construct {
  readonly table: Table;
  private readonly storageKey: StorageKey;

  constructor(scope: Construct, id: string, props: LedgerTableProps) {
    super(scope, id);
    const { definition } = props;
    this.storageKey = props.storageKey;
    this.table = new Table(this, 'Table', {
      partitionKey: attribute(definition.partitionKey),
      ...(definition.sortKey === undefined ? {} : { sortKey: attribute(definition.sortKey) }),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.storageKey.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /**
   * Exactly the listed item actions on this table, and the storage key through DynamoDB.
   * `limits` narrow the writes (PutItem, UpdateItem) of a role that shares a table, so that
   * it cannot write another stage's or party's data: `attributes` are the only top-level
   * attributes a write may name (`dynamodb:Attributes`, and no other attribute's value comes
   * back), `partitionKeys` the only partition key values it may write (`dynamodb:LeadingKeys`,
   * `*` wildcards allowed).
   */
  grantItemActions(grantee: IGrantable, actions: readonly ItemAction[], limits: WriteLimits = {}): Grant {
    const writes = actions.filter((action) => WRITES.has(action));
    this.storageKey.grantVia(grantee, 'dynamodb', writes.length > 0 ? 'write' : 'read');
    const conditions = writeConditions(limits);
    if (conditions === null || writes.length === 0) {
      return IamGrant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [this.table.tableArn] });
    }
    const reads = actions.filter((action) => !WRITES.has(action));
    if (reads.length > 0) {
      IamGrant.addToPrincipal({ grantee, actions: reads, resourceArns: [this.table.tableArn] });
    }
    return IamGrant.addToPrincipal({ grantee, actions: writes, resourceArns: [this.table.tableArn], conditions });
  }
}
