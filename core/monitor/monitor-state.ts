/**
 * A monitor's own state, kept where only it writes (a local file): the last checkpoint it
 * verified and the hash of the last record, where the next record must link. Like a witness
 * (c2sp.org/tlog-witness) it moves only forward, from one verified checkpoint to the next.
 */
import { z } from 'zod';
import { canonicalJson } from '../canonical-json';
import { base64Decode, base64Encode, utf8Encode } from '../encoding';
import { LedgerError } from '../errors';
import { rfc9162Hasher } from '../merkle/hasher';
import { parseWith, utf8Text } from '../schemas';
import { parseStrictJson } from '../strict-json';
import { GENESIS_PREV_HASH } from '../types';

export const MONITOR_STATE_FORMAT = 'evidence-ledger/monitor-state/v1';

const HEX_HASH = /^[0-9a-f]{64}$/;

const monitorStateSchema = z.strictObject({
  format: z.literal(MONITOR_STATE_FORMAT),
  origin: utf8Text(1, 256),
  treeSize: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Base64 of the 32-byte root, as in the checkpoint note. */
  rootHash: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  /** The co-signed note the monitor verified last (empty before the first checkpoint). */
  checkpoint: utf8Text(0, 64 * 1024),
  lastRecordHash: z.string().regex(HEX_HASH),
});

export interface MonitorState {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
  readonly checkpoint: string;
  readonly lastRecordHash: string;
}

/** Where a monitor starts on a log it has never seen: the empty tree. */
export function initialMonitorState(origin: string): MonitorState {
  return {
    origin,
    treeSize: 0,
    rootHash: rfc9162Hasher.emptyRoot(),
    checkpoint: '',
    lastRecordHash: GENESIS_PREV_HASH,
  };
}

/** Parses a state file strictly. Throws STORAGE_ITEM_CORRUPT for anything else. */
export function parseMonitorState(file: Uint8Array | string): MonitorState {
  try {
    const json = parseWith(
      monitorStateSchema,
      parseStrictJson(file, { what: 'monitor state file' }),
      'monitor state file',
    );
    return { ...json, rootHash: base64Decode(json.rootHash) };
  } catch (error) {
    throw new LedgerError('STORAGE_ITEM_CORRUPT', `monitor state: ${(error as Error).message}`, {
      file: 'monitor state',
    });
  }
}

/** The state file's bytes: canonical JSON and a newline. */
export function formatMonitorState(state: MonitorState): Uint8Array {
  const json = {
    format: MONITOR_STATE_FORMAT,
    origin: state.origin,
    treeSize: state.treeSize,
    rootHash: base64Encode(state.rootHash),
    checkpoint: state.checkpoint,
    lastRecordHash: state.lastRecordHash,
  };
  return utf8Encode(`${canonicalJson(json)}\n`);
}
