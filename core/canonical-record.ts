/**
 * The RFC 8785 canonical text of the shapes every verified record is canonicalized as, four
 * times per record (its body for recordHash, its deposit's coordinates for depositId, and one
 * attestation statement per party), written field by field instead of by the generic walk
 * of canonical-json.ts: the member names of these shapes are known, so their order is fixed
 * and only the case metadata's names need sorting.
 *
 * Each function returns exactly what canonicalJson returns for the same value after the
 * known-fields copy (known-fields.ts), so a hash or a signed message never depends on which
 * path wrote it (test/unit/core/canonical-record.property.test.ts checks both against the
 * `canonicalize` package on random records). The fast path takes only the common case:
 * strings that JSON.stringify leaves as they are (no quote, backslash, control character or
 * surrogate) and safe integers; anything else — an escaped string, a wrong type, a missing
 * field — goes to canonicalJson, which writes it or refuses it with its own error.
 */
import { canonicalJson } from './canonical-json';
import { pickDeposit, pickRecordBody } from './known-fields';
import type { ObjectVersion } from './deposit-id';
import type { AttestationStatement, Deposit, LedgerRecord, LedgerRecordBody } from './types';

/** Set when a value leaves the fast path; the caller then runs canonicalJson. */
class NotSimple extends Error {}
const notSimple = new NotSimple();

/**
 * canonical-json.ts isPlainJsonString as a regular expression (no control character, quote,
 * backslash or surrogate code unit; without the u flag a class matches UTF-16 code units):
 * V8 runs it about twice as fast as that loop, on every string of every record verified.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const PLAIN_STRING = /^[^\u0000-\u001f"\\\ud800-\udfff]*$/;

function str(value: unknown): string {
  if (typeof value !== 'string' || !PLAIN_STRING.test(value)) throw notSimple;
  return `"${value}"`;
}

function strOrNull(value: unknown): string {
  return value === null ? 'null' : str(value);
}

function int(value: unknown): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw notSimple;
  return String(value);
}

function object(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notSimple;
  return value as Record<string, unknown>;
}

/** The case metadata's own enumerable members, sorted by UTF-16 code units (§3.2.3). */
function metadata(value: unknown): string {
  const meta = object(value);
  const names = Object.keys(meta).sort();
  let text = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    text += `${i === 0 ? '' : ','}${str(name)}:${str(meta[name])}`;
  }
  return `${text}}`;
}

function writeDeposit(value: unknown): string {
  const d = object(value);
  const uploader = object(d.uploader);
  return (
    `{"bucket":${str(d.bucket)},"caseMetadata":${metadata(d.caseMetadata)},` +
    `"depositId":${str(d.depositId)},"key":${str(d.key)},"sha256":${str(d.sha256)},` +
    `"size":${int(d.size)},"uploadedAt":${str(d.uploadedAt)},` +
    `"uploader":{"principalId":${strOrNull(uploader.principalId)},` +
    `"sourceIp":${strOrNull(uploader.sourceIp)}},"versionId":${str(d.versionId)}}`
  );
}

function signaturesText(value: unknown): string {
  if (!Array.isArray(value)) throw notSimple;
  let text = '[';
  for (let i = 0; i < value.length; i++) {
    const s = object(value[i]);
    text +=
      `${i === 0 ? '' : ','}{"algorithm":${str(s.algorithm)},"keyId":${str(s.keyId)},` +
      `"role":${str(s.role)},"signature":${str(s.signature)}}`;
  }
  return `${text}]`;
}

/** `fast()`, or `slow()` when the value is not on the fast path. */
function either(fast: () => string, slow: () => string): string {
  try {
    return fast();
  } catch (error) {
    if (error !== notSimple) throw error;
    return slow();
  }
}

/**
 * The fast path's text of `deposit` (what canonicalDeposit returns when the deposit is on the
 * fast path), else undefined. A verifier writes it once per record and hands it to
 * canonicalRecordBody and canonicalStatement, which would otherwise each write it again.
 */
export function fastDepositText(deposit: Deposit): string | undefined {
  try {
    return writeDeposit(deposit);
  } catch (error) {
    if (error !== notSimple) throw error;
    return undefined;
  }
}

/** canonicalJson(pickDeposit(deposit)). */
export function canonicalDeposit(deposit: Deposit): string {
  return either(
    () => writeDeposit(deposit),
    () => canonicalJson(pickDeposit(deposit)),
  );
}

/** canonicalJson({ bucket, key, versionId }): what a deposit id hashes. */
export function canonicalObjectVersion({ bucket, key, versionId }: ObjectVersion): string {
  return either(
    () => `{"bucket":${str(bucket)},"key":${str(key)},"versionId":${str(versionId)}}`,
    () => canonicalJson({ bucket, key, versionId }),
  );
}

/**
 * canonicalJson of the statement (its known fields): what a party signs. `depositText`, if
 * given, must be fastDepositText(statement.deposit); it is used instead of writing it again.
 */
export function canonicalStatement(
  { type, role, deposit }: AttestationStatement,
  depositText?: string,
): string {
  return either(
    () =>
      `{"deposit":${depositText ?? writeDeposit(deposit)},"role":${str(role)},"type":${str(type)}}`,
    () => canonicalJson({ type, role, deposit: pickDeposit(deposit) }),
  );
}

function recordText(body: LedgerRecordBody, recordHash?: string, depositText?: string): string {
  const hash = recordHash === undefined ? '' : `"recordHash":${str(recordHash)},`;
  return (
    `{"deposit":${depositText ?? writeDeposit(body.deposit)},"prevHash":${str(body.prevHash)},` +
    `${hash}"seq":${int(body.seq)},"sequencedAt":${str(body.sequencedAt)},` +
    `"signatures":${signaturesText(body.signatures)},"type":${str(body.type)}}`
  );
}

/**
 * canonicalJson(pickRecordBody(body)): what a record's hash covers. `depositText`, if given,
 * must be fastDepositText(body.deposit); it is used instead of writing it again.
 */
export function canonicalRecordBody(body: LedgerRecordBody, depositText?: string): string {
  return either(
    () => recordText(body, undefined, depositText),
    () => canonicalJson(pickRecordBody(body)),
  );
}

/**
 * canonicalJson of the record's known fields and its recordHash: its line in a records
 * bundle (tlog/records-bundle.ts). Equal to canonicalJson(record) for a record with no other
 * properties, as the record schema guarantees. `depositText` as for canonicalRecordBody.
 */
export function canonicalRecord(record: LedgerRecord, depositText?: string): string {
  return either(
    () => recordText(record, record.recordHash, depositText),
    () => canonicalJson({ ...pickRecordBody(record), recordHash: record.recordHash }),
  );
}
