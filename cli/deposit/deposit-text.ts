/** The words `evidence deposit` prints for each event, and its closing summary table. */
import type { DepositEvent, DepositRow } from './ports';

const shaMatch = (row: DepositRow) => {
  if (row.ledgerSha256 === null) return '-';
  return row.ledgerSha256 === row.localSha256 ? 'yes' : 'NO';
};

/** The one-line summary of one file's deposit. */
export function summaryLine(row: DepositRow): string {
  switch (row.outcome) {
    case 'receipt':
      return `OK ${row.file}: seq ${row.seq} record ${row.recordHash} sha256 ${row.ledgerSha256} matches the local file; receipt ${row.receipt}`;
    case 'uploaded':
      return `UPLOADED ${row.file}: version ${row.versionId} sha256 ${row.localSha256} (not waiting for the ledger)`;
    case 'timeout':
      return `TIMEOUT ${row.file}: version ${row.versionId}: ${row.message}`;
    case 'mismatch':
      return `MISMATCH ${row.file}: ${row.message}`;
    case 'failed':
      return `FAIL ${row.file}: ${row.message}`;
  }
}

/** file | version | seq | sha256 match, padded to columns. */
export function summaryTable(rows: readonly DepositRow[]): string {
  const lines = [
    ['file', 'version', 'seq', 'sha256 match', 'outcome'],
    ...rows.map((row) => [
      row.file,
      row.versionId ?? '-',
      row.seq === null ? '-' : String(row.seq),
      shaMatch(row),
      row.outcome,
    ]),
  ];
  const widths = lines[0]!.map((_, column) =>
    Math.max(...lines.map((line) => line[column]!.length)),
  );
  return lines
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Every event but progress, as one line (or the table); progress has its own renderings. */
export function eventText(event: Exclude<DepositEvent, { type: 'progress' }>): string {
  switch (event.type) {
    case 'uploaded':
      return `uploaded ${event.file} to s3://${event.bucket}/${event.key} version ${event.versionId} (${event.multipart ? 'multipart, SHA-256 of each part' : 'one part, SHA-256'} checked by S3); deposit ${event.depositId}`;
    case 'retry':
      return `upload of ${event.file} failed (attempt ${event.attempt} of ${event.attempts}): ${event.message}; uploading the whole file again`;
    case 'waiting':
      return `${event.file}: waiting for ${event.stage === 'ledger' ? 'the ledger record' : 'the anchor'} (${event.detail})`;
    case 'result':
      return summaryLine(event.row);
    case 'summary':
      return summaryTable(event.rows);
  }
}
