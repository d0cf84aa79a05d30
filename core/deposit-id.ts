/**
 * The deposit id: a deterministic name for one exact S3 object version, so that a retried
 * event, a replayed message or a second Lambda instance all arrive at the same id and the
 * ledger's conditional writes can refuse the duplicate.
 */
import { canonicalObjectVersion } from './canonical-record';
import { DEPOSIT_ID_DOMAIN, domainHashHex } from './hashing';
import type { Sha256 } from './ports/sha256';

/** The S3 coordinates of one object version. */
export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
}

/**
 * hex(SHA-256(DEPOSIT_ID_DOMAIN || 0x00 || JCS({bucket, key, versionId}))), hashed with
 * `hash` (noble by default).
 */
export function depositIdFor({ bucket, key, versionId }: ObjectVersion, hash?: Sha256): string {
  return domainHashHex(DEPOSIT_ID_DOMAIN, canonicalObjectVersion({ bucket, key, versionId }), hash);
}
