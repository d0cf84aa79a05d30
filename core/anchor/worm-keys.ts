/** Object keys of an anchor's WORM copies in the anchor bucket, sortable by tree size. */
export function wormKeysOf(treeSize: number): { readonly checkpoint: string; readonly timestamp: string } {
  const stem = `checkpoints/${String(treeSize).padStart(16, '0')}`;
  return { checkpoint: `${stem}.note`, timestamp: `${stem}.tsr` };
}
