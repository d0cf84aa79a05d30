/**
 * Random sequences of proposals against one co-signer: honest extensions, repeats of the
 * co-signed checkpoint, shrunk trees, forks of the co-signed size and beyond it, tampered
 * proofs, tampered or forged records, wrong roots, replays, requests from a size the co-signer
 * never held, and lost races. Whatever the sequence, every signature the co-signer returns is
 * over a checkpoint consistent with every earlier one it signed, sizes strictly increase (or
 * the very same checkpoint is signed again), and its stored state is the last one it signed.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../../core/checkpoint/checkpoint';
import { noteVerifierKey } from '../../../core/checkpoint/note-key';
import { assembleNote, verifyNote } from '../../../core/checkpoint/signed-note';
import { buildRecords, type ApprovedDeposit } from '../../../core/chain';
import { bytesToHex, utf8Encode } from '../../../core/encoding';
import { isLedgerError } from '../../../core/errors';
import { verifyLedgerRecords } from '../../../core/ledger-verification';
import { verifyConsistency, consistencyProof } from '../../../core/merkle/consistency';
import { treeRoot } from '../../../core/merkle/tree';
import { GENESIS_HEAD, type LedgerRecord } from '../../../core/types';
import { cosignCheckpoint } from '../../../core/witness/cosign-checkpoint';
import type { CosignRequest } from '../../../core/witness/cosign-request';
import { InMemoryAttestationMemory } from '../../../tools/fakes/in-memory-cosigner-store';
import { createInMemorySigner } from '../../../tools/fakes/in-memory-signer';
import { approve, depositOf } from '../bundle/fixtures';
import { SEQUENCED_AT } from '../core/fixtures';
import {
  cosignerOf,
  createWorld,
  leavesOf,
  ORIGIN,
  proposalFor,
  signerOf,
  type World,
} from './fixtures';

const KINDS = [
  'honest',
  'again',
  'shrink',
  'fork-same-size',
  'fork-larger',
  'tampered-proof',
  'tampered-record',
  'forged-record',
  'wrong-root',
  'replay',
  'skip-ahead',
  'lost-race',
] as const;
type Kind = (typeof KINDS)[number];

interface Action {
  readonly kind: Kind;
  readonly a: number;
  readonly b: number;
}

/** A proposal and the ledger view the co-signer reads while judging it. */
interface Attempt {
  readonly request: CosignRequest;
  readonly ledger: readonly LedgerRecord[];
  /** Whether an honest co-signer must sign it (true), refuse it (false), or may do either. */
  readonly expect: 'sign' | 'refuse' | 'either';
  readonly loseRace?: boolean;
}

interface Signed {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly text: string;
}

let world: World;
/** Deposits signed by an impostor custodian key (valid DER, untrusted key). */
let forged: ApprovedDeposit[];

beforeAll(async () => {
  world = await createWorld(40);
  const impostor = await createInMemorySigner('custodian', 'arn:aws:kms:eu-west-1:0:key/impostor');
  const deposits = [0, 1, 2, 3].map((i) => depositOf(utf8Encode(`forged ${i}`), `forged/${i}.txt`));
  forged = await Promise.all(
    deposits.map((d) => approve(d, [signerOf(world, 'agency'), impostor])),
  );
});

/** `records[0..k)` followed by `approved`, sequenced at a time that depends on `variant`. */
function continueChain(
  records: readonly LedgerRecord[],
  k: number,
  approved: readonly ApprovedDeposit[],
  variant = 0,
): LedgerRecord[] {
  const last = records[k - 1];
  const head = last ? { nextSeq: k, lastHash: last.recordHash } : GENESIS_HEAD;
  const at = new Date(SEQUENCED_AT.getTime() + variant * 1000);
  return [...records.slice(0, k), ...buildRecords(head, approved, at).records];
}

/**
 * A chain that keeps `records[0..k)` and then holds `approved` under other record hashes:
 * sequenced at another time than records[k], so it really forks at k.
 */
function forkOf(
  records: readonly LedgerRecord[],
  k: number,
  approved: readonly ApprovedDeposit[],
  seed: number,
): LedgerRecord[] {
  for (let variant = 1 + (seed % 50); ; variant++) {
    const fork = continueChain(records, k, approved, variant);
    if (fork[k]?.recordHash !== records[k]?.recordHash) return fork;
  }
}

const approvalsOf = (records: readonly LedgerRecord[]): ApprovedDeposit[] =>
  records.map(({ deposit, signatures }) => ({ deposit, signatures }));

/** Up to `count` signed deposits not yet in `records`. */
function unused(records: readonly LedgerRecord[], count: number): ApprovedDeposit[] {
  const taken = new Set(records.map((r) => r.deposit.depositId));
  return world.approved.filter((a) => !taken.has(a.deposit.depositId)).slice(0, count);
}

function flipFirstDigit(hex: string): string {
  return `${hex[0] === '0' ? '1' : '0'}${hex.slice(1)}`;
}

/** Turns a random action into a concrete attempt against a co-signer that committed `committed`. */
function attemptFor(
  action: Action,
  committed: readonly LedgerRecord[],
  history: Attempt[],
): Attempt {
  const s = committed.length;
  const { a, b } = action;
  const fresh = unused(committed, 1 + (a % 6));
  const extended = continueChain(committed, s, fresh);
  const honest = { request: proposalFor(extended, s), ledger: extended };
  const canExtend = fresh.length > 0;
  switch (action.kind) {
    case 'honest':
      return canExtend
        ? { ...honest, expect: 'sign' }
        : attemptFor({ ...action, kind: 'again' }, committed, history);
    case 'again': {
      const request = { ...proposalFor(committed, 0, s), oldSize: s, consistencyProof: [] };
      return { request, ledger: committed, expect: s > 0 ? 'sign' : 'refuse' };
    }
    case 'shrink': {
      if (s === 0)
        return { ...honest, request: { ...honest.request, oldSize: 1 }, expect: 'refuse' };
      const t = a % s;
      return {
        request: proposalFor(committed, b % 2 === 0 ? s : t, t),
        ledger: committed,
        expect: 'refuse',
      };
    }
    case 'fork-same-size': {
      if (s === 0) return { ...honest, expect: canExtend ? 'sign' : 'refuse' };
      const fork = forkOf(committed, a % s, approvalsOf(committed.slice(a % s)), b);
      const request = { ...proposalFor(fork, 0, s), oldSize: s, consistencyProof: [] };
      return { request, ledger: fork, expect: 'refuse' };
    }
    case 'fork-larger': {
      // A fork below the co-signed size must be refused; one at or above it is an extension.
      const k = a % (s + 1);
      const rest = [...approvalsOf(committed.slice(k)), ...unused(committed, 1 + (b % 4))];
      const fork = forkOf(committed, k, rest, b);
      if (fork.length === s) return { ...honest, expect: canExtend ? 'sign' : 'refuse' };
      return { request: proposalFor(fork, s), ledger: fork, expect: k < s ? 'refuse' : 'either' };
    }
    case 'tampered-proof': {
      const proof = honest.request.consistencyProof;
      const changed =
        proof.length === 0 || b % 3 === 0
          ? [...proof, bytesToHex(leavesOf(committed.slice(0, 1))[0] ?? new Uint8Array(32))]
          : b % 3 === 1
            ? proof.slice(1)
            : proof.map((node, i) => (i === a % proof.length ? flipFirstDigit(node) : node));
      return {
        ...honest,
        request: { ...honest.request, consistencyProof: changed },
        expect: 'refuse',
      };
    }
    case 'tampered-record': {
      if (!canExtend) return { ...honest, expect: 'refuse' };
      const i = s + (b % fresh.length);
      const original = extended[i]!;
      const rewritten = {
        deposit: { ...original.deposit, size: original.deposit.size + 1 },
        signatures: original.signatures,
      };
      const ledger = continueChain(extended, i, [rewritten, ...approvalsOf(extended.slice(i + 1))]);
      return { request: proposalFor(ledger, s), ledger, expect: 'refuse' };
    }
    case 'forged-record': {
      const candidates = forged.filter(
        (f) => !committed.some((r) => r.deposit.depositId === f.deposit.depositId),
      );
      const chosen = candidates[a % Math.max(1, candidates.length)];
      if (!chosen)
        return { ...honest, request: { ...honest.request, oldSize: s + 1 }, expect: 'refuse' };
      const ledger = continueChain(committed, s, [...fresh.slice(0, b % 3), chosen]);
      return { request: proposalFor(ledger, s), ledger, expect: 'refuse' };
    }
    case 'wrong-root': {
      const other = flipFirstDigit(honest.request.checkpoint.rootHash);
      const request = {
        ...honest.request,
        checkpoint: { ...honest.request.checkpoint, rootHash: other },
      };
      return { request, ledger: extended, expect: 'refuse' };
    }
    case 'replay': {
      const earlier = history[a % Math.max(1, history.length)];
      return earlier
        ? { ...earlier, expect: 'either' }
        : { ...honest, expect: canExtend ? 'sign' : 'refuse' };
    }
    case 'skip-ahead': {
      const oldSize = s + 1 + (b % 3);
      return {
        ...honest,
        request: { ...proposalFor(extended, Math.min(oldSize, extended.length)), oldSize },
        expect: 'refuse',
      };
    }
    case 'lost-race':
      return { ...honest, expect: 'refuse', loseRace: true };
  }
}

const action = fc.record({ kind: fc.constantFrom(...KINDS), a: fc.nat(1000), b: fc.nat(1000) });

describe('a co-signer given random sequences of proposals', () => {
  it('only ever signs checkpoints that extend, consistently, the ones it signed before', async () => {
    const verifier = () =>
      noteVerifierKey(`${ORIGIN}/custodian`, signerOf(world, 'custodian').publicKeySpki());
    await fc.assert(
      fc.asyncProperty(
        fc.array(action, { minLength: 1, maxLength: 24 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        async (actions, pageSize, withMemory) => {
          const memory = withMemory
            ? new InMemoryAttestationMemory(world.approved.map((x) => x.deposit))
            : null;
          const { deps, store, source } = cosignerOf(world, [], { pageSize, memory });
          let committed: LedgerRecord[] = [];
          const signed: Signed[] = [];
          const history: Attempt[] = [];
          for (const act of actions) {
            const attempt = attemptFor(act, committed, history);
            history.push(attempt);
            source.records = attempt.ledger;
            store.loseNextRace = attempt.loseRace ?? false;
            const before = store.state;
            let result;
            try {
              result = await cosignCheckpoint(attempt.request, deps);
            } catch (error) {
              if (!isLedgerError(error)) throw error;
              expect(
                attempt.expect,
                `${act.kind} refused with ${error.code}: ${error.message}`,
              ).not.toBe('sign');
              expect(store.state).toEqual(before);
              continue;
            }
            expect(attempt.expect, `${act.kind} was signed`).not.toBe('refuse');

            // The line verifies over the text the co-signer says it signed.
            const text = result.state.cosignedNote!;
            await verifyNote(assembleNote(text, [result.signatureLine]), [verifier()]);
            const checkpoint = parseCheckpoint(text);
            const rootHash = bytesToHex(checkpoint.rootHash);
            const last = signed.at(-1);
            if (last && checkpoint.treeSize === last.treeSize) {
              expect(text).toBe(last.text); // the same checkpoint, signed again
            } else {
              expect(checkpoint.treeSize).toBeGreaterThan(last?.treeSize ?? 0);
              // What it now commits to: what it had, plus the records it read from the ledger.
              const next = [
                ...committed,
                ...attempt.ledger.slice(committed.length, checkpoint.treeSize),
              ];
              expect((await verifyLedgerRecords(next, world.trusted)).ok).toBe(true);
              const leaves = leavesOf(next);
              expect(bytesToHex(treeRoot(leaves))).toBe(rootHash);
              for (const earlier of signed) {
                verifyConsistency({
                  firstSize: earlier.treeSize,
                  secondSize: checkpoint.treeSize,
                  firstRoot: Buffer.from(earlier.rootHash, 'hex'),
                  secondRoot: checkpoint.rootHash,
                  proof: consistencyProof(leaves, earlier.treeSize),
                });
              }
              committed = next;
              signed.push({ treeSize: checkpoint.treeSize, rootHash, text });
            }
            const latest = signed.at(-1)!;
            expect(store.state).toMatchObject({
              treeSize: latest.treeSize,
              rootHash: latest.rootHash,
              cosignedNote: latest.text,
            });
          }
          if (signed.length === 0) expect(store.state).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  }, 120_000);
});
