import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from '../../../core/checkpoint/checkpoint';

const root = Uint8Array.from({ length: 32 }, (_, i) => i);
const rootB64 = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';

describe('a checkpoint body', () => {
  it('is origin, decimal size and base64 root, one per line, ending in a newline', () => {
    const text = formatCheckpoint({
      origin: 'ledger.example/log',
      treeSize: 42,
      rootHash: root,
      extensions: [],
    });
    expect(text).toBe(`ledger.example/log\n42\n${rootB64}\n`);
    expect(parseCheckpoint(text)).toEqual({
      origin: 'ledger.example/log',
      treeSize: 42,
      rootHash: root,
      extensions: [],
    });
  });

  it('round-trips the empty tree', () => {
    const checkpoint = { origin: 'o', treeSize: 0, rootHash: root, extensions: [] };
    expect(parseCheckpoint(formatCheckpoint(checkpoint))).toEqual(checkpoint);
  });
});

describe('when a checkpoint has extension lines (allowed by c2sp, refused here)', () => {
  it('fails with CHECKPOINT_MALFORMED on parsing one or several', () => {
    expect(() => parseCheckpoint(`o\n42\n${rootB64}\next one\n`)).toFailWithCode(
      'CHECKPOINT_MALFORMED',
    );
    expect(() => parseCheckpoint(`o\n42\n${rootB64}\next one\next two\n`)).toFailWithCode(
      'CHECKPOINT_MALFORMED',
    );
  });

  it('fails with CHECKPOINT_MALFORMED when asked to format one', () => {
    const withExtension = { origin: 'o', treeSize: 1, rootHash: root, extensions: ['ext'] };
    expect(() => formatCheckpoint(withExtension)).toFailWithCode('CHECKPOINT_MALFORMED');
  });
});

describe('when an origin is measured', () => {
  it('counts UTF-8 bytes: 256 bytes pass, 129 two-byte characters (258 bytes) fail', () => {
    expect(parseCheckpoint(`${'o'.repeat(256)}\n1\n${rootB64}\n`).origin).toHaveLength(256);
    expect(() => parseCheckpoint(`${'é'.repeat(129)}\n1\n${rootB64}\n`)).toFailWithCode(
      'CHECKPOINT_MALFORMED',
    );
  });
});

describe('when a checkpoint body is not canonical', () => {
  it.each([
    ['a leading zero in the size', `o\n042\n${rootB64}\n`],
    ['a signed size', `o\n+42\n${rootB64}\n`],
    ['a negative size', `o\n-1\n${rootB64}\n`],
    ['a size beyond 2^53', `o\n18446744073709551615\n${rootB64}\n`],
    ['spaces around the size', `o\n 42\n${rootB64}\n`],
    ['no final newline', `o\n42\n${rootB64}`],
    ['an empty origin', `\n42\n${rootB64}\n`],
    ['a space in the origin', `o o\n42\n${rootB64}\n`],
    ['a plus in the origin', `o+o\n42\n${rootB64}\n`],
    ['a short root hash', 'o\n42\nAAEC\n'],
    ['unpadded base64', `o\n42\n${rootB64.slice(0, -1)}\n`],
    ['non-zero base64 pad bits', `o\n42\n${rootB64.slice(0, -2)}f=\n`],
    ['an empty extension line', `o\n42\n${rootB64}\n\n`],
    ['a missing root line', 'o\n42\n'],
    ['a control character', `o\n42\n${rootB64}\next\tension\n`],
  ])('fails with CHECKPOINT_MALFORMED on %s', (_, text) => {
    expect(() => parseCheckpoint(text)).toFailWithCode('CHECKPOINT_MALFORMED');
  });

  it('fails with CHECKPOINT_MALFORMED when too large', () => {
    expect(() => parseCheckpoint(`o\n42\n${rootB64}\n${'x\n'.repeat(20_000)}`)).toFailWithCode(
      'CHECKPOINT_MALFORMED',
    );
  });
});
