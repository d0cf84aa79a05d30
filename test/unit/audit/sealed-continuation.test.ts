import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { openCursor, sealCursor, type AuditCursor } from '../../../core/audit/audit-cursor';
import {
  openContinuation,
  sealContinuation,
  type ContinuationSealer,
} from '../../../core/audit/sealed-continuation';
import { base64Encode, bytesEqual, utf8Encode } from '../../../core/encoding';
import { hashCheckpointSchema } from '../../../core/schemas';
import { editToken } from '../../support/continuation-tokens';

/** HMAC-SHA-256 with a random key, as KMS GenerateMac/VerifyMac compute it. */
function inMemorySealer(): ContinuationSealer {
  const key = crypto.getRandomValues(new Uint8Array(32));
  return {
    seal: (message) => Promise.resolve(hmac(sha256, key, message)),
    verify: (message, mac) => Promise.resolve(bytesEqual(hmac(sha256, key, message), mac)),
  };
}

const cursor: AuditCursor = {
  nextSeq: 2,
  lastHash: 'a'.repeat(64),
  compactRange: { size: 2, hashes: ['b'.repeat(64)] },
  toSeq: null,
  clean: true,
  passUpTo: 2,
  passed: null,
};
const evidence = { action: 'verifyEvidence', request: { depositId: 'c'.repeat(64) } } as const;
const hashState = { offset: 1024, state: base64Encode(new Uint8Array(116)) };

describe('sealed auditor continuations', () => {
  it('opens a cursor sealed for the same range', async () => {
    const sealer = inMemorySealer();
    const token = await sealCursor(sealer, { fromSeq: 0 }, cursor);
    expect(await openCursor(sealer, {}, token)).toEqual(cursor);
  });

  it('opens a hashing state sealed for the same deposit', async () => {
    const sealer = inMemorySealer();
    const token = await sealContinuation(sealer, evidence, hashState);
    expect(await openContinuation(sealer, evidence, token, hashCheckpointSchema)).toEqual(
      hashState,
    );
  });

  describe('when the caller forges the state', () => {
    it('refuses a cursor that skips ahead with AUDIT_CONTINUATION_FORGED (mac)', async () => {
      const sealer = inMemorySealer();
      const token = editToken(await sealCursor(sealer, {}, cursor), (e) => {
        e.state.nextSeq = 5;
      });
      await expect(openCursor(sealer, {}, token)).toFailWithCode('AUDIT_CONTINUATION_FORGED', {
        reason: 'mac',
      });
    });

    it('refuses a hashing state of other bytes with AUDIT_CONTINUATION_FORGED (mac)', async () => {
      const sealer = inMemorySealer();
      const token = editToken(await sealContinuation(sealer, evidence, hashState), (e) => {
        e.state = { offset: 1024, state: base64Encode(new Uint8Array(116).fill(7)) };
      });
      await expect(openContinuation(sealer, evidence, token, hashCheckpointSchema)).toFailWithCode(
        'AUDIT_CONTINUATION_FORGED',
        { reason: 'mac' },
      );
    });

    it('refuses a cursor sealed by another key (mac)', async () => {
      const token = await sealCursor(inMemorySealer(), {}, cursor);
      await expect(openCursor(inMemorySealer(), {}, token)).toFailWithCode(
        'AUDIT_CONTINUATION_FORGED',
        { reason: 'mac' },
      );
    });

    it('refuses a cursor written from scratch, as the old unsealed format was (malformed)', async () => {
      const unsealed = base64Encode(utf8Encode(JSON.stringify(cursor)));
      await expect(openCursor(inMemorySealer(), {}, unsealed)).toFailWithCode(
        'AUDIT_CONTINUATION_FORGED',
        { reason: 'malformed' },
      );
    });

    it('refuses garbage (malformed)', async () => {
      await expect(openCursor(inMemorySealer(), {}, '!!not base64')).toFailWithCode(
        'AUDIT_CONTINUATION_FORGED',
        { reason: 'malformed' },
      );
    });
  });

  describe('when a genuine continuation is replayed on another request', () => {
    it('refuses a cursor for another range (other-request)', async () => {
      const sealer = inMemorySealer();
      const token = await sealCursor(sealer, { fromSeq: 0, toSeq: 10 }, cursor);
      await expect(openCursor(sealer, { fromSeq: 0, toSeq: 20 }, token)).toFailWithCode(
        'AUDIT_CONTINUATION_FORGED',
        { reason: 'other-request' },
      );
    });

    it('refuses a hashing state for another deposit (other-request)', async () => {
      const sealer = inMemorySealer();
      const token = await sealContinuation(sealer, evidence, hashState);
      const other = { action: 'verifyEvidence', request: { depositId: 'd'.repeat(64) } } as const;
      await expect(openContinuation(sealer, other, token, hashCheckpointSchema)).toFailWithCode(
        'AUDIT_CONTINUATION_FORGED',
        { reason: 'other-request' },
      );
    });

    it('refuses a token whose request was rewritten to match (mac)', async () => {
      const sealer = inMemorySealer();
      const other = { action: 'verifyEvidence', request: { depositId: 'd'.repeat(64) } } as const;
      const token = editToken(await sealContinuation(sealer, evidence, hashState), (e) => {
        e.request = other.request;
      });
      await expect(openContinuation(sealer, other, token, hashCheckpointSchema)).toFailWithCode(
        'AUDIT_CONTINUATION_FORGED',
        { reason: 'mac' },
      );
    });

    it('refuses a cursor given to verifyEvidence (other-request)', async () => {
      const sealer = inMemorySealer();
      const token = await sealCursor(sealer, {}, cursor);
      await expect(openContinuation(sealer, evidence, token, hashCheckpointSchema)).toFailWithCode(
        'AUDIT_CONTINUATION_FORGED',
        { reason: 'other-request' },
      );
    });
  });
});
