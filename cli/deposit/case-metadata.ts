/**
 * A deposit's S3 user metadata and object key, checked before any byte is sent. The limits
 * are the ledger's own (core/schemas.ts `depositSchema`, which the hasher applies when it
 * registers a deposit): metadata the hasher would refuse would still be uploaded, locked
 * under Object Lock and then FAILED `INVALID_INPUT`, so it is refused here instead. On top,
 * what an HTTP header can carry unchanged, since S3 receives user metadata as
 * `x-amz-meta-<name>` headers.
 */
import { utf8Encode } from '../../core/encoding';
import { isLedgerError } from '../../core/errors';
import type { ZodType } from 'zod';
import { depositSchema, MAX_METADATA_BYTES, parseWith } from '../../core/schemas';
import { CliError, EXIT } from '../exit-codes';

/** The metadata names (x-amz-meta-case-id, x-amz-meta-exhibit) the case and exhibit go under. */
export const CASE_ID_KEY = 'case-id';
export const EXHIBIT_KEY = 'exhibit';

export type CaseMetadata = Readonly<Record<string, string>>;

const usage = (message: string) => new CliError(EXIT.USAGE, message);

/** The core's verdict on a value, as a usage error naming what was checked. */
function checkedBy<T>(schema: ZodType<T>, value: unknown, what: string): T {
  try {
    return parseWith(schema, value, what);
  } catch (error) {
    if (!isLedgerError(error, 'INVALID_INPUT')) throw error;
    throw usage(error.message);
  }
}

/**
 * Printable ASCII without surrounding blanks: Node refuses control characters in a header,
 * S3 stores a non-ASCII value RFC 2047-encoded, and HTTP trims surrounding whitespace. In
 * each case the ledger would record something other than what was typed.
 */
function checkHeaderValue(name: string, value: string): void {
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw usage(`metadata '${name}': only printable ASCII can be sent as an S3 metadata header`);
  }
  if (value !== value.trim()) {
    throw usage(`metadata '${name}': leading or trailing blanks would be trimmed by HTTP`);
  }
}

const caseMetadataSchema = depositSchema.shape.caseMetadata;

/** The ledger's schema decides which names are valid; zod's own message ("Invalid key") is replaced. */
function checkName(name: string): void {
  if (!caseMetadataSchema.safeParse({ [name]: '' }).success) {
    throw usage(
      `metadata name '${name}': metadata keys are lower-case header tokens (a-z 0-9 and !#$%&'*+.^_\`|~-), as S3 stores them`,
    );
  }
}

/** `--meta name=value` entries as pairs; the value may itself contain '='. */
export function parseMetaOptions(entries: readonly string[]): [string, string][] {
  return entries.map((entry) => {
    const at = entry.indexOf('=');
    if (at <= 0) throw usage(`--meta '${entry}': expected name=value`);
    return [entry.slice(0, at), entry.slice(at + 1)];
  });
}

export function metadataBytes(metadata: CaseMetadata): number {
  return Object.entries(metadata).reduce(
    (sum, [name, value]) => sum + utf8Encode(name).length + utf8Encode(value).length,
    0,
  );
}

/**
 * The user metadata of a deposit: `case-id` and `exhibit` plus the `--meta` pairs, each name
 * once, checked against the ledger's schema. Throws a usage error naming the first problem.
 */
export function caseMetadata(
  caseId: string,
  exhibit: string,
  extra: readonly (readonly [string, string])[],
): CaseMetadata {
  if (caseId === '') throw usage('--case-id must not be empty');
  if (exhibit === '') throw usage('--exhibit must not be empty');
  const metadata: Record<string, string> = { [CASE_ID_KEY]: caseId, [EXHIBIT_KEY]: exhibit };
  for (const [name, value] of extra) {
    if (name === CASE_ID_KEY || name === EXHIBIT_KEY) {
      throw usage(`--meta ${name}=…: give it with --${name} instead`);
    }
    if (Object.hasOwn(metadata, name)) throw usage(`--meta ${name} is given twice`);
    metadata[name] = value;
  }
  for (const [name, value] of Object.entries(metadata)) {
    checkName(name);
    checkHeaderValue(name, value);
  }
  const bytes = metadataBytes(metadata);
  if (bytes > MAX_METADATA_BYTES) {
    throw usage(
      `metadata is ${bytes} bytes (names and values, UTF-8); S3 and the ledger allow ${MAX_METADATA_BYTES}`,
    );
  }
  return checkedBy(caseMetadataSchema, metadata, 'case metadata');
}

/** An object key the ledger can record (1 to 1024 UTF-8 bytes). */
export function checkObjectKey(key: string): string {
  return checkedBy(depositSchema.shape.key, key, `object key '${key}'`);
}

/** A bucket name the ledger can record. */
export function checkBucketName(bucket: string): string {
  return checkedBy(depositSchema.shape.bucket, bucket, `bucket name '${bucket}'`);
}
