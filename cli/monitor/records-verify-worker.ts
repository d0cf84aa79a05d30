/**
 * A worker thread of records-verify-pool.ts: verifies the records bundles it is sent, each in
 * one synchronous pass on node:crypto (verifyRecordsBundle), against the trusted keys it was
 * started with (workerData, the parsed trusted-keys file), and answers with the verdict or
 * the error (a LedgerError as its code, message and details; the pool throws it again).
 * Built beside the CLI as dist/cli/records-verify-worker.js (scripts/build-cli.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { recordApprovers, type TrustedKeys } from '../../core/bundle/trusted-keys';
import { isLedgerError } from '../../core/errors';
import { verifyRecordsBundle, type RecordsBundleCheck } from '../../core/monitor';
import { nodeSha256 } from '../../functions/shared/node-sha256';
import { nodeSignatureVerifier } from '../../functions/shared/node-signature-verifier';
import type { VerifyAnswer } from './records-verify-pool';

const port = parentPort!;
const approvers = {
  ...recordApprovers(workerData as TrustedKeys),
  verifier: nodeSignatureVerifier,
  sha256: nodeSha256,
};

async function answer(id: number, check: RecordsBundleCheck): Promise<VerifyAnswer> {
  try {
    return { id, verdict: await verifyRecordsBundle(check, approvers) };
  } catch (error) {
    if (isLedgerError(error)) {
      const { code, message, details } = error;
      return { id, error: { code, message, details } };
    }
    return { id, error: { message: error instanceof Error ? error.message : String(error) } };
  }
}

port.on('message', ({ id, check }: { id: number; check: RecordsBundleCheck }) => {
  void answer(id, check).then((reply) => port.postMessage(reply));
});
