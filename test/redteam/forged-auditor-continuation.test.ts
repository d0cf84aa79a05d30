/**
 * Red team: an auditor forges or replays the auditor's continuation state (verifyLedger's
 * cursor, verifyEvidence's continueFrom) to make it answer "valid" for work it never did.
 *
 * Attacker: a principal holding only the <deploymentName>-EvidenceAuditor managed policy.
 * Allowed, from the synthesized template (asserted first):
 *   lambda:InvokeFunction  on the Auditor function, nothing else
 * Not allowed: kms:GenerateMac / kms:VerifyMac on the auditor's continuation key (the key
 * policy denies them to every principal but the Auditor's own role), so it cannot seal a token.
 * The emulators do not enforce IAM: the attack below uses only the invocation.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64Encode, utf8Encode } from '../../core/encoding';
import { MAC_ACTIONS } from '../../infra/constructs/continuation-key';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { synthesizeLedgerStack } from '../infra/support/synth-ledger-stack';
import {
  asArray,
  getAtt,
  identityStatements,
  logicalIdOf,
  propertiesOf,
} from '../infra/support/template-queries';
import {
  editToken,
  LARGE_OBJECT_BYTES,
  NO_TIME_LEFT,
  withOwnMac,
} from '../support/continuation-tokens';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import { continuationKeyDenies, macDenyToAllButTheAuditor } from '../support/role-rights';

const ATTACKER_ROLE = 'arn:aws:iam::111122223333:role/Auditor';
const ATTACKER_ALLOWED = ['lambda:InvokeFunction'];

describe('the attacker’s rights in the synthesized stack', () => {
  let stack: EvidenceLedgerStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synthesizeLedgerStack({
      context: { auditorPrincipalArns: ATTACKER_ROLE },
    }));
  }, 120_000);

  it('the EvidenceAuditor policy allows only lambda:InvokeFunction on the Auditor function', () => {
    const policy = propertiesOf(template, logicalIdOf(stack, stack.evidenceAuditorPolicy));
    expect(policy.Roles).toEqual(['Auditor']);
    const statements = (
      policy.PolicyDocument as {
        Statement: { Effect: string; Action: string | string[]; Resource: unknown }[];
      }
    ).Statement;
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ATTACKER_ALLOWED[0],
        Resource: getAtt(logicalIdOf(stack, stack.auditorFunction.function)),
      },
    ]);
  });

  it('only the Auditor function’s role is allowed to MAC with the continuation key', () => {
    const macGrants = identityStatements(template).filter(
      ({ statement }) =>
        statement.Effect === 'Allow' &&
        asArray(statement.Action).some(
          (a) => a === 'kms:*' || MAC_ACTIONS.includes(a as (typeof MAC_ACTIONS)[number]),
        ),
    );
    expect(macGrants.map(({ roles }) => roles)).toEqual([
      [{ Ref: logicalIdOf(stack, stack.auditorFunction.role) }],
    ]);
  });

  it('the continuation key denies GenerateMac and VerifyMac to every other principal, the attacker included', () => {
    expect(continuationKeyDenies(stack, template)).toContainEqual(
      expect.objectContaining(macDenyToAllButTheAuditor(stack)),
    );
  });
});

type Answer = {
  verdict: string;
  cursor?: string | null;
  continueFrom?: string | null;
  error?: { code: string };
};

const FORGED = { verdict: 'error', error: { code: 'AUDIT_CONTINUATION_FORGED' } };

describe.skipIf(skipBackend)(`the attack, by invoking the auditor on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  let large: string;
  let small: string;
  let ledgerSize: number;
  const invoke = async (event: Record<string, unknown>, context?: typeof NO_TIME_LEFT) =>
    (await deployment.auditor(event, context)) as unknown as Answer;

  beforeAll(async () => {
    deployment = await createDeployment('redteam-continuation');
    await deployment.upload('redteam/large.bin', new Uint8Array(LARGE_OBJECT_BYTES).fill(1));
    for (let i = 0; i < 3; i++) await deployment.upload(`redteam/small-${i}.txt`, `exhibit ${i}`);
    await deployment.pipeline.runUntilIdle(60_000);
    await deployment.anchor();
    const records = await deployment.ledgerRecords();
    ledgerSize = records.length;
    large = records.find((r) => r.deposit.size === LARGE_OBJECT_BYTES)!.deposit.depositId;
    small = records.find((r) => r.deposit.size !== LARGE_OBJECT_BYTES)!.deposit.depositId;
  });
  afterAll(() => deployment?.close());

  it('a cursor moved to the head, so that no record is checked, is refused', async () => {
    const { cursor } = await invoke({ action: 'verifyLedger', full: true, maxRecords: 1 });
    const skipAll = editToken(cursor!, (envelope) => {
      envelope.state.nextSeq = ledgerSize;
    });
    expect(await invoke({ action: 'verifyLedger', full: true, cursor: skipAll })).toMatchObject(
      FORGED,
    );
  });

  it('a cursor written from scratch, with a MAC of the attacker’s own, is refused', async () => {
    const { cursor } = await invoke({ action: 'verifyLedger', full: true, maxRecords: 1 });
    const own = withOwnMac(cursor!, (envelope) => {
      envelope.state = {
        nextSeq: ledgerSize,
        lastHash: '0'.repeat(64),
        compactRange: null,
        toSeq: null,
      };
    });
    expect(await invoke({ action: 'verifyLedger', full: true, cursor: own })).toMatchObject(FORGED);
    const unsealed = base64Encode(
      utf8Encode(
        JSON.stringify({
          nextSeq: ledgerSize,
          lastHash: '0'.repeat(64),
          compactRange: null,
          toSeq: null,
        }),
      ),
    );
    expect(await invoke({ action: 'verifyLedger', full: true, cursor: unsealed })).toMatchObject(
      FORGED,
    );
  });

  it('a genuine cursor replayed on another range is refused', async () => {
    const { cursor } = await invoke({
      action: 'verifyLedger',
      full: true,
      fromSeq: 0,
      toSeq: ledgerSize,
      maxRecords: 1,
    });
    expect(
      await invoke({ action: 'verifyLedger', full: true, fromSeq: 0, toSeq: 1, cursor }),
    ).toMatchObject(FORGED);
  });

  it('a hashing state claiming the whole object was hashed is refused', async () => {
    const { continueFrom } = await invoke(
      { action: 'verifyEvidence', depositId: large },
      NO_TIME_LEFT,
    );
    const done = withOwnMac(continueFrom!, (envelope) => {
      envelope.state.offset = LARGE_OBJECT_BYTES;
    });
    expect(
      await invoke({ action: 'verifyEvidence', depositId: large, continueFrom: done }),
    ).toMatchObject(FORGED);
  });

  it('a genuine hashing state replayed on another deposit is refused', async () => {
    const { continueFrom } = await invoke(
      { action: 'verifyEvidence', depositId: large },
      NO_TIME_LEFT,
    );
    expect(
      await invoke({ action: 'verifyEvidence', depositId: small, continueFrom }),
    ).toMatchObject(FORGED);
  });

  it('the genuine continuations still lead to a valid verdict', async () => {
    const { continueFrom } = await invoke(
      { action: 'verifyEvidence', depositId: large },
      NO_TIME_LEFT,
    );
    expect(
      await invoke({ action: 'verifyEvidence', depositId: large, continueFrom }),
    ).toMatchObject({ verdict: 'valid' });
    let answer = await invoke({ action: 'verifyLedger', full: true, maxRecords: 1 });
    while (answer.cursor)
      answer = await invoke({
        action: 'verifyLedger',
        full: true,
        maxRecords: 1,
        cursor: answer.cursor,
      });
    expect(answer.verdict).toBe('valid');
  });
});
