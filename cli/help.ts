/**
 * The help texts of the `evidence` command: `evidence --help` and `evidence <command> --help`
 * print these and exit 0. Every option of every command is documented here; docs/FORMAT.md §12
 * documents the output formats and exit codes in full.
 */

const EXIT_CODES = `Exit codes:
  0  success (the bundle verified; the certificate or receipt was written)
  1  a verification check failed (the failed check is printed)
  2  usage error, or an unreadable or invalid trusted-keys, evidence or metadata input
  3  the bundle is unreadable, not strict JSON, or not a v1 bundle`;

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
