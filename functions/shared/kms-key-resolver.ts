import { GetPublicKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { LedgerError } from '../../core/errors';
import type { KeyResolver } from '../../core/ports/signing';
import { SIGNING_KEY } from '../../definitions/pipeline';

/** Public keys of the parties' KMS keys, fetched once per key and cached for the container's life. */
export class KmsKeyResolver implements KeyResolver {
  private readonly cache = new Map<string, Promise<Uint8Array>>();

  constructor(private readonly kms: KMSClient) {}

  publicKey(keyId: string): Promise<Uint8Array> {
    let pending = this.cache.get(keyId);
    if (!pending) {
      pending = this.fetch(keyId);
      pending.catch(() => this.cache.delete(keyId));
      this.cache.set(keyId, pending);
    }
    return pending;
  }

  private async fetch(keyId: string): Promise<Uint8Array> {
    try {
      const key = await this.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
      if (
        key.KeySpec !== SIGNING_KEY.keySpec ||
        key.KeyUsage !== SIGNING_KEY.keyUsage ||
        !key.PublicKey
      ) {
        throw new LedgerError(
          'UNTRUSTED_KEY',
          `key ${keyId} is not an ${SIGNING_KEY.keySpec} signing key`,
          { keyId },
        );
      }
      return key.PublicKey;
    } catch (cause) {
      if (cause instanceof LedgerError) throw cause;
      throw new LedgerError(
        'KEY_UNAVAILABLE',
        `public key of ${keyId} unavailable`,
        { keyId, sdkError: (cause as Error).name },
        { cause },
      );
    }
  }
}
