/**
 * Files for the certificate tests in a temporary directory: the committed worked example of
 * docs/FORMAT.md (bundle, trusted keys, evidence), damaged copies of it, and a genuine
 * bundle whose deposit carries hostile case metadata, signed and time-stamped for real.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRecords } from '../../../core/chain';
import { base64Encode, utf8Encode } from '../../../core/encoding';
import type { TrustedKeys } from '../../../core/bundle';
import { GENESIS_HEAD } from '../../../core/types';
import type { Output } from '../../../cli/verify-bundle-command';
import { anchorRecords, approve, bundleOf, depositOf, partySigners } from '../bundle/fixtures';
import type { TestTsa } from '../bundle/test-tsa';

const EXAMPLE = fileURLToPath(new URL('../../vectors/format-example/', import.meta.url));
export const EXAMPLE_BUNDLE = join(EXAMPLE, 'example-bundle.json');
export const EXAMPLE_TRUSTED_KEYS = join(EXAMPLE, 'example-trusted-keys.json');
export const EXAMPLE_EVIDENCE = join(EXAMPLE, 'exhibit-w-02.txt');
/** Facts of the example's record 1 (docs/FORMAT.md §13). */
export const EXAMPLE_SHA256 = 'bdb19d4cff9a9a9b58339aeb9db3ef08c5c59a992f9415cad7f359a0e628ba81';
export const EXAMPLE_RECORD_HASH =
  'a59f08932d993163b2d1da635b6dc0260f385473637242e25f47efbfae427f4b';
export const EXAMPLE_KEY_IDS = [
  'arn:aws:kms:eu-west-1:111122223333:key/example-agency',
  'arn:aws:kms:eu-west-1:111122223333:key/example-custodian',
];

export const HOSTILE_EXHIBIT = '<script>alert("exhibit")</script>';
export const HOSTILE_KEY = 'cases/"><img src=x onerror=alert(1)>.txt';

export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'evidence-certificate-'));
}

/** An Output that keeps the lines, for calling a command in process. */
export function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/** The example bundle with one hex digit of its record's SHA-256 changed. */
export async function writeTamperedExample(dir: string): Promise<string> {
  const text = await readFile(EXAMPLE_BUNDLE, 'utf8');
  const tampered = text.replace(`"${EXAMPLE_SHA256}"`, `"c${EXAMPLE_SHA256.slice(1)}"`);
  if (tampered === text) throw new Error('the example bundle no longer holds its SHA-256');
  const path = join(dir, 'tampered-bundle.json');
  await writeFile(path, tampered);
  return path;
}

/** A trusted-keys file (docs/FORMAT.md §11) for parsed trusted keys. */
export function trustedKeysJson(trusted: TrustedKeys) {
  return {
    format: 'evidence-ledger/trusted-keys/v1',
    origin: trusted.origin,
    parties: trusted.parties.map((p) => ({
      role: p.role,
      keyId: p.keyId,
      noteKeyName: p.noteKeyName,
      publicKey: base64Encode(p.publicKeySpki),
    })),
  };
}

/**
 * A bundle both parties genuinely signed whose deposit's uploader-chosen strings are
 * markup, with a timestamp token from `tsa`; and the trusted-keys file that pins it.
 */
export async function writeHostileBundle(dir: string, tsa: TestTsa) {
  const signers = await partySigners();
  const bytes = utf8Encode('hostile exhibit\n');
  const deposit = depositOf(bytes, HOSTILE_KEY);
  const hostile = {
    ...deposit,
    caseMetadata: { 'case-id': '2024-0042', exhibit: HOSTILE_EXHIBIT },
  };
  const { records } = buildRecords(
    GENESIS_HEAD,
    [await approve(hostile, signers)],
    new Date('2024-05-01T12:00:00.000Z'),
  );
  const ledger = await anchorRecords(records, signers, [bytes]);
  const token = base64Encode(await tsa.stamp(utf8Encode(ledger.note)));
  const trusted = {
    ...trustedKeysJson(ledger.trusted),
    tsa: [{ name: 'test TSA', certificate: tsa.certificatePem }],
  };
  const paths = {
    bundle: join(dir, 'hostile-bundle.json'),
    trustedKeys: join(dir, 'hostile-trusted-keys.json'),
    evidence: join(dir, 'hostile-evidence.txt'),
  };
  await Promise.all([
    writeFile(paths.bundle, JSON.stringify(bundleOf(ledger, [0], token))),
    writeFile(paths.trustedKeys, JSON.stringify(trusted)),
    writeFile(paths.evidence, bytes),
  ]);
  return { ...paths, sha256: deposit.sha256 };
}
