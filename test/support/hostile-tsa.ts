/**
 * A hostile RFC 3161 TSA on loopback, for the tests of what the anchor stores: it answers each
 * request in the mode it is set to, built from real `openssl ts` replies (tools/tsa/local-tsa.ts)
 * so that every reply but the one defect is genuine.
 *
 *   honest             forwards to the genuine TSA
 *   oversized          the genuine reply followed by padding, 60 KiB in all (the incident's size)
 *   other-digest       a genuine reply for another message imprint, same nonce
 *   other-nonce        a genuine reply for the same imprint, another nonce
 *   other-certificate  a genuine reply from another TSA (a certificate nobody pinned), asked
 *                      not to embed its certificate, so that only the signature gives it away
 *   garbage            1 KiB of random bytes
 *   rejection          a well-formed TimeStampResp with PKIStatus rejection
 *   silent             never answers
 */
import { fromBER, Integer, OctetString } from 'asn1js';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { PKIStatus, PKIStatusInfo, TimeStampReq, TimeStampResp } from 'pkijs';
import { sha256 } from '../../core/hashing';
import { utf8Encode } from '../../core/encoding';
import { startLocalTsa, type LocalTsa } from '../../tools/tsa/local-tsa';

export const HOSTILE_MODES = [
  'honest',
  'oversized',
  'other-digest',
  'other-nonce',
  'other-certificate',
  'garbage',
  'rejection',
  'silent',
] as const;
export type HostileMode = (typeof HOSTILE_MODES)[number];

export interface HostileTsa {
  readonly url: string;
  /** The genuine TSA's certificate: the one the anchor pins. */
  readonly certificatePem: string;
  mode: HostileMode;
  /** Requests received so far. */
  readonly requests: number;
  stop(): Promise<void>;
}

async function post(url: string, body: Uint8Array): Promise<Uint8Array> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query' },
    body: Buffer.from(body),
  });
  return new Uint8Array(await response.arrayBuffer());
}

/** The request with its imprint or nonce replaced, re-encoded. */
function rewritten(query: Uint8Array, change: 'imprint' | 'nonce' | 'no-certificate'): Uint8Array {
  const request = new TimeStampReq({ schema: fromBER(new Uint8Array(query)).result });
  if (change === 'imprint')
    request.messageImprint.hashedMessage = new OctetString({
      valueHex: sha256(utf8Encode('another checkpoint')),
    });
  else if (change === 'nonce')
    request.nonce = new Integer({ valueHex: Uint8Array.of(0x12, 0x34, 0x56, 0x78) });
  else request.certReq = false;
  return new Uint8Array(request.toSchema().toBER());
}

function rejection(): Uint8Array {
  const response = new TimeStampResp({
    status: new PKIStatusInfo({ status: PKIStatus.rejection }),
  });
  return new Uint8Array(response.toSchema().toBER());
}

async function answer(
  mode: HostileMode,
  query: Uint8Array,
  genuine: LocalTsa,
  impostor: LocalTsa,
): Promise<Uint8Array | null> {
  switch (mode) {
    case 'honest':
      return post(genuine.url, query);
    case 'oversized': {
      const reply = await post(genuine.url, query);
      const padded = new Uint8Array(60 * 1024);
      padded.set(reply);
      return padded;
    }
    case 'other-digest':
      return post(genuine.url, rewritten(query, 'imprint'));
    case 'other-nonce':
      return post(genuine.url, rewritten(query, 'nonce'));
    case 'other-certificate':
      return post(impostor.url, rewritten(query, 'no-certificate'));
    case 'garbage':
      return new Uint8Array(randomBytes(1024));
    case 'rejection':
      return rejection();
    case 'silent':
      return null;
  }
}

function reply(response: ServerResponse, body: Uint8Array): void {
  response.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(Buffer.from(body));
}

export async function startHostileTsa(initial: HostileMode = 'honest'): Promise<HostileTsa> {
  const [genuine, impostor] = await Promise.all([startLocalTsa(), startLocalTsa()]);
  const state = { mode: initial, requests: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.requests++;
      answer(state.mode, new Uint8Array(Buffer.concat(chunks)), genuine, impostor).then(
        (body) => body && reply(response, body),
        () => response.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('hostile TSA has no address');
  return {
    url: `http://127.0.0.1:${address.port}/tsa`,
    certificatePem: genuine.certificatePem,
    get mode() {
      return state.mode;
    },
    set mode(mode: HostileMode) {
      state.mode = mode;
    },
    get requests() {
      return state.requests;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([genuine.stop(), impostor.stop()]);
    },
  };
}
