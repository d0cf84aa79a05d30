/**
 * C2SP signed notes (c2sp.org/signed-note §Format, §Signatures): the note text (ending in a
 * newline), a blank line, then one line per signature:
 *
 *   — <key name> base64(uint32 big-endian key ID || signature)\n      (— is U+2014)
 *
 * Only signature type 0x02 (ECDSA P-256, see note-key.ts) is implemented: the signature is
 * ASN.1 DER over SHA-256(note text), exactly what KMS ECDSA_SHA_256 returns, and what
 * transparency-dev/formats verifies with ecdsa.VerifyASN1. Verification is core/ecdsa-p256.ts
 * (WebCrypto), so it runs in browsers.
 */
import type { Signer } from '../ports/signing';
import { concatBytes } from '../encoding';
import { verifyEcdsaP256Sha256 } from '../ecdsa-p256';
import { LedgerError, isLedgerError } from '../errors';
import { fromBase64, toBase64 } from './base64';
import { hasControlCharacter, requireNoteName } from './checkpoint';
import { ecdsaKeyId, formatKeyId, type NoteVerifierKey } from './note-key';

/** A party's key as a note signer: the KMS-backed Signer plus its note name and public key. */
export interface NoteSigner {
  readonly keyName: string;
  readonly publicKeySpki: Uint8Array;
  readonly signer: Signer;
}

export interface VerifiedNote<V extends NoteVerifierKey> {
  /** The note text, including its final newline. */
  readonly text: string;
  /** The trusted verifiers whose signatures verified, in the order their lines appear. */
  readonly verified: readonly V[];
}

/** Bounds for attacker-controlled notes; the spec requires accepting at least 16 signatures. */
export const MAX_NOTE_LENGTH = 64 * 1024;
export const MAX_SIGNATURES = 32;
const SIGNATURE_LINE = /^\u2014 ([^ ]+) ([A-Za-z0-9+/=]+)$/;

function malformed(message: string): LedgerError {
  return new LedgerError('CHECKPOINT_MALFORMED', message);
}

/** UTF-8, bounded, no control characters but newline (signed-note §Format). */
function requireNoteCharacters(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_NOTE_LENGTH) throw malformed('note is too large');
  if (new TextDecoder().decode(bytes) !== text) throw malformed('note is not valid UTF-8');
  if (hasControlCharacter(text, true)) throw malformed('note contains control characters');
  return bytes;
}

/**
 * Whether `der` is a valid signature of `message` under `spki` (the core's one P-256 verify
 * path). A malformed signature is a failed one here, so the caller reports it as
 * CHECKPOINT_SIGNATURE_INVALID; a malformed key still throws INVALID_INPUT.
 */
async function signatureVerifies(
  spki: Uint8Array,
  der: Uint8Array,
  message: Uint8Array,
): Promise<boolean> {
  try {
    return await verifyEcdsaP256Sha256(spki, message, der);
  } catch (error) {
    if (isLedgerError(error) && error.code === 'SIGNATURE_INVALID') return false;
    throw error;
  }
}

/** The key ID bytes a type 0x02 signature starts with: SHA-256(SPKI)[:4]. */
function keyIdBytes(publicKeySpki: Uint8Array): Uint8Array {
  const keyId = new Uint8Array(4);
  new DataView(keyId.buffer).setUint32(0, ecdsaKeyId(publicKeySpki), false);
  return keyId;
}

/** Throws CHECKPOINT_MALFORMED unless `text` can be a note's text; returns its UTF-8 bytes. */
function requireNoteText(text: string): Uint8Array {
  const message = requireNoteCharacters(text);
  if (!text.endsWith('\n')) throw malformed('note text must end in a newline');
  return message;
}

/**
 * One signature line over `text`, without its final newline: "— <key name> <base64>".
 * This is what a co-signer returns (each party signs the same text on its own; the lines
 * are put together with assembleNote). The signature is checked against the signer's
 * public key before it is returned.
 */
export async function signNoteLine(text: string, noteSigner: NoteSigner): Promise<string> {
  const message = requireNoteText(text);
  const { keyName, publicKeySpki, signer } = noteSigner;
  requireNoteName(keyName, 'key name');
  const der = await signer.sign(message);
  // Catches a Signer wired to another key than the one the verifiers will trust.
  if (!(await signatureVerifies(publicKeySpki, der, message))) {
    throw new LedgerError('CHECKPOINT_SIGNATURE_INVALID', 'signer did not sign with its key', {
      keyName,
    });
  }
  return `\u2014 ${keyName} ${toBase64(concatBytes(keyIdBytes(publicKeySpki), der))}`;
}

/**
 * The signed note of `text` and signature `lines` (each "— <key name> <base64>", without
 * newline), in the order given. Checks the form of the text and of every line
 * (CHECKPOINT_MALFORMED), not the signatures: verifyNote does that.
 */
export function assembleNote(text: string, lines: readonly string[]): string {
  requireNoteText(text);
  if (lines.length === 0 || lines.length > MAX_SIGNATURES) {
    throw malformed(`a note needs 1-${MAX_SIGNATURES} signature lines`);
  }
  lines.forEach(parseSignatureLine);
  const note = `${text}\n${lines.map((line) => `${line}\n`).join('')}`;
  requireNoteCharacters(note);
  return note;
}

/** Signs `text` with every signer and returns the signed note. */
export async function signNote(text: string, signers: readonly NoteSigner[]): Promise<string> {
  requireNoteText(text);
  const lines: string[] = [];
  for (const signer of signers) lines.push(await signNoteLine(text, signer));
  return assembleNote(text, lines);
}

interface SignatureLine {
  readonly keyName: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

function parseSignatureLine(line: string): SignatureLine {
  const match = SIGNATURE_LINE.exec(line);
  if (!match) throw malformed('signature line must be "— <key name> <base64>"');
  const [, keyName = '', encoded = ''] = match;
  requireNoteName(keyName, 'key name');
  const bytes = fromBase64(encoded, 'signature');
  if (bytes.length < 5) throw malformed('signature must hold a key ID and a signature');
  const keyId = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
  return { keyName, keyId, signature: bytes.subarray(4) };
}

/** Splits a note at its last blank line into text and signature lines. */
function splitNote(note: string): { text: string; lines: SignatureLine[] } {
  requireNoteCharacters(note);
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n'))
    throw malformed('note needs text, a blank line and signatures');
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw malformed('note has too many signatures');
  return { text: note.slice(0, split + 1), lines: lines.map(parseSignatureLine) };
}

/**
 * Opens a signed note: verifies every signature line whose (key name, key ID) pair is a
 * trusted verifier's, ignores lines from unknown keys (signed-note §Signatures: "MUST ignore"),
 * and rejects the whole note if a trusted key's signature fails ("SHOULD reject") or if no
 * trusted signature verifies ("MUST reject"). Throws CHECKPOINT_MALFORMED or
 * CHECKPOINT_SIGNATURE_INVALID.
 */
export async function verifyNote<V extends NoteVerifierKey>(
  note: string,
  verifiers: readonly V[],
): Promise<VerifiedNote<V>> {
  for (const v of verifiers) {
    if (v.keyId !== ecdsaKeyId(v.publicKeySpki)) {
      throw new LedgerError('INVALID_INPUT', 'verifier key ID does not match its key', {
        name: v.name,
      });
    }
  }
  const { text, lines } = splitNote(note);
  const message = new TextEncoder().encode(text);
  const verified: V[] = [];
  for (const line of lines) {
    const verifier = verifiers.find((v) => v.name === line.keyName && v.keyId === line.keyId);
    if (!verifier) continue;
    if (!(await signatureVerifies(verifier.publicKeySpki, line.signature, message))) {
      throw new LedgerError(
        'CHECKPOINT_SIGNATURE_INVALID',
        'a trusted key signature does not verify',
        {
          keyName: line.keyName,
          keyId: formatKeyId(line.keyId),
        },
      );
    }
    if (!verified.includes(verifier)) verified.push(verifier);
  }
  if (verified.length === 0) {
    throw new LedgerError('CHECKPOINT_SIGNATURE_INVALID', 'no signature from a trusted key');
  }
  return { text, verified };
}
