import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_TIMESTAMP_REPLY_BYTES,
  requestTimestamp,
  timestampCheckpoint,
} from '../../../core/anchor/timestamp-reply';
import { certificateDer } from '../../../core/bundle/trusted-keys';
import { verifyTimestampToken } from '../../../core/bundle/timestamp-token';
import { utf8Encode } from '../../../core/encoding';
import { HttpTimestampAuthority } from '../../../functions/shared/rfc3161-client';
import { startHostileTsa, type HostileMode, type HostileTsa } from '../../support/hostile-tsa';

const note = 'evidence-ledger.example/ledger\n3\nAAAA\n\n— example\n';

describe('the anchor asking a TSA for a checkpoint token', () => {
  let tsa: HostileTsa;
  let client: HttpTimestampAuthority;
  beforeAll(async () => {
    tsa = await startHostileTsa();
    client = new HttpTimestampAuthority(tsa.url, certificateDer(tsa.certificatePem), 1_000);
  });
  afterAll(() => tsa?.stop());

  it('stores a genuine reply: a token over the note that the pinned certificate verifies', async () => {
    tsa.mode = 'honest';
    const { token, rejected } = await timestampCheckpoint(client, note);
    expect(rejected).toBeNull();
    expect(token).not.toBeNull();
    expect(token!.length).toBeLessThanOrEqual(MAX_TIMESTAMP_REPLY_BYTES);
    await expect(
      verifyTimestampToken(token!, utf8Encode(note), [
        { name: 'tsa', certificateDer: certificateDer(tsa.certificatePem) },
      ]),
    ).resolves.toBeTruthy();
  });

  it('stores the token exactly as the TSA sent it (the tail of its TimeStampResp)', async () => {
    tsa.mode = 'honest';
    const replies: Uint8Array[] = [];
    const recording = {
      certificateDer: client.certificateDer,
      exchange: async (request: Uint8Array, maxBytes: number) => {
        replies.push(await client.exchange(request, maxBytes));
        return replies[0]!;
      },
    };
    const token = await requestTimestamp(recording, utf8Encode(note));
    const reply = replies[0]!;
    expect(reply.subarray(reply.length - token.length)).toEqual(token);
  });

  const refusals: [HostileMode, string][] = [
    ['oversized', 'TIMESTAMP_INVALID'],
    ['other-digest', 'TIMESTAMP_MISMATCH'],
    ['other-nonce', 'TIMESTAMP_INVALID'],
    ['other-certificate', 'TIMESTAMP_INVALID'],
    ['garbage', 'TIMESTAMP_INVALID'],
    ['rejection', 'TIMESTAMP_INVALID'],
    ['silent', 'TIMESTAMP_UNAVAILABLE'],
  ];
  describe.each(refusals)('when the TSA answers %s', (mode, code) => {
    it(`keeps no token and says ${code}`, async () => {
      tsa.mode = mode;
      expect(await timestampCheckpoint(client, note)).toEqual({
        token: null,
        rejected: { code, message: expect.any(String) as string },
      });
    });
  });

  it('names the nonce when a genuine token answers another request', async () => {
    tsa.mode = 'other-nonce';
    await expect(requestTimestamp(client, utf8Encode(note))).rejects.toMatchObject({
      code: 'TIMESTAMP_INVALID',
      message: expect.stringContaining('nonce') as string,
    });
  });

  it('tells a token from another TSA by its signature, even without an embedded certificate', async () => {
    tsa.mode = 'other-certificate';
    await expect(requestTimestamp(client, utf8Encode(note))).rejects.toMatchObject({
      code: 'TIMESTAMP_INVALID',
      message: expect.stringContaining('signature') as string,
    });
  });

  it('asks nothing when no TSA is configured', async () => {
    expect(await timestampCheckpoint(null, note)).toEqual({ token: null, rejected: null });
  });
});
