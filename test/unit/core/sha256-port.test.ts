/**
 * The Sha256 port: node:crypto's SHA-256 (functions/shared/node-sha256.ts) is the same
 * function as the core's noble default, and the verification paths hash every record and
 * deposit id with the one they are given, with the same findings either way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../core/bundle';
import { verifyChain } from '../../../core/chain';
import { bytesToHex, utf8Encode } from '../../../core/encoding';
import { domainHash, domainHashHex, RECORD_DOMAIN, sha256 } from '../../../core/hashing';
import { verifyLedgerRecords } from '../../../core/ledger-verification';
import { rfc9162Hasher, rfc9162HasherOver } from '../../../core/merkle/hasher';
import { monitorTrust } from '../../../core/monitor/monitor-log';
import type { Sha256 } from '../../../core/ports/sha256';
import type { LedgerRecord } from '../../../core/types';
import { nodeSha256 } from '../../../functions/shared/node-sha256';
import { signedLedger, benchParties } from '../../../scripts/bench/signed-ledger';
import { bundleOf, createTestLedger, partySigners, trustedKeysOf } from '../bundle/fixtures';
import { sampleChain } from './fixtures';

/** nodeSha256, counting its calls. */
function countingSha256(): { hash: Sha256; calls: () => number } {
  let calls = 0;
  return {
    hash: (bytes) => {
      calls++;
      return nodeSha256(bytes);
    },
    calls: () => calls,
  };
}

describe('nodeSha256', () => {
  it.each([
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ])('hashes %j to the FIPS 180-4 digest', (text, digest) => {
    expect(bytesToHex(nodeSha256(utf8Encode(text)))).toBe(digest);
  });

  it('hashes text, domain-separated, to what the noble default gives for its bytes', () => {
    expect(nodeSha256.hexOfText).toBeDefined();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        expect(domainHashHex(RECORD_DOMAIN, text, nodeSha256)).toBe(
          bytesToHex(domainHash(RECORD_DOMAIN, utf8Encode(text))),
        );
        expect(domainHashHex(RECORD_DOMAIN, text)).toBe(
          bytesToHex(domainHash(RECORD_DOMAIN, utf8Encode(text))),
        );
      }),
    );
  });

  it('equals the noble default on any bytes, as a plain Uint8Array', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const digest = nodeSha256(bytes);
        expect(digest.constructor).toBe(Uint8Array);
        expect(digest).toEqual(sha256(bytes));
      }),
    );
  });

  it('makes the same RFC 9162 leaves and nodes as the noble hasher (the monitor’s tiles)', () => {
    const overNode = rfc9162HasherOver(nodeSha256);
    expect(overNode.emptyRoot()).toEqual(rfc9162Hasher.emptyRoot());
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (data, other) => {
          expect(overNode.hashLeaf(data)).toEqual(rfc9162Hasher.hashLeaf(data));
          expect(overNode.hashChildren(other, data)).toEqual(
            rfc9162Hasher.hashChildren(other, data),
          );
        },
      ),
    );
  });
});

/** Records with one fact changed at `at`: a deposit's size (hash), or its key (deposit id too). */
const tampered = (records: readonly LedgerRecord[], at: number, what: 'size' | 'key') =>
  records.map((r, i) =>
    i !== at ? r : { ...r, deposit: { ...r.deposit, [what]: what === 'size' ? 1 : 'other' } },
  );

describe('the verification paths with an injected Sha256', () => {
  it('verifyChain hashes each record and deposit id with it, and finds what noble finds', () => {
    const records = sampleChain(12);
    fc.assert(
      fc.property(fc.nat(11), fc.constantFrom('size', 'key'), (at, what) => {
        const changed = tampered(records, at, what);
        const counting = countingSha256();
        const withNode = verifyChain(changed, { allFailures: true, sha256: counting.hash });
        expect(withNode).toEqual(verifyChain(changed, { allFailures: true }));
        expect(withNode.ok).toBe(false);
        expect(counting.calls()).toBe(2 * records.length);
      }),
      { numRuns: 30 },
    );
  });

  it('verifyLedgerRecords takes it from the trusted parties', async () => {
    const parties = await benchParties();
    const records = await signedLedger(parties, 6);
    const counting = countingSha256();
    const trusted = { ...parties.trusted, sha256: counting.hash };
    expect((await verifyLedgerRecords(records, trusted)).ok).toBe(true);
    expect(counting.calls()).toBe(2 * records.length);
    const changed = await verifyLedgerRecords(tampered(records, 3, 'key'), trusted);
    expect(changed.failures.map((f) => [f.code, f.seq])).toEqual([['RECORD_HASH_MISMATCH', 3]]);
  });

  it('verifyBundle hashes the items with its sha256 option, with the same report', async () => {
    const ledger = await createTestLedger();
    const bundle = bundleOf(ledger, [0, 1, 3]);
    const counting = countingSha256();
    const report = await verifyBundle(bundle, ledger.trusted, { sha256: counting.hash });
    expect(report).toEqual(await verifyBundle(bundle, ledger.trusted));
    expect(report.ok).toBe(true);
    expect(counting.calls()).toBeGreaterThanOrEqual(3 * bundle.items.length);
  });

  it('monitorTrust hands it to the record approvers', async () => {
    const trust = monitorTrust(trustedKeysOf(await partySigners()), undefined, nodeSha256);
    expect(trust.approvers.sha256).toBe(nodeSha256);
  });
});
