/** What the auditor trusts: the parties' keys (for records and checkpoint notes) and the origin. */
import { noteVerifierKey, partyNoteKeyName } from '../checkpoint/note-key';
import type { PartyVerifierKey } from '../checkpoint/signed-checkpoint';
import type { TrustedParties } from '../party-signatures';
import { PARTY_ROLES } from '../types';

export interface AuditTrust {
  readonly origin: string;
  readonly parties: TrustedParties;
  readonly noteKeys: readonly PartyVerifierKey[];
}

export async function auditTrust(origin: string, parties: TrustedParties): Promise<AuditTrust> {
  const noteKeys = await Promise.all(
    PARTY_ROLES.map(async (role) => ({
      role,
      ...noteVerifierKey(
        partyNoteKeyName(origin, role),
        await parties.keys.publicKey(parties.keyIds[role]),
      ),
    })),
  );
  return { origin, parties, noteKeys };
}
