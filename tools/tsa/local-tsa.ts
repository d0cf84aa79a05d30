/**
 * A real RFC 3161 time-stamping authority on loopback, for tests and the demo: OpenSSL's
 * `openssl ts -reply` behind a minimal HTTP endpoint (application/timestamp-query). It makes
 * its own throwaway P-256 signing certificate with the critical timeStamping EKU RFC 3161
 * requires.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LocalTsa {
  readonly url: string;
  /** PEM of the TSA's certificate: the trust anchor for its tokens. */
  readonly certificatePem: string;
  readonly certificatePath: string;
  stop(): Promise<void>;
}

function tsaConfig(dir: string): string {
  return `[ tsa ]
default_tsa = local_tsa
[ local_tsa ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.1.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}

async function makeAuthority(dir: string): Promise<void> {
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(dir, 'tsa.key'),
    '-out',
    join(dir, 'tsa.crt'),
    '-days',
    '30',
    '-subj',
    '/CN=evidence-ledger local test TSA',
    '-addext',
    'extendedKeyUsage=critical,timeStamping',
    '-addext',
    'keyUsage=critical,digitalSignature',
  ]);
  await writeFile(join(dir, 'serial'), '01\n');
  await writeFile(join(dir, 'tsa.cnf'), tsaConfig(dir));
}

async function reply(dir: string, query: Buffer, n: number): Promise<Buffer> {
  const queryFile = join(dir, `q${n}.tsq`);
  const replyFile = join(dir, `r${n}.tsr`);
  await writeFile(queryFile, query);
  await run('openssl', [
    'ts',
    '-reply',
    '-config',
    join(dir, 'tsa.cnf'),
    '-queryfile',
    queryFile,
    '-out',
    replyFile,
  ]);
  return readFile(replyFile);
}

export async function startLocalTsa(): Promise<LocalTsa> {
  const dir = await mkdtemp(join(tmpdir(), 'evidence-tsa-'));
  await makeAuthority(dir);
  let queue: Promise<unknown> = Promise.resolve(); // openssl's serial file wants one reply at a time
  let count = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const n = ++count;
      const next = queue.then(() => reply(dir, Buffer.concat(chunks), n));
      queue = next.catch(() => undefined);
      next.then(
        (body) =>
          response.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(body),
        () => response.writeHead(400).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('local TSA has no address');
  return {
    url: `http://127.0.0.1:${address.port}/tsa`,
    certificatePem: await readFile(join(dir, 'tsa.crt'), 'utf8'),
    certificatePath: join(dir, 'tsa.crt'),
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
