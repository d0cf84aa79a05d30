/**
 * Read access to the evidence objects (S3 in production), shared by the pipeline's parties
 * and the auditor. The adapter lives in functions/shared; tests use an in-memory bucket.
 */

export interface ObjectVersionRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
}

export interface ObjectVersionInfo {
  readonly size: number;
  readonly eTag: string;
  /** User metadata (x-amz-meta-*), names lower-cased, as S3 returns them. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The version's Last-Modified (its creation time), ISO 8601 UTC with milliseconds. */
  readonly lastModified: string;
}

export interface ObjectDigest {
  readonly sha256: string;
  readonly size: number;
}

/**
 * Where an unfinished SHA-256 stopped: the bytes hashed so far and the hash function's
 * exported state after them. Lets a digest that does not fit one invocation continue in
 * the next one.
 */
export interface HashCheckpoint {
  readonly offset: number;
  /** Opaque to the core: the adapter's serialised SHA-256 state. */
  readonly state: string;
}

/** How much longer the current invocation may keep working. */
export interface WorkBudget {
  remainingMs(): number;
}

export const UNLIMITED_BUDGET: WorkBudget = { remainingMs: () => Number.POSITIVE_INFINITY };

export interface DigestRequest {
  readonly ref: ObjectVersionRef;
  /** The version's size; a stored object of another size is DIGEST_MISMATCH. */
  readonly size: number;
  /** Where an earlier invocation stopped; null to start at byte 0. */
  readonly resumeFrom: HashCheckpoint | null;
  readonly budget: WorkBudget;
}

export type DigestStep =
  | { readonly kind: 'done'; readonly digest: ObjectDigest }
  /** The budget ran out first: continue from `checkpoint`. */
  | { readonly kind: 'partial'; readonly checkpoint: HashCheckpoint };

/** Read access to the evidence objects. `null` means the version does not exist (any more). */
export interface EvidenceObjects {
  /** Version ids of `key` whose ETag (and size, when given) match, oldest first. */
  versionsMatching(
    bucket: string,
    key: string,
    eTag: string,
    size: number | null,
  ): Promise<string[]>;
  head(ref: ObjectVersionRef): Promise<ObjectVersionInfo | null>;
  /** Hashes the version with bounded memory, as far as the budget allows. */
  digest(request: DigestRequest): Promise<DigestStep | null>;
}
