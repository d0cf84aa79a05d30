/**
 * The tiled log in memory, for tests and benchmarks: the same write-once contract as the S3
 * adapter (functions/shared/s3-tile-log.ts): an existing object accepts only its own bytes.
 */
import type { TileLogWriter } from '../../core/anchor/ports';
import { bytesEqual, utf8Encode } from '../../core/encoding';
import { LedgerError } from '../../core/errors';
import { hashTilePath } from '../../core/tlog/tile-path';

export class InMemoryTileLog implements TileLogWriter {
  /** Every object by its path relative to the log's root, `checkpoint` included. */
  readonly objects = new Map<string, Uint8Array>();
  /** Paths in the order they were first written (the checkpoint each time it is replaced). */
  readonly writes: string[] = [];

  get(path: string): Promise<Uint8Array | null> {
    return Promise.resolve(this.objects.get(path) ?? null);
  }

  async readHashTile(level: number, index: number, width: number): Promise<Uint8Array> {
    const path = hashTilePath({ level, index, width });
    const bytes = await this.get(path);
    if (!bytes) throw new LedgerError('TILE_MISSING', `no ${path}`, { level, index, width });
    return bytes;
  }

  putOnce(path: string, bytes: Uint8Array): Promise<void> {
    const stored = this.objects.get(path);
    if (stored && !bytesEqual(stored, bytes)) {
      return Promise.reject(
        new LedgerError('CHECKPOINT_INCONSISTENT', `log object ${path} holds other bytes`, {
          key: path,
        }),
      );
    }
    if (!stored) {
      this.objects.set(path, bytes.slice());
      this.writes.push(path);
    }
    return Promise.resolve();
  }

  putCheckpoint(note: string): Promise<void> {
    this.objects.set('checkpoint', utf8Encode(note));
    this.writes.push('checkpoint');
    return Promise.resolve();
  }
}
