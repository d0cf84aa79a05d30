/**
 * The verification code must run in a browser (a verifier page is planned): the bundle
 * verifier is built with esbuild for the browser platform — which fails on any Node built-in
 * it reaches — and the result verifies the published example bundle with Node's globals
 * (Buffer, process, require, global) hidden, using only WebCrypto and web-standard APIs.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInThisContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const vectors = resolve(root, 'test/vectors/format-example');

interface BrowserVerifier {
  parseTrustedKeys(input: unknown): unknown;
  verifyBundle(
    bundle: unknown,
    trusted: unknown,
  ): Promise<{ ok: boolean; firstFailure?: { code?: string } | null }>;
}

let verifier: BrowserVerifier;
let inputs: string[];

beforeAll(async () => {
  const result = await build({
    entryPoints: [resolve(root, 'core/bundle/index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'EvidenceVerifier',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  inputs = Object.keys(result.metafile.inputs);
  const code = result.outputFiles[0]?.text ?? '';
  // Shadow Node's globals: the bundle sees only what a browser page would.
  const load = runInThisContext(
    `(function (Buffer, process, require, global) {\n${code}\nreturn EvidenceVerifier;\n})`,
  ) as (...args: undefined[]) => BrowserVerifier;
  verifier = load(undefined, undefined, undefined, undefined);
}, 60_000);

describe('the bundle verifier built for browsers', () => {
  it('reaches no Node built-in and no AWS SDK module', () => {
    expect(
      inputs.filter((input) => input.startsWith('node:') || input.includes('@aws-sdk')),
    ).toEqual([]);
  });

  it('verifies the published example bundle with Node globals hidden', async () => {
    const bundle: unknown = JSON.parse(
      readFileSync(resolve(vectors, 'example-bundle.json'), 'utf8'),
    );
    const trusted = verifier.parseTrustedKeys(
      JSON.parse(readFileSync(resolve(vectors, 'example-trusted-keys.json'), 'utf8')),
    );
    expect((await verifier.verifyBundle(bundle, trusted)).ok).toBe(true);
  });

  it('refuses the example bundle with one digest changed', async () => {
    const bundle = JSON.parse(readFileSync(resolve(vectors, 'example-bundle.json'), 'utf8')) as {
      items: { record: { deposit: { sha256: string } } }[];
    };
    const first = bundle.items[0];
    if (first)
      first.record.deposit.sha256 = first.record.deposit.sha256.replace(/^./, (c) =>
        c === '0' ? '1' : '0',
      );
    const trusted = verifier.parseTrustedKeys(
      JSON.parse(readFileSync(resolve(vectors, 'example-trusted-keys.json'), 'utf8')),
    );
    const report = await verifier.verifyBundle(bundle, trusted);
    expect(report.ok).toBe(false);
    expect(report.firstFailure?.code).toBe('RECORD_HASH_MISMATCH');
  });
});
