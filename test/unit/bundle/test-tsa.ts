/**
 * A throwaway RFC 3161 authority for the timestamp tests: the project's local TSA (real
 * `openssl ts` behind HTTP, with its own fresh P-256 certificate, tools/tsa/local-tsa.ts)
 * asked through the anchor's own client, so the tokens are exactly those an anchor stores.
 */
import { requestTimestamp } from '../../../core/anchor/timestamp-reply';
import { certificateDer } from '../../../core/bundle/trusted-keys';
import { HttpTimestampAuthority } from '../../../functions/shared/rfc3161-client';
import { startLocalTsa } from '../../../tools/tsa/local-tsa';

export interface TestTsa {
  readonly certificatePem: string;
  /** A DER TimeStampToken whose message imprint is SHA-256(data). */
  stamp(data: Uint8Array): Promise<Uint8Array>;
  dispose(): Promise<void>;
}

export async function createTestTsa(): Promise<TestTsa> {
  const tsa = await startLocalTsa();
  const client = new HttpTimestampAuthority(tsa.url, certificateDer(tsa.certificatePem));
  return {
    certificatePem: tsa.certificatePem,
    stamp: (data) => requestTimestamp(client, data),
    dispose: () => tsa.stop(),
  };
}
