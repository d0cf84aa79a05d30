import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/canonical-json';
import { bytesToHex, utf8Encode } from '../../../core/encoding';
import { sha256 } from '../../../core/hashing';
import { recordBody, recordHash, sealRecord } from '../../../core/record';
import { GENESIS_PREV_HASH, type LedgerRecordBody } from '../../../core/types';
import { placeholderSignatures, sampleDeposit } from './fixtures';

const body: LedgerRecordBody = {
  type: 'evidence-ledger/record/v1',
  seq: 0,
  prevHash: GENESIS_PREV_HASH,
  sequencedAt: '2024-05-01T12:00:00.000Z',
  deposit: sampleDeposit(),
  signatures: placeholderSignatures(),
};

describe('recordHash', () => {
  it('is hex SHA-256 of the record domain, a NUL and the canonical body', () => {
    const preimage = `evidence-ledger:record:v1\0${canonicalJson(body)}`;
    expect(recordHash(body)).toBe(bytesToHex(sha256(utf8Encode(preimage))));
  });

  const [agencySignature, custodianSignature] = placeholderSignatures();
  it.each<[string, LedgerRecordBody]>([
    ['seq', { ...body, seq: 1 }],
    ['prevHash', { ...body, prevHash: '1'.repeat(64) }],
    ['sequencedAt', { ...body, sequencedAt: '2024-05-01T12:00:00.001Z' }],
    ['deposit.sha256', { ...body, deposit: { ...body.deposit, sha256: 'b'.repeat(64) } }],
    ['deposit.size', { ...body, deposit: { ...body.deposit, size: 0 } }],
    [
      'deposit.uploader',
      { ...body, deposit: { ...body.deposit, uploader: { principalId: null, sourceIp: null } } },
    ],
    ['deposit.caseMetadata', { ...body, deposit: { ...body.deposit, caseMetadata: {} } }],
    [
      'a signature value',
      {
        ...body,
        signatures: [agencySignature!, { ...custodianSignature!, signature: 'MEQCIA==' }],
      },
    ],
    ['the signature order', { ...body, signatures: [custodianSignature!, agencySignature!] }],
  ])('changes when %s changes', (_field, changed) => {
    expect(recordHash(changed)).not.toBe(recordHash(body));
  });

  describe('when the body carries properties LedgerRecordBody does not define', () => {
    it('ignores them, including a recordHash, so a record hashes like its body', () => {
      const record = sealRecord(body);
      const withExtras = { ...record, ttl: 1, deposit: { ...record.deposit, status: 'DONE' } };
      expect(recordHash(withExtras)).toBe(record.recordHash);
    });
  });
});

describe('sealRecord and recordBody', () => {
  it('seal adds the hash of the body; recordBody gives the body back', () => {
    const record = sealRecord(body);
    expect(record).toEqual({ ...body, recordHash: recordHash(body) });
    expect(recordBody(record)).toEqual(body);
  });

  it('drop extra properties, so none can reach storage or a later hash', () => {
    const record = sealRecord({ ...body, note: 'extra' } as LedgerRecordBody);
    expect(Object.keys(record)).not.toContain('note');
    expect(Object.keys(recordBody({ ...record, gsi1pk: 'x' } as typeof record))).not.toContain(
      'gsi1pk',
    );
  });
});
