/**
 * A table of its own for one contract test, in an integration deployment: stores whose state
 * is one item (the chain head, the latest anchor, a co-signer's state) need an empty table
 * per test to start from nothing, whatever ran before.
 */
import { randomBytes } from 'node:crypto';
import type { TableDefinition } from '../../definitions/pipeline';
import { createTable } from '../../tools/local-runtime/provision-resources';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';

export function freshTable(deployment: LocalDeployment, table: TableDefinition): Promise<string> {
  const name = `${deployment.resources.depositsTable}-${table.id}-${randomBytes(4).toString('hex')}`;
  return createTable(deployment.clients, table, name);
}
