/**
 * Starts the local AWS emulators on free loopback ports: moto in server mode for S3,
 * DynamoDB and SQS, and LocalStack's KMS provider on the host for KMS (see
 * kms-requirements.txt for why). Both must be installed first: tools/emulators/install.sh.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EmulatorProcess } from './emulator-process';
import { freeLoopbackPort } from './free-port';

export interface EmulatorEndpoints {
  /** moto: S3, DynamoDB, SQS (and the rest of moto's services). */
  readonly moto: string;
  /** LocalStack KMS. */
  readonly kms: string;
}

export interface RunningEmulators {
  readonly endpoints: EmulatorEndpoints;
  readonly logDir: string;
  /** Each emulator's server process id, by name (moto, localstack-kms). */
  readonly pids: Readonly<Record<string, number | undefined>>;
  stop(): Promise<void>;
}

const repoRoot = resolve(import.meta.dirname, '../..');
const emulatorsDir = join(repoRoot, '.emulators');

function requireInstalled(path: string): string {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`npm run emulators:install\` first`);
  }
  return path;
}

async function answers(
  url: string,
  check: (body: string) => boolean = () => true,
): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return response.ok && check(await response.text());
}

async function startMoto(logDir: string): Promise<{ process: EmulatorProcess; endpoint: string }> {
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const process = await EmulatorProcess.start({
    name: 'moto',
    // moto's own server, with DynamoDB requests serialized: see the script for why.
    command: requireInstalled(join(emulatorsDir, 'moto/bin/python')),
    args: [
      join(repoRoot, 'tools/emulators/moto_server_serialized_dynamodb.py'),
      '127.0.0.1',
      String(port),
    ],
    logFile: join(logDir, 'moto.log'),
    isReady: () => answers(`${endpoint}/moto-api/data.json`),
    startTimeoutMs: 30_000,
  });
  return { process, endpoint };
}

async function startKms(logDir: string): Promise<{ process: EmulatorProcess; endpoint: string }> {
  const port = await freeLoopbackPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const stateDir = await mkdtemp(join(emulatorsDir, 'kms-state-'));
  const process = await EmulatorProcess.start({
    name: 'localstack-kms',
    command: requireInstalled(join(emulatorsDir, 'kms/bin/python')),
    args: ['-m', 'localstack.runtime.main'],
    env: {
      GATEWAY_LISTEN: `127.0.0.1:${port}`,
      SERVICES: 'kms',
      // Everything the runtime writes stays in this instance's own folder.
      FILESYSTEM_ROOT: stateDir,
      LOCALSTACK_VOLUME_DIR: join(stateDir, 'volume'),
      TMPDIR: stateDir,
      DNS_ADDRESS: '0',
      DISABLE_EVENTS: '1',
      SKIP_SSL_CERT_DOWNLOAD: '1',
      PERSISTENCE: '0',
    },
    logFile: join(logDir, 'localstack-kms.log'),
    isReady: () =>
      answers(`${endpoint}/_localstack/health`, (body) => body.includes('"kms": "available"')),
    startTimeoutMs: 60_000,
  });
  return { process, endpoint };
}

export async function startLocalEmulators(): Promise<RunningEmulators> {
  const logDir = await mkdtemp(join(emulatorsDir, 'logs-'));
  const [moto, kms] = await Promise.all([startMoto(logDir), startKms(logDir)]);
  return {
    endpoints: { moto: moto.endpoint, kms: kms.endpoint },
    logDir,
    pids: { [moto.process.name]: moto.process.pid, [kms.process.name]: kms.process.pid },
    stop: async () => {
      await Promise.all([moto.process.stop(), kms.process.stop()]);
    },
  };
}
