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
