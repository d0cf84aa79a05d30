/**
 * A party's signer and the key resolver (core/ports/signing.ts), run against the in-memory
 * keys and KMS: the signature is strict DER ECDSA P-256 over SHA-256 of the message and
 * verifies under the key's public key; a disabled key or a key id that names no key fails
 * KEY_UNAVAILABLE, so the deposit waits instead of failing.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyEcdsaP256Sha256 } from '../../core/ecdsa-p256';
import { utf8Encode } from '../../core/encoding';
import type { KeyResolver, Signer } from '../../core/ports/signing';

export interface SignerSubject {
  readonly signer: Signer;
  readonly keys: KeyResolver;
  disable(): Promise<void>;
  enable(): Promise<void>;
  /** The same role with a key id that names no key. */
  readonly unknown: Signer;
}

const MESSAGE = utf8Encode('{"type":"evidence-ledger/attestation/v1"}');

export function describeSignerContract(
  name: string,
  makeSubject: () => Promise<SignerSubject>,
): void {
  describe(`the signer contract on ${name}`, () => {
    let subject: SignerSubject;
    beforeEach(async () => {
      subject = await makeSubject();
    });

    it('signs so that the signature verifies under the public key, and only for that message', async () => {
      const publicKey = await subject.keys.publicKey(subject.signer.keyId);
      const signature = await subject.signer.sign(MESSAGE);

      expect(await verifyEcdsaP256Sha256(publicKey, MESSAGE, signature)).toBe(true);
      expect(await verifyEcdsaP256Sha256(publicKey, utf8Encode('other'), signature)).toBe(false);
    });

    it('fails KEY_UNAVAILABLE while the key is disabled, and signs again once enabled', async () => {
      await subject.disable();
      try {
        await expect(subject.signer.sign(MESSAGE)).rejects.toMatchObject({
          code: 'KEY_UNAVAILABLE',
          details: { keyId: subject.signer.keyId },
        });
      } finally {
        await subject.enable();
      }
      const publicKey = await subject.keys.publicKey(subject.signer.keyId);
      expect(
        await verifyEcdsaP256Sha256(publicKey, MESSAGE, await subject.signer.sign(MESSAGE)),
      ).toBe(true);
    });

    it('fails KEY_UNAVAILABLE for a key id that names no key, signing or resolving', async () => {
      await expect(subject.unknown.sign(MESSAGE)).rejects.toMatchObject({
        code: 'KEY_UNAVAILABLE',
        details: { keyId: subject.unknown.keyId },
      });
      await expect(subject.keys.publicKey(subject.unknown.keyId)).rejects.toMatchObject({
        code: 'KEY_UNAVAILABLE',
      });
    });
  });
}
