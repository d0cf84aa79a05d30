/** Exit codes of the `evidence` CLI (documented in docs/FORMAT.md §The evidence CLI). */
export const EXIT = {
  /** The bundle verified. */
  OK: 0,
  /** The bundle was read but a check failed. */
  VERIFICATION_FAILED: 1,
  /** Bad arguments, or an unreadable or invalid trusted-keys or evidence file. */
  USAGE: 2,
  /** The bundle file is unreadable, not JSON, or not a v1 bundle. */
  BUNDLE_UNREADABLE: 3,
  /** `monitor`: the log (no checkpoint, storage failure) or the monitor's state is unreadable. */
  LOG_UNREADABLE: 3,
  // 10–19: `evidence deposit`.
  /** An upload failed after its retries, or the ledger refused the deposit (FAILED with a code). */
  DEPOSIT_FAILED: 10,
  /** The ledger recorded another SHA-256 or size than the local file's: the receipt is not written. */
  DEPOSIT_MISMATCH: 11,
  /** Uploaded, but the record was not in the ledger and anchored within --wait-timeout. */
  WAIT_TIMEOUT: 12,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure that ends the command with `exitCode` and one line on stderr. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
