/**
 * The two SignatureVerifier implementations behind verifyEcdsaP256Sha256 — the core's
 * WebCrypto default and node:crypto (functions/shared) — must give the same answer for every
 * input: true, false, or the same error code. Each vector runs through both, and through
 * node:crypto's synchronous form (verifyEcdsaP256Sha256Sync), which must answer as its
 * asynchronous one.
 */
import { generateKeyPairSync } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  verifyEcdsaP256Sha256,
  verifyEcdsaP256Sha256Sync,
  webCryptoSignatureVerifier,
} from '../../../core/ecdsa-p256';
import { concatBytes, hexToBytes, utf8Encode } from '../../../core/encoding';
import { isLedgerError } from '../../../core/errors';
import type { SignatureVerifier } from '../../../core/ports/signature-verifier';
import { nodeSignatureVerifier } from '../../../functions/shared/node-signature-verifier';

const SPKI_P256_PREFIX = hexToBytes('3059301306072a8648ce3d020106082a8648ce3d030107034200');
const ORDER = p256.Point.CURVE().n;
const message = utf8Encode('evidence-ledger:attestation:v1\0{"role":"agency"}');
const { secretKey, publicKey } = p256.keygen(new Uint8Array(48).fill(3));
const spki = concatBytes(SPKI_P256_PREFIX, p256.Point.fromBytes(publicKey).toBytes(false));
const good = p256.Signature.fromBytes(p256.sign(message, secretKey), 'compact');

const otherSpki = (type: 'ec' | 'rsa' | 'ed25519', namedCurve = 'P-256') => {
  const keys =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 1024 })
      : type === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve });
  return new Uint8Array(keys.publicKey.export({ type: 'spki', format: 'der' }));
};
/** An SPKI whose point is not on the curve: the last coordinate byte changed. */
const offCurve = Uint8Array.from(spki, (byte, i) => (i === spki.length - 1 ? byte ^ 1 : byte));

type Outcome = boolean | string;
async function outcome(
  verifier: SignatureVerifier,
  key: Uint8Array,
  msg: Uint8Array,
  der: Uint8Array,
): Promise<Outcome> {
  try {
    return await verifyEcdsaP256Sha256(key, msg, der, verifier);
  } catch (error) {
    if (isLedgerError(error)) return error.code;
    throw error;
  }
}
/** node:crypto's synchronous form, through the core's synchronous check. */
function syncOutcome(key: Uint8Array, msg: Uint8Array, der: Uint8Array): Outcome {
  try {
    return verifyEcdsaP256Sha256Sync(key, msg, der, nodeSignatureVerifier.verifySync!);
  } catch (error) {
    if (isLedgerError(error)) return error.code;
    throw error;
  }
}
/** The three answers; the synchronous one must always equal the asynchronous node one. */
const both = async (key: Uint8Array, msg: Uint8Array, der: Uint8Array) => {
  const answers = {
    webCrypto: await outcome(webCryptoSignatureVerifier, key, msg, der),
    node: await outcome(nodeSignatureVerifier, key, msg, der),
  };
  expect(syncOutcome(key, msg, der)).toBe(answers.node);
  return answers;
};

describe('the WebCrypto and node:crypto signature verifiers', () => {
  it.each<[string, Uint8Array, Uint8Array, Uint8Array, Outcome]>([
    ['a valid signature', spki, message, good.toBytes('der'), true],
    [
      'a high-s signature (no low-s rule)',
      spki,
      message,
      new p256.Signature(good.r, ORDER - good.s).toBytes('der'),
      true,
    ],
    ['a signature over other bytes', spki, utf8Encode('other'), good.toBytes('der'), false],
    ['r and s swapped', spki, message, new p256.Signature(good.s, good.r).toBytes('der'), false],
    ['a signature under another P-256 key', otherSpki('ec'), message, good.toBytes('der'), false],
    [
      'a trailing byte after the DER',
      spki,
      message,
      concatBytes(good.toBytes('der'), Uint8Array.of(0)),
      'SIGNATURE_INVALID',
    ],
    [
      'DER with a non-minimal integer',
      spki,
      message,
      Uint8Array.of(0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01),
      'SIGNATURE_INVALID',
    ],
    [
      's = n',
      spki,
      message,
      Uint8Array.of(
        0x30,
        0x26,
        0x02,
        0x01,
        0x01,
        0x02,
        0x21,
        0x00,
        ...hexToBytes(ORDER.toString(16)),
      ),
      'SIGNATURE_INVALID',
    ],
    ['an empty signature', spki, message, new Uint8Array(), 'SIGNATURE_INVALID'],
    ['a P-384 key', otherSpki('ec', 'P-384'), message, good.toBytes('der'), 'INVALID_INPUT'],
    ['an RSA key', otherSpki('rsa'), message, good.toBytes('der'), 'INVALID_INPUT'],
    ['an Ed25519 key', otherSpki('ed25519'), message, good.toBytes('der'), 'INVALID_INPUT'],
    ['a point off the curve', offCurve, message, good.toBytes('der'), 'INVALID_INPUT'],
    [
      'bytes that are no key',
      Uint8Array.of(1, 2, 3),
      message,
      good.toBytes('der'),
      'INVALID_INPUT',
    ],
  ])('give the same answer for %s', async (_what, key, msg, der, expected) => {
    await expect(both(key, msg, der)).resolves.toEqual({ webCrypto: expected, node: expected });
  });

  it('agree on random messages, keys and single-bit changes to valid signatures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 48, maxLength: 48 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (seed, msg, flip) => {
          const keys = p256.keygen(seed);
          const key = concatBytes(
            SPKI_P256_PREFIX,
            p256.Point.fromBytes(keys.publicKey).toBytes(false),
          );
          const der = p256.sign(msg, keys.secretKey, { format: 'der', lowS: false });
          if (flip !== undefined) der[flip % der.length]! ^= 1 << (flip % 8);
          const answers = await both(key, msg, der);
          expect(answers.node).toBe(answers.webCrypto);
          if (flip === undefined) expect(answers.node).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('node:crypto key objects found by key array', () => {
  it('answers for the bytes the array holds now, not for the key it held before', () => {
    const other = p256.keygen(new Uint8Array(48).fill(9));
    const otherKey = concatBytes(
      SPKI_P256_PREFIX,
      p256.Point.fromBytes(other.publicKey).toBytes(false),
    );
    const der = good.toBytes('der');
    const key = spki.slice();
    expect(syncOutcome(key, message, der)).toBe(true);
    key.set(otherKey);
    expect(syncOutcome(key, message, der)).toBe(false);
    key.set(spki);
    expect(syncOutcome(key, message, der)).toBe(true);
  });
});
