/**
 * What the anchor sends a party's co-signer: a new checkpoint and a consistency proof from the
 * checkpoint the co-signer says it holds (the body of c2sp.org/tlog-witness add-checkpoint,
 * as JSON). The request is attacker-controlled: it is parsed strictly and every size bounded.
 *
 * Hashes are lower-case hex, like every other hash of this ledger's JSON (record hashes,
 * compact ranges, anchor state); only the checkpoint text itself carries the root in base64.
 */
import { z } from 'zod';
import { MAX_ORIGIN_LENGTH } from '../checkpoint/checkpoint';
import { parseWith } from '../schemas';

export interface CosignRequest {
  /** The log's origin line; must be the one this co-signer serves. */
  readonly origin: string;
  /** The size of the checkpoint the co-signer last co-signed, as the requester believes. */
  readonly oldSize: number;
  readonly checkpoint: {
    readonly treeSize: number;
    /** Lower-case hex (64 digits) root hash at treeSize. */
    readonly rootHash: string;
  };
  /** RFC 9162 PROOF(oldSize, D[treeSize]), lower-case hex nodes; empty from size 0. */
  readonly consistencyProof: readonly string[];
}

/** A consistency proof between trees of at most 2^53 leaves has fewer nodes than this. */
export const MAX_CONSISTENCY_PROOF_NODES = 64;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits');
const treeSize = z.int().min(0);

const cosignRequestSchema = z.strictObject({
  origin: z.string().min(1).max(MAX_ORIGIN_LENGTH),
  oldSize: treeSize,
  checkpoint: z.strictObject({ treeSize, rootHash: hex64 }),
  consistencyProof: z.array(hex64).max(MAX_CONSISTENCY_PROOF_NODES),
}) satisfies z.ZodType<CosignRequest>;

/** Parses a co-signing request; throws INVALID_INPUT. */
export function parseCosignRequest(input: unknown): CosignRequest {
  return parseWith(cosignRequestSchema, input, 'co-signing request');
}

/**
 * Records one proposal may add: bounds a co-signer's work per invocation (two signature checks
 * and a memory read per record). The anchor covers at most this many per run and catches up
 * over consecutive runs, so a backlog never makes every run fail.
 */
export const MAX_RECORDS_PER_PROPOSAL = 10_000;
