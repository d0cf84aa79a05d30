/**
 * Everything a simulated deployment holds: the evidence bucket, the tables (deposits, ledger,
 * each party's own), the co-signers' states, the anchors table, the anchor bucket (WORM copies
 * and tiled log), the four stage queues, both parties' keys, one virtual clock. All of it is
 * the in-memory fakes of tools/fakes; a planted bug swaps one of them for a faulty variant.
 */
import type { LedgerAppender } from '../../core/ports/ledger';
import type { LedgerRecord, PartyRole } from '../../core/types';
import type { TrustedParties } from '../../core/party-signatures';
import type { DigestTuning } from '../../functions/shared/budgeted-digest';
import {
  AGENCY_SIGN_QUEUE,
  APPEND_QUEUE,
  CUSTODIAN_SIGN_QUEUE,
  INTAKE_QUEUE,
} from '../../definitions/pipeline';
import { InMemoryAnchorStore } from '../fakes/in-memory-anchor-store';
import { InMemoryWormStore } from '../fakes/in-memory-worm-store';
import { InMemoryCosignerStore } from '../fakes/in-memory-cosigner-store';
import {
  type InMemoryDepositStore,
  InMemoryEvidenceObjects,
  InMemoryLedgerStore,
  InMemoryPartyStore,
  SteppableClock,
} from '../fakes/in-memory-pipeline';
import { InMemoryTileLog } from '../fakes/in-memory-tile-log';
import { nobleSigner, sameThreadSignatureVerifier } from '../fakes/noble-signer';
import { inMemoryKeyResolver, type InMemorySigner } from '../fakes/in-memory-signer';
import { FaultPolicy, type FaultRates } from './faults';
import { plantedDeposits, plantedLedger, type PlantedBug } from './planted-bugs';
import { Prng } from '../fakes/prng';
import { Scheduler } from './scheduler';
import { SimQueue } from './sim-queue';
import { Trace } from './trace';

export const BUCKET = 'sim-evidence';
export const ORIGIN = 'sim.example/ledger';

/** Small slices, so that objects of a few hundred bytes are hashed over several invocations. */
export const SIM_DIGEST_TUNING: DigestTuning = {
  partBytes: 64,
  concurrency: 2,
  maxBytesPerInvocation: 256,
  fastPathBytesPerSecond: 100 * 1024 * 1024,
};

export interface WorldOptions {
  readonly seed: number;
  readonly rates: FaultRates;
  readonly plantedBug: PlantedBug | null;
}

export interface StageQueues {
  readonly intake: SimQueue;
  readonly agencySign: SimQueue;
  readonly custodianSign: SimQueue;
  readonly append: SimQueue;
}

export class World {
  readonly prng: Prng;
  readonly clock = new SteppableClock('2026-11-30T06:00:00.000Z');
  readonly trace: Trace;
  readonly faults: FaultPolicy;
  readonly scheduler: Scheduler;
  readonly objects = new InMemoryEvidenceObjects();
  readonly deposits: InMemoryDepositStore;
  readonly ledger: LedgerAppender & { all(): Promise<LedgerRecord[]> };
  readonly parties: Readonly<Record<PartyRole, InMemoryPartyStore>> = {
    agency: new InMemoryPartyStore(),
    custodian: new InMemoryPartyStore(),
  };
  readonly cosigners: Readonly<Record<PartyRole, InMemoryCosignerStore>> = {
    agency: new InMemoryCosignerStore(),
    custodian: new InMemoryCosignerStore(),
  };
  /** Where each party's co-signer co-signed each deposit (DynamoPartyStore.markCosigned). */
  readonly cosignedAt: Readonly<Record<PartyRole, Map<string, number>>> = {
    agency: new Map(),
    custodian: new Map(),
  };
  readonly anchors = new InMemoryAnchorStore();
  readonly worm = new InMemoryWormStore();
  readonly log = new InMemoryTileLog();
  readonly signers: Readonly<Record<PartyRole, InMemorySigner>>;
  readonly trusted: TrustedParties;
  /** Virtual time until which a party's KMS key is disabled (0: enabled). */
  readonly keyDisabledUntil: Record<PartyRole, number> = { agency: 0, custodian: 0 };
  readonly queues: StageQueues = {
    intake: new SimQueue('intake', INTAKE_QUEUE),
    agencySign: new SimQueue('agency-sign', AGENCY_SIGN_QUEUE),
    custodianSign: new SimQueue('custodian-sign', CUSTODIAN_SIGN_QUEUE),
    append: new SimQueue('append', APPEND_QUEUE),
  };

  constructor(readonly options: WorldOptions) {
    this.prng = new Prng(options.seed);
    this.trace = new Trace(() => this.now());
    this.faults = new FaultPolicy(this.prng, options.rates);
    this.scheduler = new Scheduler(this.faults, this.trace);
    this.objects.tuning = SIM_DIGEST_TUNING;
    this.deposits = plantedDeposits(options.plantedBug);
    this.ledger = plantedLedger(options.plantedBug, new InMemoryLedgerStore(this.deposits));
    // The keys are the same for every seed: what varies is what happens to them.
    const seedOf = (role: PartyRole) => new TextEncoder().encode(`simulated ${role} key`);
    this.signers = {
      agency: nobleSigner('agency', seedOf('agency')),
      custodian: nobleSigner('custodian', seedOf('custodian')),
    };
    this.trusted = {
      keyIds: { agency: this.signers.agency.keyId, custodian: this.signers.custodian.keyId },
      keys: inMemoryKeyResolver([this.signers.agency, this.signers.custodian]),
      verifier: sameThreadSignatureVerifier,
    };
  }

  /** The four stage queues, in pipeline order. */
  queueList(): SimQueue[] {
    const { intake, agencySign, custodianSign, append } = this.queues;
    return [intake, agencySign, custodianSign, append];
  }

  now(): number {
    return this.clock.now().getTime();
  }

  keyEnabled(role: PartyRole): boolean {
    return this.keyDisabledUntil[role] <= this.now();
  }

  /** Sends a stage message (or S3 event), twice when the duplicate fault is drawn. */
  deliver(queue: SimQueue, body: string): void {
    queue.send(body, this.now());
    if (this.scheduler.faultsEnabled && this.prng.chance(this.options.rates.duplicate)) {
      this.trace.fault('duplicate-delivery', queue.name);
      queue.send(body, this.now());
    }
  }
}
