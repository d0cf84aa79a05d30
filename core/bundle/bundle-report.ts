/**
 * The verifier's report: every check it ran, in order, each with a code-like id, its
 * verdict, the item it concerns and, when it failed, the LedgerErrorCode.
 */
import { isLedgerError, type LedgerErrorCode } from '../errors';

export type BundleCheckId =
  | 'bundle.schema'
  | 'checkpoint'
  | 'items.order'
  | 'record.hash'
  | 'record.facts'
  | 'record.signatures'
  | 'record.inclusion'
  | 'timestamp'
  | 'evidence.digest';

/** Which item a check concerns: its position in `items` and its record's seq. */
export interface ItemRef {
  readonly itemIndex?: number;
  readonly seq?: number;
}

export interface BundleCheck extends ItemRef {
  readonly check: BundleCheckId;
  readonly ok: boolean;
  readonly code?: LedgerErrorCode;
  readonly message: string;
}

export interface BundleReport {
  readonly ok: boolean;
  readonly checks: readonly BundleCheck[];
  readonly firstFailure: BundleCheck | null;
}

export function passed(check: BundleCheckId, message: string, where: ItemRef = {}): BundleCheck {
  return { check, ok: true, ...where, message };
}

export function failed(
  check: BundleCheckId,
  code: LedgerErrorCode,
  message: string,
  where: ItemRef = {},
): BundleCheck {
  return { check, ok: false, ...where, code, message };
}

/**
 * Runs one check: `run` returns a success message or throws a LedgerError, whose code and
 * message become the failed check. Anything else is a bug and propagates.
 */
export async function runCheck(
  check: BundleCheckId,
  where: ItemRef,
  run: () => string | Promise<string>,
): Promise<BundleCheck> {
  try {
    return passed(check, await run(), where);
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    return failed(check, error.code, error.message, where);
  }
}

export function bundleReport(checks: readonly BundleCheck[]): BundleReport {
  const firstFailure = checks.find((c) => !c.ok) ?? null;
  return { ok: firstFailure === null, checks, firstFailure };
}

/** One line for people: `OK …` or `FAIL <CODE> item <i> seq <n>: <check>: <message>`. */
export function formatFirstFailure(report: BundleReport): string {
  const failure = report.firstFailure;
  if (!failure) return `OK ${report.checks.length} checks passed`;
  const item = failure.itemIndex === undefined ? '' : ` item ${failure.itemIndex}`;
  const seq = failure.seq === undefined ? '' : ` seq ${failure.seq}`;
  return `FAIL ${failure.code ?? 'UNKNOWN'}${item}${seq}: ${failure.check}: ${failure.message}`;
}
