/**
 * A Signer and a SignatureVerifier that never leave the calling thread: @noble/curves
 * ECDSA P-256 with RFC 6979 nonces (keys derived from a seed) to sign, OpenSSL's synchronous
 * verify to check. The deterministic simulator needs this: WebCrypto and node:crypto's callback
 * verify finish on libuv's thread pool, at times no seed controls, and the same seed must give
 * the same signatures byte for byte.
 *
 *   const agency = nobleSigner('agency', seedBytes);   // inMemoryKeyResolver([agency]) resolves it
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { P256_SPKI_PREFIX } from '../../core/bundle/trusted-keys';
import { concatBytes } from '../../core/encoding';
import { LedgerError } from '../../core/errors';
import type { SignatureVerifier } from '../../core/ports/signature-verifier';
import type { PartyRole } from '../../core/types';
import { keyUnavailable, type InMemorySigner } from './in-memory-signer';

/** The SubjectPublicKeyInfo DER of an uncompressed P-256 point, as KMS GetPublicKey returns it. */
const spkiOf = (point: Uint8Array): Uint8Array => concatBytes(P256_SPKI_PREFIX, point);

/** A P-256 signer whose key is SHA-256(`seed`), so the same seed gives the same key. */
export function nobleSigner(
  role: PartyRole,
  seed: Uint8Array,
  keyId = `arn:aws:kms:eu-west-1:000000000000:key/sim-${role}`,
): InMemorySigner {
  const secretKey = sha256(seed);
  const spki = spkiOf(p256.getPublicKey(secretKey, false));
  let enabled = true;
  return {
    role,
    keyId,
    publicKeySpki: () => spki.slice(),
    disable: () => void (enabled = false),
    enable: () => void (enabled = true),
    // DER over SHA-256(message), as KMS Sign with ECDSA_SHA_256; noble prehashes with SHA-256.
    sign: (message) =>
      enabled
        ? Promise.resolve(p256.sign(message, secretKey, { format: 'der' }))
        : Promise.reject(keyUnavailable(keyId, 'DisabledException')),
  };
}

const verifyKeys = new Map<string, KeyObject>();

function verifyKey(spkiDer: Uint8Array): KeyObject {
  const id = Buffer.from(spkiDer).toString('base64');
  let key = verifyKeys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    verifyKeys.set(id, key);
  }
  return key;
}

/**
 * ECDSA P-256 / SHA-256 verification on the calling thread: node:crypto's synchronous verify
 * (OpenSSL), the same check as functions/shared/node-signature-verifier.ts without the thread
 * pool. The core has checked that the DER is strict before it gets here.
 */
export const sameThreadSignatureVerifier: SignatureVerifier = {
  verify(spkiDer, message, derSignature) {
    try {
      const key = verifyKey(spkiDer);
      return Promise.resolve(verify('sha256', message, { key, dsaEncoding: 'der' }, derSignature));
    } catch (cause) {
      return Promise.reject(
        new LedgerError('INVALID_INPUT', 'public key is not a P-256 SPKI', {}, { cause }),
      );
    }
  },
};
