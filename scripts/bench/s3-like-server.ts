/**
 * A local stand-in for S3 serving one huge deterministic object (deterministic-object.ts)
 * by ranged GET and HEAD, path-style, on 127.0.0.1: lets the benchmark measure the real
 * S3 adapter's memory on objects far larger than the emulator can hold.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deterministicSlices } from './deterministic-object';

export interface S3LikeServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

function parseRange(header: string | undefined, size: number): [number, number] | null {
  const match = /^bytes=(\d+)-(\d+)$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) return null;
  const start = Number(match[1]);
  return [start, Math.min(size, Number(match[2]) + 1)];
}

export async function startS3LikeServer(size: number): Promise<S3LikeServer> {
  const server: Server = createServer((request, response) => {
    const headers = {
      'last-modified': new Date(0).toUTCString(),
      etag: '"bench"',
      'x-amz-version-id': 'v1',
    };
    if (request.method === 'HEAD') {
      response.writeHead(200, { ...headers, 'content-length': size }).end();
      return;
    }
    const range = parseRange(request.headers.range, size);
    if (!range) {
      response.writeHead(416).end();
      return;
    }
    const [start, end] = range;
    response.writeHead(206, {
      ...headers,
      'content-length': end - start,
      'content-range': `bytes ${start}-${end - 1}/${size}`,
    });
    const slices = deterministicSlices(start, end);
    const pump = (): void => {
      for (let next = slices.next(); !next.done; next = slices.next()) {
        if (!response.write(next.value)) {
          response.once('drain', pump);
          return;
        }
      }
      response.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
