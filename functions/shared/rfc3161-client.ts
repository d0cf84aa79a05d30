/**
 * A TimestampAuthority over HTTP (RFC 3161 §3.4, application/timestamp-query): transport only.
 * The request is built and the reply checked by the core (core/anchor/timestamp-reply.ts);
 * here the reply is read with a deadline and a size cap, so a slow or flooding TSA costs the
 * anchor at most REPLY_TIMEOUT_MS and maxBytes + 1 bytes of memory.
 */
import type { TimestampAuthority } from '../../core/anchor/ports';
import { concatBytes } from '../../core/encoding';
import { LedgerError } from '../../core/errors';

/** The anchor runs every few minutes; a TSA slower than this is skipped for this checkpoint. */
export const REPLY_TIMEOUT_MS = 10_000;

function unavailable(url: string, message: string, cause?: unknown): LedgerError {
  return new LedgerError('TIMESTAMP_UNAVAILABLE', `TSA ${message}`, { url }, { cause });
}

/** The body's first `limit` bytes; the rest is not read. */
async function readAtMost(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return concatBytes(...chunks).slice(0, limit);
}

export class HttpTimestampAuthority implements TimestampAuthority {
  constructor(
    private readonly url: string,
    readonly certificateDer: Uint8Array,
    private readonly timeoutMs = REPLY_TIMEOUT_MS,
  ) {}

  async exchange(request: Uint8Array, maxBytes: number): Promise<Uint8Array> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: Buffer.from(request),
        signal,
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw unavailable(this.url, `answered HTTP ${response.status}`);
      }
      return await readAtMost(response.body, maxBytes + 1);
    } catch (cause) {
      if (cause instanceof LedgerError) throw cause;
      throw unavailable(
        this.url,
        signal.aborted
          ? `did not answer within ${this.timeoutMs} ms`
          : `is unreachable: ${(cause as Error).message}`,
        cause,
      );
    }
  }
}
