/** (e) Peak RSS of the hasher's digest on objects of growing size, each in a fresh process. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { startS3LikeServer } from './s3-like-server';

export interface RssRun {
  readonly source: string;
  readonly path: 'fast' | 'resumable';
  readonly bytes: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly sha256: string;
}

const child = resolve(import.meta.dirname, 'hasher-rss-child.ts');
const tsx = resolve(import.meta.dirname, '../../node_modules/.bin/tsx');

export interface RssTarget {
  readonly endpoint: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
}

export async function hasherRss(
  source: string,
  target: RssTarget,
  bytes: number,
  path: 'fast' | 'resumable',
): Promise<RssRun> {
  const args = [
    child,
    target.endpoint,
    target.bucket,
    target.key,
    target.versionId,
    String(bytes),
    path,
  ];
  const { stdout } = await promisify(execFile)(tsx, args, { timeout: 300_000, maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout) as { seconds: number; sha256: string; peakRssMiB: number };
  return { source, path, bytes, ...result };
}

/** The S3-like local server, for sizes the emulator cannot hold. */
export async function hasherRssOnLocalServer(
  sizes: readonly number[],
  resumableSize: number,
): Promise<RssRun[]> {
  const runs: RssRun[] = [];
  for (const [bytes, path] of [
    ...sizes.map((s) => [s, 'fast'] as const),
    [resumableSize, 'resumable'] as const,
  ]) {
    const server = await startS3LikeServer(bytes);
    try {
      const target = {
        endpoint: server.endpoint,
        bucket: 'bench',
        key: 'image.e01',
        versionId: 'v1',
      };
      runs.push(await hasherRss('local ranged server', target, bytes, path));
    } finally {
      await server.close();
    }
  }
  return runs;
}
