/**
 * Red team: the time-stamping authority (or whoever sits between it and the anchor) answers
 * with a reply the anchor must not store. Once, a 60 KB token was stored and every later anchor
 * run and audit failed. Now each hostile reply leaves the checkpoint published without a token,
 * with the reason's code, and the next anchor run and verifyLedger still succeed.
 *
 * Attacker: the TSA, outside the stack; it holds no IAM rights. What the stack gives it, from
 * the synthesized template (asserted first): the anchor's TSA_URL, with the TSA's certificate
 * pinned beside it (TSA_CERTIFICATE_PEM); a URL without a certificate does not synthesize.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wormKeysOf } from '../../core/anchor/worm-keys';

import { S3WormStore } from '../../functions/shared/s3-worm-store';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { synthesizeLedgerStack } from '../infra/support/synth-ledger-stack';
import { logicalIdOf, propertiesOf } from '../infra/support/template-queries';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import { startHostileTsa, type HostileMode, type HostileTsa } from '../support/hostile-tsa';
import { ENV } from '../../definitions/environment';

const TSA_URL = 'https://tsa.example.org/rfc3161';
const TSA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBexample=\n-----END CERTIFICATE-----\n';

describe('what the stack gives the TSA', () => {
  it('the anchor asks the configured URL and pins the configured certificate', () => {
    const { stack, template } = synthesizeLedgerStack({
      context: { tsaUrl: TSA_URL, tsaCertificatePem: TSA_PEM },
    });
    const environment = propertiesOf(template, logicalIdOf(stack, stack.anchorFunction.function))
      .Environment as { Variables: Record<string, unknown> };
    expect(environment.Variables).toMatchObject({
      [ENV.tsaUrl]: TSA_URL,
      [ENV.tsaCertificate]: TSA_PEM,
    });
  }, 120_000);

  it('a TSA URL without a pinned certificate does not synthesize', () => {
    expect(() => synthesizeLedgerStack({ context: { tsaUrl: TSA_URL } })).toThrow(
      /tsaCertificatePem/,
    );
  }, 120_000);
});

const HOSTILE: [HostileMode, string][] = [
  ['oversized', 'TIMESTAMP_INVALID'],
  ['other-digest', 'TIMESTAMP_MISMATCH'],
  ['other-nonce', 'TIMESTAMP_INVALID'],
  ['other-certificate', 'TIMESTAMP_INVALID'],
  ['garbage', 'TIMESTAMP_INVALID'],
];

describe.skipIf(skipBackend)(`the anchor facing a hostile TSA on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  let tsa: HostileTsa;
  let worm: S3WormStore;
  let uploads = 0;

  /** One more deposit through the pipeline, then an anchor run with the TSA in `mode`. */
  async function anchorWith(mode: HostileMode) {
    await deployment.upload(`redteam/tsa-${uploads}.txt`, `exhibit ${uploads++}`);
    await deployment.pipeline.runUntilIdle(60_000);
    tsa.mode = mode;
    const response = await deployment.anchor();
    const stored = await deployment.anchors.latest();
    return {
      response,
      stored,
      wormToken: await worm.exists(wormKeysOf(response.treeSize).timestamp),
    };
  }

  beforeAll(async () => {
    tsa = await startHostileTsa();
    deployment = await createDeployment('redteam-tsa', {
      tsaUrl: tsa.url,
      tsaCertificatePem: tsa.certificatePem,
    });
    worm = new S3WormStore(deployment.clients.s3, deployment.resources.anchorBucket, 1);
  });
  afterAll(async () => {
    deployment?.close();
    await tsa?.stop();
  });

  describe.each(HOSTILE)('when the TSA answers %s', (mode, code) => {
    it(`publishes the checkpoint without a token (${code}), and the next anchor run and verifyLedger succeed`, async () => {
      const hostile = await anchorWith(mode);
      expect(hostile.response).toMatchObject({ outcome: 'published', timestampRejected: code });
      expect(hostile.stored).toMatchObject({
        treeSize: hostile.response.treeSize,
        timestampToken: null,
      });
      expect(hostile.wormToken).toBe(false);

      const next = await anchorWith('honest');
      expect(next.response.outcome).toBe('published');
      expect(next.response).not.toHaveProperty('timestampRejected');
      expect(next.stored?.timestampToken).toEqual(expect.any(String));
      expect(next.wormToken).toBe(true);

      expect(await deployment.auditor({ action: 'verifyLedger' })).toMatchObject({
        verdict: 'valid',
        failures: [],
      });
    });
  });
});
