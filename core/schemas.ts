/**
 * Schemas of the data model. Everything read from storage, events or bundles is
 * attacker-controlled: parse it here before any other code looks at it. Objects are strict
 * (unknown properties are an error, not silently dropped) and every string, number and
 * array is bounded.
 */
import { z } from 'zod';
import { LedgerError } from './errors';
import {
  PARTY_ROLES,
  SIGNATURE_ALGORITHM,
  type Deposit,
  type DepositDraft,
  type LedgerRecord,
  type LedgerRecordBody,
  type PartySignature,
  type Uploader,
} from './types';

/** S3 user metadata is limited to 2 KiB: the UTF-8 bytes of all keys and values summed. */
export const MAX_METADATA_BYTES = 2048;
/** S3 object keys are at most 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

/**
 * The length of utf8Encode(text), counted without encoding (it runs on every string of every
 * record read): 1 byte below U+0080, 2 below U+0800, 4 for a surrogate pair, 3 otherwise
 * (a lone surrogate too, which the encoder writes as U+FFFD).
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * A string of `min` to `max` UTF-8 bytes. Every length bound of the data model counts UTF-8
 * bytes (docs/FORMAT.md §1): what S3 and DynamoDB count, what is hashed, and what any
 * language can measure the same way. The `.max` on UTF-16 units first is only a cheap
 * pre-filter (a string never has more UTF-16 units than UTF-8 bytes).
 */
export function utf8Text(min: number, max: number) {
  return z
    .string()
    .max(max)
    .refine((text) => isUtf8Within(text, min, max), `expected ${min} to ${max} UTF-8 bytes`);
}

/** Whether `text` is `min` to `max` UTF-8 bytes long (utf8Text's check). */
export function isUtf8Within(text: string, min: number, max: number): boolean {
  // No string has more UTF-16 units than UTF-8 bytes: a cheap refusal first.
  if (text.length > max) return false;
  const bytes = utf8Length(text);
  return bytes >= min && bytes <= max;
}

// The patterns below are shared with record-shape.ts, which checks the same rules by hand.
export const HEX64_PATTERN = /^[0-9a-f]{64}$/;
export const ISO_UTC_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const METADATA_KEY_PATTERN = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
export const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A DER ECDSA P-256 signature is at most 72 bytes (96 base64 characters); 200 is slack. */
export const MAX_SIGNATURE_CHARS = 200;
/** A KMS key ARN is at most 2048 characters. */
export const MAX_KEY_ID_BYTES = 2048;
export const MAX_VERSION_ID_BYTES = 1024;
export const MAX_PRINCIPAL_ID_BYTES = 512;
/** 45 characters is the longest textual IPv6 address (IPv4-mapped form). */
export const MAX_SOURCE_IP_BYTES = 45;

/** Whether an ISO_UTC_PATTERN text is a real instant (it survives a round trip). */
export function isRealInstant(text: string): boolean {
  const time = new Date(text);
  return !Number.isNaN(time.getTime()) && time.toISOString() === text;
}

const hex64 = z.string().regex(HEX64_PATTERN, 'expected 64 lower-case hex digits');
/**
 * A time exactly as Date.prototype.toISOString() spells it: YYYY-MM-DDTHH:MM:SS.sssZ, UTC,
 * always three fractional digits, and a real instant (it must survive a round trip, so
 * 2024-02-30 or 24:00 are refused). One instant has one spelling (docs/FORMAT.md §1).
 */
const isoUtc = z
  .string()
  .regex(ISO_UTC_PATTERN, 'expected YYYY-MM-DDTHH:MM:SS.sssZ')
  .refine(isRealInstant, 'not a valid time');
/** z.int() is bounded to the safe integers, which is what canonical JSON accepts. */
const safeCount = z.int().min(0);

/** Bucket naming rules (general purpose buckets): 3–63 of a-z 0-9 . -, alphanumeric ends. */
const bucketName = z.string().regex(BUCKET_NAME_PATTERN, 'not an S3 bucket name');
const objectKey = utf8Text(1, MAX_KEY_BYTES);

/** Lower-cased HTTP header token characters (RFC 9110 §5.6.2), as S3 stores x-amz-meta-* names. */
const metadataKey = z
  .string()
  .regex(METADATA_KEY_PATTERN, 'metadata keys are lower-case header tokens');
// zod's record silently drops an own "__proto__" key (JSON.parse creates one); refuse it
// instead, so that no metadata the uploader supplied is ever lost without an error.
const noProtoKey = z
  .unknown()
  .refine(
    (input) => !(typeof input === 'object' && input !== null && Object.hasOwn(input, '__proto__')),
    {
      message: 'reserved metadata key',
      path: ['__proto__'],
    },
  );
const caseMetadata = noProtoKey
  .pipe(z.record(metadataKey, utf8Text(0, MAX_METADATA_BYTES)))
  .refine(
    (meta) =>
      Object.entries(meta).reduce((n, [k, v]) => n + utf8Length(k) + utf8Length(v), 0) <=
      MAX_METADATA_BYTES,
    `metadata larger than ${MAX_METADATA_BYTES} bytes`,
  );

/**
 * null means the event did not report the value; an empty string is refused (it would be a
 * second spelling of "not reported").
 */
export const uploaderSchema = z.strictObject({
  principalId: utf8Text(1, MAX_PRINCIPAL_ID_BYTES).nullable(),
  sourceIp: utf8Text(1, MAX_SOURCE_IP_BYTES).nullable(),
}) satisfies z.ZodType<Uploader>;

export const depositSchema = z.strictObject({
  depositId: hex64,
  bucket: bucketName,
  key: objectKey,
  versionId: utf8Text(1, MAX_VERSION_ID_BYTES),
  size: safeCount,
  sha256: hex64,
  uploadedAt: isoUtc,
  uploader: uploaderSchema,
  caseMetadata,
}) satisfies z.ZodType<Deposit>;

/** A HASHING item's facts, read back from storage. */
export const depositDraftSchema = depositSchema.omit({
  sha256: true,
}) satisfies z.ZodType<DepositDraft>;

/** A hash checkpoint, read back from storage; the state is bounded base64 (116 bytes for hash-wasm's SHA-256). */
export const hashCheckpointSchema = z.strictObject({
  offset: safeCount,
  state: z
    .string()
    .min(4)
    .max(1024)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not base64'),
});

const base64Signature = z
  .string()
  .min(4)
  .max(MAX_SIGNATURE_CHARS)
  .regex(BASE64_PATTERN, 'not base64');

export const partySignatureSchema = z.strictObject({
  role: z.enum(PARTY_ROLES),
  keyId: utf8Text(1, MAX_KEY_ID_BYTES),
  algorithm: z.literal(SIGNATURE_ALGORITHM),
  signature: base64Signature,
}) satisfies z.ZodType<PartySignature>;

export const ledgerRecordBodySchema = z.strictObject({
  type: z.literal('evidence-ledger/record/v1'),
  seq: safeCount,
  prevHash: hex64,
  sequencedAt: isoUtc,
  deposit: depositSchema,
  // Bounded here; that there is exactly one per role is verifyApprovals' job, so that a
  // missing signature is reported as SIGNATURE_MISSING rather than as malformed input.
  signatures: z.array(partySignatureSchema).max(PARTY_ROLES.length),
}) satisfies z.ZodType<LedgerRecordBody>;

export const ledgerRecordSchema = ledgerRecordBodySchema.extend({
  recordHash: hex64,
}) satisfies z.ZodType<LedgerRecord>;

/** Parses untrusted input into a value of `schema`'s type or throws INVALID_INPUT. */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
  const first = issues[0];
  throw new LedgerError(
    'INVALID_INPUT',
    `invalid ${what}${first ? ` at '${first.path}': ${first.message}` : ''}`,
    { path: first?.path, issues },
    { cause: result.error },
  );
}

export function parseDeposit(input: unknown): Deposit {
  return parseWith(depositSchema, input, 'deposit');
}

export function parseDepositDraft(input: unknown): DepositDraft {
  return parseWith(depositDraftSchema, input, 'deposit draft');
}

export function parsePartySignature(input: unknown): PartySignature {
  return parseWith(partySignatureSchema, input, 'party signature');
}

export function parseLedgerRecord(input: unknown): LedgerRecord {
  return parseWith(ledgerRecordSchema, input, 'ledger record');
}
