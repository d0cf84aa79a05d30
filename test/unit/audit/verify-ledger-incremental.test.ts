/**
 * The incremental verifyLedger (core/audit/verify-ledger-incremental.ts) against a real
 * in-memory deployment: it starts from the auditor's sealed state, checks only what came
 * after, moves the state only over a clean walk, and refuses a state it did not seal.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { wormKeysOf } from '../../../core/anchor/worm-keys';
import { openAuditState, sealAuditState } from '../../../core/audit/audit-state';
import { verifyLedger, type VerifyLedgerReport } from '../../../core/audit/verify-ledger';
import type { LedgerRecord } from '../../../core/types';
import { ORIGIN, extendChain } from '../witness/fixtures';
import { createAuditWorld, hmacSealer, type AuditWorld } from './audit-world';

let w: AuditWorld;
beforeEach(async () => {
  w = await createAuditWorld(40);
});

/** Grows the ledger to `size` records and anchors it. */
async function growAndAnchor(size: number) {
  w.size = size;
  return w.anchor();
}

async function verify(request: Parameters<typeof verifyLedger>[1] = {}) {
  w.recordsRead = 0;
  return verifyLedger(w.deps, request);
}

const codes = (report: VerifyLedgerReport) => report.failures.map((f) => f.code);

async function sealedState() {
  return openAuditState(w.deps.continuations, ORIGIN, w.store.item!);
}

describe('the incremental verifyLedger', () => {
  describe('when the ledger grows between calls', () => {
    it('verifies only the new records and checkpoints, and seals where it stopped', async () => {
      await growAndAnchor(10);
      const first = await verify();
      expect(first).toMatchObject({
        verdict: 'valid',
        mode: 'incremental',
        recordsChecked: 10,
        checkpointsChecked: 1,
        auditState: { outcome: 'advanced', treeSize: 10, checkpointSize: 10 },
      });
      await growAndAnchor(25);
      const second = await verify();
      expect(second).toMatchObject({
        verdict: 'valid',
        recordsChecked: 15,
        checkpointsChecked: 1,
        auditState: { outcome: 'advanced', treeSize: 25, checkpointSize: 25 },
      });
      const state = await sealedState();
      expect(state.lastRecordHash).toBe(w.records[24]!.recordHash);
      expect(state.rootHash).toBe(w.anchors.state!.rootHash);
      expect(Object.keys(state.parties).sort()).toEqual(['agency', 'custodian']);
    });

    it('reads the same number of records per new record at any ledger size', async () => {
      await growAndAnchor(5);
      await verify();
      await growAndAnchor(10);
      await verify();
      const small = w.recordsRead;
      await growAndAnchor(35);
      await verify();
      await growAndAnchor(40);
      await verify();
      // Five new records and the spot check of the sealed last one, at 5 and at 35 alike.
      expect([small, w.recordsRead]).toEqual([6, 6]);
    });

    it('does nothing and writes nothing when nothing is new', async () => {
      await growAndAnchor(10);
      await verify();
      const writes = w.store.writes;
      expect(await verify()).toMatchObject({
        verdict: 'valid',
        recordsChecked: 0,
        auditState: { outcome: 'unchanged', treeSize: 10 },
      });
      expect(w.store.writes).toBe(writes);
    });

    it('verifies records past the latest checkpoint but seals no further than it', async () => {
      await growAndAnchor(10);
      w.size = 16;
      expect(await verify()).toMatchObject({
        verdict: 'valid',
        recordsChecked: 16,
        auditState: { treeSize: 10, checkpointSize: 10 },
      });
      await w.anchor();
      expect(await verify()).toMatchObject({
        recordsChecked: 6,
        auditState: { outcome: 'advanced', treeSize: 16, checkpointSize: 16 },
      });
    });
  });

  describe('when a catch-up exceeds the record budget', () => {
    it('answers incomplete, seals each batch, and converges over calls', async () => {
      await growAndAnchor(12);
      await growAndAnchor(30);
      const sizes: number[] = [];
      let report = await verify({ maxRecords: 8 });
      while (report.verdict === 'incomplete') {
        sizes.push(report.auditState!.treeSize);
        expect(report.recordsChecked).toBe(8);
        report = await verify({ maxRecords: 8 });
      }
      expect(report.verdict).toBe('valid');
      expect(sizes).toEqual([8, 16, 24]);
      expect(report.auditState).toMatchObject({ treeSize: 30, checkpointSize: 30 });
    });
  });

  describe('when someone without the auditor’s key writes the state', () => {
    beforeEach(async () => {
      await growAndAnchor(10);
      await verify();
    });

    it('refuses a sealed state moved ahead to skip records (AUDIT_STATE_FORGED, mac)', async () => {
      const item = w.store.item!;
      const ahead = { ...(JSON.parse(item.state) as Record<string, unknown>), treeSize: 40 };
      w.store.item = { ...item, treeSize: 40, state: JSON.stringify(ahead) };
      await expect(verify()).rejects.toFailWithCode('AUDIT_STATE_FORGED', { reason: 'mac' });
    });

    it('refuses a state sealed with another key (AUDIT_STATE_FORGED, mac)', async () => {
      const state = { ...(await sealedState()), treeSize: 40 };
      w.store.item = await sealAuditState(hmacSealer(), ORIGIN, state);
      await expect(verify()).rejects.toFailWithCode('AUDIT_STATE_FORGED', { reason: 'mac' });
    });

    it('refuses a genuine state whose stored size was changed (AUDIT_STATE_FORGED, size)', async () => {
      w.store.item = { ...w.store.item!, treeSize: 1_000_000 };
      await expect(verify()).rejects.toFailWithCode('AUDIT_STATE_FORGED', { reason: 'size' });
    });

    it('lets the full job replace the refused state and seal a genuine one', async () => {
      w.store.item = { ...w.store.item!, treeSize: 1_000_000 };
      expect(await verify({ full: true })).toMatchObject({
        verdict: 'valid',
        auditState: { outcome: 'advanced', treeSize: 10, replacedForgedState: true },
      });
      expect(await verify()).toMatchObject({ verdict: 'valid', recordsChecked: 0 });
    });

    it('refuses an item not of the state’s shape, which the full job then replaces', async () => {
      w.store.writeRaw({ treeSize: 'all of them', state: '{}' });
      await expect(verify()).rejects.toFailWithCode('AUDIT_STATE_FORGED', { reason: 'malformed' });
      expect(await verify({ full: true })).toMatchObject({
        verdict: 'valid',
        auditState: { outcome: 'advanced', treeSize: 10, replacedForgedState: true },
      });
      expect(await verify()).toMatchObject({ verdict: 'valid', recordsChecked: 0 });
    });
  });

  describe('when the ledger was rolled back below the sealed state', () => {
    it('fails LEDGER_ROLLED_BACK, CHAIN_GAP and RECORD_MISSING from the state alone', async () => {
      await growAndAnchor(20);
      await verify();
      w.size = 15;
      const report = await verify();
      expect(report.verdict).toBe('invalid');
      expect(report.failures).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            check: 'ledger-root',
            code: 'LEDGER_ROLLED_BACK',
            treeSize: 20,
          }),
          expect.objectContaining({ check: 'ledger-root', code: 'CHAIN_GAP', treeSize: 20 }),
          expect.objectContaining({ check: 'party-checkpoint', code: 'LEDGER_ROLLED_BACK' }),
          expect.objectContaining({ check: 'record', code: 'RECORD_MISSING', seq: 19 }),
        ]),
      );
      expect((await sealedState()).treeSize).toBe(20);
    });
  });

  describe('when verified records were rewritten', () => {
    it('finds the rewrite from the sealed last record hash (CHAIN_LINK_MISMATCH at seq 19)', async () => {
      await growAndAnchor(20);
      await verify();
      // Records 8.. re-chained over other deposits: every later hash changes, seq 19's too.
      w.records = extendChain(w.records, 8, w.world.approved.slice(20));
      w.size = 25;
      const report = await verify();
      expect(report.firstFailure).toMatchObject({ code: 'CHAIN_LINK_MISMATCH', seq: 19 });
    });

    it('finds a new checkpoint whose root is not the verified tree extended (ROOT_MISMATCH)', async () => {
      await growAndAnchor(20);
      await verify();
      await growAndAnchor(30);
      // The stored records after the sealed state are swapped for others after the anchor run.
      const swapped: LedgerRecord[] = extendChain(w.records, 20, w.world.approved.slice(30));
      w.records = [...swapped.slice(0, 30), ...w.records.slice(30)];
      expect(codes(await verify())).toContain('ROOT_MISMATCH');
      expect((await sealedState()).treeSize).toBe(20);
    });
  });

  describe('when the walk finds anything', () => {
    it('reports it and does not move the state', async () => {
      await growAndAnchor(10);
      await verify();
      await growAndAnchor(20);
      const forged = { ...w.records[14]!, recordHash: 'f'.repeat(64) };
      w.records = w.records.map((r) => (r.seq === 14 ? forged : r));
      const writes = w.store.writes;
      const report = await verify();
      expect(report.verdict).toBe('invalid');
      expect(report.auditState).toMatchObject({ outcome: 'unchanged', treeSize: 10 });
      expect(w.store.writes).toBe(writes);
    });

    it('fails CHECKPOINT_INCONSISTENT when the verified checkpoint left the anchors table', async () => {
      await growAndAnchor(10);
      await verify();
      await growAndAnchor(20);
      w.anchors.published.splice(
        w.anchors.published.findIndex((s) => s.treeSize === 10),
        1,
      );
      expect(codes(await verify())).toContain('CHECKPOINT_INCONSISTENT');
    });

    it('fails CHECKPOINT_INCONSISTENT when a party’s memory went back', async () => {
      await growAndAnchor(10);
      await growAndAnchor(20);
      await verify();
      const custodian = w.cosigners.custodian.store;
      const state = (await custodian.load())!;
      const back = { ...state, treeSize: 10, rootHash: w.anchors.published[0]!.rootHash };
      expect(await custodian.advance(state, back)).toBe('saved');
      expect(await verify()).toMatchObject({
        verdict: 'invalid',
        firstFailure: { check: 'party-checkpoint', code: 'CHECKPOINT_INCONSISTENT' },
      });
    });
  });

  describe('when two auditors run at once', () => {
    it('never moves the state backwards: the one that verified less loses its write', async () => {
      await growAndAnchor(10);
      await verify();
      await growAndAnchor(30);
      // Both read the state at 10; one stops after 10 new records, the other reaches 30.
      const [short, long] = await Promise.all([
        verifyLedger(w.deps, { maxRecords: 10 }),
        verifyLedger(w.deps),
      ]);
      expect([short.verdict, long.verdict]).toEqual(['incomplete', 'valid']);
      expect((await sealedState()).treeSize).toBe(30);
      // And the shorter walk, written after the longer one, is refused as stale.
      const behind = await sealAuditState(w.deps.continuations, ORIGIN, {
        ...(await sealedState()),
        treeSize: 20,
      });
      expect(await w.store.save(behind, null)).toBe('stale');
    });
  });
});

describe('the full verifyLedger job', () => {
  it('seals the state at the last checkpoint it passed when it ends clean', async () => {
    await growAndAnchor(10);
    await growAndAnchor(20);
    w.size = 24;
    let report = await verify({ full: true, maxRecords: 7 });
    while (report.cursor)
      report = await verify({ full: true, maxRecords: 7, cursor: report.cursor });
    expect(report).toMatchObject({
      verdict: 'valid',
      mode: 'full',
      auditState: { outcome: 'advanced', treeSize: 20, checkpointSize: 20 },
    });
    expect(await verify()).toMatchObject({ verdict: 'valid', recordsChecked: 4 });
  });

  it('seals nothing when an earlier invocation of the job found something', async () => {
    await growAndAnchor(20);
    // The WORM copy is checked on the first invocation only; it is back for the second.
    const key = wormKeysOf(20).checkpoint;
    const copy = (await w.worm.get(key))!;
    w.worm.hide(key);
    const first = await verify({ full: true, maxRecords: 10 });
    expect(first.firstFailure).toMatchObject({ code: 'CHECKPOINT_INCONSISTENT' });
    await w.worm.put(key, copy, 'text/plain');
    const second = await verify({ full: true, maxRecords: 10, cursor: first.cursor! });
    expect(second).toMatchObject({ verdict: 'valid', auditState: null });
    expect(w.store.item).toBeNull();
  });
});
