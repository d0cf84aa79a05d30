/** The tiled-log monitor (docs/FORMAT.md §12, `evidence monitor`). */
export * from './log-source';
export * from './monitor-log';
export * from './monitor-state';
export * from './records-bundle-verifier';
