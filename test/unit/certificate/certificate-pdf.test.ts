/**
 * `evidence certificate -o CERT.pdf`, end to end in the system's headless Chromium: the PDF
 * renders to page images with pdftoppm (at least one page per exhibit), its text layer holds
 * the SHA-256 and the verdict, and A4 and Letter give different page sizes. Skipped, with
 * the reason in the test name, where Chromium or poppler-utils is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateCommand } from '../../../cli/certificate-command';
import { chromiumUnavailableReason } from '../../../cli/chromium';
import { bundleOf, createTestLedger } from '../bundle/fixtures';
import {
  capture,
  EXAMPLE_BUNDLE,
  EXAMPLE_EVIDENCE,
  EXAMPLE_SHA256,
  EXAMPLE_TRUSTED_KEYS,
  tempDir,
  trustedKeysJson,
} from './certificate-fixtures';

const POPPLER = ['pdftoppm', 'pdftotext', 'pdfinfo'];
const missingPoppler = POPPLER.find(
  (tool) => !['/usr/bin', '/usr/local/bin'].some((bin) => existsSync(join(bin, tool))),
);
const skipReason =
  chromiumUnavailableReason() ??
  (missingPoppler && `no ${missingPoppler} (run \`bash tools/browser/install.sh\` as root)`);

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function printCertificate(name: string, paper: string, ...files: string[]) {
  const path = join(dir, name);
  const [bundle, trustedKeys] = files.length > 0 ? files : [EXAMPLE_BUNDLE, EXAMPLE_TRUSTED_KEYS];
  const evidence = files.length > 0 ? [] : ['--evidence', EXAMPLE_EVIDENCE];
  const args = [bundle!, '--trusted-keys', trustedKeys!, ...evidence];
  expect(await certificateCommand([...args, '-o', path, '--paper', paper], capture())).toBe(0);
  return path;
}

/** A genuine bundle of three exhibits (records 0, 2 and 4 of a test ledger). */
async function writeThreeExhibits(): Promise<string[]> {
  const ledger = await createTestLedger();
  const files = [join(dir, 'three.json'), join(dir, 'three-trusted.json')];
  await writeFile(files[0]!, JSON.stringify(bundleOf(ledger, [0, 2, 4])));
  await writeFile(files[1]!, JSON.stringify(trustedKeysJson(ledger.trusted)));
  return files;
}

const pageSize = (pdf: string) =>
  /Page size:\s+([\d.]+ x [\d.]+ pts)/.exec(
    execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }),
  )?.[1];

describe.skipIf(skipReason !== undefined)(
  `the PDF certificate${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    it('renders to page images and its text layer holds the SHA-256 and the verdict', async () => {
      const pdf = await printCertificate('cert-a4.pdf', 'a4');
      execFileSync('pdftoppm', ['-png', '-r', '50', pdf, join(dir, 'page')]);
      const pages = (await readdir(dir)).filter((f) => /^page-\d+\.png$/.test(f));
      expect(pages.length).toBeGreaterThanOrEqual(1); // the example bundle holds one exhibit
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      expect(text).toContain(EXAMPLE_SHA256);
      expect(text).toContain('VERIFIED');
      expect(text).toContain('Evidence integrity certificate');
      expect(pageSize(pdf)).toMatch(/^595\.\d+ x 841\.\d+|^595\.\d+ x 842\.\d+/);
    }, 60_000);

    it('starts each exhibit on a page of its own', async () => {
      const pdf = await printCertificate('three.pdf', 'letter', ...(await writeThreeExhibits()));
      const pages = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).split('\f');
      const starts = [1, 2, 3].map((n) => pages.findIndex((p) => p.includes(`Exhibit ${n} of 3`)));
      expect(starts[0]).toBe(0);
      expect(starts[1]).toBeGreaterThan(starts[0]!);
      expect(starts[2]).toBeGreaterThan(starts[1]!);
    }, 60_000);

    it('prints A4 and Letter on different page sizes', async () => {
      const a4 = pageSize(await printCertificate('size-a4.pdf', 'a4'));
      const letter = pageSize(await printCertificate('size-letter.pdf', 'letter'));
      expect(letter).toMatch(/^612(\.\d+)? x 792(\.\d+)? pts$/);
      expect(a4).not.toBe(letter);
    }, 60_000);
  },
);
