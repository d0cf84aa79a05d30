/**
 * A certificate is never produced for a bundle that fails: the command exits with
 * verify-bundle's failure code, says why on stderr, and writes no file.
 */
import { execFile } from 'node:child_process';
import { access, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateCommand } from '../../../cli/certificate-command';
import {
  capture,
  EXAMPLE_BUNDLE,
  EXAMPLE_EVIDENCE,
  EXAMPLE_TRUSTED_KEYS,
  tempDir,
  writeTamperedExample,
} from './certificate-fixtures';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const exists = (path: string) => access(path).then(() => true, () => false); // prettier-ignore

async function certify(bundle: string, ...more: string[]) {
  const output = capture();
  const path = join(dir, `cert-${Math.random().toString(36).slice(2)}.html`);
  const args = [bundle, '--trusted-keys', EXAMPLE_TRUSTED_KEYS, '-o', path, ...more];
  const code = await certificateCommand(args, output);
  return { code, ...output, written: await exists(path) };
}

describe('when one byte of the record was changed', () => {
  it('exits 1 with RECORD_HASH_MISMATCH and writes no certificate', async () => {
    const run = await certify(await writeTamperedExample(dir));
    expect(run).toMatchObject({ code: 1, written: false, stdout: [] });
    expect(run.stderr[0]).toMatch(/^FAIL RECORD_HASH_MISMATCH item 0 seq 1: record\.hash: /);
    expect(run.stderr[1]).toBe('no certificate written: the bundle failed verification');
  });
});

describe('when the evidence file is not the deposited object', () => {
  it('exits 1 with EVIDENCE_DIGEST_MISMATCH and writes no certificate', async () => {
    const other = join(dir, 'other-evidence.txt');
    await writeFile(other, 'not the witness statement\n');
    const run = await certify(EXAMPLE_BUNDLE, '--evidence', other);
    expect(run).toMatchObject({ code: 1, written: false });
    expect(run.stderr[0]).toMatch(/^FAIL EVIDENCE_DIGEST_MISMATCH: evidence\.digest: /);
  });
});

describe('when a timestamp is required and the bundle has none', () => {
  it('exits 1 with TIMESTAMP_INVALID and writes no certificate', async () => {
    const run = await certify(EXAMPLE_BUNDLE, '--require-timestamp');
    expect(run).toMatchObject({ code: 1, written: false });
    expect(run.stderr[0]).toMatch(/^FAIL TIMESTAMP_INVALID: timestamp: /);
  });
});

describe('when the bundle is not JSON', () => {
  it('exits 3 with BUNDLE_MALFORMED and writes no certificate', async () => {
    const notJson = join(dir, 'not-json.json');
    await writeFile(notJson, 'this is not JSON');
    const run = await certify(notJson);
    expect(run).toMatchObject({ code: 3, written: false });
    expect(run.stderr[0]).toMatch(/^FAIL BUNDLE_MALFORMED: bundle\.schema: /);
  });
});

describe('usage errors', () => {
  it.each([
    ['no -o', [EXAMPLE_BUNDLE, '--trusted-keys', EXAMPLE_TRUSTED_KEYS], '-o CERT.pdf or'],
    [
      'an -o that is neither .pdf nor .html',
      [EXAMPLE_BUNDLE, '--trusted-keys', EXAMPLE_TRUSTED_KEYS, '-o', 'c.txt'],
      'must name a .pdf or .html',
    ],
    [
      'an unknown paper',
      [EXAMPLE_BUNDLE, '--trusted-keys', EXAMPLE_TRUSTED_KEYS, '-o', 'c.html', '--paper', 'a3'],
      '--paper must be a4 or letter',
    ],
    ['no --trusted-keys', [EXAMPLE_BUNDLE, '-o', 'c.html'], 'required'],
  ])('exit 2 for %s', async (_name, args, message) => {
    await expect(certificateCommand(args, capture())).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining(message) as unknown,
    });
  });
});

describe('when no Chromium is installed', () => {
  it('refuses -o CERT.pdf with a usage error (exit 2) naming the reason', async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = join(dir, 'no-such-chromium');
    try {
      const args = [
        EXAMPLE_BUNDLE,
        '--trusted-keys',
        EXAMPLE_TRUSTED_KEYS,
        '-o',
        join(dir, 'c.pdf'),
      ];
      await expect(certificateCommand(args, capture())).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining('cannot print a PDF: no Chromium found') as unknown,
      });
      expect(await exists(join(dir, 'c.pdf'))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});

describe('evidence certificate --help, through the CLI', () => {
  it('prints the usage on stdout and exits 0', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const run = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const argv = ['--import', 'tsx', join(root, 'cli/evidence.ts'), 'certificate', '--help'];
      execFile(process.execPath, argv, { cwd: root }, (error, stdout) => {
        resolve({ code: error ? Number(error.code) : 0, stdout });
      });
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: evidence certificate BUNDLE\.json --trusted-keys /);
    expect(run.stdout).toContain('--evidence FILE');
    expect(run.stdout).toContain('--paper a4|letter');
  });
});

describe('a valid bundle with the evidence file', () => {
  it('is certified (exit 0)', async () => {
    const run = await certify(EXAMPLE_BUNDLE, '--evidence', EXAMPLE_EVIDENCE);
    expect(run).toMatchObject({ code: 0, written: true, stderr: [] });
  });
});
