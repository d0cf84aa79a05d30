/**
 * The tiled log's contract (core/anchor/ports.ts TileLogWriter), run against InMemoryTileLog
 * and S3TileLogWriter: every object but the checkpoint is written once (same bytes again is
 * fine, other bytes are CHECKPOINT_INCONSISTENT), a missing hash tile is TILE_MISSING, and the
 * checkpoint is replaced on every publish.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { TileLogWriter } from '../../core/anchor/ports';
import { utf8Encode } from '../../core/encoding';
import { hashTilePath } from '../../core/tlog/tile-path';

const TILE = { level: 0, index: 0, width: 2 } as const;
const tileBytes = (fill: number) => new Uint8Array(64).fill(fill);

export function describeTileLogContract(
  name: string,
  makeSubject: () => Promise<TileLogWriter>,
): void {
  describe(`the tiled log contract on ${name}`, () => {
    let log: TileLogWriter;
    beforeEach(async () => {
      log = await makeSubject();
    });

    it('answers null for a path it does not hold, and TILE_MISSING for a hash tile', async () => {
      expect(await log.get('tile/0/000.p/2')).toBeNull();
      expect(await log.get('checkpoint')).toBeNull();
      await expect(log.readHashTile(TILE.level, TILE.index, TILE.width)).rejects.toMatchObject({
        code: 'TILE_MISSING',
        details: TILE,
      });
    });

    it('writes an object once and reads it back, as a tile too', async () => {
      await log.putOnce(hashTilePath(TILE), tileBytes(1), 'application/octet-stream');
      expect(await log.get(hashTilePath(TILE))).toEqual(tileBytes(1));
      expect(await log.readHashTile(TILE.level, TILE.index, TILE.width)).toEqual(tileBytes(1));
    });

    it('accepts the same bytes again and refuses others with CHECKPOINT_INCONSISTENT', async () => {
      const path = hashTilePath(TILE);
      await log.putOnce(path, tileBytes(1), 'application/octet-stream');
      await expect(
        log.putOnce(path, tileBytes(1), 'application/octet-stream'),
      ).resolves.toBeUndefined();
      await expect(
        log.putOnce(path, tileBytes(2), 'application/octet-stream'),
      ).rejects.toMatchObject({
        code: 'CHECKPOINT_INCONSISTENT',
      });
      expect(await log.get(path)).toEqual(tileBytes(1));
    });

    it('writes an empty object and reads it back empty, not as missing', async () => {
      await log.putOnce('tile/entries/000.p/0', new Uint8Array(0), 'application/octet-stream');
      expect(await log.get('tile/entries/000.p/0')).toEqual(new Uint8Array(0));
    });

    it('replaces the checkpoint on every publish', async () => {
      await log.putCheckpoint('first checkpoint\n');
      await log.putCheckpoint('second checkpoint\n');
      expect(await log.get('checkpoint')).toEqual(utf8Encode('second checkpoint\n'));
    });
  });
}
