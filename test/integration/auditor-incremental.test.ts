/**
 * The incremental verifyLedger on the emulators with the production adapters: the auditor
 * keeps its sealed state in its own DynamoDB table (MAC under the KMS HMAC key), verifies
 * only what each anchor run added, refuses a state it did not seal, and the full job
 * re-establishes it.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_STATE_KEY } from '../../functions/shared/dynamo-audit-state-store';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';

type Answer = {
  verdict: string;
  mode?: string;
  recordsChecked?: number;
  checkpointsChecked?: number;
  auditState?: { outcome: string; treeSize: number; checkpointSize: number | null } | null;
  error?: { code: string; details: { reason?: string } };
};

describe.skipIf(skipBackend)(`the incremental verifyLedger on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  const audit = async (event: Record<string, unknown> = {}) =>
    (await deployment.auditor({ action: 'verifyLedger', ...event })) as unknown as Answer;
  const stateItem = async () =>
    (
      await deployment.clients.documents.send(
        new GetCommand({
          TableName: deployment.resources.auditStateTable,
          Key: AUDIT_STATE_KEY,
          ConsistentRead: true,
        }),
      )
    ).Item;

  async function deposit(names: readonly string[]) {
    for (const name of names) await deployment.upload(`incremental/${name}.txt`, `exhibit ${name}`);
    await deployment.pipeline.runUntilIdle(60_000);
    await deployment.anchor();
  }

  beforeAll(async () => {
    deployment = await createDeployment('incremental');
    await deposit(['a', 'b', 'c']);
  });
  afterAll(() => deployment?.close());

  it('verifies the whole ledger on its first call and seals the state in its own table', async () => {
    expect(await audit()).toMatchObject({
      verdict: 'valid',
      mode: 'incremental',
      recordsChecked: 3,
      checkpointsChecked: 1,
      auditState: { outcome: 'advanced', treeSize: 3, checkpointSize: 3 },
    });
    expect(await stateItem()).toMatchObject({ pk: 'verified', treeSize: 3 });
  });

  it('verifies only the records and checkpoint an anchor run added', async () => {
    await deposit(['d', 'e']);
    expect(await audit()).toMatchObject({
      verdict: 'valid',
      recordsChecked: 2,
      checkpointsChecked: 1,
      auditState: { outcome: 'advanced', treeSize: 5, checkpointSize: 5 },
    });
    expect(await audit()).toMatchObject({
      verdict: 'valid',
      recordsChecked: 0,
      auditState: { outcome: 'unchanged', treeSize: 5 },
    });
  });

  it('reconciles the evidence bucket only when asked', async () => {
    const answer = (await audit({ reconcile: true })) as Answer & { evidence: unknown };
    expect(answer).toMatchObject({ verdict: 'valid', evidence: { versions: 5, recorded: 5 } });
    expect(((await audit()) as Answer & { evidence: unknown }).evidence).toBeNull();
  });

  it('refuses a state written without the auditor’s key, and the full job replaces it', async () => {
    const item = (await stateItem())!;
    const state = JSON.parse(item.state as string) as Record<string, unknown>;
    await deployment.clients.documents.send(
      new PutCommand({
        TableName: deployment.resources.auditStateTable,
        Item: { ...item, treeSize: 50, state: JSON.stringify({ ...state, treeSize: 50 }) },
      }),
    );
    expect(await audit()).toMatchObject({
      verdict: 'error',
      error: { code: 'AUDIT_STATE_FORGED', details: { reason: 'mac' } },
    });
    expect(await audit({ full: true })).toMatchObject({
      verdict: 'valid',
      mode: 'full',
      auditState: { outcome: 'advanced', treeSize: 5, checkpointSize: 5 },
    });
    expect(await audit()).toMatchObject({ verdict: 'valid', recordsChecked: 0 });
  });

  it('refuses fromSeq, toSeq and cursor without full: true (INVALID_INPUT)', async () => {
    expect(await audit({ fromSeq: 1 })).toMatchObject({
      verdict: 'error',
      error: { code: 'INVALID_INPUT' },
    });
  });
});
