/**
 * The attestation statement: what each party signs to approve a deposit, and the exact
 * bytes of its signature.
 *
 * The signed message is utf8(ATTESTATION_DOMAIN) || 0x00 || JCS(statement) (RFC 8785). The
 * signer (KMS Sign with MessageType=DIGEST, SigningAlgorithm=ECDSA_SHA_256) is handed
 * SHA-256 of that message, so the result is an ordinary ECDSA-SHA256 signature over the
 * message itself (FIPS 186-5 §6.4), verifiable with WebCrypto without any KMS call.
 */
import { canonicalStatement } from './canonical-record';
import { ATTESTATION_DOMAIN, domainSeparatedText, sha256 } from './hashing';
import { pickDeposit } from './known-fields';
import type { AttestationStatement, Deposit, PartyRole } from './types';

/** The statement `role` signs for `deposit`. Extra properties of `deposit` are ignored. */
export function attestationStatement(role: PartyRole, deposit: Deposit): AttestationStatement {
  return { type: 'evidence-ledger/attestation/v1', role, deposit: pickDeposit(deposit) };
}

/** The message a party signs: utf8(ATTESTATION_DOMAIN) || 0x00 || JCS(statement). */
export function statementMessage(statement: AttestationStatement): Uint8Array {
  return attestationMessage(statement.role, statement.deposit);
}

/**
 * statementMessage(attestationStatement(role, deposit)), without copying the deposit: only
 * the model's fields are written (canonicalStatement reads the known fields), so nothing
 * else is ever signed. What a verifier rebuilds per signature; `depositText`, if given, must
 * be fastDepositText(deposit) (canonical-record.ts), written once for the record; with
 * `scratch` the bytes are written into it when they fit (hashing.ts domainSeparatedText).
 */
export function attestationMessage(
  role: PartyRole,
  deposit: Deposit,
  depositText?: string,
  scratch?: Uint8Array,
): Uint8Array {
  const statement = { type: 'evidence-ledger/attestation/v1', role, deposit } as const;
  const text = canonicalStatement(statement, depositText);
  return domainSeparatedText(ATTESTATION_DOMAIN, text, scratch);
}

/** SHA-256 of statementMessage: the digest sent to KMS Sign with MessageType=DIGEST. */
export function statementDigest(statement: AttestationStatement): Uint8Array {
  return sha256(statementMessage(statement));
}
