/**
 * The two parties' approvals of a deposit: making one (signAttestation) and checking them
 * (verifyPartySignature, verifyApprovals). A deposit is approved when each role in
 * PARTY_ROLES has signed its own attestation statement with the key trusted for that role.
 */
import { isLedgerError, LedgerError } from './errors';
import { base64Decode, base64Encode } from './encoding';
import { derToP1363, verifyEcdsaP256Sha256, verifyEcdsaP256Sha256Sync } from './ecdsa-p256';
import type { KeyResolver, Signer } from './ports/signing';
import type { Sha256 } from './ports/sha256';
import type { SignatureVerifier } from './ports/signature-verifier';
import { attestationMessage, attestationStatement, statementMessage } from './statement';
import {
  PARTY_ROLES,
  SIGNATURE_ALGORITHM,
  type Deposit,
  type PartyRole,
  type PartySignature,
} from './types';

/**
 * Who may approve: the key id each role must sign with, and where public keys come from;
 * optionally how signatures are checked (WebCrypto when absent) and how the records they
 * approve are hashed (noble when absent); Node callers inject OpenSSL for both.
 */
export interface TrustedParties {
  readonly keyIds: Readonly<Record<PartyRole, string>>;
  readonly keys: KeyResolver;
  readonly verifier?: SignatureVerifier;
  readonly sha256?: Sha256;
}

/** `signer`'s signature over its role's statement for `deposit`. */
export async function signAttestation(signer: Signer, deposit: Deposit): Promise<PartySignature> {
  const der = await signer.sign(statementMessage(attestationStatement(signer.role, deposit)));
  derToP1363(der); // a signer returning malformed DER fails here, not at verification time
  return {
    role: signer.role,
    keyId: signer.keyId,
    algorithm: SIGNATURE_ALGORITHM,
    signature: base64Encode(der),
  };
}

/** SIGNATURE_INVALID for `signature` (details: role, keyId). */
function invalidSignature(signature: PartySignature, reason: string, cause?: unknown) {
  const details = { role: signature.role, keyId: signature.keyId };
  return new LedgerError('SIGNATURE_INVALID', `${signature.role} signature ${reason}`, details, {
    cause,
  });
}

/**
 * The DER bytes of `signature` if its algorithm is known and its value base64; else
 * SIGNATURE_INVALID. With `scratch`, decoded into it (encoding.ts base64Decode).
 */
function signatureDer(signature: PartySignature, scratch?: Uint8Array): Uint8Array {
  if (signature.algorithm !== SIGNATURE_ALGORITHM) {
    throw invalidSignature(signature, 'has an unknown algorithm');
  }
  try {
    return base64Decode(signature.signature, scratch);
  } catch (cause) {
    throw invalidSignature(signature, 'is not base64', cause);
  }
}

/** What a throw of the signature check becomes: malformed DER with the role; a malformed key stays INVALID_INPUT. */
function verifyError(signature: PartySignature, cause: unknown): unknown {
  if (isLedgerError(cause, 'SIGNATURE_INVALID')) {
    return invalidSignature(signature, 'is not valid DER', cause);
  }
  return cause;
}

/**
 * Checks that `signature` is a valid signature by `publicKeySpki` over the statement of
 * `signature.role` for `deposit`. Throws SIGNATURE_INVALID (details: role, keyId) otherwise,
 * including for a malformed base64 or DER value; INVALID_INPUT if the key is not a P-256
 * SPKI. Does not judge whether the key is trusted: that is verifyApprovals' job.
 */
export async function verifyPartySignature(
  signature: PartySignature,
  deposit: Deposit,
  publicKeySpki: Uint8Array,
  verifier?: SignatureVerifier,
): Promise<void> {
  const der = signatureDer(signature);
  const message = attestationMessage(signature.role, deposit);
  let valid: boolean;
  try {
    valid = await verifyEcdsaP256Sha256(publicKeySpki, message, der, verifier);
  } catch (cause) {
    throw verifyError(signature, cause);
  }
  if (!valid) throw invalidSignature(signature, 'does not verify');
}

/**
 * Where verifyPartySignatureSync writes a signature's DER and message: both are used at once,
 * on this thread, and never kept (a synchronous verifier returns before the next is written),
 * so one buffer serves every signature instead of two ArrayBuffers per signature.
 */
const DER_SCRATCH_BYTES = 128;
const scratch = new Uint8Array(16 * 1024);
const derScratch = scratch.subarray(0, DER_SCRATCH_BYTES);
const messageScratch = scratch.subarray(DER_SCRATCH_BYTES);

/**
 * verifyPartySignature with a verifier's synchronous form: the same checks in the same order,
 * the same errors. `depositText`, if given, is fastDepositText(deposit) (canonical-record.ts).
 */
export function verifyPartySignatureSync(
  signature: PartySignature,
  deposit: Deposit,
  publicKeySpki: Uint8Array,
  verifySync: NonNullable<SignatureVerifier['verifySync']>,
  depositText?: string,
): void {
  const der = signatureDer(signature, derScratch);
  const message = attestationMessage(signature.role, deposit, depositText, messageScratch);
  let valid: boolean;
  try {
    valid = verifyEcdsaP256Sha256Sync(publicKeySpki, message, der, verifySync);
  } catch (cause) {
    throw verifyError(signature, cause);
  }
  if (!valid) throw invalidSignature(signature, 'does not verify');
}

/** Throws SIGNATURE_MISSING unless there is exactly one signature per role, in PARTY_ROLES order. */
function assertOnePerRole(signatures: readonly PartySignature[]): void {
  PARTY_ROLES.forEach((role, index) => {
    if (signatures[index]?.role !== role) {
      throw new LedgerError('SIGNATURE_MISSING', `no ${role} signature at position ${index}`, {
        role,
        found: signatures.map((s) => s.role),
      });
    }
  });
  if (signatures.length !== PARTY_ROLES.length) {
    throw new LedgerError('SIGNATURE_MISSING', 'expected exactly one signature per role', {
      found: signatures.map((s) => s.role),
    });
  }
}

/** What a failed key lookup becomes: a LedgerError as it is, anything else KEY_UNAVAILABLE. */
export function keyLookupError(cause: unknown, keyId: string, role: PartyRole): unknown {
  if (isLedgerError(cause)) return cause;
  return new LedgerError(
    'KEY_UNAVAILABLE',
    `cannot resolve ${role} key`,
    { role, keyId },
    { cause },
  );
}

async function resolveKey(keys: KeyResolver, keyId: string, role: PartyRole) {
  try {
    return await keys.publicKey(keyId);
  } catch (cause) {
    throw keyLookupError(cause, keyId, role);
  }
}

/**
 * Checks, in order, that the approvals of `deposit` are complete and genuine:
 * one signature per role in PARTY_ROLES order (SIGNATURE_MISSING), each made with the key
 * trusted for its role (UNTRUSTED_KEY), each verifying (SIGNATURE_INVALID, details.role).
 * Throws at the first failure; roles are checked in PARTY_ROLES order.
 */
export async function verifyApprovals(
  deposit: Deposit,
  signatures: readonly PartySignature[],
  trusted: TrustedParties,
): Promise<void> {
  assertOnePerRole(signatures);
  for (const signature of signatures)
    await verifyApproval(deposit, signature, signature.role, trusted);
}

/**
 * Checks one approval of `deposit` by `role`: a signature of that role (SIGNATURE_MISSING),
 * made with the key trusted for it (UNTRUSTED_KEY), that verifies (SIGNATURE_INVALID).
 */
export async function verifyApproval(
  deposit: Deposit,
  signature: PartySignature,
  role: PartyRole,
  trusted: TrustedParties,
): Promise<void> {
  requireTrustedSigner(signature, role, trusted);
  const publicKey = await resolveKey(trusted.keys, signature.keyId, role);
  await verifyPartySignature(signature, deposit, publicKey, trusted.verifier);
}

/**
 * verifyApprovals on the calling thread, for a verifier with a synchronous form and keys
 * already looked up: the same checks in the same order, the same errors. `keyOf` returns the
 * trusted key of `keyId` or throws what its lookup threw (keyLookupError); `depositText`, if
 * given, is fastDepositText(deposit) (canonical-record.ts), written once for the record.
 */
export function verifyApprovalsSync(
  deposit: Deposit,
  signatures: readonly PartySignature[],
  trusted: TrustedParties,
  verifySync: NonNullable<SignatureVerifier['verifySync']>,
  keyOf: (keyId: string, role: PartyRole) => Uint8Array,
  depositText?: string,
): void {
  assertOnePerRole(signatures);
  for (const signature of signatures) {
    requireTrustedSigner(signature, signature.role, trusted);
    const publicKey = keyOf(signature.keyId, signature.role);
    verifyPartySignatureSync(signature, deposit, publicKey, verifySync, depositText);
  }
}

/** A signature of `role` (SIGNATURE_MISSING) with the key id trusted for it (UNTRUSTED_KEY). */
function requireTrustedSigner(
  signature: PartySignature,
  role: PartyRole,
  trusted: TrustedParties,
): void {
  if (signature.role !== role) {
    throw new LedgerError('SIGNATURE_MISSING', `no ${role} signature`, {
      role,
      found: [signature.role],
    });
  }
  const expectedKeyId = trusted.keyIds[role];
  if (signature.keyId !== expectedKeyId) {
    throw new LedgerError('UNTRUSTED_KEY', `${role} signed with an untrusted key`, {
      role,
      keyId: signature.keyId,
      expectedKeyId,
    });
  }
}
