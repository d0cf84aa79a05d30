/**
 * A party's Signer backed by an asymmetric KMS key (ECC_NIST_P256, ECDSA_SHA_256).
 * KMS is given SHA-256(message) as a DIGEST, so the signature is an ordinary ECDSA-SHA256
 * signature over the message that any verifier can check with the public key alone.
 */
import { SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import { LedgerError } from '../../core/errors';
import { sha256 } from '../../core/hashing';
import type { Signer } from '../../core/ports/signing';
import type { PartyRole } from '../../core/types';

export class KmsSigner implements Signer {
  constructor(
    private readonly kms: KMSClient,
    readonly role: PartyRole,
    readonly keyId: string,
  ) {}

  async sign(message: Uint8Array): Promise<Uint8Array> {
    try {
      const { Signature } = await this.kms.send(
        new SignCommand({
          KeyId: this.keyId,
          Message: sha256(message),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      if (Signature) return Signature;
      throw new LedgerError('KEY_UNAVAILABLE', `KMS returned no ${this.role} signature`, {
        role: this.role,
        keyId: this.keyId,
      });
    } catch (cause) {
      if (cause instanceof LedgerError) throw cause;
      // Disabled, pending deletion, throttled or unreachable: the deposit waits and is retried.
      throw new LedgerError(
        'KEY_UNAVAILABLE',
        `the ${this.role} key could not sign: ${(cause as Error).name ?? 'error'}`,
        { role: this.role, keyId: this.keyId, sdkError: (cause as Error).name },
        { cause },
      );
    }
  }
}
