/**
 * docs/FORMAT.md's worked example is what the code computes today, the files beside the
 * test keys are the same example, and its tree recomputes with nothing but SHA-256.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { p256 } from '@noble/curves/nist.js';
import { parseTrustedKeys, verifyBundle } from '../../../core/bundle';
import { derToP1363 } from '../../../core/ecdsa-p256';
import {
  EXAMPLE_MARKERS,
  exampleFiles,
  exampleMarkdown,
  formatExample,
  FORMAT_MD,
  withExampleSection,
} from '../../../scripts/format-example';

const REGENERATE = 'run `npx tsx scripts/format-example.ts --write` and review the diff';
const DIR = new URL('../../vectors/format-example/', import.meta.url);
const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

let example: Awaited<ReturnType<typeof formatExample>>;
beforeAll(async () => {
  example = await formatExample();
});

describe('the worked example of docs/FORMAT.md', () => {
  it('is the one the code produces', async () => {
    const doc = readFileSync(FORMAT_MD, 'utf8');
    expect(doc).toContain(EXAMPLE_MARKERS[0]);
    expect(await withExampleSection(doc, exampleMarkdown(example)), REGENERATE).toBe(doc);
  });

  it('has its bundle, trusted keys and evidence file in test/vectors/format-example', () => {
    for (const [name, contents] of Object.entries(exampleFiles(example))) {
      const onDisk = new Uint8Array(readFileSync(new URL(name, DIR)));
      expect(Buffer.from(onDisk).equals(Buffer.from(contents)), `${name}: ${REGENERATE}`).toBe(
        true,
      );
    }
  });

  it('verifies, evidence file included', async () => {
    const report = await verifyBundle(example.bundle, parseTrustedKeys(example.trustedKeys), {
      evidence: {
        sha256: sha256(Buffer.from(example.exhibit)).toString('hex'),
        size: example.exhibit.length,
      },
    });
    expect(report.firstFailure).toBeNull();
  });

  it('has a root a reader recomputes from the record hashes with plain SHA-256', () => {
    const [l0, l1, l2] = example.records.map((r) =>
      sha256(Buffer.of(0), Buffer.from(r.recordHash, 'hex')),
    );
    const root = sha256(Buffer.of(1), sha256(Buffer.of(1), l0!, l1!), l2!);
    expect(example.note.split('\n')[2]).toBe(root.toString('base64'));
    expect(example.bundle.items[0]!.inclusionProof.hashes).toEqual([
      l0!.toString('hex'),
      l2!.toString('hex'),
    ]);
  });

  it('has RFC 6979 signatures that are low-s normalised (s ≤ n/2), record and checkpoint alike', () => {
    const recordSignatures = example.records.flatMap((r) => r.signatures.map((s) => s.signature));
    const noteSignatures = example.note
      .split('\n')
      .filter((line) => line.startsWith('\u2014 '))
      .map((line) => Buffer.from(line.split(' ')[2]!, 'base64').subarray(4).toString('base64'));
    const all = [...recordSignatures, ...noteSignatures];
    expect(all).toHaveLength(8);
    const halfOrder = p256.Point.CURVE().n / 2n;
    for (const signature of all) {
      const raw = derToP1363(Buffer.from(signature, 'base64'));
      const s = BigInt(`0x${Buffer.from(raw.subarray(32)).toString('hex')}`);
      expect(s <= halfOrder, signature).toBe(true);
    }
  });

  it('reproduces: formatting it again gives the same signatures (deterministic RFC 6979)', async () => {
    const again = await formatExample();
    expect(again.note).toBe(example.note);
    expect(again.records.map((r) => r.signatures)).toEqual(
      example.records.map((r) => r.signatures),
    );
  });
});
