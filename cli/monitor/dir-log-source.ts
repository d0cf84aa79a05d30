/**
 * A local directory copy of the log root (`aws s3 sync s3://anchor-bucket/log/ DIR`) as the
 * monitor's LogSource. A missing file is null (the core reports the gap); any other read
 * failure is a dependency-layer error, so the monitor says "unreadable", not "bad log".
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerError } from '../../core/errors';
import type { LogSource } from '../../core/monitor';

/** Far above any log object (a records bundle of 256 records is well under 1 MiB). */
export const MAX_LOG_OBJECT_BYTES = 16 * 1024 * 1024;

const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

export class DirLogSource implements LogSource {
  constructor(private readonly root: string) {}

  /** Fails with DEPENDENCY_UNAVAILABLE unless `root` is a readable directory. */
  async requireDirectory(): Promise<void> {
    try {
      if ((await stat(this.root)).isDirectory()) return;
    } catch (cause) {
      throw this.unreadable(this.root, cause);
    }
    throw this.unreadable(this.root, new Error('not a directory'));
  }

  async get(path: string): Promise<Uint8Array | null> {
    const file = join(this.root, ...path.split('/'));
    try {
      const { size } = await stat(file);
      if (size > MAX_LOG_OBJECT_BYTES) {
        throw new LedgerError('ENTRY_BUNDLE_MALFORMED', `${path} is larger than any log object`, {
          path,
          size,
        });
      }
      return new Uint8Array(await readFile(file));
    } catch (error) {
      if (error instanceof LedgerError) throw error;
      if (ABSENT.has((error as NodeJS.ErrnoException).code ?? '')) return null;
      throw this.unreadable(file, error);
    }
  }

  private unreadable(file: string, cause: unknown): LedgerError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new LedgerError(
      'DEPENDENCY_UNAVAILABLE',
      `cannot read ${file}: ${reason}`,
      {},
      { cause },
    );
  }
}
