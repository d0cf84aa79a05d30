/**
 * The `evidence` command line: offline tools for auditors. Node-only (files, streaming
 * hashes); every verification decision is made by the pure core.
 *
 *   evidence verify-bundle BUNDLE.json --trusted-keys TRUSTED.json [--evidence FILE] [--json]
 *   evidence deposit FILE|DIR… --bucket B --case-id ID --exhibit EX [options]
 */
import { DEPOSIT_USAGE, depositCommand } from './deposit-command';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { VERIFY_BUNDLE_USAGE, verifyBundleCommand, type Output } from './verify-bundle-command';

const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export async function main(
  argv: readonly string[],
  output: Output = consoleOutput,
): Promise<ExitCode> {
  const [command, ...args] = argv;
  try {
    if (command === 'verify-bundle') return await verifyBundleCommand(args, output);
    if (command === 'deposit') return await depositCommand(args, output);
    const usage = `${VERIFY_BUNDLE_USAGE}\n${DEPOSIT_USAGE}`;
    output.err(command === undefined ? usage : `unknown command '${command}'\n${usage}`);
    return EXIT.USAGE;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    output.err(`FAIL USAGE: ${error.message}`);
    return error.exitCode;
  }
}

process.exitCode = await main(process.argv.slice(2));
