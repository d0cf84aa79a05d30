/**
 * The `evidence` command line: offline tools for auditors. Node-only (files, streaming
 * hashes); every verification decision is made by the pure core.
 *
 *   evidence verify-bundle BUNDLE.json --trusted-keys TRUSTED.json [--evidence FILE] [--json]
 *   evidence certificate BUNDLE.json --trusted-keys TRUSTED.json [--evidence FILE] -o CERT.pdf|CERT.html
 */
import { CERTIFICATE_USAGE, certificateCommand } from './certificate-command';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { VERIFY_BUNDLE_USAGE, verifyBundleCommand, type Output } from './verify-bundle-command';

const USAGE = `${VERIFY_BUNDLE_USAGE}\n${CERTIFICATE_USAGE}`;

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
    if (command === 'certificate') return await certificateCommand(args, output);
    output.err(command === undefined ? USAGE : `unknown command '${command}'\n${USAGE}`);
    return EXIT.USAGE;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    output.err(`FAIL USAGE: ${error.message}`);
    return error.exitCode;
  }
}

process.exitCode = await main(process.argv.slice(2));
