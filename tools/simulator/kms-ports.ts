/**
 * The parties' KMS keys as an invocation reaches them: every Sign and GetPublicKey is a port
 * call the scheduler gates, and a key the run has disabled answers KEY_UNAVAILABLE (what
 * functions/shared/kms-signer.ts makes of KMS's DisabledException) until it is enabled again.
 */
import { LedgerError } from '../../core/errors';
import type { TrustedParties } from '../../core/party-signatures';
import type { KeyResolver, Signer } from '../../core/ports/signing';
import { PARTY_ROLES, type PartyRole } from '../../core/types';
import { sameThreadSignatureVerifier } from '../fakes/noble-signer';
import type { Gate } from './gated-port';
import type { World } from './world';

const disabled = (role: PartyRole) =>
  new LedgerError('KEY_UNAVAILABLE', `the ${role} key is disabled`, { role });

export function kmsSigner(world: World, gate: Gate, role: PartyRole): Signer {
  const signer = world.signers[role];
  return {
    role,
    keyId: signer.keyId,
    sign: (message) =>
      gate('kms.sign', role, () =>
        world.keyEnabled(role) ? signer.sign(message) : Promise.reject(disabled(role)),
      ),
  };
}

export function kmsKeys(world: World, gate: Gate): KeyResolver {
  return {
    publicKey: (keyId) =>
      gate('kms.getPublicKey', keyId.slice(-12), () => {
        const role = PARTY_ROLES.find((r) => world.signers[r].keyId === keyId);
        if (role && !world.keyEnabled(role)) return Promise.reject(disabled(role));
        return world.trusted.keys.publicKey(keyId);
      }),
  };
}

/** Both parties' keys as trusted by a stage, resolved through KMS, verified on this thread. */
export function kmsTrusted(world: World, gate: Gate): TrustedParties {
  return {
    keyIds: world.trusted.keyIds,
    keys: kmsKeys(world, gate),
    verifier: sameThreadSignatureVerifier,
  };
}
