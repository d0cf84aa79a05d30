/**
 * The LocalStack path: where a Docker engine is reachable, the same pipeline runs on
 * LocalStack in a container (testcontainers, image pinned in test/support/localstack-backend.ts).
 * Run the whole integration suite there with EVIDENCE_LEDGER_BACKEND=localstack; this file
 * checks the path on every run and skips, with its reason, where there is no Docker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedLocalStackContainer } from '@testcontainers/localstack';
import { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { uniquePrefix } from '../support/deployment-fixture';
import { expectVerifiedLedger } from '../support/ledger-expectations';
import {
  dockerUnavailableReason,
  LOCALSTACK_IMAGE,
  startLocalStack,
} from '../support/localstack-backend';

const unavailable = await dockerUnavailableReason();
if (unavailable) console.info(`LocalStack backend skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)(
  `LocalStack backend (${LOCALSTACK_IMAGE}) — skipped when: ${unavailable ?? 'n/a'}`,
  () => {
    let container: StartedLocalStackContainer;
    let deployment: LocalDeployment;
    beforeAll(async () => {
      const started = await startLocalStack();
      container = started.container;
      deployment = await LocalDeployment.create(started.clientOptions, {
        prefix: uniquePrefix('localstack'),
      });
    }, 300_000);
    afterAll(async () => {
      deployment?.close();
      await container?.stop();
    });

    it('runs one upload through the pipeline to a verified record', async () => {
      const versionId = await deployment.upload('localstack/exhibit.txt', 'on LocalStack');
      await deployment.pipeline.runUntilIdle(120_000);
      const [record] = await expectVerifiedLedger(deployment, 1);
      expect(record?.deposit.versionId).toBe(versionId);
    });
  },
);
