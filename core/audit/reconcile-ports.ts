/**
 * What the auditor reads to reconcile the ledger with the sources it cannot rewrite alone:
 * the evidence bucket's object versions (Object Lock keeps them all), the ledger's own
 * per-deposit markers, and each party's memory of the last checkpoint it co-signed.
 */
import type { ObjectVersionRef } from '../ports/evidence-objects';
import type { PartyRole } from '../types';
import type { CosignerState } from '../witness/ports';

/** One object version and when S3 created it (ISO 8601). */
export interface EvidenceVersion extends ObjectVersionRef {
  readonly lastModified: string;
}

export interface EvidenceVersions {
  /** Every object version in the evidence bucket (not delete markers), in any order. */
  list(): AsyncIterable<EvidenceVersion>;
}

/** The ledger's marker of an appended deposit: the seq and hash it was appended with. */
export interface DepositMarker {
  readonly recordSeq: number;
  readonly recordHash: string;
}

export interface DepositMarkers {
  find(depositId: string): Promise<DepositMarker | null>;
}

/** What each party remembers, read-only: its co-signer state and the deposits it signed. */
export interface PartyCheckpoints {
  load(role: PartyRole): Promise<CosignerState | null>;
  /** True if `role` remembers signing `depositId` (its own table). */
  signed(role: PartyRole, depositId: string): Promise<boolean>;
}
