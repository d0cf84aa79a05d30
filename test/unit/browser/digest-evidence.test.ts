/**
 * The verifier page's evidence hash (web/verifier/digest-evidence.ts) reads a Blob as a
 * stream: the digest of a file read in many chunks must be the file's SHA-256, with its
 * progress reported chunk by chunk up to the size.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestEvidence } from '../../../web/verifier/digest-evidence';

describe('digestEvidence', () => {
  it('hashes a file read in many chunks to its SHA-256 and size, reporting progress', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    // Node's Blob streams one chunk per part (Chromium's in 64 KiB chunks): 49 parts here.
    const parts = Array.from({ length: 49 }, (_, i) =>
      bytes.subarray(i * 65_536, (i + 1) * 65_536),
    );
    const progress: number[] = [];
    const digest = await digestEvidence(new Blob(parts), (hashed, size) => {
      expect(size).toBe(bytes.length);
      progress.push(hashed);
    });
    expect(digest).toEqual({
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
    });
    expect(progress.length).toBe(50);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('hashes an empty file to the SHA-256 of nothing', async () => {
    await expect(digestEvidence(new Blob([]))).resolves.toEqual({
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      size: 0,
    });
  });
});
