/**
 * How deposit progress reads: sizes in binary units, a rate, an ETA, and the one-line bar a
 * terminal redraws in place. Pure functions, so the wording is tested without a terminal.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 0 B, 512 B, 1.5 KiB, 6.0 MiB: one decimal from KiB on. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** 45s, 3m05s, 2h07m; '--' while no rate is known yet. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ProgressSnapshot {
  /** What is in progress, e.g. `upload exhibit.bin`. */
  readonly label: string;
  readonly loaded: number;
  /** Undefined when the size is not known (it always is for a file). */
  readonly total: number | undefined;
  /** Since this phase began. */
  readonly elapsedMs: number;
}

/** Bytes per second so far, or null before any time has passed. */
export function rateOf({ loaded, elapsedMs }: ProgressSnapshot): number | null {
  return elapsedMs > 0 ? (loaded * 1000) / elapsedMs : null;
}

/** Seconds left at the rate so far; 0 when done, null when it cannot be told. */
export function etaOf(progress: ProgressSnapshot): number | null {
  const { loaded, total } = progress;
  if (total === undefined) return null;
  if (loaded >= total) return 0;
  const rate = rateOf(progress);
  return rate === null || rate === 0 ? null : (total - loaded) / rate;
}

/** `[#########-----------]` for the fraction done, `width` characters between the brackets. */
export function progressBar(fraction: number, width = 24): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.floor(clamped * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function percentOf({ loaded, total }: ProgressSnapshot): number {
  if (total === undefined) return 0;
  return total === 0 ? 1 : loaded / total;
}

/** The terminal line: `upload a.bin [####----]  52%  3.0 MiB / 5.8 MiB  1.2 MiB/s  ETA 3s`. */
export function progressLine(progress: ProgressSnapshot, barWidth = 24): string {
  const fraction = percentOf(progress);
  const rate = rateOf(progress);
  const of = progress.total === undefined ? '' : ` / ${formatBytes(progress.total)}`;
  return [
    `${progress.label} ${progressBar(fraction, barWidth)} ${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `${formatBytes(progress.loaded)}${of}`,
    rate === null ? '-- /s' : `${formatBytes(Math.round(rate))}/s`,
    `ETA ${formatDuration(etaOf(progress))}`,
  ].join('  ');
}

/** The same facts without a bar, for logs: `upload a.bin: 3.0 MiB / 5.8 MiB (52%), 1.2 MiB/s, ETA 3s`. */
export function progressText(progress: ProgressSnapshot): string {
  const rate = rateOf(progress);
  const of = progress.total === undefined ? '' : ` / ${formatBytes(progress.total)}`;
  const percent = Math.floor(percentOf(progress) * 100);
  return `${progress.label}: ${formatBytes(progress.loaded)}${of} (${percent}%), ${rate === null ? '--' : formatBytes(Math.round(rate))}/s, ETA ${formatDuration(etaOf(progress))}`;
}
