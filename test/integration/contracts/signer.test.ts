/** The signer contract on KmsSigner and KmsKeyResolver, on the KMS emulator (this file's own keys). */
import { randomUUID } from 'node:crypto';
import { DisableKeyCommand, EnableKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe } from 'vitest';
import { KmsKeyResolver } from '../../../functions/shared/kms-key-resolver';
import { KmsSigner } from '../../../functions/shared/kms-signer';
import type { LocalDeployment } from '../../../tools/local-runtime/local-deployment';
import { describeSignerContract } from '../../contracts/signer.contract';
import { backend, createDeployment, skipBackend } from '../../support/deployment-fixture';

describe.skipIf(skipBackend)(`on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  beforeAll(async () => {
    deployment = await createDeployment('signer-contract');
  });
  afterAll(() => deployment?.close());

  describeSignerContract('KmsSigner', () => {
    const { kms } = deployment.clients;
    const keyId = deployment.resources.keys.agency;
    const unknownKey = keyId.replace(/key\/.*$/, `key/${randomUUID()}`);
    return Promise.resolve({
      signer: new KmsSigner(kms, 'agency', keyId),
      // A fresh resolver per test: KmsKeyResolver caches public keys for a container's life.
      keys: new KmsKeyResolver(kms),
      disable: async () => void (await kms.send(new DisableKeyCommand({ KeyId: keyId }))),
      enable: async () => void (await kms.send(new EnableKeyCommand({ KeyId: keyId }))),
      unknown: new KmsSigner(kms, 'agency', unknownKey),
    });
  });
});
