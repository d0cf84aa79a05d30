/**
 * Ports: the small interfaces through which the core talks to the outside world.
 * AWS adapters live in functions/shared; tests use in-memory fakes.
 */
import type { PartyRole } from './types';

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

/** The time source; injectable so tests are deterministic. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
