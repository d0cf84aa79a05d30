import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/canonical-json';
import { bytesToHex, utf8Encode } from '../../../core/encoding';
import { sha256 } from '../../../core/hashing';
import { sealRecord } from '../../../core/record';
import { attestationStatement, statementDigest, statementMessage } from '../../../core/statement';
import { GENESIS_PREV_HASH, type LedgerRecordBody } from '../../../core/types';
import { placeholderSignatures, sampleDeposit } from './fixtures';

const deposit = sampleDeposit();

describe('attestationStatement', () => {
  it('names the role and carries the deposit facts', () => {
    expect(attestationStatement('agency', deposit)).toEqual({
      type: 'evidence-ledger/attestation/v1',
      role: 'agency',
      deposit,
    });
  });

  it('ignores properties the Deposit type does not define', () => {
    const withExtras = { ...deposit, status: 'PENDING', ttl: 123 };
    expect(statementMessage(attestationStatement('agency', withExtras))).toEqual(
      statementMessage(attestationStatement('agency', deposit)),
    );
  });
});

describe('statementMessage', () => {
  it('is the attestation domain, a NUL and the canonical statement', () => {
    const statement = attestationStatement('custodian', deposit);
    const expected = `evidence-ledger:attestation:v1\0${canonicalJson(statement)}`;
    expect(statementMessage(statement)).toEqual(utf8Encode(expected));
  });

  it('differs between the two roles for the same deposit', () => {
    expect(bytesToHex(statementMessage(attestationStatement('agency', deposit)))).not.toBe(
      bytesToHex(statementMessage(attestationStatement('custodian', deposit))),
    );
  });
});

describe('statementDigest', () => {
  it('is SHA-256 of the message, as KMS Sign with MessageType=DIGEST expects', () => {
    const statement = attestationStatement('agency', deposit);
    expect(statementDigest(statement)).toEqual(sha256(statementMessage(statement)));
  });
});

describe('domain separation between statements and records', () => {
  const body: LedgerRecordBody = {
    type: 'evidence-ledger/record/v1',
    seq: 0,
    prevHash: GENESIS_PREV_HASH,
    sequencedAt: '2024-05-01T12:00:00.000Z',
    deposit,
    signatures: placeholderSignatures(),
  };

  it('never signs the bytes a record hash covers', () => {
    const recordPreimage = utf8Encode(`evidence-ledger:record:v1\0${canonicalJson(body)}`);
    const message = statementMessage(attestationStatement('agency', deposit));
    expect(bytesToHex(message)).not.toBe(bytesToHex(recordPreimage));
    // The prefixes already differ, so no choice of JSON can make the two byte strings meet.
    const prefix = (bytes: Uint8Array) => bytesToHex(bytes.subarray(0, bytes.indexOf(0) + 1));
    expect(prefix(message)).not.toBe(prefix(recordPreimage));
  });

  it('gives a statement digest that no record hash can equal, even over identical JSON', () => {
    const statement = attestationStatement('agency', deposit);
    const sameJsonAsRecord = sha256(
      utf8Encode(`evidence-ledger:record:v1\0${canonicalJson(statement)}`),
    );
    expect(bytesToHex(statementDigest(statement))).not.toBe(bytesToHex(sameJsonAsRecord));
    expect(sealRecord(body).recordHash).not.toBe(bytesToHex(statementDigest(statement)));
  });
});
