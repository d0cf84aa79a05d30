/**
 * The verifier page, end to end in a real headless Chromium: the page is built as the
 * project ships it (one HTML file), opened from file://, given the published example's
 * bundle, trusted keys and evidence file through its file inputs, and must show the core
 * verifier's verdict, every check and the failure codes in words, without any request
 * leaving the page. Skipped, with the reason, where no Chromium is installed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumUnavailableReason, launchChromium } from '../../../cli/chromium';
import { buildVerifierPage } from '../../../scripts/build-verifier-page';
import { FAILURE_EXPLANATIONS } from '../../../web/verifier/failure-explanations';

const root = resolve(import.meta.dirname, '../../..');
const vectors = resolve(root, 'test/vectors/format-example');
const artifacts = resolve(root, 'test-results');
const unavailable = chromiumUnavailableReason();

const bundleText = readFileSync(resolve(vectors, 'example-bundle.json'), 'utf8');
const json = (name: string, text: string) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(text),
});
const files = {
  bundle: json('example-bundle.json', bundleText),
  trustedKeys: json(
    'example-trusted-keys.json',
    readFileSync(resolve(vectors, 'example-trusted-keys.json'), 'utf8'),
  ),
  evidence: {
    name: 'exhibit-w-02.txt',
    mimeType: 'text/plain',
    buffer: readFileSync(resolve(vectors, 'exhibit-w-02.txt')),
  },
};

let dir: string;
let pageUrl: string;
let browser: Browser;
let page: Page;
let requests: string[];
let pageErrors: string[];

// Where Chromium is missing the suite is skipped, and says why (in its name and on stderr).
if (unavailable) console.warn(`verifier page test skipped: ${unavailable}`);
const suite = `the verifier page in headless Chromium${unavailable ? ` (skipped: ${unavailable})` : ''}`;

describe.skipIf(unavailable !== undefined)(suite, { timeout: 60_000 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verifier-page-'));
    pageUrl = pathToFileURL(await buildVerifierPage(join(dir, 'index.html'))).href;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    page = await browser.newPage();
    requests = [];
    pageErrors = [];
    page.on('request', (request) => requests.push(request.url()));
    // A CSP violation (an inline script or style the policy does not allow, an eval) is logged as an error.
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(pageUrl);
  });

  afterEach(async () => {
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  async function verify(chosen: { bundle: typeof files.bundle; evidence?: typeof files.evidence }) {
    await page.setInputFiles('#bundle-file', chosen.bundle);
    await page.setInputFiles('#trusted-keys-file', files.trustedKeys);
    if (chosen.evidence) await page.setInputFiles('#evidence-file', chosen.evidence);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('#verdict strong').waitFor();
    return (await page.locator('#verdict').innerText()).replace(/\s+/g, ' ');
  }

  const checkRows = () => page.locator('#checks tr').allInnerTexts();

  it('verifies the honest bundle with its evidence and shows every check and the exhibit', async () => {
    const verdict = await verify({ bundle: files.bundle, evidence: files.evidence });
    expect(verdict).toContain(
      'PASS — the bundle verified: all 8 checks passed. The evidence file is the one recorded.',
    );
    const rows = await checkRows();
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(Array(8).fill('PASS'));
    for (const check of [
      'bundle.schema',
      'checkpoint',
      'record.hash',
      'record.signatures',
      'record.inclusion',
      'evidence.digest',
    ]) {
      expect(rows.some((row) => row.includes(check))).toBe(true);
    }
    const facts = await page.locator('#facts').innerText();
    expect(facts).toContain('Exhibit W-02 (item 0, seq 1)');
    expect(facts).toContain('bdb19d4cff9a9a9b58339aeb9db3ef08c5c59a992f9415cad7f359a0e628ba81');
    expect(facts).toContain('AWS:AROAEXAMPLEROLEID:dc-4471');
    expect(facts).toContain('arn:aws:kms:eu-west-1:111122223333:key/example-custodian');
    expect(facts).toContain('These facts are verified');
    expect(await page.locator('#hash-progress').getAttribute('value')).toBe('1');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: resolve(artifacts, 'verifier-page.png'), fullPage: true });
  });

  it('fails a bundle with one byte of a record changed with RECORD_HASH_MISMATCH, in words', async () => {
    const tampered = bundleText.replace('"exhibit": "W-02"', '"exhibit": "W-03"');
    expect(tampered).not.toBe(bundleText);
    const verdict = await verify({ bundle: json('tampered-bundle.json', tampered) });
    expect(verdict).toContain(
      'FAIL — the bundle did not verify: RECORD_HASH_MISMATCH (item 0, seq 1).',
    );
    expect(verdict).toContain(FAILURE_EXPLANATIONS.RECORD_HASH_MISMATCH);
    const failedRow = (await checkRows()).find(
      (row) => row.startsWith('FAIL') && row.includes('record.hash'),
    );
    expect(failedRow).toContain(
      `RECORD_HASH_MISMATCH: ${FAILURE_EXPLANATIONS.RECORD_HASH_MISMATCH}`,
    );
    expect(await page.locator('#facts').innerText()).toContain('They are NOT verified');
  });

  it('fails a wrong evidence file with EVIDENCE_DIGEST_MISMATCH, in words', async () => {
    const wrong = Buffer.from(files.evidence.buffer);
    wrong[0] = wrong[0]! ^ 1;
    const verdict = await verify({
      bundle: files.bundle,
      evidence: { ...files.evidence, buffer: wrong },
    });
    expect(verdict).toContain('FAIL — the bundle did not verify: EVIDENCE_DIGEST_MISMATCH.');
    expect(verdict).toContain(FAILURE_EXPLANATIONS.EVIDENCE_DIGEST_MISMATCH);
    const rows = await checkRows();
    expect(rows.filter((row) => row.startsWith('FAIL'))).toHaveLength(1);
    expect(rows.find((row) => row.includes('evidence.digest'))).toMatch(/^FAIL/);
  });

  it('hashes a 64 MiB evidence file in the page as a stream, to the SHA-256 Node computes', async () => {
    const large = randomBytes(64 * 1024 * 1024);
    // By path, so Chromium reads the file from disk as it would a user's.
    const path = join(dir, 'large.bin');
    writeFileSync(path, large);
    await page.setInputFiles('#bundle-file', files.bundle);
    await page.setInputFiles('#trusted-keys-file', files.trustedKeys);
    await page.setInputFiles('#evidence-file', path);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('#verdict strong').waitFor();
    expect(await page.locator('#verdict').innerText()).toContain('EVIDENCE_DIGEST_MISMATCH');
    const facts = await page.locator('#facts').innerText();
    expect(facts).toContain(createHash('sha256').update(large).digest('hex'));
    expect(facts).toContain('67,108,864 bytes');
    expect(await page.locator('#hash-progress-text').innerText()).toBe(
      '64.0 MiB of 64.0 MiB (100%)',
    );
  });

  it('refuses a trusted-keys file that is not one, and verifies nothing', async () => {
    await page.setInputFiles('#bundle-file', files.bundle);
    await page.setInputFiles(
      '#trusted-keys-file',
      json('keys.json', '{"format":"something else"}'),
    );
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('#verdict strong').waitFor();
    expect(await page.locator('#verdict').innerText()).toContain(
      'nothing was verified: the trusted-keys file cannot be used',
    );
    expect(await page.locator('#report').isHidden()).toBe(true);
  });

  it('names every file input by a label and announces the verdict politely', async () => {
    for (const label of [
      'Evidence bundle (JSON, required)',
      'Trusted keys (JSON, required)',
      'Evidence file (optional)',
    ]) {
      await expect(page.getByLabel(label).getAttribute('type')).resolves.toBe('file');
    }
    await expect(page.locator('#verdict').getAttribute('aria-live')).resolves.toBe('polite');
  });

  it('is operable with the keyboard alone: Tab through the inputs to Verify, Enter to run', async () => {
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    expect(order).toEqual(['bundle-file', 'trusted-keys-file', 'evidence-file', 'verify-button']);
    await page.keyboard.press('Enter');
    await expect(page.locator('#verdict').innerText()).resolves.toBe(
      'Choose an evidence bundle and a trusted-keys file first.',
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('bundle-file');
  });

  it('makes no request beyond its own file', async () => {
    await verify({ bundle: files.bundle, evidence: files.evidence });
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual(
      [],
    );
  });
});
