import { beforeAll, describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../../../core/encoding';
import {
  signAttestation,
  verifyApprovals,
  verifyPartySignature,
  type TrustedParties,
} from '../../../core/party-signatures';
import { attestationStatement, statementMessage } from '../../../core/statement';
import type { PartySignature } from '../../../core/types';
import {
  createInMemorySigner,
  inMemoryKeyResolver,
  type InMemorySigner,
} from '../../../tools/fakes/in-memory-signer';
import { sampleDeposit } from './fixtures';

const deposit = sampleDeposit();
const otherDeposit = sampleDeposit('cases/2024-0042/photo-2.jpg');

let agency: InMemorySigner;
let custodian: InMemorySigner;
let trusted: TrustedParties;
let approvals: PartySignature[];

beforeAll(async () => {
  [agency, custodian] = await Promise.all([
    createInMemorySigner('agency'),
    createInMemorySigner('custodian'),
  ]);
  trusted = {
    keyIds: { agency: agency.keyId, custodian: custodian.keyId },
    keys: inMemoryKeyResolver([agency, custodian]),
  };
  approvals = await Promise.all([
    signAttestation(agency, deposit),
    signAttestation(custodian, deposit),
  ]);
});

const rejection = (signatures: readonly PartySignature[], forDeposit = deposit) =>
  verifyApprovals(forDeposit, signatures, trusted).then(
    () => ({ code: 'none' }),
    (error: { code: string; details: { role?: string } }) => ({
      code: error.code,
      role: error.details.role,
    }),
  );

describe('signAttestation', () => {
  it('returns the base64 DER signature of the role statement with the signer key id', async () => {
    const signature = approvals[0]!;
    expect(signature).toMatchObject({
      role: 'agency',
      keyId: agency.keyId,
      algorithm: 'ECDSA_P256_SHA256',
    });
    expect(base64Decode(signature.signature)[0]).toBe(0x30);
    await expect(
      verifyPartySignature(signature, deposit, agency.publicKeySpki()),
    ).resolves.toBeUndefined();
  });

  it('fails with SIGNATURE_INVALID when the signer returns something that is not DER', async () => {
    const broken = { ...agency, sign: () => Promise.resolve(Uint8Array.of(1, 2, 3)) };
    await expect(signAttestation(broken, deposit)).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
  });
});

describe('verifyApprovals', () => {
  describe('when both parties signed this deposit with their trusted keys', () => {
    it('accepts', async () => {
      await expect(rejection(approvals)).resolves.toEqual({ code: 'none' });
    });
  });

  describe('when a signature over another deposit is put in its place', () => {
    it('fails with SIGNATURE_INVALID for that role', async () => {
      const replaced = await signAttestation(custodian, otherDeposit);
      await expect(rejection([approvals[0]!, replaced])).resolves.toEqual({
        code: 'SIGNATURE_INVALID',
        role: 'custodian',
      });
    });
  });

  describe('when any deposit fact changed after signing', () => {
    it('fails with SIGNATURE_INVALID for the first role', async () => {
      const tampered = { ...deposit, sha256: 'b'.repeat(64) };
      await expect(rejection(approvals, tampered)).resolves.toEqual({
        code: 'SIGNATURE_INVALID',
        role: 'agency',
      });
    });
  });

  describe("when a party's key signed the other role's statement", () => {
    it('fails with SIGNATURE_INVALID: a signature is bound to its role', async () => {
      const message = statementMessage(attestationStatement('agency', deposit));
      const der = await custodian.sign(message);
      const confused = { ...approvals[1]!, signature: base64Encode(der) };
      await expect(rejection([approvals[0]!, confused])).resolves.toEqual({
        code: 'SIGNATURE_INVALID',
        role: 'custodian',
      });
    });
  });

  describe('when the two signatures swap role labels', () => {
    it('fails with UNTRUSTED_KEY: the agency slot holds the custodian key', async () => {
      const swapped = [
        { ...approvals[1]!, role: 'agency' as const },
        { ...approvals[0]!, role: 'custodian' as const },
      ];
      await expect(rejection(swapped)).resolves.toEqual({ code: 'UNTRUSTED_KEY', role: 'agency' });
    });
  });

  describe('when the signatures are out of PARTY_ROLES order', () => {
    it('fails with SIGNATURE_MISSING for agency', async () => {
      await expect(rejection([approvals[1]!, approvals[0]!])).resolves.toEqual({
        code: 'SIGNATURE_MISSING',
        role: 'agency',
      });
    });
  });

  describe('when a key that is not trusted for the role signed', () => {
    it('fails with UNTRUSTED_KEY', async () => {
      const stranger = await createInMemorySigner(
        'agency',
        'arn:aws:kms:eu-west-1:000000000000:key/stranger',
      );
      const forged = await signAttestation(stranger, deposit);
      await expect(rejection([forged, approvals[1]!])).resolves.toEqual({
        code: 'UNTRUSTED_KEY',
        role: 'agency',
      });
    });

    it('fails with SIGNATURE_INVALID when it claims the trusted key id', async () => {
      const stranger = await createInMemorySigner('agency', agency.keyId);
      const forged = await signAttestation(stranger, deposit);
      await expect(rejection([forged, approvals[1]!])).resolves.toEqual({
        code: 'SIGNATURE_INVALID',
        role: 'agency',
      });
    });
  });

  describe('when a role has not signed', () => {
    it('fails with SIGNATURE_MISSING for that role', async () => {
      await expect(rejection([approvals[0]!])).resolves.toEqual({
        code: 'SIGNATURE_MISSING',
        role: 'custodian',
      });
      await expect(rejection([])).resolves.toEqual({ code: 'SIGNATURE_MISSING', role: 'agency' });
    });
  });

  describe('when one role signed twice', () => {
    it('fails with SIGNATURE_MISSING for the role that did not sign', async () => {
      await expect(rejection([approvals[0]!, approvals[0]!])).resolves.toEqual({
        code: 'SIGNATURE_MISSING',
        role: 'custodian',
      });
    });

    it('fails with SIGNATURE_MISSING when the duplicate comes after both', async () => {
      await expect(rejection([...approvals, approvals[0]!])).resolves.toMatchObject({
        code: 'SIGNATURE_MISSING',
      });
    });
  });

  describe('when a signature value or algorithm is malformed', () => {
    it.each<[string, Record<string, string>]>([
      ['not base64', { signature: '!!!!' }],
      ['base64 of bytes that are not DER', { signature: 'AAAA' }],
      ['another algorithm', { algorithm: 'RSASSA_PSS_SHA_256' }],
    ])('fails with SIGNATURE_INVALID (%s)', async (_what, change) => {
      const malformed = { ...approvals[0]!, ...change } as PartySignature;
      await expect(rejection([malformed, approvals[1]!])).resolves.toEqual({
        code: 'SIGNATURE_INVALID',
        role: 'agency',
      });
    });
  });

  describe('when the key resolver fails with a plain error', () => {
    it('fails with KEY_UNAVAILABLE', async () => {
      const failing = {
        ...trusted,
        keys: { publicKey: () => Promise.reject(new Error('throttled')) },
      };
      await expect(verifyApprovals(deposit, approvals, failing)).rejects.toMatchObject({
        code: 'KEY_UNAVAILABLE',
      });
    });
  });
});
