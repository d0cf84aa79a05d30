/**
 * A throwaway RFC 3161 authority made with the real `openssl ts`, for the timestamp tests:
 * a fresh P-256 key and self-signed certificate with the critical timeStamping EKU RFC 3161
 * §2.3 requires, in a temporary directory removed by `dispose`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OpensslTsa {
  readonly certificatePem: string;
  /** A DER TimeStampToken whose message imprint is SHA-256(data). */
  stamp(data: Uint8Array): Promise<Uint8Array>;
  dispose(): Promise<void>;
}

const config = (dir: string) => `[ tsa ]
default_tsa = test_tsa
[ test_tsa ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.1.1
other_policies = 1.3.6.1.4.1.55555.1.2
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

export async function createOpensslTsa(name = 'test TSA'): Promise<OpensslTsa> {
  const dir = await mkdtemp(join(tmpdir(), 'bundle-tsa-'));
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', join(dir, 'tsa.key'), '-out', join(dir, 'tsa.crt'), '-days', '30',
    '-subj', `/CN=${name}`,
    '-addext', 'extendedKeyUsage=critical,timeStamping',
    '-addext', 'keyUsage=critical,digitalSignature',
  ]); // prettier-ignore
  await writeFile(join(dir, 'serial'), '01\n');
  await writeFile(join(dir, 'tsa.cnf'), config(dir));
  let n = 0;
  return {
    certificatePem: await readFile(join(dir, 'tsa.crt'), 'utf8'),
    async stamp(data) {
      const [input, query, token] = ['data', 'tsq', 'der'].map((ext) => join(dir, `${n}.${ext}`));
      n += 1;
      await writeFile(input!, data);
      await run('openssl', ['ts', '-query', '-data', input!, '-sha256', '-cert', '-out', query!]);
      const cnf = join(dir, 'tsa.cnf');
      await run('openssl', [
        'ts',
        '-reply',
        '-config',
        cnf,
        '-queryfile',
        query!,
        '-token_out',
        '-out',
        token!,
      ]);
      return new Uint8Array(await readFile(token!));
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
