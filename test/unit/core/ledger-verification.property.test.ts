/**
 * verifyLedgerRecords has two paths: one synchronous pass when the verifier has a synchronous
 * form (node:crypto), VERIFY_CONCURRENCY records at a time otherwise (WebCrypto). Whatever
 * was done to the ledger, both report the same: ok, every failure (code, seq, message) in
 * the same order, the same head, first failure only or all of them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyLedgerRecords } from '../../../core/ledger-verification';
import type { TrustedParties } from '../../../core/party-signatures';
import type { LedgerRecord, PartySignature } from '../../../core/types';
import { nodeSha256 } from '../../../functions/shared/node-sha256';
import { nodeSignatureVerifier } from '../../../functions/shared/node-signature-verifier';
import { benchParties, signedLedger } from '../../../scripts/bench/signed-ledger';

const parties = await benchParties();
const ledger = await signedLedger(parties, 12);

/** node:crypto without its synchronous form: the asynchronous path, same signatures. */
const asyncOnly = { verify: nodeSignatureVerifier.verify.bind(nodeSignatureVerifier) };

type Tamper = (records: LedgerRecord[], at: number) => void;

const withSignature = (record: LedgerRecord, i: number, change: Partial<PartySignature>) => ({
  ...record,
  signatures: record.signatures.map((s, j) => (j === i ? { ...s, ...change } : s)),
});

/** Things done to a record (or to the list at it) that some check must notice. */
const TAMPERS: Record<string, Tamper> = {
  'another deposit signed': (rs, at) => {
    const other = rs[(at + 1) % rs.length]!;
    rs[at] = withSignature(rs[at]!, 0, other.signatures[0]!);
  },
  'size changed': (rs, at) => {
    rs[at] = { ...rs[at]!, deposit: { ...rs[at]!.deposit, size: rs[at]!.deposit.size + 1 } };
  },
  'key changed': (rs, at) => {
    rs[at] = { ...rs[at]!, deposit: { ...rs[at]!.deposit, key: 'other' } };
  },
  'recordHash flipped': (rs, at) => {
    rs[at] = { ...rs[at]!, recordHash: '0'.repeat(64) };
  },
  'record dropped': (rs, at) => void rs.splice(at, 1),
  'record repeated': (rs, at) => void rs.splice(at, 0, rs[at]!),
  'signature not base64': (rs, at) => {
    rs[at] = withSignature(rs[at]!, at % 2, { signature: 'not base64!' });
  },
  'signature not DER': (rs, at) => {
    rs[at] = withSignature(rs[at]!, at % 2, { signature: 'MAYCAQECAQE=' });
  },
  'unknown algorithm': (rs, at) => {
    rs[at] = withSignature(rs[at]!, 1, { algorithm: 'RSA' as never });
  },
  'untrusted key id': (rs, at) => {
    rs[at] = withSignature(rs[at]!, at % 2, { keyId: 'someone-else' });
  },
  'signature missing': (rs, at) => {
    rs[at] = { ...rs[at]!, signatures: rs[at]!.signatures.slice(0, 1) };
  },
  'roles swapped': (rs, at) => {
    rs[at] = { ...rs[at]!, signatures: [...rs[at]!.signatures].reverse() };
  },
  'caseMetadata with an escaped value (the slow canonical path)': (rs, at) => {
    const deposit = { ...rs[at]!.deposit, caseMetadata: { note: 'a "quoted" value\n' } };
    rs[at] = { ...rs[at]!, deposit };
  },
};

const tampering = fc.array(
  fc.tuple(fc.constantFrom(...Object.keys(TAMPERS)), fc.nat(ledger.length - 2)),
  { maxLength: 3 },
);

function tampered(changes: readonly [string, number][]): LedgerRecord[] {
  const records = [...ledger];
  for (const [name, at] of changes) TAMPERS[name]!(records, at % records.length);
  return records;
}

async function bothPaths(
  records: readonly LedgerRecord[],
  trusted: TrustedParties,
  options: Parameters<typeof verifyLedgerRecords>[2],
) {
  const sync = await verifyLedgerRecords(
    records,
    { ...trusted, verifier: nodeSignatureVerifier },
    options,
  );
  const async = await verifyLedgerRecords(records, { ...trusted, verifier: asyncOnly }, options);
  return { sync, async };
}

describe('verifyLedgerRecords in one synchronous pass and concurrently', () => {
  it('report the same for an honest ledger', async () => {
    const { sync, async } = await bothPaths(ledger, parties.trusted, {});
    expect(sync).toEqual(async);
    expect(sync.ok).toBe(true);
  });

  it('report the same first failure, or all failures, whatever was done to the ledger', async () => {
    await fc.assert(
      fc.asyncProperty(
        tampering,
        fc.boolean(),
        fc.boolean(),
        fc.nat(3),
        async (changes, allFailures, nodeHash, startAt) => {
          const records = tampered(changes).slice(startAt);
          const start =
            startAt === 0
              ? {}
              : { start: { nextSeq: startAt, lastHash: ledger[startAt - 1]!.recordHash } };
          const trusted = nodeHash ? { ...parties.trusted, sha256: nodeSha256 } : parties.trusted;
          const { sync, async } = await bothPaths(records, trusted, { allFailures, ...start });
          expect(sync).toEqual(async);
          // Every tamper is one some check finds (it may fall before `start` otherwise).
          if (startAt === 0) expect(sync.ok).toBe(changes.length === 0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('report the same when a key cannot be looked up, for every record that needs it', async () => {
    let calls = 0;
    const flaky: TrustedParties = {
      ...parties.trusted,
      keys: {
        publicKey: (keyId) => {
          calls++;
          if (keyId === parties.trusted.keyIds.custodian) throw new Error('KMS is down');
          return parties.trusted.keys.publicKey(keyId);
        },
      },
    };
    for (const allFailures of [false, true]) {
      const { sync, async } = await bothPaths(ledger, flaky, { allFailures });
      expect(sync).toEqual(async);
      expect(sync.failures[0]).toMatchObject({ code: 'KEY_UNAVAILABLE', seq: 0 });
      expect(sync.failures).toHaveLength(allFailures ? ledger.length : 1);
    }
    expect(calls).toBeGreaterThan(0);
  });
});
