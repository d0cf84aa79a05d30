/**
 * Which files go where: FILE and DIR arguments become deposit items, every check that can be
 * made without sending a byte made first (metadata, bucket, keys, part count). A directory
 * contributes the regular files directly in it, by name order; it is not descended into, so
 * what is deposited is exactly what `ls` shows, and subdirectories and symbolic links are
 * reported as skipped rather than followed.
 */
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CliError, EXIT } from '../exit-codes';
import { caseMetadata, checkBucketName, checkObjectKey } from './case-metadata';
import type { DepositItem } from './ports';

/** S3's limit on the parts of one multipart upload. */
export const MAX_PARTS = 10_000;

export interface PlanOptions {
  readonly bucket: string;
  readonly caseId: string;
  readonly exhibit: string;
  readonly meta: readonly (readonly [string, string])[];
  /** Prepended to each file name; defaults to `<case-id>/<exhibit>/`. */
  readonly keyPrefix?: string | undefined;
  readonly partSize: number;
}

export interface DepositPlan {
  readonly items: readonly DepositItem[];
  /** Directory entries that are not regular files. */
  readonly skipped: readonly string[];
}

const usage = (message: string) => new CliError(EXIT.USAGE, message);

interface FileEntry {
  readonly path: string;
  readonly size: number;
}

async function filesOf(path: string, skipped: string[]): Promise<FileEntry[]> {
  const info = await lstat(path).catch((error: Error) => {
    throw usage(`cannot read ${path}: ${error.message}`);
  });
  if (info.isFile()) return [{ path, size: info.size }];
  if (!info.isDirectory()) throw usage(`${path} is neither a regular file nor a directory`);
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );
  const files: FileEntry[] = [];
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isFile()) files.push({ path: child, size: (await lstat(child)).size });
    else skipped.push(child);
  }
  return files;
}

export async function planDeposits(
  paths: readonly string[],
  options: PlanOptions,
): Promise<DepositPlan> {
  const bucket = checkBucketName(options.bucket);
  const metadata = caseMetadata(options.caseId, options.exhibit, options.meta);
  const prefix = options.keyPrefix ?? `${options.caseId}/${options.exhibit}/`;
  const skipped: string[] = [];
  const items: DepositItem[] = [];
  const byKey = new Map<string, string>();
  for (const path of paths) {
    for (const file of await filesOf(path, skipped)) {
      const key = checkObjectKey(`${prefix}${basename(file.path)}`);
      const other = byKey.get(key);
      if (other !== undefined)
        throw usage(`${other} and ${file.path} would both be stored as ${key}`);
      if (Math.ceil(file.size / options.partSize) > MAX_PARTS) {
        throw usage(`${file.path} needs more than ${MAX_PARTS} parts: use a larger --part-size`);
      }
      byKey.set(key, file.path);
      items.push({ path: file.path, bucket, key, metadata });
    }
  }
  if (items.length === 0) throw usage('no regular file to deposit');
  return { items, skipped };
}
