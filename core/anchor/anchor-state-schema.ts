import { z } from 'zod';
import { parseWith } from '../schemas';
import type { AnchorState } from './ports';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const treeSize = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

// Anchor state is read back from storage, which the verifier does not trust: parse it.
const anchorStateSchema = z.strictObject({
  treeSize,
  rootHash: hex64,
  compactRange: z.strictObject({ size: treeSize, hashes: z.array(hex64).max(64) }),
  lastRecordHash: hex64,
  checkpointNote: z
    .string()
    .min(1)
    .max(64 * 1024),
  timestampToken: z
    .string()
    .max(64 * 1024)
    .nullable(),
  previousTreeSize: treeSize,
  consistencyProof: z.array(hex64).max(128),
  createdAt: z.iso.datetime(),
});

export function parseAnchorState(input: unknown): AnchorState {
  return parseWith(anchorStateSchema, input, 'anchor state');
}
