/**
 * The keys a deployment's co-signed checkpoints verify against: each party's note key,
 * named for the deployment's origin, with the public key of its KMS signing key.
 */
import type { PartyVerifierKey } from '../../core/checkpoint/signed-checkpoint';
import { noteVerifierKey, partyNoteKeyName } from '../../core/checkpoint/note-key';
import { PARTY_ROLES } from '../../core/types';
import type { LocalDeployment } from './local-deployment';

export async function partyNoteKeys(deployment: LocalDeployment): Promise<PartyVerifierKey[]> {
  return Promise.all(
    PARTY_ROLES.map(async (role) => ({
      role,
      ...noteVerifierKey(
        partyNoteKeyName(deployment.origin, role),
        await deployment.trusted.keys.publicKey(deployment.resources.keys[role]),
      ),
    })),
  );
}
