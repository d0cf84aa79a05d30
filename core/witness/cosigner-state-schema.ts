/**
 * Parsing a co-signer's stored state. Only the party's own role can write it, but it is still
 * read from storage: parse it (and check that its parts agree) before trusting any of it.
 */
import { z } from 'zod';
import { parseWith } from '../schemas';
import type { CosignerState } from './ports';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const treeSize = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const cosignerStateSchema = z.strictObject({
  treeSize,
  rootHash: hex64,
  // One hash per set bit of a safe integer: at most 53.
  compactRange: z.strictObject({ size: treeSize, hashes: z.array(hex64).max(64) }),
  lastRecordHash: hex64,
  cosignedNote: z.string().min(1).max(2048).nullable(),
  updatedAt: z.iso.datetime(),
});

/** Parses stored co-signer state; throws INVALID_INPUT. */
export function parseCosignerState(input: unknown): CosignerState {
  return parseWith(cosignerStateSchema, input, 'co-signer state');
}
