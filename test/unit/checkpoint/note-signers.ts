/**
 * In-memory party signers for the checkpoint tests: a WebCrypto ECDSA P-256 key that, like
 * KMS Sign with ECDSA_SHA_256, returns a DER signature over SHA-256(message).
 */
import { p1363ToDer } from '../../../core/ecdsa-p256';
import { noteVerifierKey } from '../../../core/checkpoint/note-key';
import type { PartyVerifierKey } from '../../../core/checkpoint/signed-checkpoint';
import type { NoteSigner } from '../../../core/checkpoint/signed-note';
import type { PartyRole } from '../../../core/types';

export interface TestParty {
  readonly noteSigner: NoteSigner;
  readonly verifier: PartyVerifierKey;
}

export async function createParty(
  role: PartyRole,
  keyName = `ledger.example/${role}`,
): Promise<TestParty> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const publicKeySpki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
  const signer = {
    role,
    keyId: `arn:aws:kms:eu-west-1:000000000000:key/test-${role}`,
    async sign(message: Uint8Array): Promise<Uint8Array> {
      const raw = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        pair.privateKey,
        new Uint8Array(message),
      );
      return p1363ToDer(new Uint8Array(raw));
    },
  };
  return {
    noteSigner: { keyName, publicKeySpki, signer },
    verifier: { ...noteVerifierKey(keyName, publicKeySpki), role },
  };
}
