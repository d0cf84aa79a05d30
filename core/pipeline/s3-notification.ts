/**
 * Parses the body of an S3 event notification as SQS delivers it. The body is
 * attacker-controlled input (anyone who can send to the queue writes it), so it is
 * validated with a schema and bounded before anything is trusted.
 *
 * Real S3 sends `versionId` for versioned buckets and `userIdentity`/`requestParameters`;
 * moto sends neither, and both send an `s3:TestEvent` when the notification is configured.
 */
import { z } from 'zod';
import { LedgerError } from '../errors';

const MAX_BODY_CHARS = 256 * 1024; // the SQS message size limit

const s3EventRecord = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string().max(128),
  eventTime: z.string().max(64),
  userIdentity: z.object({ principalId: z.string().max(512) }).partial().optional(),
  requestParameters: z.object({ sourceIPAddress: z.string().max(128) }).partial().optional(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(3).max(63) }),
    object: z.object({
      key: z.string().min(1).max(3 * 1024),
      size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
      eTag: z.string().max(128).optional(),
      versionId: z.string().min(1).max(1024).optional(),
      sequencer: z.string().max(64).optional(),
    }),
  }),
});

const s3Notification = z.union([
  z.object({ Event: z.literal('s3:TestEvent') }).loose(),
  z.object({ Records: z.array(s3EventRecord).max(100) }),
]);

/** One ObjectCreated notice: which object, and what S3 told us about who and when. */
export interface ObjectCreatedNotice {
  readonly bucket: string;
  readonly key: string;
  /** Absent when the emulator omits it; the hasher then resolves the version by ETag. */
  readonly versionId: string | null;
  readonly eTag: string | null;
  readonly size: number | null;
  readonly eventTime: string;
  readonly principalId: string | null;
  readonly sourceIp: string | null;
}

export type ParsedNotification =
  | { readonly kind: 'test-event' }
  | { readonly kind: 'objects-created'; readonly notices: readonly ObjectCreatedNotice[] };

/** S3 URL-encodes keys in events with `+` for spaces (application/x-www-form-urlencoded). */
export function decodeS3EventKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, '%20'));
  } catch (cause) {
    throw new LedgerError('INVALID_EVENT', 'object key in the event is not valid URL encoding', { encoded }, { cause });
  }
}

function normalizeTime(value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) {
    throw new LedgerError('INVALID_EVENT', 'eventTime is not a valid timestamp', { value });
  }
  return time.toISOString();
}

export function parseS3Notification(body: string): ParsedNotification {
  if (body.length > MAX_BODY_CHARS) {
    throw new LedgerError('INVALID_EVENT', 'notification body exceeds 256 KiB', { length: body.length });
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new LedgerError('INVALID_EVENT', 'notification body is not JSON', {}, { cause });
  }
  const parsed = s3Notification.safeParse(json);
  if (!parsed.success) {
    throw new LedgerError('INVALID_EVENT', 'notification body is not an S3 event', {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  if ('Event' in parsed.data) return { kind: 'test-event' };
  const notices = parsed.data.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map(
    (r): ObjectCreatedNotice => ({
      bucket: r.s3.bucket.name,
      key: decodeS3EventKey(r.s3.object.key),
      versionId: r.s3.object.versionId ?? null,
      eTag: r.s3.object.eTag?.replace(/"/g, '') ?? null,
      size: r.s3.object.size ?? null,
      eventTime: normalizeTime(r.eventTime),
      principalId: r.userIdentity?.principalId ?? null,
      sourceIp: r.requestParameters?.sourceIPAddress ?? null,
    }),
  );
  return { kind: 'objects-created', notices };
}
