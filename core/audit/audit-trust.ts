/** What the auditor trusts: the parties' keys (for records and checkpoint notes) and the origin. */
import { noteVerifierKey } from '../checkpoint/note-key';
import type { PartyVerifierKey } from '../checkpoint/signed-checkpoint';
import type { TrustedParties } from '../party-signatures';
import { PARTY_ROLES } from '../types';

export interface AuditTrust {
  readonly origin: string;
  readonly parties: TrustedParties;
  readonly noteKeys: readonly PartyVerifierKey[];
}

/** Note key names of the parties: `<origin>/<role>` (see docs/FORMAT.md). */
export function partyNoteKeyName(origin: string, role: string): string {
  return `${origin}/${role}`;
}

export async function auditTrust(origin: string, parties: TrustedParties): Promise<AuditTrust> {
  const noteKeys = await Promise.all(
    PARTY_ROLES.map(async (role) => ({
      role,
      ...noteVerifierKey(partyNoteKeyName(origin, role), await parties.keys.publicKey(parties.keyIds[role])),
    })),
  );
  return { origin, parties, noteKeys };
}
