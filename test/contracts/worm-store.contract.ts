/**
 * The WORM store's contract (core/anchor/ports.ts), run against InMemoryWormStore and
 * S3WormStore: a key is written once (a retried write of the same bytes succeeds, other bytes
 * fail CHECKPOINT_INCONSISTENT), listings are ascending and page past S3's 1,000 keys, and a
 * delete marker hides a key from the current view but is found among the versions.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { WormStore } from '../../core/anchor/ports';
import { utf8Encode } from '../../core/encoding';
import { uniqueName } from './fixtures';

export interface WormSubject {
  readonly worm: WormStore;
  /** A DeleteObject without a version id: a delete marker over `key`. */
  hide(key: string): Promise<void>;
}

/** One more than a ListObjectsV2 page. */
const PAGE_KEYS = 1001;
const SETUP_CONCURRENCY = 16;

export function describeWormStoreContract(
  name: string,
  makeSubject: () => Promise<WormSubject>,
): void {
  describe(`the WORM store contract on ${name}`, () => {
    let subject: WormSubject;
    let prefix: string;
    beforeEach(async () => {
      subject = await makeSubject();
      prefix = `${uniqueName('checkpoints')}/`;
    });

    it('answers null and false for a key it does not hold', async () => {
      expect(await subject.worm.get(`${prefix}missing`)).toBeNull();
      expect(await subject.worm.exists(`${prefix}missing`)).toBe(false);
      expect(await subject.worm.list(prefix)).toEqual([]);
    });

    it('writes a key once and reads it back', async () => {
      await subject.worm.put(`${prefix}1.note`, utf8Encode('first'), 'text/plain');
      expect(await subject.worm.get(`${prefix}1.note`)).toEqual(utf8Encode('first'));
      expect(await subject.worm.exists(`${prefix}1.note`)).toBe(true);
    });

    it('accepts a retried write of the same bytes', async () => {
      await subject.worm.put(`${prefix}1.note`, utf8Encode('first'), 'text/plain');
      await expect(
        subject.worm.put(`${prefix}1.note`, utf8Encode('first'), 'text/plain'),
      ).resolves.toBeUndefined();
    });

    it('fails CHECKPOINT_INCONSISTENT for other bytes, and keeps the first', async () => {
      await subject.worm.put(`${prefix}1.note`, utf8Encode('first'), 'text/plain');
      await expect(
        subject.worm.put(`${prefix}1.note`, utf8Encode('forged'), 'text/plain'),
      ).rejects.toMatchObject({
        code: 'CHECKPOINT_INCONSISTENT',
        details: { key: `${prefix}1.note` },
      });
      expect(await subject.worm.get(`${prefix}1.note`)).toEqual(utf8Encode('first'));
    });

    it('lists the keys under a prefix in ascending order, after startAfter', async () => {
      for (const key of ['003', '001', '010', '002'])
        await subject.worm.put(`${prefix}${key}`, utf8Encode(key), 'text/plain');
      await subject.worm.put(`${prefix}x/../other`, utf8Encode('o'), 'text/plain');

      expect(await subject.worm.list(`${prefix}0`)).toEqual(
        ['001', '002', '003', '010'].map((k) => prefix + k),
      );
      expect(await subject.worm.list(`${prefix}0`, `${prefix}002`)).toEqual(
        ['003', '010'].map((k) => prefix + k),
      );
    });

    it('lists more keys than one page', { timeout: 300_000 }, async () => {
      const keys = [...Array(PAGE_KEYS).keys()].map(
        (i) => `${prefix}${String(i).padStart(5, '0')}`,
      );
      for (let i = 0; i < keys.length; i += SETUP_CONCURRENCY)
        await Promise.all(
          keys
            .slice(i, i + SETUP_CONCURRENCY)
            .map((k) => subject.worm.put(k, utf8Encode(k), 'text/plain')),
        );
      expect(await subject.worm.list(prefix)).toEqual(keys);
    });

    describe('when a delete marker hides a key', () => {
      it('is gone from the current view, and named by deleteMarkers', async () => {
        await subject.worm.put(`${prefix}hidden`, utf8Encode('h'), 'text/plain');
        await subject.worm.put(`${prefix}kept`, utf8Encode('k'), 'text/plain');
        await subject.hide(`${prefix}hidden`);

        expect(await subject.worm.exists(`${prefix}hidden`)).toBe(false);
        expect(await subject.worm.get(`${prefix}hidden`)).toBeNull();
        expect(await subject.worm.list(prefix)).toEqual([`${prefix}kept`]);
        expect(await subject.worm.deleteMarkers(prefix)).toEqual([`${prefix}hidden`]);
      });
    });
  });
}
