/**
 * The anchor as its Lambda runs it (functions/anchor: anchorHandler), over gated ports; each
 * party's co-signer (functions/cosigner: cosignerHandler) is invoked as an invocation of its
 * own, as Lambda Invoke runs it, with its own gated ports; the TSA times out or answers bytes
 * that are no token.
 */
import type { TimestampAuthority, TileLogWriter, WormStore } from '../../core/anchor/ports';
import type { CreateAnchorDeps } from '../../core/anchor/create-anchor';
import { partyNoteKeyName } from '../../core/checkpoint/note-key';
import { LedgerError } from '../../core/errors';
import type { LedgerReader } from '../../core/ports/ledger';
import { PARTY_ROLES, type PartyRole } from '../../core/types';
import type { CosignCheckpointDeps } from '../../core/witness/cosign-checkpoint';
import { MAX_RECORDS_PER_PROPOSAL } from '../../core/witness/cosign-request';
import type { AttestationMemory, CosignerStateStore } from '../../core/witness/ports';
import { COSIGNER_FUNCTIONS } from '../../definitions/cosigner';
import { anchorHandler, type AnchorResponse } from '../../functions/anchor/anchor';
import { cosignerHandler } from '../../functions/cosigner/cosigner';
import { invokedCosigner, type CosignerInvoke } from '../../functions/shared/invoked-cosigner';
import { gatedPort, type Gate } from './gated-port';
import { kmsSigner, kmsTrusted } from './kms-ports';
import { publishingWithoutProof } from './planted-bugs';
import type { Task } from './scheduler';
import { silentObservability } from './silent-observability';
import { ORIGIN, type World } from './world';

/** Few records per run, so that a backlog takes several runs and checkpoints chain. */
export const SIM_MAX_RECORDS_PER_ANCHOR = 6;

const anchorObservability = silentObservability('anchor');
const cosignerObservability = silentObservability('cosigner');

export const taskGate =
  (world: World, task: Task): Gate =>
  (port, detail, call) =>
    world.scheduler.gate(task, port, detail, call);

function gatedLedgerReader(world: World, gate: Gate): LedgerReader {
  return gatedPort(gate, 'ledger', world.ledger as LedgerReader, ['head', 'read']);
}

/** What the party signed, from its own table; where it co-signed each deposit (DynamoPartyStore). */
function partyMemory(world: World, role: PartyRole): AttestationMemory {
  const cosignedAt = world.cosignedAt[role];
  return {
    async signedFacts(depositId) {
      const own = await world.parties[role].get(depositId);
      return own?.signature ? own.facts : null;
    },
    markCosigned(depositId, seq) {
      const at = cosignedAt.get(depositId);
      if (at !== undefined && at !== seq) return Promise.resolve('other-seq' as const);
      cosignedAt.set(depositId, seq);
      return Promise.resolve('marked' as const);
    },
  };
}

function cosignerDeps(world: World, gate: Gate, role: PartyRole): CosignCheckpointDeps {
  const signer = world.signers[role];
  return {
    role,
    noteSigner: {
      keyName: partyNoteKeyName(ORIGIN, role),
      publicKeySpki: signer.publicKeySpki(),
      signer: kmsSigner(world, gate, role),
    },
    trusted: kmsTrusted(world, gate),
    origin: ORIGIN,
    state: gatedPort(gate, `${role}Cosigner`, world.cosigners[role] as CosignerStateStore, [
      'load',
      'advance',
    ]),
    records: gatedLedgerReader(world, gate),
    memory: gatedPort(gate, `${role}Party`, partyMemory(world, role), [
      'signedFacts',
      'markCosigned',
    ]),
    clock: world.clock,
    maxNewRecords: MAX_RECORDS_PER_PROPOSAL,
  };
}

/** Lambda Invoke of a party's co-signer: its own invocation; a crash or error is COSIGNER_UNAVAILABLE. */
function invokeCosigner(world: World, anchor: Task, gate: Gate, role: PartyRole): CosignerInvoke {
  return (request) =>
    gate('cosigner.invoke', role, async () => {
      const deadline = world.now() + COSIGNER_FUNCTIONS[role].timeoutSeconds * 1000;
      const outcome = await world.scheduler.invoke(anchor, `cosigner-${role}`, deadline, (child) =>
        cosignerHandler(
          () => Promise.resolve(cosignerDeps(world, taskGate(world, child), role)),
          cosignerObservability,
        )(request),
      );
      if (outcome.kind === 'returned') return outcome.value;
      throw new LedgerError(
        'COSIGNER_UNAVAILABLE',
        `the ${role} co-signer failed (${outcome.kind})`,
        {
          role,
        },
      );
    });
}

/** A TSA that never issues a usable token: it times out or answers random bytes. */
function unreliableTsa(world: World, gate: Gate): TimestampAuthority {
  const target: TimestampAuthority = {
    certificateDer: new Uint8Array([0x30, 0x00]),
    exchange() {
      if (world.prng.chance(world.options.rates.tsaTimeout)) {
        world.trace.fault('tsa-timeout', 'tsa');
        return Promise.reject(
          new LedgerError('TIMESTAMP_UNAVAILABLE', 'the TSA did not answer in 10 s'),
        );
      }
      world.trace.fault('tsa-garbage', 'tsa');
      return Promise.resolve(world.prng.bytes(world.prng.int(0, 64)));
    },
  };
  return gatedPort(gate, 'tsa', target, ['exchange']);
}

function anchorDeps(world: World, task: Task): CreateAnchorDeps {
  const gate = taskGate(world, task);
  const anchors =
    world.options.plantedBug === 'anchor-without-consistency-proof'
      ? publishingWithoutProof(world.anchors)
      : world.anchors;
  return {
    origin: ORIGIN,
    ledger: gatedLedgerReader(world, gate),
    anchors: gatedPort(gate, 'anchors', anchors, ['latest', 'list', 'publish']),
    worm: gatedPort(gate, 'worm', world.worm as WormStore, [
      'exists',
      'get',
      'list',
      'deleteMarkers',
      'put',
    ]),
    log: gatedPort(gate, 'log', world.log as TileLogWriter, [
      'get',
      'readHashTile',
      'putOnce',
      'putCheckpoint',
    ]),
    cosigners: PARTY_ROLES.map((role) =>
      invokedCosigner(
        role,
        partyNoteKeyName(ORIGIN, role),
        world.signers[role].publicKeySpki(),
        invokeCosigner(world, task, gate, role),
      ),
    ),
    trusted: kmsTrusted(world, gate),
    tsa: unreliableTsa(world, gate),
    clock: world.clock,
    maxNewRecords: SIM_MAX_RECORDS_PER_ANCHOR,
  };
}

/** One anchor run (scheduled or on demand) as an invocation of its own. */
export function anchorRun(world: World, task: Task): Promise<AnchorResponse> {
  return anchorHandler(
    () => Promise.resolve(anchorDeps(world, task)),
    anchorObservability,
  )({
    action: 'anchor',
  });
}
