/**
 * `evidence certificate BUNDLE --trusted-keys FILE [--evidence PATH] -o CERT.pdf|CERT.html
 * [--paper a4|letter] [--require-timestamp]`: a printable integrity certificate for each
 * exhibit of a bundle. It runs the very verification of `verify-bundle` (verifyBundleAt) and
 * writes nothing unless every check passed: a failing bundle exits 1 (3 if unreadable) with
 * the failure on stderr. HTML is written as is; PDF is that HTML printed by headless
 * Chromium.
 */
import { LedgerError } from '../core/errors';
import { writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { formatFirstFailure } from '../core/bundle';
import { utf8Encode } from '../core/encoding';
import { buildCertificateModel } from './certificate/certificate-model';
import { PAPERS, type Paper } from './certificate/certificate-style';
import { renderCertificateHtml } from './certificate/render-certificate-html';
import { asUsageError, parseVerifyingArgs } from './arguments';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { digestFile } from './read-inputs';
import { exitCodeOf, trustedKeysFrom, verifyBundleAt, type Output } from './verify-bundle-command';

export const CERTIFICATE_USAGE =
  'usage: evidence certificate BUNDLE.json --trusted-keys TRUSTED.json [--evidence FILE] -o CERT.pdf|CERT.html [--paper a4|letter] [--require-timestamp]';

const FORMATS = { '.pdf': 'pdf', '.html': 'html', '.htm': 'html' } as const;
type Format = (typeof FORMATS)[keyof typeof FORMATS];

function formatOf(path: string): Format {
  const format = FORMATS[extname(path).toLowerCase() as keyof typeof FORMATS];
  if (format === undefined)
    throw new LedgerError('INVALID_INPUT', `-o must name a .pdf or .html file, not ${path}`);
  return format;
}

function paperOf(value: string): Paper {
  const paper = PAPERS.find((p) => p === value.toLowerCase());
  if (paper === undefined)
    throw new LedgerError('INVALID_INPUT', `--paper must be a4 or letter, not ${value}`);
  return paper;
}

/** The options of `certificate` (each documented in cli/help.ts). */
export const CERTIFICATE_OPTIONS = {
  'trusted-keys': { type: 'string' },
  evidence: { type: 'string' },
  output: { type: 'string', short: 'o' },
  paper: { type: 'string', default: 'a4' },
  'require-timestamp': { type: 'boolean', default: false },
} as const;

function parse(args: readonly string[]) {
  const {
    values,
    input: bundle,
    trustedKeys,
  } = parseVerifyingArgs(args, CERTIFICATE_OPTIONS, 'BUNDLE file', CERTIFICATE_USAGE);
  return asUsageError(CERTIFICATE_USAGE, () => {
    const { output } = values;
    if (output === undefined)
      throw new LedgerError('INVALID_INPUT', '-o CERT.pdf or -o CERT.html is required');
    const format = formatOf(output);
    const paper = paperOf(values.paper);
    return { ...values, bundle, trustedKeys, output, format, paper } as const;
  });
}

/** Chromium and playwright-core are loaded only to print a PDF. */
async function requireChromium(): Promise<void> {
  const { chromiumUnavailableReason } = await import('./chromium');
  const reason = chromiumUnavailableReason();
  if (reason === undefined) return;
  throw new CliError(EXIT.USAGE, `cannot print a PDF: ${reason}; or write HTML with -o CERT.html`);
}

async function write(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (error) {
    throw new CliError(EXIT.USAGE, `cannot write ${path}: ${(error as Error).message}`);
  }
}

export async function certificateCommand(
  args: readonly string[],
  output: Output,
  now: () => Date = () => new Date(),
): Promise<ExitCode> {
  const options = parse(args);
  if (options.format === 'pdf') await requireChromium();
  const trusted = await trustedKeysFrom(options.trustedKeys);
  const digest = options.evidence === undefined ? undefined : await digestFile(options.evidence);
  const requireTimestamp = options['require-timestamp'];
  const { report, file } = await verifyBundleAt(options.bundle, trusted, {
    ...(digest ? { evidence: digest } : {}),
    requireTimestamp,
  });
  if (!report.ok || file === undefined) {
    output.err(formatFirstFailure(report));
    output.err(`no certificate written: the bundle failed verification`);
    return exitCodeOf(report);
  }
  const model = await buildCertificateModel({
    report,
    bundleFile: file,
    trusted,
    names: { bundle: basename(options.bundle), trustedKeys: basename(options.trustedKeys) },
    ...(digest && options.evidence
      ? { evidence: { name: basename(options.evidence), digest } }
      : {}),
    requireTimestamp,
    generatedAt: now().toISOString(),
  });
  const documentHtml = await renderCertificateHtml(model, options.paper);
  const bytes =
    options.format === 'pdf'
      ? await import('./certificate/print-pdf').then(({ printPdf }) =>
          printPdf(documentHtml, options.paper),
        )
      : utf8Encode(documentHtml);
  await write(options.output, bytes);
  output.out(
    `${formatFirstFailure(report)}; certificate of ${model.exhibits.length} exhibit(s) written to ${options.output}`,
  );
  return EXIT.OK;
}
