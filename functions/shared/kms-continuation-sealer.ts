/**
 * The auditor's ContinuationSealer: HMAC-SHA-256 under a KMS HMAC_256 key whose key policy
 * lets only the auditor's role call GenerateMac and VerifyMac (infra/constructs/continuation-key.ts).
 * The key material never leaves KMS, so no caller of the auditor can seal a cursor of its own.
 */
import { GenerateMacCommand, VerifyMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { ContinuationSealer } from '../../core/audit/sealed-continuation';
import { LedgerError } from '../../core/errors';
import { CONTINUATION_KEY } from '../../definitions/auditor';

const MAC_ALGORITHM = CONTINUATION_KEY.macAlgorithm;

function unavailable(keyId: string, cause: unknown): LedgerError {
  return new LedgerError(
    'KEY_UNAVAILABLE',
    `the auditor's continuation key is unusable: ${(cause as Error).name ?? 'error'}`,
    { keyId, sdkError: (cause as Error).name },
    { cause },
  );
}

export class KmsContinuationSealer implements ContinuationSealer {
  constructor(
    private readonly kms: KMSClient,
    readonly keyId: string,
  ) {}

  async seal(message: Uint8Array): Promise<Uint8Array> {
    let mac: Uint8Array | undefined;
    try {
      ({ Mac: mac } = await this.kms.send(
        new GenerateMacCommand({
          KeyId: this.keyId,
          Message: message,
          MacAlgorithm: MAC_ALGORITHM,
        }),
      ));
    } catch (cause) {
      throw unavailable(this.keyId, cause);
    }
    if (!mac) throw unavailable(this.keyId, new Error('KMS returned no MAC'));
    return mac;
  }

  async verify(message: Uint8Array, mac: Uint8Array): Promise<boolean> {
    // KMS rejects an empty or over-long MAC as a validation error: it is simply not ours.
    if (mac.length === 0 || mac.length > 64) return false;
    try {
      const { MacValid } = await this.kms.send(
        new VerifyMacCommand({
          KeyId: this.keyId,
          Message: message,
          Mac: mac,
          MacAlgorithm: MAC_ALGORITHM,
        }),
      );
      return MacValid === true;
    } catch (cause) {
      // KMS answers a MAC that does not verify with KMSInvalidMacException, not MacValid=false.
      if ((cause as Error).name === 'KMSInvalidMacException') return false;
      throw unavailable(this.keyId, cause);
    }
  }
}
