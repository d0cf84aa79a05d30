/**
 * Keys of C2SP signed notes, signature type 0x02 (c2sp.org/signed-note §Signature types):
 * "ECDSA signatures as implemented by github.com/transparency-dev/witness", curve NIST P-256,
 * and "the key ID for these signatures is the truncated SHA-256 hash of the DER encoded
 * public key in SPKI format" — SHA-256(SPKI)[:4] read big-endian, WITHOUT the key name and
 * type byte that the spec's generic recommendation (and Ed25519, type 0x01) hash in.
 * transparency-dev/formats note/note_verifier.go (keyHashECDSA) does exactly this; its
 * published Rekor key (c0d23d6a) is a test vector here.
 *
 * The verifier key string is the golang.org/x/mod/sumdb/note form that
 * transparency-dev/formats NewECDSAVerifier reads: <name>+<8 hex key ID>+base64(0x02 || SPKI).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { LedgerError } from '../errors';
import { fromBase64, toBase64 } from './base64';
import { requireNoteName } from './checkpoint';
import type { PartyRole } from '../types';

export const ECDSA_SIGNATURE_TYPE = 0x02;

/** A trusted note verifier: who may sign, under which name and key ID, with which key. */
export interface NoteVerifierKey {
  readonly name: string;
  /** uint32 key ID, as it appears big-endian in the first four signature bytes. */
  readonly keyId: number;
  /** DER SubjectPublicKeyInfo of the P-256 public key (what KMS GetPublicKey returns). */
  readonly publicKeySpki: Uint8Array;
}

/** Key ID of a type 0x02 (ECDSA) note key: SHA-256(SPKI DER)[:4], big-endian uint32. */
export function ecdsaKeyId(publicKeySpki: Uint8Array): number {
  const digest = sha256(publicKeySpki);
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0, false);
}

export function formatKeyId(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** The verifier for `name` and `publicKeySpki`, with its key ID derived per the spec. */
export function noteVerifierKey(name: string, publicKeySpki: Uint8Array): NoteVerifierKey {
  requireNoteName(name, 'key name');
  return { name, keyId: ecdsaKeyId(publicKeySpki), publicKeySpki };
}

/** <name>+<hex key ID>+base64(0x02 || SPKI). */
export function formatVerifierKey(key: NoteVerifierKey): string {
  const typed = Uint8Array.from([ECDSA_SIGNATURE_TYPE, ...key.publicKeySpki]);
  return `${key.name}+${formatKeyId(key.keyId)}+${toBase64(typed)}`;
}

/** Parses a verifier key string; the key ID must match the one derived from the key. */
export function parseVerifierKey(text: string): NoteVerifierKey {
  // Like Go's strings.SplitN(key, "+", 3): the base64 key itself may contain '+'.
  const [, name, hexId, encoded] = /^([^+]*)\+([0-9a-f]{8})\+(.*)$/s.exec(text) ?? [];
  if (name === undefined || hexId === undefined || encoded === undefined) {
    throw new LedgerError('INVALID_INPUT', 'verifier key must be <name>+<8 hex key id>+<key>');
  }
  const typed = fromBase64(encoded, 'verifier key');
  if (typed[0] !== ECDSA_SIGNATURE_TYPE || typed.length < 2) {
    throw new LedgerError('INVALID_INPUT', 'verifier key is not a type 0x02 (ECDSA) key', { name });
  }
  const key = noteVerifierKey(name, typed.subarray(1));
  if (formatKeyId(key.keyId) !== hexId) {
    throw new LedgerError('INVALID_INPUT', 'verifier key ID does not match its key', {
      name,
      stated: hexId,
      derived: formatKeyId(key.keyId),
    });
  }
  return key;
}

/**
 * The signed-note key name of a party's checkpoint signatures: `<origin>/<role>` (C2SP key
 * names hold no spaces or '+'; see docs/FORMAT.md). The one definition: the co-signers sign
 * with it, the anchor and the auditor verify with it.
 */
export function partyNoteKeyName(origin: string, role: PartyRole): string {
  return `${origin}/${role}`;
}
