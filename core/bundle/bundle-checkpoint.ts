/**
 * The bundle's checkpoint: a C2SP signed note that must verify with BOTH trusted parties'
 * keys, for the trusted origin, and that carries no signature lines besides theirs. The
 * generic signed-note rule (ignore lines from unknown keys) would let anyone append lines
 * to a bundle unnoticed; a bundle is a closed document, so here they are refused.
 */
import type { Checkpoint } from '../checkpoint/checkpoint';
import { verifyCheckpoint } from '../checkpoint/signed-checkpoint';
import { LedgerError } from '../errors';
import type { EvidenceBundle } from './bundle-schema';
import { checkpointVerifiers, type TrustedKeys } from './trusted-keys';

/** The key names on the note's signature lines, in order (the note is already verified). */
function signatureKeyNames(note: string): string[] {
  const lines = note.slice(note.lastIndexOf('\n\n') + 2, -1).split('\n');
  return lines.map((line) => line.split(' ')[1] ?? '');
}

function requireOnlyPartySignatures(note: string, trusted: TrustedKeys): void {
  const names = signatureKeyNames(note);
  const expected = trusted.parties.map((p) => p.noteKeyName);
  if (names.length !== expected.length || names.some((name) => !expected.includes(name))) {
    throw new LedgerError(
      'CHECKPOINT_MALFORMED',
      `checkpoint must carry exactly the parties' ${expected.length} signatures`,
      { keyNames: names },
    );
  }
}

/** Verifies the bundle's checkpoint against `trusted` and returns it. Throws CHECKPOINT_*. */
export async function verifyBundleCheckpoint(
  bundle: EvidenceBundle,
  trusted: TrustedKeys,
): Promise<Checkpoint> {
  const { note } = bundle.checkpoint;
  const checkpoint = await verifyCheckpoint(note, checkpointVerifiers(trusted), trusted.origin);
  requireOnlyPartySignatures(note, trusted);
  if (bundle.origin !== checkpoint.origin) {
    throw new LedgerError('CHECKPOINT_MALFORMED', 'bundle origin differs from the checkpoint', {
      bundleOrigin: bundle.origin,
    });
  }
  return checkpoint;
}
