/**
 * Checkpoints of this ledger are co-signed: a checkpoint counts only when BOTH parties
 * ('agency' and 'custodian', PARTY_ROLES) have signed the same C2SP checkpoint note with
 * their KMS keys. Signatures from other keys (witnesses, rotated keys) are ignored, as
 * c2sp.org/tlog-checkpoint §Signatures asks.
 */
import { LedgerError } from '../errors';
import { PARTY_ROLES, type PartyRole } from '../types';
import { formatCheckpoint, parseCheckpoint, type Checkpoint } from './checkpoint';
import type { NoteVerifierKey } from './note-key';
import { signNote, verifyNote, type NoteSigner } from './signed-note';

/** A trusted party key: the note verifier plus the role it speaks for. */
export interface PartyVerifierKey extends NoteVerifierKey {
  readonly role: PartyRole;
}

/** Signs `checkpoint` with exactly one signer per party, in PARTY_ROLES order. */
export async function signCheckpoint(
  checkpoint: Checkpoint,
  signers: readonly NoteSigner[],
): Promise<string> {
  const ordered = PARTY_ROLES.map((role) => {
    const mine = signers.filter((s) => s.signer.role === role);
    if (mine.length !== 1) {
      throw new LedgerError('INVALID_INPUT', 'a checkpoint needs exactly one signer per party', {
        role,
        count: mine.length,
      });
    }
    return mine[0]!;
  });
  if (signers.length !== ordered.length) {
    throw new LedgerError('INVALID_INPUT', 'only the parties sign checkpoints', {
      signers: signers.map((s) => s.signer.role),
    });
  }
  return signNote(formatCheckpoint(checkpoint), ordered);
}

/**
 * Verifies a co-signed checkpoint note and returns the checkpoint. Throws
 * CHECKPOINT_SIGNATURE_INVALID unless every party has a verified signature, and
 * CHECKPOINT_MALFORMED if the text is not a checkpoint or has another origin.
 */
export async function verifyCheckpoint(
  note: string,
  trusted: readonly PartyVerifierKey[],
  expectedOrigin?: string,
): Promise<Checkpoint> {
  const { text, verified } = await verifyNote(note, trusted);
  const missing = PARTY_ROLES.filter((role) => !verified.some((v) => v.role === role));
  if (missing.length > 0) {
    throw new LedgerError('CHECKPOINT_SIGNATURE_INVALID', 'checkpoint lacks a party signature', {
      missingRoles: missing,
    });
  }
  const checkpoint = parseCheckpoint(text);
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) {
    throw new LedgerError('CHECKPOINT_MALFORMED', 'checkpoint is for another log', {
      expected: expectedOrigin,
      actual: checkpoint.origin,
    });
  }
  return checkpoint;
}
