/**
 * A large object that is never stored: byte i is BLOCK[i mod BLOCK_BYTES], BLOCK filled by a
 * seeded xorshift generator. A 16 GiB "object" costs 8 MiB of memory.
 */
import { DEFAULT_DIGEST_TUNING } from '../../functions/shared/budgeted-digest';
import { PartBufferPool, type RangeSource } from '../../functions/shared/ranged-reads';

/** One part of the hasher's production tuning, so aligned parts are single views of BLOCK. */
export const BLOCK_BYTES = DEFAULT_DIGEST_TUNING.partBytes;

function seededBlock(): Uint8Array {
  const words = new Uint32Array(BLOCK_BYTES / 4);
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer);
}

export const BLOCK = seededBlock();

/** Bytes [start, end) of the deterministic object, as views of BLOCK. */
export function* deterministicSlices(start: number, end: number): Generator<Uint8Array> {
  for (let at = start; at < end;) {
    const inBlock = at % BLOCK_BYTES;
    const take = Math.min(end - at, BLOCK_BYTES - inBlock);
    yield BLOCK.subarray(inBlock, inBlock + take);
    at += take;
  }
}

function copyInto(part: Uint8Array, start: number, end: number): Uint8Array {
  let at = 0;
  for (const slice of deterministicSlices(start, end)) {
    part.set(slice, at);
    at += slice.byteLength;
  }
  return part;
}

/** A local stream: aligned parts are handed out as views, as a file stream hands out its own buffers. */
export const deterministicViews: RangeSource = {
  read: (start, end) => {
    const [only, ...more] = [...deterministicSlices(start, end)];
    return Promise.resolve(
      only && more.length === 0 ? only : copyInto(new Uint8Array(end - start), start, end),
    );
  },
};

const pool = new PartBufferPool(DEFAULT_DIGEST_TUNING.partBytes);

/** The same bytes copied once into pooled buffers, as the S3 adapter copies a response body. */
export const deterministicCopies: RangeSource = {
  release: (part) => pool.release(part),
  read: (start, end) => {
    const part =
      end - start <= pool.partBytes
        ? pool.acquire().subarray(0, end - start)
        : new Uint8Array(end - start);
    return Promise.resolve(copyInto(part, start, end));
  },
};
