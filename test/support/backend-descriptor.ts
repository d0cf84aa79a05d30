import type { AwsClientOptions } from '../../functions/shared/aws-clients';

/** Which AWS the integration tests run against; chosen with EVIDENCE_LEDGER_BACKEND. */
export type BackendName = 'emulators' | 'localstack' | 'aws';

export interface BackendDescriptor {
  readonly name: BackendName;
  readonly clientOptions: AwsClientOptions;
  /** Set when the backend cannot run here; every integration test then skips with it. */
  readonly skipReason: string | null;
  /** Object Lock mode the tests' evidence bucket uses (GOVERNANCE, so tests can delete). */
  readonly retentionMode: 'GOVERNANCE' | 'COMPLIANCE';
}

declare module 'vitest' {
  export interface ProvidedContext {
    backend: BackendDescriptor;
  }
}
