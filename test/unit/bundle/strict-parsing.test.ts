/**
 * Bundle and trusted-keys files are read strictly (core/strict-json.ts): a file with two
 * readings — duplicate member names, integers spelled otherwise than in plain decimal,
 * invalid UTF-8, lone surrogates (informative fields included) — is refused before any check.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrustedKeysFile, verifyBundleFile } from '../../../core/bundle';
import { utf8Encode } from '../../../core/encoding';
import { bundleOf, createTestLedger, trustedKeysJson, type TestLedger } from './fixtures';
import { expectFirstFailure, expectValid } from './expectations';

let ledger: TestLedger;
let text: string;
beforeAll(async () => {
  ledger = await createTestLedger();
  text = JSON.stringify(bundleOf(ledger, [1, 3]), null, 2);
});

const malformed = { check: 'bundle.schema', code: 'BUNDLE_MALFORMED' } as const;

describe('verifyBundleFile', () => {
  it('verifies the bytes of a valid bundle', async () => {
    expectValid(await verifyBundleFile(utf8Encode(text), ledger.trusted));
  });

  it.each([
    ['a duplicate member name', (t: string) => t.replace('"seq": 1,', '"seq": 1,\n"seq": 1,')],
    [
      'a duplicate informative member',
      (t: string) => t.replace('"exportedAt"', '"exportedAt": "x", "exportedAt"'),
    ],
    ['an integer spelled 1.0', (t: string) => t.replace('"seq": 1,', '"seq": 1.0,')],
    ['an integer spelled 1e0', (t: string) => t.replace('"leafIndex": 1,', '"leafIndex": 1e0,')],
    ['a tree size spelled 5.0', (t: string) => t.replace('"treeSize": 5', '"treeSize": 5.0')],
    [
      'a lone surrogate in an informative field',
      (t: string) => t.replace('"evidence-ledger"', '"evidence-ledger\\ud800"'),
    ],
  ])('fails bundle.schema with BUNDLE_MALFORMED for %s', async (_, edit) => {
    const edited = edit(text);
    expect(edited).not.toBe(text);
    expectFirstFailure(await verifyBundleFile(utf8Encode(edited), ledger.trusted), malformed);
  });

  it('fails bundle.schema with BUNDLE_MALFORMED for invalid UTF-8 in an informative field', async () => {
    const bytes = utf8Encode(text.replace('"evidence-ledger"', '"evidence-ledger?"'));
    bytes[bytes.indexOf(0x3f)] = 0xff;
    expectFirstFailure(await verifyBundleFile(bytes, ledger.trusted), malformed);
  });

  it('fails bundle.schema with BUNDLE_MALFORMED for an informative field over its bound in UTF-8 bytes', async () => {
    const long = text.replace('"0.1.0"', `"${'é'.repeat(129)}"`); // 129 characters, 258 bytes
    expectFirstFailure(await verifyBundleFile(long, ledger.trusted), malformed);
  });
});

describe('parseTrustedKeysFile', () => {
  const json = () => trustedKeysJson(ledger);

  it('reads a valid file', () => {
    expect(parseTrustedKeysFile(utf8Encode(JSON.stringify(json()))).origin).toBe(
      ledger.trusted.origin,
    );
  });

  it('fails with INVALID_INPUT for a duplicate member name (a second origin)', () => {
    const text = JSON.stringify(json()).replace(
      '"origin":',
      '"origin":"other.example/log","origin":',
    );
    expect(() => parseTrustedKeysFile(text)).toFailWithCode('INVALID_INPUT');
  });

  it('fails with INVALID_INPUT for invalid UTF-8', () => {
    const bytes = Uint8Array.from([
      ...utf8Encode(JSON.stringify(json()).slice(0, -1)),
      0x20,
      0xc3,
      0x7d,
    ]);
    expect(() => parseTrustedKeysFile(bytes)).toFailWithCode('INVALID_INPUT');
  });
});
