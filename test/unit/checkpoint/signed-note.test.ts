import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../../core/checkpoint/checkpoint';
import { ecdsaKeyId, formatVerifierKey, parseVerifierKey } from '../../../core/checkpoint/note-key';
import { signCheckpoint, verifyCheckpoint } from '../../../core/checkpoint/signed-checkpoint';
import {
  assembleNote,
  signNote,
  signNoteLine,
  verifyNote,
} from '../../../core/checkpoint/signed-note';
import { formatCheckpoint } from '../../../core/checkpoint/checkpoint';
import { base64Decode, base64Encode } from '../../../core/encoding';
import { ATTESTATION_DOMAIN } from '../../../core/hashing';
import { signAttestation, verifyPartySignature } from '../../../core/party-signatures';
import { attestationStatement, statementMessage } from '../../../core/statement';
import { oneOfCodes } from '../../support/fail-with-code';
import { sampleDeposit } from '../core/fixtures';
import { createParty, type TestParty } from '../../../tools/fakes/in-memory-party';

interface Vectors {
  valid: { desc: string; verifierKey: string; note: string }[];
  invalidSignature: { verifierKey: string; note: string };
  wrongKeyId: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../vectors/c2sp-signed-note/ecdsa-notes.json', import.meta.url), 'utf8'),
) as Vectors;

const checkpoint: Checkpoint = {
  origin: 'ledger.example/log',
  treeSize: 1234,
  rootHash: sha256(new TextEncoder().encode('root')),
  extensions: [],
};
let agency: TestParty;
let custodian: TestParty;
let trusted: TestParty['verifier'][];
let note: string;

beforeAll(async () => {
  [agency, custodian] = await Promise.all([createParty('agency'), createParty('custodian')]);
  trusted = [agency.verifier, custodian.verifier];
  note = await signCheckpoint(checkpoint, [custodian.noteSigner, agency.noteSigner]);
});

describe('a checkpoint signed by both parties', () => {
  it('is the checkpoint text, a blank line and one em-dash line per party, agency first', () => {
    const lines = note.split('\n');
    expect(lines.slice(0, 4)).toEqual(['ledger.example/log', '1234', expect.any(String), '']);
    expect(lines[4]).toMatch(/^\u2014 ledger\.example\/agency [A-Za-z0-9+/]+=*$/);
    expect(lines[5]).toMatch(/^\u2014 ledger\.example\/custodian /);
    expect(lines.slice(6)).toEqual(['']);
  });

  it('verifies with both public keys and returns the checkpoint', async () => {
    await expect(verifyCheckpoint(note, trusted, 'ledger.example/log')).resolves.toEqual(
      checkpoint,
    );
  });

  it('carries the key ID SHA-256(SPKI)[:4] in front of each signature', () => {
    const signature = Buffer.from(note.split('\n')[4]!.split(' ')[2]!, 'base64');
    const expected = Buffer.from(sha256(agency.noteSigner.publicKeySpki).subarray(0, 4));
    expect(signature.subarray(0, 4)).toEqual(expected);
    expect(signature.readUInt32BE(0)).toBe(agency.verifier.keyId);
  });

  it('still verifies with an unknown extra signature line, which is ignored', async () => {
    const stranger = await createParty('agency', 'witness.example/w1');
    const extra = (
      await signCheckpoint(checkpoint, [stranger.noteSigner, custodian.noteSigner])
    ).split('\n')[4]!;
    await expect(verifyCheckpoint(`${note}${extra}\n`, trusted)).resolves.toEqual(checkpoint);
  });

  it('is refused for another origin', async () => {
    await expect(verifyCheckpoint(note, trusted, 'other.example/log')).toFailWithCode(
      'CHECKPOINT_MALFORMED',
    );
  });
});

describe('when any one byte of the signed note text changes', () => {
  it('the checkpoint is refused', async () => {
    const textLength = note.indexOf('\n\n') + 1;
    for (let i = 0; i < textLength; i++) {
      const changed = note.slice(0, i) + (note[i] === 'x' ? 'y' : 'x') + note.slice(i + 1);
      await expect(verifyCheckpoint(changed, trusted)).toFailWithCode(
        oneOfCodes(['CHECKPOINT_SIGNATURE_INVALID', 'CHECKPOINT_MALFORMED']),
      );
    }
  });
});

describe('when only one party signed', () => {
  it('fails with CHECKPOINT_SIGNATURE_INVALID naming the missing role', async () => {
    const lines = note.split('\n');
    const agencyOnly = [...lines.slice(0, 5), ''].join('\n');
    await expect(verifyCheckpoint(agencyOnly, trusted)).rejects.toMatchObject({
      code: 'CHECKPOINT_SIGNATURE_INVALID',
      details: { missingRoles: ['custodian'] },
    });
  });

  it('refuses to sign with a single party', async () => {
    await expect(signCheckpoint(checkpoint, [agency.noteSigner])).toFailWithCode('INVALID_INPUT');
  });
});

describe('when a trusted key signature does not verify', () => {
  it('the whole note is refused even though the other party signed', async () => {
    const impostor = await createParty('custodian');
    const forged = await signCheckpoint(checkpoint, [
      agency.noteSigner,
      { ...impostor.noteSigner, publicKeySpki: impostor.noteSigner.publicKeySpki },
    ]);
    const line = forged.split('\n')[5]!.split(' ');
    const custodianId = Buffer.alloc(4);
    custodianId.writeUInt32BE(custodian.verifier.keyId);
    const signature = Buffer.concat([
      custodianId,
      Buffer.from(line[2]!, 'base64').subarray(4),
    ]).toString('base64');
    const tampered = note.replace(
      /\u2014 ledger\.example\/custodian .*\n/,
      `\u2014 ledger.example/custodian ${signature}\n`,
    );
    await expect(verifyCheckpoint(tampered, trusted)).toFailWithCode(
      'CHECKPOINT_SIGNATURE_INVALID',
    );
  });
});

describe("when a trusted key's signature is re-encoded as non-canonical DER", () => {
  it('fails with CHECKPOINT_SIGNATURE_INVALID although r and s are unchanged', async () => {
    const line = note.split('\n')[5]!.split(' ');
    const signed = Buffer.from(line[2]!, 'base64');
    const der = signed.subarray(4);
    // The same SEQUENCE with a long-form length (0x81 n): BER, never DER for n < 128.
    const longForm = Buffer.concat([Buffer.of(0x30, 0x81, der[1]!), der.subarray(2)]);
    const signature = Buffer.concat([signed.subarray(0, 4), longForm]).toString('base64');
    const tampered = note.replace(line.join(' '), `${line[0]!} ${line[1]!} ${signature}`);
    await expect(verifyCheckpoint(tampered, trusted)).toFailWithCode(
      'CHECKPOINT_SIGNATURE_INVALID',
    );
  });
});

describe('the published type 0x02 (ECDSA) notes of transparency-dev/formats', () => {
  it.each(vectors.valid)(
    '$desc verifies with its key, whose ID is SHA-256(SPKI)[:4]',
    async (v) => {
      const key = parseVerifierKey(v.verifierKey);
      expect(key.keyId).toBe(ecdsaKeyId(key.publicKeySpki));
      expect(formatVerifierKey(key)).toBe(v.verifierKey);
      const { verified } = await verifyNote(v.note, [key]);
      expect(verified).toEqual([key]);
    },
  );

  it('refuses the garbled signature', async () => {
    const key = parseVerifierKey(vectors.invalidSignature.verifierKey);
    await expect(verifyNote(vectors.invalidSignature.note, [key])).toFailWithCode(
      'CHECKPOINT_SIGNATURE_INVALID',
    );
  });

  it('refuses a verifier key whose stated ID does not match the key', () => {
    expect(() => parseVerifierKey(vectors.wrongKeyId)).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }) as Error,
    );
  });

  it('refuses a note when no trusted key signed it', async () => {
    const other = parseVerifierKey(vectors.valid[1]!.verifierKey);
    await expect(verifyNote(vectors.valid[0]!.note, [other])).toFailWithCode(
      'CHECKPOINT_SIGNATURE_INVALID',
    );
  });
});

describe('one signature line at a time (what each co-signer returns)', () => {
  const text = () => formatCheckpoint(checkpoint);

  it('is "— <key name> <base64>" without a newline, and verifies once assembled', async () => {
    const line = await signNoteLine(text(), custodian.noteSigner);
    expect(line).toMatch(/^\u2014 ledger\.example\/custodian [A-Za-z0-9+/]+=*$/);
    const { verified } = await verifyNote(assembleNote(text(), [line]), trusted);
    expect(verified).toEqual([custodian.verifier]);
  });

  it("assembles with the other party's line into a note verifyCheckpoint accepts", async () => {
    const lines = [
      await signNoteLine(text(), agency.noteSigner),
      await signNoteLine(text(), custodian.noteSigner),
    ];
    await expect(verifyCheckpoint(assembleNote(text(), lines), trusted)).resolves.toEqual(
      checkpoint,
    );
  });

  it('gives the same note form as signNote', async () => {
    const signed = await signNote(text(), [agency.noteSigner]);
    const line = signed.split('\n')[4]!;
    expect(assembleNote(text(), [line])).toBe(signed);
  });

  const malformedNotes: [string, () => [string, string[]]][] = [
    ['no signature line', () => [text(), []]],
    ['a text without its final newline', () => [text().slice(0, -1), ['\u2014 a AAAAAAA=']]],
    ['a line without the em dash', () => [text(), ['- a AAAAAAA=']]],
    ['a line with a newline in it', () => [text(), ['\u2014 a AAAAAAA=\n\u2014 b AAAAAAA=']]],
    ['a line with a too short signature', () => [text(), ['\u2014 a AAAA']]],
  ];
  it.each(malformedNotes)('refuses to assemble %s with CHECKPOINT_MALFORMED', (_name, parts) => {
    const [t, lines] = parts();
    expect(() => assembleNote(t, lines)).toThrowError(
      expect.objectContaining({ code: 'CHECKPOINT_MALFORMED' }) as Error,
    );
  });
});

describe('checkpoint signatures and record attestations, made with the same party key', () => {
  const deposit = sampleDeposit();

  it('cannot be confused: every attestation message starts with its domain and a NUL', () => {
    const message = statementMessage(attestationStatement('custodian', deposit));
    const prefix = new TextEncoder().encode(`${ATTESTATION_DOMAIN}\0`);
    expect(message.subarray(0, prefix.length)).toEqual(prefix);
  });

  it('an attestation message can never be signed as note text (NUL is refused)', async () => {
    const message = new TextDecoder().decode(
      statementMessage(attestationStatement('custodian', deposit)),
    );
    await expect(signNoteLine(`${message}\n`, custodian.noteSigner)).toFailWithCode(
      'CHECKPOINT_MALFORMED',
    );
  });

  it('an attestation signature never verifies as a checkpoint note signature', async () => {
    const attestation = await signAttestation(custodian.noteSigner.signer, deposit);
    const keyId = Buffer.alloc(4);
    keyId.writeUInt32BE(custodian.verifier.keyId);
    const der = base64Decode(attestation.signature);
    const line = `\u2014 ledger.example/custodian ${base64Encode(Uint8Array.from([...keyId, ...der]))}`;
    const note = assembleNote(formatCheckpoint(checkpoint), [line]);
    await expect(verifyNote(note, trusted)).toFailWithCode('CHECKPOINT_SIGNATURE_INVALID');
  });

  it('a checkpoint note signature never verifies as an attestation', async () => {
    const line = await signNoteLine(formatCheckpoint(checkpoint), custodian.noteSigner);
    const der = base64Decode(line.split(' ')[2]!).subarray(4);
    const signature = {
      role: 'custodian' as const,
      keyId: custodian.noteSigner.signer.keyId,
      algorithm: 'ECDSA_P256_SHA256' as const,
      signature: base64Encode(der),
    };
    const attestation = await signAttestation(custodian.noteSigner.signer, deposit);
    const spki = custodian.noteSigner.publicKeySpki;
    await expect(verifyPartySignature(attestation, deposit, spki)).resolves.toBeUndefined();
    await expect(verifyPartySignature(signature, deposit, spki)).toFailWithCode(
      'SIGNATURE_INVALID',
    );
  });
});
