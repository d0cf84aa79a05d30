/**
 * What the agency's hasher learns from one S3 ObjectCreated event, once the handler has parsed
 * and bounded it (functions/shared/s3-notification.ts): the domain input of registerDeposit.
 */

/** The object version a record names. */
export interface NoticedVersion {
  readonly bucket: string;
  readonly key: string;
  /** Absent when the emulator omits it; the hasher then resolves the version by ETag. */
  readonly versionId: string | null;
  readonly eTag: string | null;
}

/** One ObjectCreated notice: which object, and what S3 told us about who and when. */
export interface ObjectCreatedNotice extends NoticedVersion {
  readonly size: number | null;
  readonly eventTime: string;
  readonly principalId: string | null;
  readonly sourceIp: string | null;
}

/** A record naming an object version, with a value the deposit could not be stored with. */
export interface RejectedNotice extends NoticedVersion {
  readonly message: string;
}
