/**
 * The parties remember what they co-signed (core/witness): the operator's database cannot
 * forget it for them. A ledger shorter than a party's latest co-signed checkpoint had records
 * removed after both parties vouched for them (LEDGER_ROLLED_BACK); a ledger whose root at
 * that size differs was rewritten (ROOT_MISMATCH, found during the walk from seq 0).
 */
import { PARTY_ROLES, type PartyRole } from '../types';
import type { AuditFailure } from './audit-report';
import type { PartyCheckpoints } from './reconcile-ports';

/** A root some party vouched for at a tree size. */
export interface VouchedRoot {
  readonly role: PartyRole;
  readonly treeSize: number;
  readonly rootHash: string;
}

export async function partyVouchedRoots(parties: PartyCheckpoints): Promise<VouchedRoot[]> {
  const states = await Promise.all(
    PARTY_ROLES.map(async (role) => ({ role, state: await parties.load(role) })),
  );
  return states.flatMap(({ role, state }) =>
    state && state.treeSize > 0
      ? [{ role, treeSize: state.treeSize, rootHash: state.rootHash }]
      : [],
  );
}

export function rolledBackFailures(
  vouched: readonly VouchedRoot[],
  ledgerSize: number,
): AuditFailure[] {
  return vouched
    .filter((v) => v.treeSize > ledgerSize)
    .map((v) => ({
      check: 'party-checkpoint',
      code: 'LEDGER_ROLLED_BACK',
      treeSize: v.treeSize,
      message: `the ${v.role} co-signed a tree of ${v.treeSize} records; the ledger holds ${ledgerSize}: records were removed`,
    }));
}
