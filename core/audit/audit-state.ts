/**
 * Where the auditor's last clean verification stopped: the tree it rebuilt from verified
 * records (size, root, the last record's hash, the Merkle frontier), the largest checkpoint
 * it verified, and what each party had co-signed when it looked. The next incremental
 * verifyLedger starts there and checks only what came after (verify-ledger-incremental.ts).
 *
 * A state that says "verified up to N" makes the auditor skip every record below N, so the
 * state is sealed like a continuation: HMAC-SHA-256 under the auditor's KMS key (only its
 * role may MAC with it), over SHA-256 of the RFC 8785 canonical JSON of {purpose, origin,
 * state}. The purpose label is its own, so a continuation's MAC is never a state's and the
 * other way round. Whoever can write the storage without the key (another role, an operator,
 * an administrator who leaves the key policy alone) can delete or replay an older state,
 * which only costs the auditor work, but cannot write one it accepts: AUDIT_STATE_FORGED.
 */
import { z } from 'zod';
import { canonicalJson } from '../canonical-json';
import { base64Decode, base64Encode, utf8Encode } from '../encoding';
import { LedgerError } from '../errors';
import { sha256 } from '../hashing';
import { EMPTY_COMPACT_RANGE, type CompactRange } from '../merkle/compact-range';
import { parseWith } from '../schemas';
import { GENESIS_PREV_HASH, type PartyRole } from '../types';
import type { ContinuationSealer } from './sealed-continuation';

/** A tree size and its root (lower-case hex). */
export interface SizedRoot {
  readonly treeSize: number;
  readonly rootHash: string;
}

export interface AuditState {
  /** Records [0, treeSize) were verified, and the tree over them rebuilt. */
  readonly treeSize: number;
  readonly rootHash: string;
  /** recordHash of seq treeSize-1 (64 zeros at 0): where record treeSize must link. */
  readonly lastRecordHash: string;
  readonly compactRange: CompactRange;
  /** The largest checkpoint verified (signatures, consistency, WORM copy, timestamp, root). */
  readonly checkpoint: SizedRoot | null;
  /** What each party had last co-signed when the auditor looked. */
  readonly parties: Readonly<Partial<Record<PartyRole, SizedRoot>>>;
  readonly verifiedAt: string;
}

/** The state as stored: its canonical JSON, the MAC over it, and its size (for conditional writes). */
export interface StoredAuditState {
  readonly treeSize: number;
  readonly state: string;
  readonly mac: string;
}

/**
 * A stored state the caller refused and may overwrite whatever its size: the one with that
 * MAC, or an item that is not even the shape the auditor writes (`unreadable`).
 */
export type RefusedState = { readonly mac: string } | { readonly unreadable: true };

/** Where the state lives: storage only the auditor's role may write (a table of its own). */
export interface AuditStateStore {
  /** The stored state; AUDIT_STATE_FORGED (reason `malformed`) for an item not of its shape. */
  load(): Promise<StoredAuditState | null>;
  /**
   * Writes `next` unless a state of a larger size is stored (a concurrent auditor got
   * further: 'stale'), so the state never moves backwards; `replacing` names a stored state
   * the caller refused, which it may overwrite whatever its size.
   */
  save(next: StoredAuditState, replacing: RefusedState | null): Promise<'saved' | 'stale'>;
}

/** Bounds on what is read back (attacker-controlled): a state is a few KiB at most. */
export const MAX_STORED_STATE_CHARS = 16 * 1024;
export const MAX_STORED_MAC_CHARS = 128;

/**
 * The stored state in a raw item (its `treeSize`, `state` and `mac` attributes), or
 * AUDIT_STATE_FORGED (reason `malformed`): not even the shape the auditor writes, so
 * someone else wrote it. Every store reads its items through this.
 */
export function storedAuditStateOf(
  item: Readonly<Record<string, unknown>>,
  where: Readonly<Record<string, unknown>>,
): StoredAuditState {
  const { treeSize, state, mac } = item;
  if (
    typeof treeSize !== 'number' ||
    !Number.isSafeInteger(treeSize) ||
    treeSize < 0 ||
    typeof state !== 'string' ||
    state.length > MAX_STORED_STATE_CHARS ||
    typeof mac !== 'string' ||
    mac.length > MAX_STORED_MAC_CHARS
  ) {
    throw new LedgerError(
      'AUDIT_STATE_FORGED',
      'the stored audit state is not one this auditor writes',
      { reason: 'malformed', ...where },
    );
  }
  return { treeSize, state, mac };
}

/** Domain separation from the continuations' label; a new format gets a new label. */
const PURPOSE = 'evidence-ledger/audit-state/v1';

/** The state before any verification: the empty tree. */
export function genesisAuditState(verifiedAt: string, emptyRoot: string): AuditState {
  return {
    treeSize: 0,
    rootHash: emptyRoot,
    lastRecordHash: GENESIS_PREV_HASH,
    compactRange: EMPTY_COMPACT_RANGE,
    checkpoint: null,
    parties: {},
    verifiedAt,
  };
}

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const sizedRoot = z.strictObject({ treeSize: count, rootHash: hex64 });
/** A frontier holds one hash per set bit of its size: at most 53. */
const stateSchema = z.strictObject({
  treeSize: count,
  rootHash: hex64,
  lastRecordHash: hex64,
  compactRange: z.strictObject({ size: count, hashes: z.array(hex64).max(64) }),
  checkpoint: sizedRoot.nullable(),
  parties: z.strictObject({ agency: sizedRoot.optional(), custodian: sizedRoot.optional() }),
  verifiedAt: z.string().datetime(),
});

function macInput(origin: string, state: string): Uint8Array {
  return sha256(utf8Encode(canonicalJson({ purpose: PURPOSE, origin, state })));
}

function forged(reason: string, message: string, cause?: unknown): LedgerError {
  return new LedgerError('AUDIT_STATE_FORGED', message, { reason }, { cause });
}

/** `state` sealed for storage, for the ledger of `origin`. */
export async function sealAuditState(
  sealer: ContinuationSealer,
  origin: string,
  state: AuditState,
): Promise<StoredAuditState> {
  const text = canonicalJson(state);
  const mac = await sealer.seal(macInput(origin, text));
  return { treeSize: state.treeSize, state: text, mac: base64Encode(mac) };
}

/**
 * The state in `stored` if the auditor sealed it for `origin`; AUDIT_STATE_FORGED otherwise
 * (details.reason: mac, malformed, or size when the item's size is not the sealed state's).
 */
export async function openAuditState(
  sealer: ContinuationSealer,
  origin: string,
  stored: StoredAuditState,
): Promise<AuditState> {
  let mac: Uint8Array;
  try {
    mac = base64Decode(stored.mac);
  } catch (cause) {
    throw forged('malformed', 'the stored audit state carries no readable MAC', cause);
  }
  if (!(await sealer.verify(macInput(origin, stored.state), mac)))
    throw forged('mac', 'the stored audit state was not sealed by this auditor');
  // The MAC covers these exact bytes, so they were sealed by us; parsed anyway, as everything read back is.
  let state: AuditState;
  try {
    // (A party absent from the JSON is absent here too: zod types it `| undefined`.)
    state = parseWith(
      stateSchema,
      JSON.parse(stored.state) as unknown,
      'audit state',
    ) as AuditState;
  } catch (cause) {
    throw forged('malformed', 'the stored audit state is not one this auditor seals', cause);
  }
  // The size beside the state only steers conditional writes; it must still be the sealed one.
  if (state.treeSize !== stored.treeSize || state.compactRange.size !== state.treeSize)
    throw forged('size', 'the stored audit state’s size is not the size it was sealed with');
  return state;
}
