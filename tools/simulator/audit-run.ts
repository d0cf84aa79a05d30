/**
 * The auditor's verdict on the final state: its handler (functions/auditor: auditorHandler)
 * over read-only views of the simulated stores, asked to verifyLedger. It runs alone after the
 * pipeline has drained, so its ports are not gated.
 */
import { auditTrust } from '../../core/audit/audit-trust';
import { bytesEqual } from '../../core/encoding';
import { sha256 } from '../../core/hashing';
import type { AuditorDeps } from '../../functions/auditor/auditor';
import { auditorHandler } from '../../functions/auditor/auditor';
import type { Violation } from './invariants';
import { InMemoryAuditStateStore } from '../fakes/in-memory-audit-state-store';
import { silentObservability } from './silent-observability';
import type { TrueVersion } from './workload';
import { ORIGIN, type World } from './world';

async function auditorDeps(world: World, truth: readonly TrueVersion[]): Promise<AuditorDeps> {
  const records = await world.ledger.all();
  const present = truth.filter((v) => !v.deleted);
  return {
    ledger: world.ledger,
    log: world.log,
    deposits: world.deposits,
    anchors: world.anchors,
    worm: world.worm,
    objects: world.objects,
    trust: await auditTrust(ORIGIN, world.trusted),
    timestamps: null,
    // The continuation key's MAC, as a keyed hash of the simulator's own (no continuation is used).
    continuations: {
      seal: (message) => Promise.resolve(sha256(message)),
      verify: (message, mac) => Promise.resolve(bytesEqual(sha256(message), mac)),
    },
    parties: {
      load: (role) => Promise.resolve(world.cosigners[role].state),
      signed: async (role, depositId) =>
        (await world.parties[role].get(depositId))?.signature != null,
    },
    reconcile: {
      evidence: {
        // eslint-disable-next-line @typescript-eslint/require-await -- an AsyncIterable over memory
        async *list() {
          for (const v of present)
            yield {
              bucket: v.bucket,
              key: v.key,
              versionId: v.versionId,
              lastModified: v.lastModified,
            };
        },
      },
      markers: {
        find(depositId) {
          const record = records.find((r) => r.deposit.depositId === depositId);
          return Promise.resolve(
            record ? { recordSeq: record.seq, recordHash: record.recordHash } : null,
          );
        },
      },
      deposits: world.deposits,
    },
    // The auditor's own sealed state starts empty: the first incremental call walks it all.
    state: new InMemoryAuditStateStore(),
    clock: world.clock,
  };
}

export async function verifyWithAuditor(
  world: World,
  truth: readonly TrueVersion[],
): Promise<Violation | null> {
  const deps = await auditorDeps(world, truth);
  const auditor = auditorHandler(() => Promise.resolve(deps), silentObservability('auditor'));
  // Both modes: the incremental call (with the bucket sweep) seals a state, the full job
  // re-walks everything from seq 0 and must agree.
  for (const request of [
    { action: 'verifyLedger', reconcile: true },
    { action: 'verifyLedger', full: true },
  ] as const) {
    const answer = await auditor(request);
    if (answer.verdict !== 'valid')
      return {
        invariant: 'auditor-valid',
        message: `the auditor's ${JSON.stringify(request)} answered ${JSON.stringify(answer).slice(0, 600)}`,
        about: [],
      };
  }
  return null;
}
