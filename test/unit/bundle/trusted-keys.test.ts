import { describe, expect, it } from 'vitest';
import { parseTrustedKeys } from '../../../core/bundle';
import { certificateDer } from '../../../core/bundle/trusted-keys';
import { readFileSync } from 'node:fs';

const EXAMPLE = JSON.parse(
  readFileSync(
    new URL('../../vectors/format-example/example-trusted-keys.json', import.meta.url),
    'utf8',
  ),
) as { parties: { role: string; publicKey: string }[] } & Record<string, unknown>;

const withParties = (parties: unknown) => ({ ...EXAMPLE, parties });

describe('parseTrustedKeys', () => {
  it('reads the example file: one party per role, agency first', () => {
    const trusted = parseTrustedKeys({ ...EXAMPLE, parties: [...EXAMPLE.parties].reverse() });
    expect(trusted.parties.map((p) => p.role)).toEqual(['agency', 'custodian']);
    expect(trusted.parties[0]!.publicKeySpki).toHaveLength(91);
    expect(trusted.tsa).toEqual([]);
  });

  it.each([
    ['a missing role', withParties([EXAMPLE.parties[0], EXAMPLE.parties[0]])],
    [
      'a key that is not P-256 SPKI',
      withParties([{ ...EXAMPLE.parties[0], publicKey: 'AAAA' }, EXAMPLE.parties[1]]),
    ],
    ['an unknown field', { ...EXAMPLE, extra: true }],
    ['another format', { ...EXAMPLE, format: 'evidence-ledger/trusted-keys/v0' }],
  ])('refuses %s with INVALID_INPUT', (_, input) => {
    expect(() => parseTrustedKeys(input)).toFailWithCode('INVALID_INPUT');
  });

  it('takes a TSA certificate as PEM or as base64 DER, to the same bytes', () => {
    const base64 = Buffer.from('a certificate, as far as this test is concerned').toString(
      'base64',
    );
    const pem = `-----BEGIN CERTIFICATE-----\n${base64.slice(0, 32)}\n${base64.slice(32)}\n-----END CERTIFICATE-----\n`;
    expect(certificateDer(pem)).toEqual(certificateDer(base64));
  });
});
