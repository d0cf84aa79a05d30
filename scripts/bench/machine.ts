/** The machine the benchmark runs on, and OpenSSL's own speed on one core as the yardstick. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly openssl: string;
  readonly shaExtensions: boolean;
}

export function machineInfo(): MachineInfo {
  const flags = execFileSync('sh', ['-c', 'grep -m1 -o -w sha_ni /proc/cpuinfo || true'], {
    encoding: 'utf8',
  });
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    openssl: execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim(),
    shaExtensions: flags.trim() === 'sha_ni',
  };
}

const openssl = (args: readonly string[]): string =>
  execFileSync('openssl', ['speed', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 60_000,
  });

/** `openssl speed -evp sha256` on one core, 16 KiB blocks: bytes per second. */
export function opensslSha256BytesPerSecond(seconds = 3): number {
  const out = openssl(['-evp', 'sha256', '-bytes', '16384', '-seconds', String(seconds)]);
  const match = /^sha256\s+([\d.]+)k\s*$/m.exec(out);
  if (!match?.[1]) throw new Error(`cannot read openssl speed output:\n${out}`);
  return Number(match[1]) * 1000;
}

/** `openssl speed ecdsap256` on one core: verifications per second. */
export function opensslEcdsaP256VerifyPerSecond(seconds = 3): number {
  const out = openssl(['-seconds', String(seconds), 'ecdsap256']);
  const match = /256 bits ecdsa \(nistp256\)\s+[\d.]+s\s+[\d.]+s\s+[\d.]+\s+([\d.]+)/.exec(out);
  if (!match?.[1]) throw new Error(`cannot read openssl speed output:\n${out}`);
  return Number(match[1]);
}
