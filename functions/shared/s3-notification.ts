/**
 * Parses the body of an S3 event notification as SQS delivers it. The body is
 * attacker-controlled input (anyone who can send to the queue writes it), so it is
 * validated with a schema and bounded before anything is trusted.
 *
 * Real S3 sends `versionId` for versioned buckets and `userIdentity`/`requestParameters`;
 * moto sends neither, and both send an `s3:TestEvent` when the notification is configured.
 *
 * Each record is judged on its own, with the bounds of the storage schema (core/schemas.ts),
 * so that nothing the store would refuse is ever accepted here:
 * - a valid record becomes a notice;
 * - a record that names an object version but carries a value out of bounds (uploader,
 *   key length, time) is `rejected`: the hasher fails that deposit with INVALID_EVENT, so it
 *   ends FAILED with a code instead of being retried into the dead-letter queue;
 * - a record that names no object version at all is `unusable`: there is no deposit to fail.
 * One bad record never holds up the other records of the body.
 */
import { z } from 'zod';
import { LedgerError } from '../../core/errors';
import type {
  NoticedVersion,
  ObjectCreatedNotice,
  RejectedNotice,
} from '../../core/pipeline/object-notice';
import { MAX_KEY_BYTES, uploaderSchema, utf8Text } from '../../core/schemas';
import { parseJsonBody } from './json-body';

const MAX_BODY_CHARS = 256 * 1024; // the SQS message size limit

/** What a record must hold to name one object version (a failure can be recorded for it). */
const recordIdentity = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string().max(128),
  s3: z.object({
    bucket: z.object({ name: z.string().min(3).max(63) }),
    object: z.object({
      // URL-encoded; a key too long to store still names its version, so the deposit can be
      // failed: its decoded UTF-8 bytes are bounded below, the body bounds this.
      key: z.string().min(1).max(MAX_BODY_CHARS),
      eTag: z.string().max(128).optional(),
      versionId: utf8Text(1, 1024).optional(),
    }),
  }),
});

/** The rest of a record, bounded exactly as the deposit's storage schema bounds it. */
const recordDetails = z.object({
  eventTime: z.string().max(64),
  // Absent means "not reported" (null); present, it must be storable as it is.
  userIdentity: z
    .object({ principalId: uploaderSchema.shape.principalId.unwrap() })
    .partial()
    .optional(),
  requestParameters: z
    .object({ sourceIPAddress: uploaderSchema.shape.sourceIp.unwrap() })
    .partial()
    .optional(),
  s3: z.object({
    object: z.object({
      size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
      sequencer: z.string().max(64).optional(),
    }),
  }),
});

const decodedKey = utf8Text(1, MAX_KEY_BYTES);

const s3Notification = z.union([
  z.object({ Event: z.literal('s3:TestEvent') }).loose(),
  z.object({ Records: z.array(z.unknown()).max(100) }),
]);

export type ParsedNotification =
  | { readonly kind: 'test-event' }
  | {
      readonly kind: 'objects-created';
      readonly notices: readonly ObjectCreatedNotice[];
      readonly rejected: readonly RejectedNotice[];
      /** Why each record that names no object version was refused. */
      readonly unusable: readonly string[];
    };

/** S3 URL-encodes keys in events with `+` for spaces (application/x-www-form-urlencoded). */
export function decodeS3EventKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, '%20'));
  } catch (cause) {
    throw new LedgerError(
      'INVALID_EVENT',
      'object key in the event is not valid URL encoding',
      { encoded },
      { cause },
    );
  }
}

const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

function normalizeTime(value: string): string | null {
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

type RecordOutcome =
  | { readonly kind: 'skip' }
  | { readonly kind: 'notice'; readonly notice: ObjectCreatedNotice }
  | { readonly kind: 'rejected'; readonly rejected: RejectedNotice }
  | { readonly kind: 'unusable'; readonly reason: string };

function parseRecord(raw: unknown, index: number): RecordOutcome {
  const identity = recordIdentity.safeParse(raw);
  if (!identity.success)
    return { kind: 'unusable', reason: `record ${index}: ${issuesOf(identity.error)}` };
  const { eventName, s3 } = identity.data;
  if (!eventName.startsWith('ObjectCreated:')) return { kind: 'skip' };
  let key: string;
  try {
    key = decodeS3EventKey(s3.object.key);
  } catch (error) {
    return { kind: 'unusable', reason: `record ${index}: ${(error as Error).message}` };
  }
  const version: NoticedVersion = {
    bucket: s3.bucket.name,
    key,
    versionId: s3.object.versionId ?? null,
    eTag: s3.object.eTag?.replace(/"/g, '') ?? null,
  };
  if (version.versionId === null && version.eTag === null) {
    return { kind: 'unusable', reason: `record ${index}: names neither a versionId nor an eTag` };
  }
  const reject = (message: string): RecordOutcome => ({
    kind: 'rejected',
    rejected: { ...version, message },
  });
  if (!decodedKey.safeParse(key).success)
    return reject(`the object key is longer than ${MAX_KEY_BYTES} UTF-8 bytes`);
  const details = recordDetails.safeParse(raw);
  if (!details.success) return reject(`the event is out of bounds: ${issuesOf(details.error)}`);
  const eventTime = normalizeTime(details.data.eventTime);
  if (eventTime === null) return reject('eventTime is not a valid timestamp');
  return {
    kind: 'notice',
    notice: {
      ...version,
      size: details.data.s3.object.size ?? null,
      eventTime,
      principalId: details.data.userIdentity?.principalId ?? null,
      sourceIp: details.data.requestParameters?.sourceIPAddress ?? null,
    },
  };
}

export function parseS3Notification(body: string): ParsedNotification {
  if (body.length > MAX_BODY_CHARS) {
    throw new LedgerError('INVALID_EVENT', 'notification body exceeds 256 KiB', {
      length: body.length,
    });
  }
  const parsed = s3Notification.safeParse(parseJsonBody(body, 'notification body'));
  if (!parsed.success) {
    throw new LedgerError('INVALID_EVENT', 'notification body is not an S3 event', {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  }
  if ('Event' in parsed.data) return { kind: 'test-event' };
  const notices: ObjectCreatedNotice[] = [];
  const rejected: RejectedNotice[] = [];
  const unusable: string[] = [];
  parsed.data.Records.forEach((raw, index) => {
    const outcome = parseRecord(raw, index);
    if (outcome.kind === 'notice') notices.push(outcome.notice);
    else if (outcome.kind === 'rejected') rejected.push(outcome.rejected);
    else if (outcome.kind === 'unusable') unusable.push(outcome.reason);
  });
  return { kind: 'objects-created', notices, rejected, unusable };
}
