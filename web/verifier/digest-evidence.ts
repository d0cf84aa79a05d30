/**
 * The evidence file's SHA-256 and size, computed in the page as the file is read chunk by
 * chunk (Blob.stream()), so a file of many GiB is hashed without being held in memory, and
 * nothing leaves the machine. The hash is @noble/hashes' incremental SHA-256, the
 * implementation core/hashing.ts uses; WebCrypto's digest() would need the whole file at
 * once, and hash-wasm would need the page's CSP to allow compiling WebAssembly.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { EvidenceDigest } from '../../core/bundle';
import { bytesToHex } from '../../core/encoding';

/** Called after each chunk with the bytes hashed so far and the file's size. */
export type DigestProgress = (hashed: number, size: number) => void;

export async function digestEvidence(
  file: Blob,
  onProgress: DigestProgress = () => undefined,
): Promise<EvidenceDigest> {
  const hash = sha256.create();
  const reader = file.stream().getReader();
  let size = 0;
  onProgress(0, file.size);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    size += value.length;
    onProgress(size, file.size);
  }
  return { sha256: bytesToHex(hash.digest()), size };
}
