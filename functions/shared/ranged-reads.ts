/**
 * Reads a byte range of an object as consecutive parts, several parts in flight at once
 * (S3 serves each ranged GET at a fraction of what one core hashes), handed out strictly
 * in order so that one sequential SHA-256 can consume them. At most `concurrency` parts
 * are buffered, so memory is bounded by concurrency x partBytes whatever the object size.
 */

/** Where the parts come from: S3 ranged GETs in production, memory or a generator in tests. */
export interface RangeSource {
  /** Bytes [start, end) of the object, exactly end - start of them. */
  read(start: number, end: number): Promise<Uint8Array>;
  /** Called once the consumer is done with a part, so that its buffer can be reused. */
  release?(part: Uint8Array): void;
}

export interface RangedReadOptions {
  readonly partBytes: number;
  readonly concurrency: number;
}

/** Parts of [from, to) in order; stopping early (break) abandons the reads still in flight. */
export async function* readParts(
  source: RangeSource,
  from: number,
  to: number,
  options: RangedReadOptions,
): AsyncGenerator<Uint8Array> {
  const inFlight: Promise<Uint8Array>[] = [];
  let next = from;
  const fill = () => {
    while (inFlight.length < options.concurrency && next < to) {
      const end = Math.min(to, next + options.partBytes);
      inFlight.push(source.read(next, end));
      next = end;
    }
  };
  try {
    fill();
    for (let part = inFlight.shift(); part; part = inFlight.shift()) {
      const bytes = await part;
      fill();
      yield bytes;
      source.release?.(bytes);
    }
  } finally {
    // Reads abandoned by an early stop must not surface as unhandled rejections.
    for (const pending of inFlight) pending.catch(() => undefined);
  }
}

/**
 * Part-sized buffers reused from one ranged GET to the next: without it every part is a fresh
 * allocation and the garbage collector lets the process grow long before it reclaims them.
 */
export class PartBufferPool {
  private readonly free: ArrayBuffer[] = [];

  constructor(readonly partBytes: number) {}

  acquire(): Uint8Array {
    return new Uint8Array(this.free.pop() ?? new ArrayBuffer(this.partBytes));
  }

  release(part: Uint8Array): void {
    if (part.buffer instanceof ArrayBuffer && part.buffer.byteLength === this.partBytes)
      this.free.push(part.buffer);
  }
}
