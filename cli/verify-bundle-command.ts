/**
 * `evidence verify-bundle BUNDLE --trusted-keys FILE [--evidence PATH] [--require-timestamp]
 * [--json]`: verifies an evidence bundle offline (no network, no AWS) with core/bundle's
 * verifyBundleFile (strict JSON, then verifyBundle), the same code a browser page runs. Prints the first failed check on one
 * line, or with --json the whole report; returns the exit code (see exit-codes.ts).
 */
import {
  bundleReport,
  failed,
  formatFirstFailure,
  parseTrustedKeysFile,
  verifyBundleFile,
  type BundleReport,
  type TrustedKeys,
  type VerifyBundleOptions,
} from '../core/bundle';
import { isLedgerError } from '../core/errors';
import { nodeSha256 } from '../functions/shared/node-sha256';
import { nodeSignatureVerifier } from '../functions/shared/node-signature-verifier';
import { parseVerifyingArgs } from './arguments';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { digestFile, readJsonFileBytes } from './read-inputs';

export const VERIFY_BUNDLE_USAGE =
  'usage: evidence verify-bundle BUNDLE.json --trusted-keys TRUSTED.json [--evidence FILE] [--require-timestamp] [--json]';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** The options of `verify-bundle` (each documented in cli/help.ts). */
export const VERIFY_BUNDLE_OPTIONS = {
  'trusted-keys': { type: 'string' },
  evidence: { type: 'string' },
  'require-timestamp': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

function parse(args: readonly string[]) {
  const {
    values,
    input: bundle,
    trustedKeys,
  } = parseVerifyingArgs(args, VERIFY_BUNDLE_OPTIONS, 'BUNDLE file', VERIFY_BUNDLE_USAGE);
  return { ...values, bundle, trustedKeys };
}

export async function trustedKeysFrom(path: string): Promise<TrustedKeys> {
  const file = await readJsonFileBytes(path, 'trusted-keys file', EXIT.USAGE);
  try {
    return parseTrustedKeysFile(file);
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    throw new CliError(EXIT.USAGE, `trusted-keys file ${path}: ${error.message}`);
  }
}

/** The exit code of a verification: 0, or 3 for an unreadable bundle, else 1. */
export function exitCodeOf(report: BundleReport): ExitCode {
  if (report.ok) return EXIT.OK;
  return report.firstFailure?.check === 'bundle.schema'
    ? EXIT.BUNDLE_UNREADABLE
    : EXIT.VERIFICATION_FAILED;
}

/**
 * Reads the bundle at `path` and verifies it, record signatures and hashes with node:crypto
 * (OpenSSL) unless `options` names others. Returns the report and, when the file could be
 * read, its bytes (the certificate hashes and re-reads exactly what was verified).
 */
export async function verifyBundleAt(
  path: string,
  trusted: TrustedKeys,
  options: VerifyBundleOptions,
): Promise<{ report: BundleReport; file?: Uint8Array }> {
  return readJsonFileBytes(path, 'bundle', EXIT.BUNDLE_UNREADABLE).then(
    async (file) => ({
      report: await verifyBundleFile(file, trusted, {
        signatureVerifier: nodeSignatureVerifier,
        sha256: nodeSha256,
        ...options,
      }),
      file,
    }),
    // An unreadable bundle is reported like one that fails the schema: one line, or JSON.
    (error: CliError) => ({
      report: bundleReport([failed('bundle.schema', 'BUNDLE_MALFORMED', error.message)]),
    }),
  );
}

export async function verifyBundleCommand(
  args: readonly string[],
  output: Output,
): Promise<ExitCode> {
  const options = parse(args);
  const trusted = await trustedKeysFrom(options.trustedKeys);
  const evidence = options.evidence === undefined ? undefined : await digestFile(options.evidence);
  const { report } = await verifyBundleAt(options.bundle, trusted, {
    ...(evidence ? { evidence } : {}),
    requireTimestamp: options['require-timestamp'],
  });
  output.out(options.json ? JSON.stringify(report, null, 2) : formatFirstFailure(report));
  return exitCodeOf(report);
}
