/**
 * The record schema (schemas.ts ledgerRecordSchema) checked by hand, for the one place that
 * reads many records at once from JSON text: a records bundle (tlog/records-bundle.ts), 256
 * lines per bundle, where zod's walk cost more than JSON.parse and the canonical check
 * together. It is a predicate only: a value it refuses goes to the schema, which refuses it
 * too, with its usual error. It accepts exactly what the schema accepts for any value
 * JSON.parse can return (test/unit/core/record-shape.property.test.ts compares both on
 * valid and mutated records), and an accepted value is used as it is: JSON.parse made it,
 * so no one else holds it, and the schema's copy would equal it.
 */
import {
  BASE64_PATTERN,
  BUCKET_NAME_PATTERN,
  HEX64_PATTERN,
  isRealInstant,
  isUtf8Within,
  ISO_UTC_PATTERN,
  MAX_KEY_BYTES,
  MAX_KEY_ID_BYTES,
  MAX_METADATA_BYTES,
  MAX_PRINCIPAL_ID_BYTES,
  MAX_SIGNATURE_CHARS,
  MAX_SOURCE_IP_BYTES,
  MAX_VERSION_ID_BYTES,
  METADATA_KEY_PATTERN,
  utf8Length,
} from './schemas';
import { PARTY_ROLES, SIGNATURE_ALGORITHM, type LedgerRecord } from './types';

type JsonObject = Record<string, unknown>;

/** A JSON object with exactly `names` as its own keys. */
function isObjectWith(value: unknown, names: readonly string[]): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === names.length && names.every((name) => Object.hasOwn(value, name));
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isHex64 = (value: unknown) => isString(value) && HEX64_PATTERN.test(value);
const isIsoUtc = (value: unknown) =>
  isString(value) && ISO_UTC_PATTERN.test(value) && isRealInstant(value);
const isCount = (value: unknown) =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isText = (value: unknown, min: number, max: number) =>
  isString(value) && isUtf8Within(value, min, max);
const isNullableText = (value: unknown, max: number) => value === null || isText(value, 1, max);

function isCaseMetadata(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // JSON.parse makes an own "__proto__" key, which the schema refuses rather than lose it.
  if (Object.hasOwn(value, '__proto__')) return false;
  let bytes = 0;
  for (const [key, text] of Object.entries(value)) {
    if (!METADATA_KEY_PATTERN.test(key) || !isText(text, 0, MAX_METADATA_BYTES)) return false;
    bytes += utf8Length(key) + utf8Length(text as string);
  }
  return bytes <= MAX_METADATA_BYTES;
}

const DEPOSIT_FIELDS = [
  'depositId',
  'bucket',
  'key',
  'versionId',
  'size',
  'sha256',
  'uploadedAt',
  'uploader',
  'caseMetadata',
] as const;

function isDeposit(value: unknown): boolean {
  if (!isObjectWith(value, DEPOSIT_FIELDS)) return false;
  const uploader = value.uploader;
  return (
    isHex64(value.depositId) &&
    isString(value.bucket) &&
    BUCKET_NAME_PATTERN.test(value.bucket) &&
    isText(value.key, 1, MAX_KEY_BYTES) &&
    isText(value.versionId, 1, MAX_VERSION_ID_BYTES) &&
    isCount(value.size) &&
    isHex64(value.sha256) &&
    isIsoUtc(value.uploadedAt) &&
    isObjectWith(uploader, ['principalId', 'sourceIp']) &&
    isNullableText(uploader.principalId, MAX_PRINCIPAL_ID_BYTES) &&
    isNullableText(uploader.sourceIp, MAX_SOURCE_IP_BYTES) &&
    isCaseMetadata(value.caseMetadata)
  );
}

function isSignature(value: unknown): boolean {
  if (!isObjectWith(value, ['role', 'keyId', 'algorithm', 'signature'])) return false;
  const { role, signature } = value;
  return (
    PARTY_ROLES.some((known) => known === role) &&
    isText(value.keyId, 1, MAX_KEY_ID_BYTES) &&
    value.algorithm === SIGNATURE_ALGORITHM &&
    isString(signature) &&
    signature.length >= 4 &&
    signature.length <= MAX_SIGNATURE_CHARS &&
    BASE64_PATTERN.test(signature)
  );
}

const RECORD_FIELDS = [
  'type',
  'seq',
  'prevHash',
  'sequencedAt',
  'deposit',
  'signatures',
  'recordHash',
] as const;

/** Whether ledgerRecordSchema accepts `value`, a value JSON.parse returned. */
export function isLedgerRecordJson(value: unknown): value is LedgerRecord {
  if (!isObjectWith(value, RECORD_FIELDS)) return false;
  const signatures = value.signatures;
  return (
    value.type === 'evidence-ledger/record/v1' &&
    isCount(value.seq) &&
    isHex64(value.prevHash) &&
    isIsoUtc(value.sequencedAt) &&
    isHex64(value.recordHash) &&
    isDeposit(value.deposit) &&
    Array.isArray(signatures) &&
    signatures.length <= PARTY_ROLES.length &&
    signatures.every(isSignature)
  );
}
