/**
 * The `evidence` command line: offline tools for auditors. Node-only (files, streaming
 * hashes); every verification decision is made by the pure core.
 *
 *   evidence verify-bundle BUNDLE.json --trusted-keys TRUSTED.json [--evidence FILE] [--json]
 *   evidence certificate BUNDLE.json --trusted-keys TRUSTED.json [--evidence FILE] -o CERT.pdf|CERT.html
 *   evidence deposit FILE|DIR… --bucket B --case-id ID --exhibit EX [options]
 *   evidence monitor LOG --trusted-keys TRUSTED.json [--state FILE] [--json]
 */
import { certificateCommand } from './certificate-command';
import { depositCommand } from './deposit-command';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import {
  CERTIFICATE_HELP,
  DEPOSIT_HELP,
  MONITOR_HELP,
  VERIFY_BUNDLE_HELP,
  overviewHelp,
} from './help';
import { monitorCommand } from './monitor-command';
import { verifyBundleCommand, type Output } from './verify-bundle-command';

interface Command {
  readonly summary: string;
  readonly help: string;
  run(args: readonly string[], output: Output): Promise<ExitCode>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  deposit: {
    summary: 'upload evidence to the ledger bucket and wait for its record and receipt',
    help: DEPOSIT_HELP,
    run: depositCommand,
  },
  'verify-bundle': {
    summary: 'verify an evidence bundle offline, optionally against the evidence file',
    help: VERIFY_BUNDLE_HELP,
    run: verifyBundleCommand,
  },
  certificate: {
    summary: 'write a court-ready integrity certificate (PDF or HTML) for a verified bundle',
    help: CERTIFICATE_HELP,
    run: (args, output) => certificateCommand(args, output),
  },
  monitor: {
    summary:
      'follow the tiled log: verify each new checkpoint, its consistency and every new record',
    help: MONITOR_HELP,
    run: monitorCommand,
  },
};

const OVERVIEW = overviewHelp(
  Object.entries(COMMANDS).map(([name, command]) => ({ name, summary: command.summary })),
);
const HELP_FLAGS = new Set(['--help', '-h']);

const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function main(
  argv: readonly string[],
  output: Output = consoleOutput,
): Promise<ExitCode> {
  const [name, ...args] = argv;
  if (name === undefined || HELP_FLAGS.has(name) || name === 'help') {
    if (name === undefined) {
      output.err(OVERVIEW);
      return EXIT.USAGE;
    }
    output.out(OVERVIEW);
    return EXIT.OK;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    output.err(`unknown command '${name}'\n${OVERVIEW}`);
    return EXIT.USAGE;
  }
  if (args.some((arg) => HELP_FLAGS.has(arg))) {
    output.out(command.help);
    return EXIT.OK;
  }
  try {
    return await command.run(args, output);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    output.err(`FAIL USAGE: ${error.message}`);
    return error.exitCode;
  }
}

process.exitCode = await main(process.argv.slice(2));
