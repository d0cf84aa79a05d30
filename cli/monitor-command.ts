/**
 * `evidence monitor LOG --trusted-keys FILE [--state FILE] [--json]`: one run of the log
 * monitor (core/monitor) over a directory copy of the log root or `s3://bucket/prefix/`. The
 * state file is the monitor's own; it is rewritten only after a run that verified everything.
 * Prints one line (or with --json one object); exit codes in exit-codes.ts and FORMAT.md §12.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { isLedgerError, LedgerError } from '../core/errors';
import {
  formatMonitorReport,
  formatMonitorState,
  monitorLog,
  monitorTrust,
  parseMonitorState,
  type LogSource,
  type MonitorState,
} from '../core/monitor';
import { nodeSha256 } from '../functions/shared/node-sha256';
import { nodeSignatureVerifier } from '../functions/shared/node-signature-verifier';
import { parseVerifyingArgs } from './arguments';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { DirLogSource } from './monitor/dir-log-source';
import { parallelBundleVerifier } from './monitor/records-verify-pool';
import { isS3Url, s3LogSource } from './monitor/s3-log-source';
import { trustedKeysFrom, type Output } from './verify-bundle-command';

export const MONITOR_USAGE =
  'usage: evidence monitor LOG --trusted-keys TRUSTED.json [--state FILE] [--json] [--profile P] [--region R] [--endpoint URL]';

export const DEFAULT_MONITOR_STATE = './evidence-monitor.state.json';

/** The options of `monitor` (each documented in cli/help.ts). */
export const MONITOR_OPTIONS = {
  'trusted-keys': { type: 'string' },
  state: { type: 'string', default: DEFAULT_MONITOR_STATE },
  json: { type: 'boolean', default: false },
  profile: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
} as const;

function parse(args: readonly string[]) {
  const {
    values,
    input: log,
    trustedKeys,
  } = parseVerifyingArgs(args, MONITOR_OPTIONS, 'LOG', MONITOR_USAGE);
  return { ...values, log, trustedKeys };
}

type Options = ReturnType<typeof parse>;

/** The state file, or undefined before the first run. Throws STORAGE_ITEM_CORRUPT. */
async function readState(path: string): Promise<MonitorState | undefined> {
  let file: Uint8Array;
  try {
    file = new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LedgerError(
      'STORAGE_ITEM_CORRUPT',
      `cannot read ${path}: ${(error as Error).message}`,
    );
  }
  return parseMonitorState(file);
}

/** Replaces the state file at once (rename), so a crash never leaves half a state. */
async function writeState(path: string, state: MonitorState): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, formatMonitorState(state));
  await rename(temporary, path);
}

async function logSource(options: Options): Promise<LogSource> {
  if (isS3Url(options.log)) {
    try {
      return s3LogSource(options.log, options);
    } catch (error) {
      throw new CliError(EXIT.USAGE, `${(error as Error).message}\n${MONITOR_USAGE}`);
    }
  }
  const source = new DirLogSource(options.log);
  await source.requireDirectory();
  return source;
}

/** A log or state that could not be read: exit 3, reported like a failed check. */
function unreadable(error: unknown, options: Options, output: Output): ExitCode {
  const code = isLedgerError(error) ? error.code : 'DEPENDENCY_UNAVAILABLE';
  const message = error instanceof Error ? error.message : String(error);
  output.out(
    options.json
      ? JSON.stringify({ ok: false, code, message, unreadable: true })
      : `FAIL ${code}: ${message}`,
  );
  return EXIT.LOG_UNREADABLE;
}

export async function monitorCommand(args: readonly string[], output: Output): Promise<ExitCode> {
  const options = parse(args);
  const trusted = await trustedKeysFrom(options.trustedKeys);
  // The records bundles are verified on every core; idle workers do not hold the exit.
  const pool = parallelBundleVerifier(trusted);
  const trust = monitorTrust(trusted, nodeSignatureVerifier, nodeSha256, pool);
  try {
    const source = await logSource(options);
    const previous = await readState(options.state);
    const { state, report } = await monitorLog(source, trust, previous);
    if (report.ok && state !== previous) await writeState(options.state, state);
    output.out(options.json ? JSON.stringify(report) : formatMonitorReport(report));
    return report.ok ? EXIT.OK : EXIT.VERIFICATION_FAILED;
  } catch (error) {
    if (error instanceof CliError) throw error;
    return unreadable(error, options, output);
  } finally {
    await pool?.close();
  }
}
