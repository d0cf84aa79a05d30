/** Ports of the anchor: where anchor state lives, the WORM copies, and the TSA. */
import type { CompactRange } from '../merkle/compact-range';
import type { TileLog } from '../ports/tile-log';

/** One published anchor: a co-signed checkpoint and what the next run needs to extend it. */
export interface AnchorState {
  readonly treeSize: number;
  /** Lower-case hex root hash at treeSize. */
  readonly rootHash: string;
  /** The frontier of the Merkle tree at treeSize. */
  readonly compactRange: CompactRange;
  /** recordHash of seq treeSize-1 (64 zeros at size 0): where the next records must link. */
  readonly lastRecordHash: string;
  /** The C2SP checkpoint, as a signed note co-signed by both parties. */
  readonly checkpointNote: string;
  /** Base64 DER RFC 3161 TimeStampToken over SHA-256(checkpointNote), when a TSA is configured. */
  readonly timestampToken: string | null;
  /** The previous anchor's size and the consistency proof from it (hex nodes). */
  readonly previousTreeSize: number;
  readonly consistencyProof: readonly string[];
  readonly createdAt: string;
}

/** The published anchors, read only (the auditor). */
export interface AnchorReader {
  latest(): Promise<AnchorState | null>;
  /** Anchors with treeSize in [fromSize, toSize], oldest first. */
  list(fromSize: number, toSize: number): Promise<AnchorState[]>;
}

export interface AnchorStore extends AnchorReader {
  /** Publishes `next` only if the latest is still `previous`; 'conflict' if another run won. */
  publish(previous: AnchorState | null, next: AnchorState): Promise<'published' | 'conflict'>;
}

/** The checkpoint copies, read only (the auditor). */
export interface WormReader {
  exists(key: string): Promise<boolean>;
  get(key: string): Promise<Uint8Array | null>;
  /** Keys under `prefix` (after `startAfter`, if given), ascending: checkpoint keys sort by tree size. */
  list(prefix: string, startAfter?: string): Promise<string[]>;
  /**
   * Keys under `prefix` that carry a delete marker, ascending, read from every version rather
   * than the current view (where a marker simply hides a key): any one is a removal attempt.
   */
  deleteMarkers(prefix: string): Promise<string[]>;
}

/** Write-once storage for checkpoint copies (S3 Object Lock, COMPLIANCE mode). */
export interface WormStore extends WormReader {
  /**
   * Writes `key` only if it does not exist yet. If it does, succeeds when the stored bytes
   * equal `body` (a retried write) and fails CHECKPOINT_INCONSISTENT when they differ.
   */
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
}

/**
 * An RFC 3161 time-stamping authority, as the anchor reaches it: only the transport. The
 * request and every check on the reply are the core's (timestamp-reply.ts).
 */
export interface TimestampAuthority {
  /** DER of the TSA's pinned certificate: a token that does not verify with it is not stored. */
  readonly certificateDer: Uint8Array;
  /**
   * Sends a DER TimeStampReq and resolves to the raw reply, cut off after `maxBytes` + 1 bytes;
   * throws TIMESTAMP_UNAVAILABLE when there is no reply (timeout, network, HTTP error).
   */
  exchange(request: Uint8Array, maxBytes: number): Promise<Uint8Array>;
}

/**
 * The tiled log in the anchor bucket (docs/FORMAT.md "The tiled log"): every object but the
 * checkpoint is written once; a retried write of the same bytes succeeds, other bytes are
 * CHECKPOINT_INCONSISTENT. Paths are relative to the log's root.
 */
export interface TileLogWriter extends TileLog {
  putOnce(path: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Replaces `checkpoint` with the note just published. */
  putCheckpoint(note: string): Promise<void>;
}
