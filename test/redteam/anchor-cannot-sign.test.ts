/**
 * Red team: the anchor (or any other non-party role) tries to sign for a party, and, holding
 * no signing right, proposes to a party's co-signer a checkpoint the party never checked
 * (issue #9, attack 2).
 *
 * Attacker: the Anchor role. From the synthesized template (asserted first) it holds NO
 * kms:Sign in IAM and every party key's policy denies it kms:Sign; what it may do: Ledger
 * GetItem/Query, Anchors GetItem/PutItem/Query/ConditionCheckItem, the anchor bucket's
 * checkpoints/*, kms:GetPublicKey on both keys and lambda:InvokeFunction on both co-signers.
 * The attack below uses only the invocation (the co-signer handlers run in-process, as Lambda
 * would run them on Invoke). The hasher, appender and auditor hold no kms:Sign either.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cosignerDeps,
  cosignerHandler,
  type CosignerResponse,
} from '../../functions/cosigner/cosigner';
import { once } from '../../functions/shared/once';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack';
import { cosignerEnvironment } from '../../tools/local-runtime/provision-resources';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { identityAllows, roleArnJson, signDenyExemptions } from '../infra/support/signing-rights';
import { synthesizeLedgerStack } from '../infra/support/synth-ledger-stack';
import { logicalIdOf } from '../infra/support/template-queries';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import { actionsOn, roleIds, type RoleName } from '../support/role-rights';

describe('signing rights in the synthesized stack', () => {
  let stack: EvidenceLedgerStack;
  let template: Template;
  let roles: Record<RoleName, string>;
  beforeAll(() => {
    ({ stack, template } = synthesizeLedgerStack());
    roles = roleIds(stack);
  }, 120_000);

  it.each([
    ['agency', ['agencySigner', 'agencyCosigner']],
    ['custodian', ['custodianSigner', 'custodianCosigner']],
  ] as const)(
    'the %s key: only its party’s signer and co-signer may sign, every other principal is denied',
    (party, signers) => {
      const key = logicalIdOf(stack, stack.signingKeys[party].key);
      const expected = signers.map((name) => roleArnJson(roles[name])).sort();
      expect(identityAllows(template, key, 'kms:Sign')).toEqual(expected);
      expect(signDenyExemptions(template, key)).toEqual(expected);
    },
  );

  it.each(['anchor', 'appender', 'hasher', 'auditor'] as const)(
    'the %s role holds no kms:Sign on either key',
    (name) => {
      for (const party of ['agency', 'custodian'] as const) {
        const key = logicalIdOf(stack, stack.signingKeys[party].key);
        expect(
          actionsOn(template, roles[name], key).filter((a) => a !== 'kms:GetPublicKey'),
        ).toEqual([]);
        expect(signDenyExemptions(template, key)).not.toContain(roleArnJson(roles[name]));
      }
    },
  );

  it('the anchor may invoke both co-signers', () => {
    for (const party of ['agency', 'custodian'] as const) {
      const cosigner = logicalIdOf(stack, stack.cosigners[party].function);
      expect(actionsOn(template, roles.anchor, cosigner)).toEqual(['lambda:InvokeFunction']);
    }
  });
});

type Cosigner = (event: unknown) => Promise<CosignerResponse>;

/** A deployment with 3 records anchored (both parties co-signed size 3), and its co-signers. */
interface Anchored {
  readonly deployment: LocalDeployment;
  readonly cosigners: Record<'agency' | 'custodian', Cosigner>;
  readonly size: number;
  readonly root: string;
}

async function anchoredDeployment(label: string): Promise<Anchored> {
  const deployment = await createDeployment(label);
  for (let i = 0; i < 3; i++) await deployment.upload(`anchor/${i}.txt`, `exhibit ${i}`);
  await deployment.pipeline.runUntilIdle(45_000);
  const published = await deployment.anchor();
  expect(published.outcome).toBe('published');
  const { resources, clients, origin } = deployment;
  return {
    deployment,
    cosigners: {
      agency: cosignerHandler(
        once(() => cosignerDeps(cosignerEnvironment(resources, 'agency', origin), clients)),
      ),
      custodian: cosignerHandler(
        once(() => cosignerDeps(cosignerEnvironment(resources, 'custodian', origin), clients)),
      ),
    },
    size: published.treeSize,
    root: published.rootHash!,
  };
}

const other = (hex: string) => (hex.startsWith('0') ? `1${hex.slice(1)}` : `0${hex.slice(1)}`);

/** What the anchor role can do: invoke a party's co-signer with a checkpoint of its choosing. */
const propose = (
  anchored: Anchored,
  party: 'agency' | 'custodian',
  oldSize: number,
  treeSize: number,
  rootHash: string,
  consistencyProof: string[] = [],
) =>
  anchored.cosigners[party]({
    origin: anchored.deployment.origin,
    oldSize,
    checkpoint: { treeSize, rootHash },
    consistencyProof,
  });

describe.skipIf(skipBackend)(`the anchor proposing forged checkpoints on ${backend.name}`, () => {
  let anchored: Anchored;
  beforeAll(async () => {
    anchored = await anchoredDeployment('redteam-anchor');
  }, 90_000);
  afterAll(() => anchored?.deployment.close());

  it.each(['agency', 'custodian'] as const)(
    'the %s co-signer refuses another root at the size it co-signed: COSIGN_FORK',
    async (party) => {
      const { size, root } = anchored;
      expect(await propose(anchored, party, size, size, other(root))).toMatchObject({
        ok: false,
        code: 'COSIGN_FORK',
      });
    },
  );

  it.each(['agency', 'custodian'] as const)(
    'the %s co-signer refuses a smaller tree: COSIGN_TREE_SHRINK or COSIGN_STALE_OLD_SIZE',
    async (party) => {
      const { size, root } = anchored;
      const answer = await propose(anchored, party, size, size - 1, root);
      expect(answer.ok).toBe(false);
      expect(['COSIGN_TREE_SHRINK', 'COSIGN_STALE_OLD_SIZE']).toContain(!answer.ok && answer.code);
    },
  );

  it.each(['agency', 'custodian'] as const)(
    'the %s co-signer refuses a proof from a size it never co-signed: COSIGN_STALE_OLD_SIZE',
    async (party) => {
      const { size, root } = anchored;
      expect(await propose(anchored, party, 1, size, root)).toMatchObject({
        ok: false,
        code: 'COSIGN_STALE_OLD_SIZE',
      });
    },
  );

  it.each(['agency', 'custodian'] as const)(
    'the %s co-signer refuses a larger tree with a forged root and proof',
    async (party) => {
      const { deployment, size, root } = anchored;
      await deployment.upload(`anchor/more-${party}.txt`, `exhibit for ${party}`);
      await deployment.pipeline.runUntilIdle(45_000);
      const answer = await propose(anchored, party, size, size + 1, other(root), [other(root)]);
      expect(answer.ok).toBe(false);
      expect(['CONSISTENCY_PROOF_INVALID', 'ROOT_MISMATCH']).toContain(!answer.ok && answer.code);
    },
  );
});

// A deployment of its own: the refusals above add records, and an honest anchor run here
// would move the parties' state under them.
describe.skipIf(skipBackend)(`after forged checkpoints were refused on ${backend.name}`, () => {
  let anchored: Anchored;
  beforeAll(async () => {
    anchored = await anchoredDeployment('redteam-anchor-after');
    const { deployment, size, root } = anchored;
    await deployment.upload('anchor/more.txt', 'one more exhibit');
    await deployment.pipeline.runUntilIdle(45_000);
    for (const party of ['agency', 'custodian'] as const) {
      expect((await propose(anchored, party, size, size, other(root))).ok).toBe(false);
      const forged = await propose(anchored, party, size, size + 1, other(root), [other(root)]);
      expect(forged.ok).toBe(false);
    }
  }, 90_000);
  afterAll(() => anchored?.deployment.close());

  it('no checkpoint was published and neither party’s state moved past the honest one', async () => {
    const { deployment, size } = anchored;
    expect((await deployment.anchors.latest())?.treeSize).toBe(size);
    const cosigned = await deployment.cosignerStates();
    expect([cosigned.agency?.treeSize, cosigned.custodian?.treeSize]).toEqual([size, size]);
    // The honest anchor still gets both signatures over the genuine ledger afterwards.
    const next = await deployment.anchor();
    expect(next).toMatchObject({ outcome: 'published', treeSize: size + 1 });
  });
});
