/**
 * In-memory stand-ins for a co-signer's ports: its state store (a conditional write, like the
 * DynamoDB adapter's), the ledger it reads records from, and its memory of what it signed.
 *
 *   const store = new InMemoryCosignerStore();
 *   const records = new InMemoryRecordSource(ledgerRecords);
 */
import { canonicalJson } from '../../core/canonical-json';
import { parseCosignerState } from '../../core/witness/cosigner-state-schema';
import { parseStoredJson } from '../../functions/shared/stored-json';
import type { Deposit, LedgerRecord } from '../../core/types';
import type {
  AttestationMemory,
  CosignerState,
  CosignerStateStore,
  RecordSource,
} from '../../core/witness/ports';

const same = (a: CosignerState | null, b: CosignerState | null) =>
  canonicalJson(a) === canonicalJson(b);

export class InMemoryCosignerStore implements CosignerStateStore {
  private current: CosignerState | null;
  /** Every state saved, oldest first. */
  readonly saved: CosignerState[] = [];
  /** When set, the next advance loses to a racing writer (which leaves the state as it is). */
  loseNextRace = false;

  constructor(initial: CosignerState | null = null) {
    this.current = initial;
  }

  get state(): CosignerState | null {
    return this.current;
  }

  /** Overwrites the stored state as a principal with write access to the table could. */
  tamper(state: unknown): void {
    this.current = structuredClone(state) as CosignerState;
  }

  /** As the adapter: a stored state that does not parse is COSIGN_STATE_INVALID. */
  load(): Promise<CosignerState | null> {
    return Promise.resolve().then(() =>
      this.current === null
        ? null
        : parseStoredJson(JSON.stringify(this.current), parseCosignerState, {
            what: 'co-signer state',
            code: 'COSIGN_STATE_INVALID',
            details: { pk: 'cosigner' },
          }),
    );
  }

  advance(from: CosignerState | null, to: CosignerState): Promise<'saved' | 'conflict'> {
    return Promise.resolve().then(() => {
      // As the adapter: never write a state it could not read back (INVALID_INPUT).
      parseCosignerState(to);
      if (this.loseNextRace || !same(from, this.current)) {
        this.loseNextRace = false;
        return 'conflict';
      }
      this.current = structuredClone(to);
      this.saved.push(this.current);
      return 'saved';
    });
  }
}

/** A ledger view: the records the operator's store returns, whatever they are. */
export class InMemoryRecordSource implements RecordSource {
  /** The [fromSeq, toSeq) ranges asked for, in order. */
  readonly reads: [number, number][] = [];

  /** `records` by position, as a store keyed by seq returns them, whatever seq they claim. */
  constructor(public records: readonly LedgerRecord[]) {}

  read(fromSeq: number, toSeq: number): Promise<LedgerRecord[]> {
    this.reads.push([fromSeq, toSeq]);
    return Promise.resolve(structuredClone(this.records.slice(fromSeq, toSeq)));
  }
}

/** A party's memory of the deposit facts it signed, by deposit id. */
export class InMemoryAttestationMemory implements AttestationMemory {
  private readonly facts = new Map<string, Deposit>();

  constructor(deposits: readonly Deposit[] = []) {
    deposits.forEach((deposit) => this.remember(deposit));
  }

  remember(deposit: Deposit): void {
    this.facts.set(deposit.depositId, structuredClone(deposit));
  }

  signedFacts(depositId: string): Promise<Deposit | null> {
    return Promise.resolve(this.facts.get(depositId) ?? null);
  }

  /** The seq each deposit was co-signed at, set once (as DynamoPartyStore.markCosigned). */
  private readonly cosignedAt = new Map<string, number>();

  markCosigned(depositId: string, seq: number): Promise<'marked' | 'other-seq'> {
    const at = this.cosignedAt.get(depositId);
    if (at !== undefined && at !== seq) return Promise.resolve('other-seq');
    this.cosignedAt.set(depositId, seq);
    return Promise.resolve('marked');
  }
}
