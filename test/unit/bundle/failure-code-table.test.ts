/**
 * docs/FORMAT.md §8 "Failure codes of malformed checkpoints and proofs": one case per row,
 * each note co-signed by the trusted parties themselves so that only the malformation is
 * wrong. (Edited proofs and untrusted signatures are in tamper-checkpoint.test.ts.)
 */
import { beforeAll, describe, it } from 'vitest';
import { verifyBundle } from '../../../core/bundle';
import type { LedgerErrorCode } from '../../../core/errors';
import { signNote } from '../../../core/checkpoint/signed-note';
import { toBase64 } from '../../../core/checkpoint/base64';
import { treeRoot } from '../../../core/merkle/tree';
import type { EvidenceBundleJson, TestLedger } from './fixtures';
import { bundleOf, copyOf, createTestLedger, noteSignerOf, ORIGIN } from './fixtures';
import { expectFirstFailure } from './expectations';

let ledger: TestLedger;
let root: string;
beforeAll(async () => {
  ledger = await createTestLedger();
  root = toBase64(treeRoot(ledger.leafHashes));
});

/** `text` signed by both trusted parties, in a bundle of record 1. */
async function cosigned(text: string): Promise<EvidenceBundleJson> {
  const note = await signNote(
    text,
    ledger.signers.map((s) => noteSignerOf(s)),
  );
  const bundle = copyOf(bundleOf(ledger, [1]));
  bundle.checkpoint.note = note;
  return bundle;
}

const atCheckpoint = (code: LedgerErrorCode) => ({ check: 'checkpoint', code }) as const;

describe('a co-signed checkpoint whose text is malformed', () => {
  it.each([
    ['an extension line', () => `${ORIGIN}\n5\n${root}\nextension\n`],
    ['a size with a leading zero', () => `${ORIGIN}\n05\n${root}\n`],
    ['a size beyond 2^53 - 1', () => `${ORIGIN}\n9007199254740992\n${root}\n`],
    ['a root of 31 bytes', () => `${ORIGIN}\n5\n${toBase64(new Uint8Array(31))}\n`],
    ['a missing root line', () => `${ORIGIN}\n5\n`],
  ])('fails checkpoint with CHECKPOINT_MALFORMED for %s', async (_, text) => {
    expectFirstFailure(
      await verifyBundle(await cosigned(text()), ledger.trusted),
      atCheckpoint('CHECKPOINT_MALFORMED'),
    );
  });
});

describe('a note whose structure is malformed', () => {
  const note = () => ledger.note;
  it.each([
    ['a control character', () => note().replace(`${ORIGIN}\n`, `${ORIGIN}\t\n`)],
    ['no blank line before the signatures', () => note().replace('\n\n', '\n')],
    ['a signature line without the em dash', () => note().replace('\u2014 ', '- ')],
    [
      'a signature in non-canonical base64 (one character short)',
      () => note().replace(/\S\n$/, '\n'),
    ],
    ['a signature of 4 bytes', () => note().replace(/(\u2014 \S+ )\S+/, '$1AAAAAA==')],
  ])('fails checkpoint with CHECKPOINT_MALFORMED for %s', async (_, edited) => {
    const bundle = copyOf(bundleOf(ledger, [1]));
    bundle.checkpoint.note = edited();
    expectFirstFailure(
      await verifyBundle(bundle, ledger.trusted),
      atCheckpoint('CHECKPOINT_MALFORMED'),
    );
  });

  it('fails checkpoint with CHECKPOINT_SIGNATURE_INVALID for a party signature that is not strict DER', async () => {
    const bundle = copyOf(bundleOf(ledger, [1]));
    // Keep the key ID (4 bytes), replace the DER signature with bytes that are not DER.
    bundle.checkpoint.note = ledger.note.replace(
      /(\u2014 \S+ )(\S+)/,
      (_, prefix: string, sig: string) =>
        `${prefix}${toBase64(Uint8Array.from([...Buffer.from(sig, 'base64').subarray(0, 4), 1, 2, 3, 4]))}`,
    );
    expectFirstFailure(
      await verifyBundle(bundle, ledger.trusted),
      atCheckpoint('CHECKPOINT_SIGNATURE_INVALID'),
    );
  });
});

describe('a proof outside the schema', () => {
  it.each([
    [
      'a hash of 63 hex digits',
      (b: EvidenceBundleJson) => void (b.items[0]!.inclusionProof.hashes[0] = 'a'.repeat(63)),
    ],
    [
      '65 hashes',
      (b: EvidenceBundleJson) =>
        void (b.items[0]!.inclusionProof.hashes = Array<string>(65).fill('a'.repeat(64))),
    ],
    [
      'a fractional leaf index',
      (b: EvidenceBundleJson) => void (b.items[0]!.inclusionProof.leafIndex = 1.5),
    ],
  ])('fails bundle.schema with BUNDLE_MALFORMED for %s', async (_, edit) => {
    const bundle = copyOf(bundleOf(ledger, [1]));
    edit(bundle);
    expectFirstFailure(await verifyBundle(bundle, ledger.trusted), {
      check: 'bundle.schema',
      code: 'BUNDLE_MALFORMED',
    });
  });
});
