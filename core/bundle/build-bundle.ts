/**
 * buildBundle: assembles an evidence bundle from records, the checkpoint note that anchors
 * them, and either the tree's leaf hashes (proofs are computed) or ready-made proofs. Pure:
 * no I/O, no clock (exportedAt is passed in). The result is parsed with bundleSchema, so
 * what it returns is exactly what a verifier will accept as well-formed.
 */
import { parseCheckpoint } from '../checkpoint/checkpoint';
import { LedgerError } from '../errors';
import { inclusionProof } from '../merkle/inclusion';
import { base64Encode, bytesToHex } from '../encoding';
import { parseWith } from '../schemas';
import type { LedgerRecord } from '../types';
import {
  BUNDLE_FORMAT,
  bundleSchema,
  type EvidenceBundle,
  type InclusionProofJson,
  type Informative,
} from './bundle-schema';
import type { TrustedKeys } from './trusted-keys';

export type ProofSource =
  /** Leaf hashes of the whole tree at the checkpoint's size, in seq order. */
  | { readonly leafHashes: readonly Uint8Array[] }
  /** One proof per record, in the order of `records`. */
  | { readonly proofs: readonly InclusionProofJson[] };

export interface BuildBundleInput {
  /** The co-signed C2SP checkpoint note. */
  readonly checkpointNote: string;
  /** Base64 DER RFC 3161 token over SHA-256(checkpointNote), if the anchor obtained one. */
  readonly timestampToken?: string | null;
  readonly records: readonly LedgerRecord[];
  readonly proofs: ProofSource;
  readonly exportedAt: string;
  readonly tool: Informative['tool'];
  /** Copied into `informative.parties` for the reader's convenience. */
  readonly parties?: TrustedKeys['parties'];
}

/** The checkpoint text of a signed note (up to and including the blank line's first \n). */
function checkpointOf(note: string) {
  return parseCheckpoint(note.slice(0, note.lastIndexOf('\n\n') + 1));
}

function proofsFor(input: BuildBundleInput, treeSize: number): readonly InclusionProofJson[] {
  if ('proofs' in input.proofs) return input.proofs.proofs;
  const { leafHashes } = input.proofs;
  if (leafHashes.length !== treeSize) {
    throw new LedgerError('TREE_SIZE_INVALID', 'leaf hashes do not match the checkpoint size', {
      leaves: leafHashes.length,
      treeSize,
    });
  }
  return input.records.map(({ seq }) => ({
    leafIndex: seq,
    treeSize,
    hashes: inclusionProof(leafHashes, seq).map((node) => bytesToHex(node)),
  }));
}

/** The bundle for `input`'s records, sorted by seq. Throws INVALID_INPUT or TREE_SIZE_INVALID. */
export function buildBundle(input: BuildBundleInput): EvidenceBundle {
  const checkpoint = checkpointOf(input.checkpointNote);
  const proofs = proofsFor(input, checkpoint.treeSize);
  if (proofs.length !== input.records.length) {
    throw new LedgerError('INVALID_INPUT', 'one inclusion proof per record is required');
  }
  const items = input.records
    .map((record, i) => ({ record, inclusionProof: proofs[i]! }))
    .sort((a, b) => a.record.seq - b.record.seq);
  const parties = (input.parties ?? []).map((p) => ({
    role: p.role,
    keyId: p.keyId,
    noteKeyName: p.noteKeyName,
    publicKey: base64Encode(p.publicKeySpki),
  }));
  const token = input.timestampToken ?? undefined;
  return parseWith(
    bundleSchema,
    {
      format: BUNDLE_FORMAT,
      origin: checkpoint.origin,
      checkpoint: { note: input.checkpointNote, ...(token ? { timestampToken: token } : {}) },
      items,
      informative: { exportedAt: input.exportedAt, tool: input.tool, parties },
    },
    'evidence bundle',
  );
}
