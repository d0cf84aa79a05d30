/** The load run's report as text: what ran, how fast, how much memory, and every check. */
import type { LoadReport } from './load-run';

const n = (value: number, digits = 1) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const mib = (value: number | null) => (value === null ? 'n/a' : `${n(value, 0)} MiB`);

export function formatLoadReport(report: LoadReport): string {
  const { options: o, seconds: s, throughput: t } = report;
  const workers = Object.entries(report.workers)
    .map(([stage, count]) => `${stage} ${count}`)
    .join(', ');
  const emulators = Object.entries(report.peakRssMiB.emulators)
    .map(([name, value]) => `${name} ${mib(value)}`)
    .join(', ');
  return [
    `load run: ${o.uploads} uploads by ${o.clients} clients, seed ${o.seed}, max size ${n(o.maxSize / 1024 / 1024)} MiB, ${n(report.uploadedMiB)} MiB in all`,
    `workers:  ${workers}; visibility timeout ${o.visibilityTimeoutSeconds} s; anchor every ${o.anchorIntervalMs} ms`,
    `injected: ${report.duplicates.withoutVersionId} duplicate notifications as the emulator sends them (no versionId), ${report.duplicates.withVersionId} with the versionId real S3 adds`,
    `anchors:  ${report.anchors.scheduled} scheduled runs, ${report.anchors.errors.length} failed${report.anchors.errors[0] ? ` (first: ${report.anchors.errors[0]})` : ''}, then runs to the head at quiescence`,
    `time:     wall ${n(s.wall)} s = startup ${n(s.startup)} s + uploads-to-quiescence ${n(s.endToEnd)} s (uploads alone ${n(s.uploads)} s) + final anchor and checks`,
    `          checks ${n(s.checks)} s`,
    `rate:     ${n(t.uploadsPerS)} uploads/s, ${n(t.recordsPerS)} records/s end to end, ${n(t.hashedMiBPerS, 2)} MiB/s of evidence hashed end to end (each byte by both parties)`,
    `peak RSS: local runtime (this process, uploaders included) ${mib(report.peakRssMiB.runtime)}; emulators: ${emulators}`,
    'checks:',
    ...report.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`),
    report.ok
      ? 'PASSED'
      : `FAILED: ${report.checks
          .filter((c) => !c.ok)
          .map((c) => c.name)
          .join(', ')}`,
  ].join('\n');
}
