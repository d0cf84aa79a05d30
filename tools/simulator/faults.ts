/**
 * Which fault, if any, the scheduler injects at a port call, drawn from the run's PRNG with
 * the probabilities of the run's FaultRates. Transient errors carry the typed codes the AWS
 * adapters map real failures to (functions/shared/aws-errors.ts): THROTTLED and
 * DEPENDENCY_UNAVAILABLE for any AWS call, KEY_UNAVAILABLE for KMS, COSIGNER_UNAVAILABLE for
 * a co-signer's Lambda, TIMESTAMP_UNAVAILABLE for the TSA.
 */
import type { Prng } from '../fakes/prng';
import type { TransientCode } from './scheduler';

export type InjectedFault =
  | { readonly kind: 'crash-before' | 'crash-after' }
  | { readonly kind: 'error'; readonly code: TransientCode };

export interface FaultRates {
  /** Per port call: the invocation dies before the call reaches the service. */
  readonly crashBefore: number;
  /** Per port call: the call takes effect, then the invocation dies before it sees the answer. */
  readonly crashAfter: number;
  /** Per port call: a throttling or transient error. */
  readonly transient: number;
  /** Per message sent: SQS (or S3) delivers it twice. */
  readonly duplicate: number;
  /** Per new key: its S3 events carry no versionId (as moto sends them). */
  readonly versionless: number;
  /** Per upload: the version is deleted soon after, likely before it is hashed. */
  readonly deleteEarly: number;
  /** Per invocation: its time budget runs out after a few reads (mid-slice). */
  readonly budgetExhausted: number;
  /** Per TSA request: no answer in time / an answer of random bytes. */
  readonly tsaTimeout: number;
  readonly tsaGarbage: number;
  /** Per scheduler step: a party's KMS key is disabled for a while. */
  readonly keyDisabled: number;
  /** Per invocation: it runs far slower than the others (a cold start), so others overtake it. */
  readonly slowInvocation: number;
  /** Per port call: from there on the invocation runs far slower (a long pause mid-work). */
  readonly stall: number;
}

export const DEFAULT_FAULT_RATES: FaultRates = {
  crashBefore: 0.012,
  crashAfter: 0.012,
  transient: 0.02,
  duplicate: 0.1,
  versionless: 0.25,
  deleteEarly: 0.3,
  budgetExhausted: 0.25,
  tsaTimeout: 0.25,
  tsaGarbage: 0.25,
  keyDisabled: 0.004,
  slowInvocation: 0.1,
  stall: 0.02,
};

const kmsPort = (port: string) => port.startsWith('kms.');

function transientCode(port: string, prng: Prng): TransientCode {
  if (port === 'cosigner.invoke') return 'COSIGNER_UNAVAILABLE';
  if (port === 'tsa.exchange') return 'TIMESTAMP_UNAVAILABLE';
  if (kmsPort(port)) return prng.pick(['KEY_UNAVAILABLE', 'THROTTLED'] as const);
  return prng.pick(['THROTTLED', 'DEPENDENCY_UNAVAILABLE'] as const);
}

export class FaultPolicy {
  constructor(
    private readonly prng: Prng,
    readonly rates: FaultRates,
  ) {}

  slowInvocation(): boolean {
    return this.prng.chance(this.rates.slowInvocation);
  }

  stall(): boolean {
    return this.prng.chance(this.rates.stall);
  }

  draw(port: string): InjectedFault | null {
    const roll = this.prng.float();
    const { crashBefore, crashAfter, transient } = this.rates;
    if (roll < crashBefore) return { kind: 'crash-before' };
    if (roll < crashBefore + crashAfter) return { kind: 'crash-after' };
    if (roll < crashBefore + crashAfter + transient)
      return { kind: 'error', code: transientCode(port, this.prng) };
    return null;
  }
}
