/**
 * The real CLI, run as a subprocess (node + tsx) on files in a temporary directory: exit
 * codes and the one-line verdict.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOf, copyOf, createTestLedger, trustedKeysJson, type TestLedger } from './fixtures';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'cli/evidence.ts');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(
  args: readonly string[],
  entry: readonly string[] = ['--import', 'tsx', CLI],
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...entry, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
let ledger: TestLedger;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidence-cli-'));
  ledger = await createTestLedger();
  const trusted = trustedKeysJson(ledger);
  const tampered = copyOf(bundleOf(ledger, [1, 3]));
  const record = tampered.items[1]!.record;
  tampered.items[1]!.record = {
    ...record,
    deposit: { ...record.deposit, size: record.deposit.size + 1 },
  };
  const valid = JSON.stringify(bundleOf(ledger, [1, 3]));
  await Promise.all([
    writeFile(file('trusted.json'), JSON.stringify(trusted)),
    writeFile(file('valid.json'), valid),
    writeFile(file('tampered.json'), JSON.stringify(tampered)),
    writeFile(file('truncated.json'), valid.slice(0, valid.length / 2)),
    writeFile(file('not-json.json'), 'this is not JSON'),
    writeFile(file('duplicate-key.json'), valid.replace('"seq":1,', '"seq":1,"seq":1,')),
    writeFile(file('non-integer.json'), valid.replace('"seq":1,', '"seq":1.0,')),
    writeFile(
      file('trusted-duplicate.json'),
      JSON.stringify(trusted).replace('"origin":', '"origin":"x","origin":'),
    ),
    writeFile(file('evidence-3.bin'), ledger.evidence[3]!),
    writeFile(
      file('evidence-3-changed.bin'),
      Buffer.concat([ledger.evidence[3]!, Buffer.from('!')]),
    ),
  ]);
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const verify = (bundle: string, ...more: string[]) =>
  runCli(['verify-bundle', file(bundle), '--trusted-keys', file('trusted.json'), ...more]);

describe('evidence verify-bundle', () => {
  it('exits 0 with an OK line for a valid bundle and its evidence file', async () => {
    const run = await verify('valid.json', '--evidence', file('evidence-3.bin'));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^OK \d+ checks passed\n$/);
  });

  it('exits 1 with one FAIL line naming code, item and seq for a tampered bundle', async () => {
    const run = await verify('tampered.json');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL RECORD_HASH_MISMATCH item 1 seq 3: record\.hash: [^\n]+\n$/);
  });

  it('exits 1 with EVIDENCE_DIGEST_MISMATCH when the evidence file differs', async () => {
    const run = await verify('valid.json', '--evidence', file('evidence-3-changed.bin'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL EVIDENCE_DIGEST_MISMATCH: evidence\.digest: /);
  });

  it('prints every check as JSON with --json', async () => {
    const run = await verify('tampered.json', '--json');
    const report = JSON.parse(run.stdout) as { ok: boolean; checks: { ok: boolean }[] };
    expect(run.code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.checks.length).toBeGreaterThan(5);
  });

  it.each([
    'truncated.json',
    'not-json.json',
    'missing.json',
    'duplicate-key.json',
    'non-integer.json',
  ])('exits 3 for %s', async (name) => {
    const run = await verify(name);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^FAIL BUNDLE_MALFORMED: bundle\.schema: /);
  });

  it('exits 2 for a trusted-keys file with a duplicate member name', async () => {
    const run = await runCli([
      'verify-bundle',
      file('valid.json'),
      '--trusted-keys',
      file('trusted-duplicate.json'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('twice');
  });

  it('exits 2 for a usage error', async () => {
    const run = await runCli(['verify-bundle', file('valid.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: evidence verify-bundle');
  });

  it('runs the same through the bin/evidence.js launcher', async () => {
    const run = await runCli(
      ['verify-bundle', file('valid.json'), '--trusted-keys', file('trusted.json')],
      [join(ROOT, 'bin/evidence.js')],
    );
    expect(run.code).toBe(0);
  });
});
