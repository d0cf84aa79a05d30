/**
 * In-memory parties for checkpoint tests and benchmarks: each holds an in-memory signer (a
 * WebCrypto P-256 key that signs like KMS with ECDSA_SHA_256) and the signed-note key built
 * from it, as a co-signer would.
 */
import { noteVerifierKey } from '../../core/checkpoint/note-key';
import type { PartyVerifierKey } from '../../core/checkpoint/signed-checkpoint';
import type { NoteSigner } from '../../core/checkpoint/signed-note';
import type { PartyRole } from '../../core/types';
import { createInMemorySigner } from './in-memory-signer';

export interface TestParty {
  readonly noteSigner: NoteSigner;
  readonly verifier: PartyVerifierKey;
}

export async function createParty(
  role: PartyRole,
  keyName = `ledger.example/${role}`,
): Promise<TestParty> {
  const signer = await createInMemorySigner(role);
  const publicKeySpki = signer.publicKeySpki();
  return {
    noteSigner: { keyName, publicKeySpki, signer },
    verifier: { ...noteVerifierKey(keyName, publicKeySpki), role },
  };
}
