/**
 * The signing ports: a party's key and the resolver of public keys. AWS adapters live in
 * functions/shared (KMS); tests use in-memory keys.
 */
import type { PartyRole } from '../types';

/** A party's signing key. `sign` returns a DER ECDSA P-256 signature over SHA-256(message). */
export interface Signer {
  readonly role: PartyRole;
  readonly keyId: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** Resolves a key id to its public key (SubjectPublicKeyInfo, DER). */
export interface KeyResolver {
  publicKey(keyId: string): Promise<Uint8Array>;
}
