/**
 * What `evidence deposit` talks to, as small ports so the command runs the same against AWS,
 * the emulators (the demo, the integration test) and in unit tests: the S3 upload, the
 * auditor that hands out the receipt, time, and where events go.
 */
import type { CaseMetadata } from './case-metadata';

/** One file to deposit: where it goes and under which metadata (already validated). */
export interface DepositItem {
  readonly path: string;
  readonly bucket: string;
  readonly key: string;
  readonly metadata: CaseMetadata;
}

export interface UploadRequest extends DepositItem {
  readonly size: number;
  /** The file's SHA-256 (hex), computed beforehand: sent as the S3 checksum of a one-part upload. */
  readonly sha256: string;
  readonly partSize: number;
  readonly concurrency: number;
}

export interface UploadResult {
  readonly versionId: string;
  readonly multipart: boolean;
  /** SHA-256 (hex) of the bytes that were read and sent: differs if the file changed meanwhile. */
  readonly sentSha256: string;
}

export interface EvidenceUploader {
  /** Uploads one file as a new version; `onProgress` gets the bytes S3 has acknowledged. */
  upload(request: UploadRequest, onProgress: (loaded: number) => void): Promise<UploadResult>;
}

/** The read-only auditor function: only its `exportBundle` action is used here. */
export interface AuditorClient {
  /** The auditor's raw answer to `{action: 'exportBundle', depositIds: [depositId]}`. */
  exportBundle(depositId: string): Promise<unknown>;
}

export interface DepositClock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemDepositClock: DepositClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** How one file ended. */
export type DepositOutcome = 'receipt' | 'uploaded' | 'failed' | 'mismatch' | 'timeout';

/** One line of the closing summary table. */
export interface DepositRow {
  readonly file: string;
  readonly key: string;
  readonly outcome: DepositOutcome;
  readonly versionId: string | null;
  readonly depositId: string | null;
  readonly seq: number | null;
  readonly recordHash: string | null;
  readonly localSha256: string | null;
  readonly ledgerSha256: string | null;
  /** Where the receipt bundle was written. */
  readonly receipt: string | null;
  /** Why it failed, timed out or mismatched. */
  readonly message: string | null;
}

export type DepositEvent =
  | {
      readonly type: 'progress';
      readonly phase: 'hash' | 'upload';
      readonly file: string;
      readonly loaded: number;
      readonly total: number;
      readonly elapsedMs: number;
    }
  | {
      readonly type: 'uploaded';
      readonly file: string;
      readonly bucket: string;
      readonly key: string;
      readonly versionId: string;
      readonly depositId: string;
      readonly sha256: string;
      readonly size: number;
      readonly multipart: boolean;
    }
  | {
      readonly type: 'retry';
      readonly file: string;
      readonly attempt: number;
      readonly attempts: number;
      readonly message: string;
    }
  | {
      readonly type: 'waiting';
      readonly file: string;
      readonly stage: 'ledger' | 'anchor';
      readonly detail: string;
    }
  | { readonly type: 'result'; readonly row: DepositRow }
  | { readonly type: 'summary'; readonly rows: readonly DepositRow[] };

export interface DepositReporter {
  event(event: DepositEvent): void;
}
