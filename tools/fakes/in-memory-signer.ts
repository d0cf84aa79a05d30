/**
 * In-memory stand-ins for the KMS-backed Signer and KeyResolver, for tests anywhere in the
 * project (tests and benchmarks). The signer holds a WebCrypto ECDSA P-256 key pair and, like KMS Sign with
 * ECDSA_SHA_256, returns a DER signature over SHA-256 of the message it is given.
 *
 *   const agency = await createInMemorySigner('agency');
 *   const keys = inMemoryKeyResolver([agency]);
 */
import { p1363ToDer } from '../../core/ecdsa-p256';
import { LedgerError } from '../../core/errors';
import type { KeyResolver, Signer } from '../../core/ports/signing';
import type { PartyRole } from '../../core/types';

export interface InMemorySigner extends Signer {
  /** The public key as SubjectPublicKeyInfo DER, what a KMS GetPublicKey returns. */
  publicKeySpki(): Uint8Array;
  /** Disables the key, as KMS DisableKey: every sign fails KEY_UNAVAILABLE until `enable`. */
  disable(): void;
  enable(): void;
}

/** What KmsSigner throws when KMS cannot sign with the key (disabled, unknown). */
export const keyUnavailable = (keyId: string, why: string) =>
  new LedgerError('KEY_UNAVAILABLE', `the key ${keyId} could not sign: ${why}`, { keyId });

/** A signer with a fresh key pair; keyId defaults to a readable fake ARN for `role`. */
export async function createInMemorySigner(
  role: PartyRole,
  keyId = `arn:aws:kms:eu-west-1:000000000000:key/test-${role}`,
): Promise<InMemorySigner> {
  const { privateKey, publicKey } = await crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: 'P-256' },
    true,
    ['sign', 'verify'],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
  let enabled = true;
  return {
    role,
    keyId,
    publicKeySpki: () => spki.slice(),
    disable: () => void (enabled = false),
    enable: () => void (enabled = true),
    async sign(message) {
      // KmsSigner maps KMS's DisabledException to KEY_UNAVAILABLE: the deposit waits.
      if (!enabled) throw keyUnavailable(keyId, 'DisabledException');
      const raw = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        privateKey,
        new Uint8Array(message),
      );
      return p1363ToDer(new Uint8Array(raw));
    },
  };
}

/** A signer whose key id names no key, as KMS answers NotFoundException for it. */
export function unknownKeySigner(role: PartyRole, keyId: string): Signer {
  return {
    role,
    keyId,
    sign: () => Promise.reject(keyUnavailable(keyId, 'NotFoundException')),
  };
}

/** Resolves the key ids of `signers`; any other id fails with KEY_UNAVAILABLE, as KMS would. */
export function inMemoryKeyResolver(signers: readonly InMemorySigner[]): KeyResolver {
  const keys = new Map(signers.map((signer) => [signer.keyId, signer.publicKeySpki()]));
  return {
    publicKey(keyId) {
      const key = keys.get(keyId);
      return key
        ? Promise.resolve(key.slice())
        : Promise.reject(new LedgerError('KEY_UNAVAILABLE', `unknown key ${keyId}`, { keyId }));
    },
  };
}
