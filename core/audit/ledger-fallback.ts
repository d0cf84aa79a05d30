/**
 * The auditor's one way back to the full ledger. Deployments from before the tiled log have
 * checkpoints whose tiles were never written, until their anchor runs once with the log
 * writer (it writes the log for the whole tree before it publishes). Until then, and only
 * when the log lacks an object the answer needs (TILE_MISSING), the answer is computed the
 * old way, from every ledger leaf: O(n), but verified against the same signed roots, so a
 * deleted tile can make an answer slow, never wrong. Any other failure of the log (a changed
 * tile or record: ROOT_MISMATCH, RECORD_CORRUPT, TILE_MALFORMED) is reported, not bypassed.
 * Remove this once every deployment has published a checkpoint with its log.
 */
import { isLedgerError } from '../errors';

export async function fromLogElseLedger<T>(
  fromLog: () => Promise<T>,
  fromLedger: () => Promise<T>,
): Promise<T> {
  try {
    return await fromLog();
  } catch (error) {
    if (!isLedgerError(error, 'TILE_MISSING')) throw error;
    return await fromLedger();
  }
}
