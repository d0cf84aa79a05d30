import { RemovalPolicy } from 'aws-cdk-lib';
import type { Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { Grant as IamGrant } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { KeyAttribute, TableDefinition } from '../../definitions/pipeline.js';
import type { CrossAccountRoles } from './cross-account.js';
import { crossAccountStatement } from './cross-account.js';
import type { StorageAccess, StorageKey } from './storage-key.js';
import { grantStorageKeyVia } from './storage-key.js';

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
  /** Resource policies only: the partition key values another account's reads may name. */
  readonly readPartitionKeys?: readonly string[];
}

function writeConditions(limits: WriteLimits): Record<string, Record<string, unknown>> | null {
  if (limits.attributes === undefined && limits.partitionKeys === undefined) return null;
  return {
    ...(limits.attributes
      ? { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...limits.attributes] } }
      : {}),
    ...(limits.partitionKeys
      ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...limits.partitionKeys] } }
      : {}),
    StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW'] },
  };
}

/**
 * The statements that give `actions` under `limits`: reads unconditioned, writes with the
 * limits' conditions. Identity and resource policies are built from the same groups.
 */
function itemActionGroups(
  actions: readonly ItemAction[],
  limits: WriteLimits,
): { actions: ItemAction[]; conditions?: Record<string, Record<string, unknown>> }[] {
  const writes = actions.filter((action) => WRITES.has(action));
  const conditions = writeConditions(limits);
  const reads = actions.filter((action) => !WRITES.has(action));
  const readConditions =
    limits.readPartitionKeys === undefined
      ? {}
      : {
          conditions: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...limits.readPartitionKeys] },
          },
        };
  if (conditions === null || writes.length === 0) {
    return writes.length === 0
      ? [{ actions: reads, ...readConditions }]
      : [{ actions: [...actions] }];
  }
  return [
    ...(reads.length > 0 ? [{ actions: reads, ...readConditions }] : []),
    { actions: writes, conditions },
  ];
}

const storageAccessFor = (actions: readonly ItemAction[]): StorageAccess =>
  actions.some((action) => WRITES.has(action)) ? 'write' : 'read';

/**
 * The identity-policy half of a table grant on a table given by ARN, and its storage key
 * through DynamoDB (LedgerTable.grantItemActions; a table in another account in two-account mode).
 */
export function grantItemActionsOn(
  grantee: IGrantable,
  table: { readonly tableArn: string; readonly storageKeyArn: string },
  actions: readonly ItemAction[],
  limits: WriteLimits = {},
): Grant {
  grantStorageKeyVia(grantee, table.storageKeyArn, 'dynamodb', storageAccessFor(actions));
  const grants = itemActionGroups(actions, limits).map((group) =>
    IamGrant.addToPrincipal({ grantee, resourceArns: [table.tableArn], ...group }),
  );
  const last = grants.at(-1);
  if (last === undefined) throw new Error('no actions to grant');
  return last;
}

/** A table a function's environment can name: by name in its own account, by ARN in another. */
export interface TableTarget {
  /** The value of the function's environment variable (DynamoDB takes a name or an ARN). */
  readonly reference: string;
  grantItemActions(
    grantee: IGrantable,
    actions: readonly ItemAction[],
    limits?: WriteLimits,
  ): Grant;
}

export interface LedgerTableProps {
  readonly definition: TableDefinition;
  readonly storageKey: StorageKey;
  /** A fixed name, for a table another account's policies name (two-account mode). */
  readonly tableName?: string | undefined;
}

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * A table from the definitions: on-demand, point-in-time recovery, deletion protection,
 * encrypted with the storage key, retained when the stack goes.
 */
export class LedgerTable extends Construct implements TableTarget {
  readonly table: Table;
  private readonly storageKey: StorageKey;

  constructor(scope: Construct, id: string, props: LedgerTableProps) {
    super(scope, id);
    const { definition } = props;
    this.storageKey = props.storageKey;
    this.table = new Table(this, 'Table', {
      ...(props.tableName === undefined ? {} : { tableName: props.tableName }),
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
  grantItemActions(
    grantee: IGrantable,
    actions: readonly ItemAction[],
    limits: WriteLimits = {},
  ): Grant {
    return grantItemActionsOn(
      grantee,
      { tableArn: this.table.tableArn, storageKeyArn: this.storageKey.key.keyArn },
      actions,
      limits,
    );
  }

  get reference(): string {
    return this.table.tableName;
  }

  /**
   * The resource-policy half for roles of another account (two-account mode): the table's
   * policy allows them exactly `actions` under `limits`, and the storage key's policy
   * the key through DynamoDB. `tableArn` is the ARN built from the fixed name: a table's
   * policy cannot refer to the table's own Arn attribute.
   */
  allowItemActionsFor(
    sid: string,
    roles: CrossAccountRoles,
    tableArn: string,
    actions: readonly ItemAction[],
    limits: WriteLimits = {},
  ): void {
    itemActionGroups(actions, limits).forEach((group, index) => {
      this.table.addToResourcePolicy(
        crossAccountStatement({
          sid: `${sid}${String(index)}`,
          roles,
          resources: [tableArn],
          ...group,
        }),
      );
    });
    this.storageKey.allowViaFor(
      `${sid}ThroughDynamoDB`,
      roles,
      'dynamodb',
      storageAccessFor(actions),
    );
  }
}

/**
 * A table in another account (two-account mode), named by the ARN built from its fixed name
 * and encrypted with that account's storage key. Grants are the identity-policy half; the
 * table's and the key's policies there (LedgerTable.allowItemActionsFor) are the other.
 */
export class RemoteTable implements TableTarget {
  constructor(
    readonly tableArn: string,
    readonly storageKeyArn: string,
  ) {}

  get reference(): string {
    return this.tableArn;
  }

  grantItemActions(
    grantee: IGrantable,
    actions: readonly ItemAction[],
    limits: WriteLimits = {},
  ): Grant {
    return grantItemActionsOn(grantee, this, actions, limits);
  }
}
