/**
 * The trusted-keys file, "evidence-ledger/trusted-keys/v1": what the verifying user trusts —
 * the log's origin, each party's record-signing key id and public key, its signed-note key
 * name, and optionally the RFC 3161 authorities whose certificates are pinned. It comes from
 * the user (obtained out of band), never from a bundle.
 */
import { z } from 'zod';
import { requireNoteName } from '../checkpoint/checkpoint';
import { noteVerifierKey } from '../checkpoint/note-key';
import type { PartyVerifierKey } from '../checkpoint/signed-checkpoint';
import { base64Decode, bytesEqual, hexToBytes } from '../encoding';
import { LedgerError } from '../errors';
import type { TrustedParties } from '../party-signatures';
import { parseWith, utf8Text } from '../schemas';
import { parseStrictJson } from '../strict-json';
import { PARTY_ROLES, type PartyRole } from '../types';

export const TRUSTED_KEYS_FORMAT = 'evidence-ledger/trusted-keys/v1';

const partySchema = z.strictObject({
  role: z.enum(PARTY_ROLES),
  keyId: utf8Text(1, 2048),
  noteKeyName: utf8Text(1, 256),
  publicKey: utf8Text(4, 1024),
});

export const trustedKeysSchema = z.strictObject({
  format: z.literal(TRUSTED_KEYS_FORMAT),
  origin: utf8Text(1, 256),
  parties: z.array(partySchema).length(PARTY_ROLES.length),
  tsa: z
    .array(z.strictObject({ name: utf8Text(1, 256), certificate: utf8Text(0, 16_384) }))
    .max(8)
    .optional(),
});

export type TrustedKeysJson = z.infer<typeof trustedKeysSchema>;

export interface TrustedParty {
  readonly role: PartyRole;
  readonly keyId: string;
  readonly noteKeyName: string;
  readonly publicKeySpki: Uint8Array;
}

export interface TrustedTsa {
  readonly name: string;
  readonly certificateDer: Uint8Array;
}

/** A parsed trusted-keys file; `parties` holds one entry per role, in PARTY_ROLES order. */
export interface TrustedKeys {
  readonly origin: string;
  readonly parties: readonly TrustedParty[];
  readonly tsa: readonly TrustedTsa[];
}

const PEM = /^-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----\s*$/;

/** DER bytes of a certificate given as PEM or as base64 DER. Throws INVALID_INPUT. */
export function certificateDer(text: string): Uint8Array {
  const body = PEM.exec(text.trim())?.[1] ?? text.trim();
  return base64Decode(body.replace(/\s+/g, ''));
}

/** DER prefix of a P-256 SubjectPublicKeyInfo (RFC 5480), before the 65-byte uncompressed point. */
export const P256_SPKI_PREFIX = hexToBytes('3059301306072a8648ce3d020106082a8648ce3d030107034200');

function decodeParty(party: TrustedKeysJson['parties'][number]): TrustedParty {
  requireNoteName(party.noteKeyName, 'noteKeyName');
  const publicKeySpki = base64Decode(party.publicKey);
  const prefix = publicKeySpki.subarray(0, P256_SPKI_PREFIX.length);
  if (
    publicKeySpki.length !== P256_SPKI_PREFIX.length + 65 ||
    !bytesEqual(prefix, P256_SPKI_PREFIX)
  ) {
    throw new LedgerError(
      'INVALID_INPUT',
      `${party.role} publicKey is not an uncompressed P-256 SPKI`,
    );
  }
  return { ...party, publicKeySpki };
}

/** Parses a trusted-keys file. Throws INVALID_INPUT (or CHECKPOINT_MALFORMED for a bad name). */
export function parseTrustedKeys(input: unknown): TrustedKeys {
  const json = parseWith(trustedKeysSchema, input, 'trusted-keys file');
  requireNoteName(json.origin, 'origin');
  const parties = PARTY_ROLES.map((role) => {
    const party = json.parties.find((p) => p.role === role);
    if (!party) throw new LedgerError('INVALID_INPUT', `trusted-keys file has no ${role} key`);
    return decodeParty(party);
  });
  const tsa = (json.tsa ?? []).map(({ name, certificate }) => ({
    name,
    certificateDer: certificateDer(certificate),
  }));
  return { origin: json.origin, parties, tsa };
}

/**
 * Parses a trusted-keys file as it was read (bytes or text), strictly like a bundle
 * (core/strict-json.ts), then with parseTrustedKeys. Throws INVALID_INPUT (or
 * CHECKPOINT_MALFORMED for a bad name).
 */
export function parseTrustedKeysFile(file: Uint8Array | string): TrustedKeys {
  return parseTrustedKeys(parseStrictJson(file, { what: 'trusted-keys file' }));
}

/** The parties as signed-note verifiers of checkpoints. */
export function checkpointVerifiers(trusted: TrustedKeys): PartyVerifierKey[] {
  return trusted.parties.map((p) => ({
    ...noteVerifierKey(p.noteKeyName, p.publicKeySpki),
    role: p.role,
  }));
}

/** The parties as approvers of records: role → key id, key id → public key. */
export function recordApprovers(trusted: TrustedKeys): TrustedParties {
  const byKeyId = new Map(trusted.parties.map((p) => [p.keyId, p.publicKeySpki]));
  const keyIds = Object.fromEntries(trusted.parties.map((p) => [p.role, p.keyId]));
  return {
    keyIds: keyIds as Record<PartyRole, string>,
    keys: {
      publicKey: (keyId) => {
        const key = byKeyId.get(keyId);
        if (key) return Promise.resolve(key);
        return Promise.reject(new LedgerError('UNTRUSTED_KEY', 'key id is not trusted', { keyId }));
      },
    },
  };
}
