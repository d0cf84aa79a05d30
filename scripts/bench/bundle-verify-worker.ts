/**
 * The worker of worker-verify-pool.ts: decodes one records bundle and verifies its records in
 * one synchronous pass (node:crypto), from the head its first record claims; the pool checks
 * the claims join up.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyLedgerRecords } from '../../core/ledger-verification';
import type { TrustedParties } from '../../core/party-signatures';
import { decodeRecordsBundle } from '../../core/tlog/records-bundle';
import { nodeSha256 } from '../../functions/shared/node-sha256';
import { nodeSignatureVerifier } from '../../functions/shared/node-signature-verifier';
import type { TrustedKeys } from './worker-verify-pool';

const { keyIds, spkis } = workerData as TrustedKeys;
const trusted: TrustedParties = {
  keyIds,
  keys: { publicKey: (keyId) => Promise.resolve(spkis[keyId]!) },
  verifier: nodeSignatureVerifier,
  sha256: nodeSha256,
};

parentPort!.on(
  'message',
  ({ id, bundle, width }: { id: number; bundle: Uint8Array; width: number }) => {
    void (async () => {
      try {
        const records = decodeRecordsBundle(bundle, width);
        const start = { nextSeq: records[0]!.seq, lastHash: records[0]!.prevHash };
        const result = await verifyLedgerRecords(records, trusted, { start });
        parentPort!.postMessage({ id, start, head: result.head, failures: result.failures });
      } catch (error) {
        parentPort!.postMessage({ id, failures: [], error: String(error) });
      }
    })();
  },
);
