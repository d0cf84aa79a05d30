/**
 * `evidence certificate -o CERT.html`: the certificate of the worked example states the
 * evidence's SHA-256, both parties' key ids and the verdict, loads nothing from outside, and
 * prints uploader-chosen strings as text, never as markup.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../core/bundle';
import { certificateCommand } from '../../../cli/certificate-command';
import { buildCertificateModel } from '../../../cli/certificate/certificate-model';
import { escapeHtml } from '../../../cli/certificate/html';
import { createTestTsa, type TestTsa } from '../bundle/test-tsa';
import {
  capture,
  EXAMPLE_BUNDLE,
  EXAMPLE_EVIDENCE,
  EXAMPLE_KEY_IDS,
  EXAMPLE_RECORD_HASH,
  EXAMPLE_SHA256,
  EXAMPLE_TRUSTED_KEYS,
  HOSTILE_EXHIBIT,
  HOSTILE_KEY,
  tempDir,
  writeHostileBundle,
} from './certificate-fixtures';

let dir: string;
let tsa: TestTsa;
beforeAll(async () => {
  [dir, tsa] = await Promise.all([tempDir(), createTestTsa()]);
}, 30_000);
afterAll(async () => {
  await Promise.all([rm(dir, { recursive: true, force: true }), tsa.dispose()]);
});

const FIXED_NOW = () => new Date('2026-12-01T09:30:00.000Z');

async function certify(bundle: string, trustedKeys: string, evidence: string, name: string) {
  const output = capture();
  const path = join(dir, name);
  const args = [bundle, '--trusted-keys', trustedKeys, '--evidence', evidence, '-o', path];
  const code = await certificateCommand(args, output, FIXED_NOW);
  // Whitespace between tags is layout only: dropped so assertions read the structure.
  const html = (await readFile(path, 'utf8')).replace(/>\s+</g, '><');
  return { code, output, html };
}

describe('the certificate of the worked example', () => {
  let html: string;
  beforeAll(async () => {
    const run = await certify(EXAMPLE_BUNDLE, EXAMPLE_TRUSTED_KEYS, EXAMPLE_EVIDENCE, 'x.html');
    expect(run.code).toBe(0);
    expect(run.output.stdout).toEqual([
      `OK 8 checks passed; certificate of 1 exhibit(s) written to ${join(dir, 'x.html')}`,
    ]);
    html = run.html;
  });

  it('states the SHA-256, the record hash, both key ids and the verdict', () => {
    expect(html).toContain(EXAMPLE_SHA256);
    expect(html).toContain(EXAMPLE_RECORD_HASH);
    for (const keyId of EXAMPLE_KEY_IDS) expect(html).toContain(keyId);
    expect(html).toContain('VERIFIED');
    expect(html).toContain('All 8 verification checks of the bundle passed');
    expect(html).toContain('2026-12-01T09:30:00.000Z');
  });

  it('lists every check as passed and summarises the inclusion proof', () => {
    for (const check of ['bundle.schema', 'checkpoint', 'record.hash', 'record.inclusion']) {
      expect(html).toContain(`<code>${check}</code>`);
    }
    expect(html.match(/>PASSED</g)).toHaveLength(8);
    expect(html).not.toContain('FAILED');
    expect(html).toMatch(/Leaf index<\/th><td>1<\/td>/);
    expect(html).toMatch(/Proof hashes<\/th><td>2<\/td>/);
  });

  it('tells how to re-check it: the command, FORMAT.md and the key fingerprints', () => {
    expect(html).toContain(
      'evidence verify-bundle example-bundle.json --trusted-keys example-trusted-keys.json --evidence exhibit-w-02.txt',
    );
    expect(html).toContain('docs/FORMAT.md');
    expect(html.match(/SHA-256 fingerprint/g)).not.toBeNull();
  });

  it('carries the QR code inline and loads nothing from outside', () => {
    expect(html).toMatch(/<figure class="qr"[^>]*><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).toContain('@page { size: A4;');
  });
});

describe('when the uploader chose markup for the case metadata and the object key', () => {
  it('prints it escaped, never as markup, and shows the trusted timestamp', async () => {
    const hostile = await writeHostileBundle(dir, tsa);
    const run = await certify(hostile.bundle, hostile.trustedKeys, hostile.evidence, 'h.html');
    expect(run.code).toBe(0);
    expect(run.html).toContain(escapeHtml(HOSTILE_EXHIBIT));
    expect(run.html).toContain(escapeHtml(HOSTILE_KEY));
    expect(run.html).not.toMatch(/<script|<img/i);
    expect(run.html).toContain(hostile.sha256);
    expect(run.html).toMatch(
      /Trusted timestamp \(RFC 3161\)<\/th><td>\d{4}-\d\d-\d\dT[^<]*, by the pinned authority/,
    );
    expect(run.html).toContain('--require-timestamp');
  });
});

describe('buildCertificateModel', () => {
  it('refuses a report that did not pass', async () => {
    const report = await verifyBundle({ format: 'not a bundle' }, {
      origin: 'x', parties: [], tsa: [],
    }); // prettier-ignore
    await expect(
      buildCertificateModel({
        report,
        bundleFile: new Uint8Array(),
        trusted: { origin: 'x', parties: [], tsa: [] },
        names: { bundle: 'b.json', trustedKeys: 't.json' },
        requireTimestamp: false,
        generatedAt: FIXED_NOW().toISOString(),
      }),
    ).rejects.toThrow('only made for a verified bundle');
  });
});
