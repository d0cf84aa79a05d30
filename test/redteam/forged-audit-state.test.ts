/**
 * Red team: an operator who can write the auditor's state table forges the auditor's sealed
 * "verified up to" state ahead of a record they changed, so that the incremental verifyLedger
 * would start past it and answer "valid".
 *
 * Attacker: an administrator of the account (no role of the stack but the auditor's may
 * write the AuditorState table; asserted first), with dynamodb:* on every table, who leaves
 * the continuation key's policy as it is.
 * Not allowed: kms:GenerateMac / kms:VerifyMac on the auditor's key (its key policy denies
 * them to every principal but the Auditor's role, and no IAM allow overrides that Deny), so
 * the attacker cannot seal a state. An administrator who rewrites that key policy is out of
 * reach of this defence (docs/SECURITY.md).
 * The emulators do not enforce IAM: the attack below uses only the table writes.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealAuditState, type AuditState } from '../../core/audit/audit-state';
import { bytesToHex } from '../../core/encoding';
import {
  appendLeaves,
  compactRangeRoot,
  EMPTY_COMPACT_RANGE,
} from '../../core/merkle/compact-range';
import { recordLeafHash } from '../../core/merkle/hasher';
import { recordHash } from '../../core/record';
import type { LedgerRecord } from '../../core/types';
import { AUDITOR_STATE_TABLE } from '../../definitions/auditor';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack';
import { AUDIT_STATE_KEY } from '../../functions/shared/dynamo-audit-state-store';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { synthesizeLedgerStack } from '../infra/support/synth-ledger-stack';
import { logicalIdOf } from '../infra/support/template-queries';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import { editRecordJson } from '../support/ledger-tampering';
import {
  continuationKeyDenies,
  macDenyToAllButTheAuditor,
  tableWriters,
} from '../support/role-rights';
import { hmacSealer } from '../unit/audit/audit-world';

describe('the attacker’s rights in the synthesized stack', () => {
  let stack: EvidenceLedgerStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synthesizeLedgerStack());
  }, 120_000);

  it('no role of the stack but the auditor’s may write the AuditorState table', () => {
    const table = logicalIdOf(stack, stack.table(AUDITOR_STATE_TABLE).table);
    expect(tableWriters(template, table)).toEqual([logicalIdOf(stack, stack.auditorFunction.role)]);
  });

  it('the auditor’s key denies GenerateMac and VerifyMac to every other principal, administrators included', () => {
    expect(continuationKeyDenies(stack, template)).toContainEqual(
      expect.objectContaining(macDenyToAllButTheAuditor(stack)),
    );
  });
});

type Answer = {
  verdict: string;
  recordsChecked?: number;
  firstFailure?: { code: string; seq?: number } | null;
  error?: { code: string; details: { reason?: string } };
};

describe.skipIf(skipBackend)(`the attack, by writing the state table on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  const audit = async (event: Record<string, unknown> = {}) =>
    (await deployment.auditor({ action: 'verifyLedger', ...event })) as unknown as Answer;
  const table = () => deployment.resources.auditStateTable;
  const storedItem = async () =>
    (
      await deployment.clients.documents.send(
        new GetCommand({ TableName: table(), Key: AUDIT_STATE_KEY, ConsistentRead: true }),
      )
    ).Item!;
  const putItem = (item: Record<string, unknown>) =>
    deployment.clients.documents.send(new PutCommand({ TableName: table(), Item: item }));

  /** The state an honest auditor would seal over `records`: all public, but the MAC. */
  function stateOver(records: readonly LedgerRecord[], genuine: AuditState): AuditState {
    const range = appendLeaves(
      EMPTY_COMPACT_RANGE,
      records.map((r) => recordLeafHash(r.recordHash)),
    );
    return {
      ...genuine,
      treeSize: records.length,
      rootHash: bytesToHex(compactRangeRoot(range)),
      lastRecordHash: records.at(-1)!.recordHash,
      compactRange: range,
    };
  }

  let genuineItem: Record<string, unknown>;
  let forgedAhead: AuditState;

  beforeAll(async () => {
    deployment = await createDeployment('redteam-audit-state');
    for (const name of ['a', 'b', 'c']) await deployment.upload(`redteam/${name}.txt`, name);
    await deployment.pipeline.runUntilIdle(60_000);
    await deployment.anchor();
    expect(await audit()).toMatchObject({ verdict: 'valid' });
    genuineItem = await storedItem();
    for (const name of ['d', 'e']) await deployment.upload(`redteam/${name}.txt`, name);
    await deployment.pipeline.runUntilIdle(60_000);
    await deployment.anchor();
    // The attacker changes record 4, which the auditor has not verified yet, and re-hashes it.
    await editRecordJson(deployment, 4, (record) => {
      const changed = {
        ...record,
        deposit: { ...(record.deposit as object), caseMetadata: { 'case-id': 'OTHER' } },
      } as unknown as LedgerRecord;
      return { ...changed, recordHash: recordHash(changed) };
    });
    const records = await deployment.ledgerRecords();
    forgedAhead = stateOver(records, JSON.parse(genuineItem.state as string) as AuditState);
  });
  afterAll(() => deployment?.close());

  it('a genuine state with its size and fields moved past the change is refused', async () => {
    await putItem({ ...genuineItem, treeSize: 5, state: JSON.stringify(forgedAhead) });
    expect(await audit()).toMatchObject({
      verdict: 'error',
      error: { code: 'AUDIT_STATE_FORGED', details: { reason: 'mac' } },
    });
  });

  it('a state sealed with a MAC key of the attacker’s own is refused', async () => {
    const sealed = await sealAuditState(hmacSealer(), deployment.origin, forgedAhead);
    await putItem({ ...AUDIT_STATE_KEY, ...sealed });
    expect(await audit()).toMatchObject({
      verdict: 'error',
      error: { code: 'AUDIT_STATE_FORGED', details: { reason: 'mac' } },
    });
  });

  it('the genuine state left at its size keeps the audit honest: the changed record is found', async () => {
    await putItem(genuineItem);
    expect((await audit()).verdict).toBe('invalid');
  });

  it('deleting the state only makes the auditor start over, and it finds the change', async () => {
    await deployment.clients.documents.send(
      new DeleteCommand({ TableName: table(), Key: AUDIT_STATE_KEY }),
    );
    const answer = await audit();
    expect(answer.verdict).toBe('invalid');
    expect(answer.recordsChecked).toBe(5);
  });
});
