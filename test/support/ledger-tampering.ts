/**
 * Direct edits of the ledger's storage, as an administrator with table access could make
 * them, for the tamper suites. Each returns a function that undoes the edit.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';

export type Restore = () => Promise<void>;

type Item = Record<string, unknown>;

async function getItem(deployment: LocalDeployment, table: string, key: Item): Promise<Item> {
  const { Item } = await deployment.clients.documents.send(
    new GetCommand({ TableName: table, Key: key, ConsistentRead: true }),
  );
  if (!Item) throw new Error(`no item ${JSON.stringify(key)} in ${table}`);
  return Item;
}

async function putItem(deployment: LocalDeployment, table: string, item: Item): Promise<void> {
  await deployment.clients.documents.send(new PutCommand({ TableName: table, Item: item }));
}

/** Replaces the item at `key` with `edit(item)` (or deletes it when edit returns null). */
export async function editItem(
  deployment: LocalDeployment,
  table: string,
  key: Item,
  edit: (item: Item) => Item | null,
): Promise<Restore> {
  const original = await getItem(deployment, table, key);
  const edited = edit(structuredClone(original));
  if (edited) await putItem(deployment, table, edited);
  else await deployment.clients.documents.send(new DeleteCommand({ TableName: table, Key: key }));
  return () => putItem(deployment, table, original);
}

/** Edits the JSON record stored at `seq` in the ledger table. */
export function editRecordJson(
  deployment: LocalDeployment,
  seq: number,
  edit: (record: Record<string, unknown>) => Record<string, unknown>,
): Promise<Restore> {
  return editItem(deployment, deployment.resources.ledgerTable, { pk: 'record', seq }, (item) => ({
    ...item,
    recordJson: JSON.stringify(
      edit(JSON.parse(String(item.recordJson)) as Record<string, unknown>),
    ),
  }));
}

/** Edits the stored state of the checkpoint of `treeSize` in the anchors table. */
export function editCheckpoint(
  deployment: LocalDeployment,
  treeSize: number,
  edit: (anchor: Record<string, unknown>) => Record<string, unknown>,
): Promise<Restore> {
  return editItem(
    deployment,
    deployment.resources.anchorsTable,
    { pk: 'checkpoint', treeSize },
    (item) => ({
      ...item,
      anchorJson: JSON.stringify(
        edit(JSON.parse(String(item.anchorJson)) as Record<string, unknown>),
      ),
    }),
  );
}

export async function storedRecordJson(
  deployment: LocalDeployment,
  seq: number,
): Promise<Record<string, unknown>> {
  const item = await getItem(deployment, deployment.resources.ledgerTable, { pk: 'record', seq });
  return JSON.parse(String(item.recordJson)) as Record<string, unknown>;
}
