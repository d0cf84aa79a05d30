/**
 * A TimestampAuthority speaking RFC 3161 over HTTP (application/timestamp-query). The request
 * is fixed-shape DER, written out here; the response is walked just far enough to check the
 * status and take the TimeStampToken. The token itself is verified by the core's verifiers.
 */
import { randomBytes } from 'node:crypto';
import { LedgerError } from '../../core/errors';
import type { TimestampAuthority } from '../../core/anchor/ports';

const SHA256_ALGORITHM = Uint8Array.from([0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00]);

function tlv(tag: number, content: Uint8Array): Uint8Array {
  if (content.length >= 128) throw new Error('short-form DER lengths only');
  return Uint8Array.from([tag, content.length, ...content]);
}

/** TimeStampReq { version 1, messageImprint {sha256, digest}, nonce, certReq TRUE } (RFC 3161 §2.4.1). */
export function timeStampRequest(digest: Uint8Array, nonce: Uint8Array = randomBytes(8)): Uint8Array {
  const positiveNonce = Uint8Array.from(nonce);
  positiveNonce[0] = ((positiveNonce[0] ?? 1) & 0x7f) | 0x01; // positive and minimally encoded
  return tlv(
    0x30,
    Uint8Array.from([
      ...tlv(0x02, Uint8Array.of(1)),
      ...tlv(0x30, Uint8Array.from([...SHA256_ALGORITHM, ...tlv(0x04, digest)])),
      ...tlv(0x02, positiveNonce),
      ...tlv(0x01, Uint8Array.of(0xff)),
    ]),
  );
}

/** Reads one DER TLV at `offset`: its tag, where its content starts and where it ends. */
function readTlv(bytes: Uint8Array, offset: number): { tag: number; start: number; end: number } {
  const tag = bytes[offset];
  let lengthByte = bytes[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new Error('truncated DER');
  let start = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = bytes[start + i];
      if (lengthByte === undefined) throw new Error('truncated DER');
      length = length * 256 + lengthByte;
    }
    start += count;
  }
  if (start + length > bytes.length) throw new Error('truncated DER');
  return { tag, start, end: start + length };
}

/** TimeStampResp { status PKIStatusInfo, timeStampToken } → the token, if granted (RFC 3161 §2.4.2). */
export function timeStampTokenOf(response: Uint8Array): Uint8Array {
  try {
    const outer = readTlv(response, 0);
    const statusInfo = readTlv(response, outer.start);
    const status = readTlv(response, statusInfo.start);
    const code = response[status.end - 1];
    if (status.tag !== 0x02 || (code !== 0 && code !== 1)) throw new Error(`TSA refused the request (status ${code})`);
    const token = readTlv(response, statusInfo.end);
    return response.slice(statusInfo.end, token.end);
  } catch (cause) {
    throw new LedgerError('TIMESTAMP_INVALID', `unusable TSA response: ${(cause as Error).message}`, {}, { cause });
  }
}

export class HttpTimestampAuthority implements TimestampAuthority {
  constructor(private readonly url: string) {}

  async timestamp(sha256Digest: Uint8Array): Promise<Uint8Array> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: Buffer.from(timeStampRequest(sha256Digest)),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new LedgerError('TIMESTAMP_INVALID', `TSA answered HTTP ${response.status}`, { url: this.url });
    return timeStampTokenOf(new Uint8Array(await response.arrayBuffer()));
  }
}
