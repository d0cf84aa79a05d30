/**
 * The CLI's file reading: bounded JSON files (bytes, for the core's strict JSON reader) and
 * the evidence file's streamed SHA-256. All
 * three files come from the user but the bundle is attacker-supplied, so sizes are capped
 * before parsing.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { EvidenceDigest } from '../core/bundle';
import { LedgerError } from '../core/errors';
import { CliError, type ExitCode } from './exit-codes';

/** A bundle of 1000 items is a few MiB; anything far larger is refused unread. */
export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024;

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Reads a JSON file's bytes, bounded; any failure is a CliError with `exitCode`. The bytes
 * are parsed by the core's strict reader (verifyBundleFile, parseTrustedKeysFile), never
 * by JSON.parse: decoding them here as 'utf8' would turn invalid UTF-8 into U+FFFD.
 */
export async function readJsonFileBytes(
  path: string,
  what: string,
  exitCode: ExitCode,
): Promise<Uint8Array> {
  try {
    const { size } = await stat(path);
    if (size > MAX_JSON_FILE_BYTES)
      throw new LedgerError('INVALID_INPUT', `larger than ${MAX_JSON_FILE_BYTES} bytes`, {
        path,
        size,
      });
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new CliError(exitCode, `cannot read ${what} ${path}: ${reason(error)}`);
  }
}

/**
 * SHA-256 (hex) and size of a file, streamed so evidence of any size fits in memory;
 * `onProgress` gets the bytes hashed so far after each chunk.
 */
export async function digestFile(
  path: string,
  onProgress?: (hashed: number) => void,
): Promise<EvidenceDigest> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      size += bytes.length;
      onProgress?.(size);
    }
  } catch (error) {
    throw new CliError(2, `cannot read evidence file ${path}: ${reason(error)}`);
  }
  return { sha256: hash.digest('hex'), size };
}
