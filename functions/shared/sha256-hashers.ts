/**
 * The two SHA-256 implementations the digests use. Node's (OpenSSL, SHA-NI where the CPU
 * has it) is as fast as the machine allows but cannot export its state; hash-wasm's can
 * (`save()`/`load()`, 116 bytes) at about a sixth of the speed on this project's reference
 * machine (docs/PERFORMANCE.md). A digest that fits one invocation uses the first; one that
 * must be continued in another invocation uses the second from its first byte.
 */
import { createHash } from 'node:crypto';
import { createSHA256, type IHasher } from 'hash-wasm';

export interface Sha256Stream {
  update(bytes: Uint8Array): void;
  /** Lower-case hex; the stream is finished afterwards. */
  digestHex(): string;
}

export interface ResumableSha256 extends Sha256Stream {
  /** The state after every byte given so far, base64. */
  save(): string;
}

export function nodeSha256(): Sha256Stream {
  const hash = createHash('sha256');
  return {
    update: (bytes) => hash.update(bytes),
    digestHex: () => hash.digest('hex'),
  };
}

function resumable(hasher: IHasher): ResumableSha256 {
  return {
    update: (bytes) => hasher.update(bytes),
    digestHex: () => hasher.digest('hex'),
    save: () => Buffer.from(hasher.save()).toString('base64'),
  };
}

/**
 * A SHA-256 whose state can be saved, started fresh or from a saved state. The state comes
 * from storage: hash-wasm checks its length and a fingerprint of its own build, so a state
 * saved by another version is refused here (INVALID_STATE) rather than silently misread.
 */
export async function resumableSha256(state: string | null): Promise<ResumableSha256> {
  const hasher = await createSHA256();
  hasher.init();
  if (state !== null) hasher.load(Buffer.from(state, 'base64'));
  return resumable(hasher);
}
