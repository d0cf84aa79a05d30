/**
 * The help texts of the `evidence` command: `evidence --help` and `evidence <command> --help`
 * print these and exit 0. Every option of every command is documented here; docs/FORMAT.md §12
 * documents the output formats and exit codes in full.
 */

const EXIT_CODES = `Exit codes:
  0  success (the bundle verified; the certificate or receipt was written)
  1  a verification check failed (the failed check is printed)
  2  usage error, or an unreadable or invalid trusted-keys, evidence or metadata input
  3  the bundle is unreadable, not strict JSON, or not a v1 bundle (monitor: the log or its
     state file is unreadable)`;

export const VERIFY_BUNDLE_HELP = `usage: evidence verify-bundle BUNDLE.json --trusted-keys TRUSTED.json [options]

Verifies an evidence bundle offline (no network, no AWS): every record's hash, chain links and
both parties' signatures, the co-signed checkpoint, the inclusion proofs and, when given, the
evidence file itself and the RFC 3161 timestamp.

Options:
  --trusted-keys FILE    the parties' public keys, origin and pinned TSAs you trust (required)
  --evidence FILE        the evidence file: its SHA-256 (streamed) must be a record's digest
  --require-timestamp    fail unless the checkpoint carries a valid RFC 3161 timestamp token
  --json                 print the whole report as JSON instead of one line
  -h, --help             print this help

${EXIT_CODES}`;

export const CERTIFICATE_HELP = `usage: evidence certificate BUNDLE.json --trusted-keys TRUSTED.json -o CERT.pdf|CERT.html [options]

Writes a printable integrity certificate, one page set per exhibit of the bundle, after the
very verification of verify-bundle; nothing is written unless every check passed.

Options:
  --trusted-keys FILE    the parties' public keys, origin and pinned TSAs you trust (required)
  -o, --output FILE      the certificate: .pdf (printed by headless Chromium) or .html (required)
  --evidence FILE        the evidence file, checked against the record's SHA-256
  --paper a4|letter      page size (default a4)
  --require-timestamp    refuse unless the checkpoint carries a valid RFC 3161 timestamp token
  -h, --help             print this help

${EXIT_CODES}`;

export const DEPOSIT_HELP = `usage: evidence deposit FILE|DIR… --bucket B --case-id ID --exhibit EX [options]

Uploads each file (a directory: every regular file directly in it, in name order) to the
evidence bucket with its case metadata, sending S3 additional checksums computed locally
(SHA-256 for a single PutObject, per-part SHA-256 for multipart), so S3 refuses corrupted
bytes. Then, unless --no-wait, waits until the ledger holds that exact object version and a
checkpoint covers it, checks the ledger's SHA-256 and size against the local file and writes a
receipt: the evidence bundle of the record and a one-line summary.
The metadata is checked against the ledger's limits before any byte is sent.

Options:
  --bucket B               the evidence bucket (required)
  --case-id ID             case identifier, stored as the case-id metadata (required)
  --exhibit EX             exhibit reference, stored as the exhibit metadata (required)
  --meta name=value        more case metadata; repeatable (lower-case names, printable ASCII)
  --key-prefix P           object key prefix (default <case-id>/<exhibit>/; the file name follows)
  --concurrency N          parts uploaded at once for multipart uploads (default 4)
  --part-size MiB          part size; larger files go multipart (default 8, minimum 5)
  --retries N              whole-upload retries after a failed upload (default 2); the SDK
                           also retries each request
  --no-wait                upload only: print the version ids, write no receipt
  --wait-timeout S         seconds to wait for the record and its checkpoint (default 900)
  --auditor-function NAME  the deployed auditor Lambda (or $EVIDENCE_AUDITOR_FUNCTION), which
                           the uploader policy may invoke to fetch receipts
  --receipts DIR           where receipts are written (default ./receipts)
  --json                   one JSON object per event and result, for scripts
  --profile P              AWS credentials profile (default: the usual credential chain)
  --region R               AWS region
  --endpoint URL           S3 and Lambda endpoint (emulators)
  -h, --help               print this help

Exit codes:
  0   every file was deposited (and, waiting, recorded, anchored and receipted)
  2   usage error or metadata outside the ledger's limits (nothing was sent)
  10  an upload failed, or the pipeline failed the deposit (its code is printed)
  11  the ledger's SHA-256 or size differs from the local file, or the file changed during upload
  12  waiting timed out`;

export const MONITOR_HELP = `usage: evidence monitor LOG --trusted-keys TRUSTED.json [options]

Follows the tiled log: LOG is a local directory copy of the log root or s3://bucket/prefix/
(the anchor bucket's log/). Each run verifies the co-signed checkpoint (both parties, the
trusted origin), refuses a smaller tree or another tree of the same size, checks a consistency
proof from the last verified checkpoint computed from the tiles, and re-verifies every new
record (hash, chain link, both signatures) against its entry bundle and the tiles. The state
file is updated only when every check passed. Run it from cron; alert on any exit but 0.

Options:
  --trusted-keys FILE    the parties' public keys and the log's origin you trust (required)
  --state FILE           the monitor's own state (default ./evidence-monitor.state.json);
                         absent: the log is verified from its first record
  --json                 print the run's report as one JSON object instead of one line
  --profile P            AWS credentials profile for s3:// (default: the usual credential chain)
  --region R             AWS region for s3://
  --endpoint URL         S3 endpoint for s3:// (emulators)
  -h, --help             print this help

Exit codes:
  0  the log verified (grown or unchanged); the state was advanced
  1  a check failed: rollback, fork, gap, changed record or tile, bad signature (state kept)
  2  usage error, or an unreadable or invalid trusted-keys file
  3  the log (no checkpoint, storage failure) or the state file is unreadable`;

export interface CommandSummary {
  readonly name: string;
  readonly summary: string;
}

export function overviewHelp(commands: readonly CommandSummary[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return `usage: evidence <command> [options]     (evidence <command> --help for its options)

Commands:
${commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

${EXIT_CODES}

Formats, checks and exit codes: docs/FORMAT.md §12.`;
}
