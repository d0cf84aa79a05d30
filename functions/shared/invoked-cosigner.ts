/**
 * The anchor's side of a party's co-signer: a CheckpointCosigner that sends the proposal to
 * the party's co-signer function (Lambda Invoke, or the handler itself when run in-process)
 * and reads its answer. The answer comes from another principal: it is parsed and bounded,
 * and the line it carries is checked against the party's key before any checkpoint is
 * published (create-anchor.ts).
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import type { CheckpointCosigner } from '../../core/anchor/checkpoint-cosigner';
import { COSIGN_REFUSAL_CODES, LedgerError, type LedgerErrorCode } from '../../core/errors';
import type { PartyRole } from '../../core/types';
import type { CosignRequest } from '../../core/witness/cosign-request';

/** Sends a proposal to a co-signer and returns its raw answer. */
export type CosignerInvoke = (request: CosignRequest) => Promise<unknown>;

const cosignerResponse = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    signatureLine: z.string().min(1).max(1024),
    treeSize: z.int().min(0),
  }),
  z.strictObject({
    ok: z.literal(false),
    code: z.string().regex(/^[A-Z_]{1,64}$/),
    message: z.string().max(4096),
    details: z.record(z.string(), z.unknown()),
  }),
]);

/** The co-signer codes the anchor acts on; any other refusal is reported as the party's refusal. */
const KNOWN_REFUSALS: ReadonlySet<string> = new Set<LedgerErrorCode>([
  ...COSIGN_REFUSAL_CODES,
  'COSIGN_STATE_INVALID',
  'COSIGN_STATE_CONFLICT',
  'CONSISTENCY_PROOF_INVALID',
  'ROOT_MISMATCH',
  'CHECKPOINT_MALFORMED',
]);

export function invokedCosigner(
  role: PartyRole,
  keyName: string,
  publicKeySpki: Uint8Array,
  invoke: CosignerInvoke,
): CheckpointCosigner {
  return {
    role,
    keyName,
    publicKeySpki,
    async cosign(request) {
      const parsed = cosignerResponse.safeParse(await invoke(request));
      if (!parsed.success) {
        throw new LedgerError(
          'COSIGNER_UNAVAILABLE',
          `the ${role} co-signer gave an unreadable answer`,
          { role },
          { cause: parsed.error },
        );
      }
      const answer = parsed.data;
      if (answer.ok) return answer.signatureLine;
      const code = KNOWN_REFUSALS.has(answer.code)
        ? (answer.code as LedgerErrorCode)
        : 'COSIGN_REFUSED';
      throw new LedgerError(code, `the ${role} co-signer refused: ${answer.message}`, {
        ...answer.details,
        role,
        refusal: answer.code,
      });
    },
  };
}

/** Invokes a co-signer function synchronously; a function error is COSIGNER_UNAVAILABLE. */
export function lambdaInvoke(lambda: LambdaClient, functionName: string): CosignerInvoke {
  return async (request) => {
    const command = new InvokeCommand({
      FunctionName: functionName,
      Payload: new TextEncoder().encode(JSON.stringify(request)),
    });
    // Throttled, denied or down: the party could not be asked (the anchor runs again later).
    const response = await lambda.send(command).catch((cause: unknown) => {
      const sdkError = (cause as Error).name;
      throw new LedgerError(
        'COSIGNER_UNAVAILABLE',
        `co-signer ${functionName} could not be invoked: ${sdkError}`,
        { functionName, sdkError },
        { cause },
      );
    });
    const body = response.Payload ? new TextDecoder().decode(response.Payload) : '';
    if (response.FunctionError) {
      throw new LedgerError(
        'COSIGNER_UNAVAILABLE',
        `co-signer ${functionName} failed: ${body.slice(0, 512)}`,
        { functionName },
      );
    }
    try {
      return JSON.parse(body) as unknown;
    } catch (cause) {
      throw new LedgerError(
        'COSIGNER_UNAVAILABLE',
        `co-signer ${functionName} answered no JSON`,
        { functionName },
        { cause },
      );
    }
  };
}
