/** Object keys of an anchor's WORM copies in the anchor bucket, sortable by tree size. */
export function wormKeysOf(treeSize: number): {
  readonly checkpoint: string;
  readonly timestamp: string;
} {
  const stem = `checkpoints/${String(treeSize).padStart(16, '0')}`;
  return { checkpoint: `${stem}.note`, timestamp: `${stem}.tsr` };
}

export const CHECKPOINT_PREFIX = 'checkpoints/';

/** The tree size a checkpoint copy's key names, or null for other keys (e.g. tokens). */
export function treeSizeOfKey(key: string): number | null {
  const match = /^checkpoints\/(\d{16})\.note$/.exec(key);
  return match?.[1] ? Number(match[1]) : null;
}
