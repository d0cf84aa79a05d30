/**
 * The anchor store's contract (core/anchor/ports.ts), run against InMemoryAnchorStore and
 * DynamoAnchorStore: `latest` advances only from the anchor a run started from, a tree size
 * is published once, and `list` reads the published checkpoints in a size range, oldest first.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnchorState, AnchorStore } from '../../core/anchor/ports';
import { hex64 } from './fixtures';

/** A stored anchor state that parses (its proofs are not checked by the store). */
export function anchorAt(treeSize: number, previous: AnchorState | null = null): AnchorState {
  return {
    treeSize,
    rootHash: hex64(treeSize),
    compactRange: { size: treeSize, hashes: [hex64(treeSize + 1)] },
    lastRecordHash: hex64(treeSize + 2),
    checkpointNote: `evidence-ledger.test/contract\n${treeSize}\nroot\n\n— agency sig\n`,
    timestampToken: null,
    previousTreeSize: previous?.treeSize ?? 0,
    consistencyProof: previous ? [hex64(treeSize + 3)] : [],
    createdAt: '2026-11-30T06:00:00.000Z',
  };
}

export function describeAnchorStoreContract(
  name: string,
  makeSubject: () => Promise<AnchorStore>,
): void {
  describe(`the anchor store contract on ${name}`, () => {
    let anchors: AnchorStore;
    beforeEach(async () => {
      anchors = await makeSubject();
    });

    it('holds no anchor at first', async () => {
      expect(await anchors.latest()).toBeNull();
      expect(await anchors.list(0, 1000)).toEqual([]);
    });

    it('publishes the first anchor once, and reads it back', async () => {
      const first = anchorAt(5);
      expect(await anchors.publish(null, first)).toBe('published');
      expect(await anchors.latest()).toEqual(first);
      expect(await anchors.publish(null, anchorAt(6))).toBe('conflict');
      expect(await anchors.latest()).toEqual(first);
    });

    it('advances only from the latest anchor: a run that started earlier loses', async () => {
      const first = anchorAt(5);
      const second = anchorAt(9, first);
      await anchors.publish(null, first);
      expect(await anchors.publish(first, second)).toBe('published');
      expect(await anchors.publish(first, anchorAt(12, first))).toBe('conflict');
      expect(await anchors.latest()).toEqual(second);
    });

    it('never publishes a second checkpoint of one size, even from the latest', async () => {
      const first = anchorAt(5);
      const second = anchorAt(9, first);
      await anchors.publish(null, first);
      await anchors.publish(first, second);
      await anchors.publish(second, anchorAt(12, second));
      const again = { ...anchorAt(9, anchorAt(12)), rootHash: hex64(1) };

      expect(await anchors.publish(anchorAt(12, second), again)).toBe('conflict');
      expect((await anchors.latest())?.treeSize).toBe(12);
      expect(await anchors.list(9, 9)).toEqual([second]);
    });

    it('lists the checkpoints with sizes in [from, to], oldest first', async () => {
      let previous: AnchorState | null = null;
      const published: AnchorState[] = [];
      for (const size of [3, 7, 20, 21, 40]) {
        const next = anchorAt(size, previous);
        await anchors.publish(previous, next);
        published.push(next);
        previous = next;
      }
      expect(await anchors.list(0, 100)).toEqual(published);
      expect(await anchors.list(7, 21)).toEqual(published.slice(1, 4));
      expect(await anchors.list(8, 19)).toEqual([]);
    });
  });
}
