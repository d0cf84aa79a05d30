/**
 * The evidence bundle, "evidence-ledger/bundle/v1": one self-contained JSON file that lets
 * anyone check, offline, that some ledger records are genuine and were anchored in a
 * checkpoint both parties signed. See docs/FORMAT.md §Bundles for every field.
 *
 * A bundle is attacker-controlled input: everything is bounded and objects are strict.
 */
import { z } from 'zod';
import { MAX_NOTE_LENGTH } from '../checkpoint/signed-note';
import { ledgerRecordSchema, utf8Text } from '../schemas';

export const BUNDLE_FORMAT = 'evidence-ledger/bundle/v1';
/** More items than this belong in several bundles. */
export const MAX_BUNDLE_ITEMS = 1000;
/** A tree of 2^63 leaves needs 63 proof nodes; safe integers need fewer. */
export const MAX_PROOF_HASHES = 64;
/** An RFC 3161 token with a certificate or two is a few KiB; 64 KiB of base64 is slack. */
export const MAX_TIMESTAMP_TOKEN_LENGTH = 64 * 1024;

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64 = (max: number) => z.string().min(4).max(max).regex(base64Pattern, 'not base64');
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits');
const count = z.int().min(0);
/** Every length bound counts UTF-8 bytes (docs/FORMAT.md §1), as in core/schemas.ts. */
const shortText = utf8Text(0, 256);

export const inclusionProofSchema = z.strictObject({
  leafIndex: count,
  treeSize: count,
  hashes: z.array(hex64).max(MAX_PROOF_HASHES),
});

export const bundleItemSchema = z.strictObject({
  record: ledgerRecordSchema,
  inclusionProof: inclusionProofSchema,
});

/** A copy of a party's keys, for the reader's convenience only: never a trust anchor. */
const partyKeyCopySchema = z.strictObject({
  role: shortText,
  keyId: utf8Text(0, 2048),
  noteKeyName: shortText,
  publicKey: utf8Text(0, 1024),
});

export const informativeSchema = z.strictObject({
  exportedAt: utf8Text(0, 64),
  tool: z.strictObject({ name: shortText, version: shortText }),
  parties: z.array(partyKeyCopySchema).max(8),
});

export const bundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  origin: utf8Text(1, 256),
  checkpoint: z.strictObject({
    /** The C2SP signed note: checkpoint text, blank line, signature lines. */
    note: utf8Text(1, MAX_NOTE_LENGTH),
    /** Base64 DER RFC 3161 TimeStampToken over SHA-256(UTF-8 of note). */
    timestampToken: base64(MAX_TIMESTAMP_TOKEN_LENGTH).optional(),
  }),
  items: z.array(bundleItemSchema).min(1).max(MAX_BUNDLE_ITEMS),
  informative: informativeSchema,
});

export type InclusionProofJson = z.infer<typeof inclusionProofSchema>;
export type BundleItem = z.infer<typeof bundleItemSchema>;
export type Informative = z.infer<typeof informativeSchema>;
export type EvidenceBundle = z.infer<typeof bundleSchema>;
