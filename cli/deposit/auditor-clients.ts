/**
 * The two ways `evidence deposit` reaches the auditor for its receipt: Lambda Invoke of the
 * deployed auditor function (the uploader policy grants it; the auditor only reads), or the
 * in-process auditor of a local deployment (the demo and the integration tests).
 */
import { LedgerError } from '../../core/errors';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { AuditorClient } from './ports';

const exportBundleRequest = (depositId: string) => ({
  action: 'exportBundle',
  depositIds: [depositId],
});

export class LambdaAuditorClient implements AuditorClient {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async exportBundle(depositId: string): Promise<unknown> {
    const response = await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        Payload: new TextEncoder().encode(JSON.stringify(exportBundleRequest(depositId))),
      }),
    );
    const text = new TextDecoder().decode(response.Payload ?? new Uint8Array());
    if (response.FunctionError !== undefined) {
      throw new LedgerError(
        'DEPENDENCY_UNAVAILABLE',
        `auditor ${this.functionName} failed (${response.FunctionError}): ${text.slice(0, 500)}`,
        { functionName: this.functionName },
      );
    }
    return JSON.parse(text) as unknown;
  }
}

/** An auditor handler called in-process, e.g. LocalDeployment.auditor. */
export type AuditorInvoke = (event: unknown) => Promise<Record<string, unknown>>;

export class InProcessAuditorClient implements AuditorClient {
  constructor(private readonly invoke: AuditorInvoke) {}

  exportBundle(depositId: string): Promise<unknown> {
    return this.invoke(exportBundleRequest(depositId));
  }
}
