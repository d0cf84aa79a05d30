/**
 * (b) End-to-end ingest through the emulators: upload, then the four stages in-process
 * (hasher, agency, custodian re-hash, appender) until every record is appended. The clock
 * runs from the end of the uploads to the last record, so upload speed is not counted.
 */
import { Upload } from '@aws-sdk/lib-storage';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';

export interface IngestRun {
  readonly objectBytes: number;
  readonly objects: number;
  readonly uploadSeconds: number;
  readonly pipelineSeconds: number;
  readonly objectsPerSecond: number;
  readonly MBps: number;
}

/** Distinct bytes per object (first 8 bytes differ), the rest one shared random-looking pattern. */
function objectBody(bytes: number, index: number, pattern: Uint8Array): Uint8Array {
  const body = new Uint8Array(bytes);
  for (let at = 0; at < bytes; at += pattern.byteLength)
    body.set(pattern.subarray(0, Math.min(pattern.byteLength, bytes - at)), at);
  new DataView(body.buffer).setFloat64(0, index + Math.random());
  return body;
}

async function upload(deployment: LocalDeployment, key: string, body: Uint8Array): Promise<void> {
  const upload = new Upload({
    client: deployment.clients.s3,
    params: { Bucket: deployment.resources.evidenceBucket, Key: key, Body: body },
    partSize: 64 * 1024 * 1024,
    queueSize: 2,
  });
  await upload.done();
}

export async function measureIngest(
  deployment: LocalDeployment,
  objectBytes: number,
  objects: number,
  pattern: Uint8Array,
  timeoutMs: number,
): Promise<IngestRun> {
  const before = (await deployment.ledger.head()).nextSeq;
  const uploadStarted = performance.now();
  for (let i = 0; i < objects; i++)
    await upload(
      deployment,
      `bench/${objectBytes}/item-${i}.bin`,
      objectBody(objectBytes, i, pattern),
    );
  const started = performance.now();
  await deployment.pipeline.runUntil(
    async () => (await deployment.ledger.head()).nextSeq >= before + objects,
    timeoutMs,
  );
  const pipelineSeconds = (performance.now() - started) / 1000;
  return {
    objectBytes,
    objects,
    uploadSeconds: (started - uploadStarted) / 1000,
    pipelineSeconds,
    objectsPerSecond: objects / pipelineSeconds,
    MBps: (objects * objectBytes) / pipelineSeconds / 1e6,
  };
}
