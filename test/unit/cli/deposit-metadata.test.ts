/**
 * `evidence deposit` refuses, before any byte is sent, metadata the ledger would refuse:
 * names, header-safe values, and the 2048-byte total at and past the bound.
 */
import { describe, expect, it } from 'vitest';
import {
  caseMetadata,
  checkObjectKey,
  metadataBytes,
  parseMetaOptions,
} from '../../../cli/deposit/case-metadata';
import { CliError, EXIT } from '../../../cli/exit-codes';
import { MAX_KEY_BYTES, MAX_METADATA_BYTES } from '../../../core/schemas';

/** The usage error `run` throws, or fails the test. */
function usageError(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.USAGE);
    return error as CliError;
  }
  throw new Error('expected a usage error');
}

// 'case-id' + '2026-0147' + 'exhibit' + 'W-01' = 7 + 9 + 7 + 4 = 27 bytes; a note of n bytes adds 4 + n.
const BASE_BYTES = 27 + 'note'.length;

describe('case metadata for a deposit', () => {
  it('puts the case id and exhibit under the names case-id and exhibit, with the --meta pairs', () => {
    expect(caseMetadata('2026-0147', 'W-01', [['submitted-by', 'DC 4471 Avon']])).toEqual({
      'case-id': '2026-0147',
      exhibit: 'W-01',
      'submitted-by': 'DC 4471 Avon',
    });
  });

  it('accepts metadata of exactly 2048 bytes', () => {
    const note = 'x'.repeat(MAX_METADATA_BYTES - BASE_BYTES);
    const metadata = caseMetadata('2026-0147', 'W-01', [['note', note]]);
    expect(metadataBytes(metadata)).toBe(MAX_METADATA_BYTES);
  });

  it('refuses metadata of 2049 bytes, saying how large it is', () => {
    const note = 'x'.repeat(MAX_METADATA_BYTES - BASE_BYTES + 1);
    expect(usageError(() => caseMetadata('2026-0147', 'W-01', [['note', note]])).message).toBe(
      'metadata is 2049 bytes (names and values, UTF-8); S3 and the ledger allow 2048',
    );
  });

  it.each([
    ['an upper-case name', 'Submitted-By'],
    ['a name with a space', 'submitted by'],
    ['a name with a non-token character', 'submitted/by'],
  ])('refuses %s with the ledger schema message', (_, name) => {
    expect(usageError(() => caseMetadata('2026-0147', 'W-01', [[name, 'x']])).message).toContain(
      'metadata keys are lower-case header tokens',
    );
  });

  it.each([
    ['a non-ASCII value', 'caméra 07', 'only printable ASCII'],
    ['a control character', 'a\tb', 'only printable ASCII'],
    ['a trailing blank', 'DC 4471 ', 'leading or trailing blanks'],
  ])('refuses %s, which would not reach S3 unchanged', (_, value, message) => {
    expect(
      usageError(() => caseMetadata('2026-0147', 'W-01', [['submitted-by', value]])).message,
    ).toContain(message);
  });

  it('refuses case-id or exhibit given through --meta, and a name given twice', () => {
    expect(usageError(() => caseMetadata('1', 'A', [['exhibit', 'B']])).message).toContain(
      '--exhibit',
    );
    expect(
      usageError(() =>
        caseMetadata('1', 'A', [
          ['x', '1'],
          ['x', '2'],
        ]),
      ).message,
    ).toContain('given twice');
  });

  it('refuses an empty case id or exhibit', () => {
    expect(usageError(() => caseMetadata('', 'A', [])).message).toContain('--case-id');
    expect(usageError(() => caseMetadata('1', '', [])).message).toContain('--exhibit');
  });
});

describe('--meta name=value', () => {
  it('splits at the first =, so a value may contain =', () => {
    expect(parseMetaOptions(['a=b=c', 'empty='])).toEqual([
      ['a', 'b=c'],
      ['empty', ''],
    ]);
  });

  it.each(['novalue', '=value'])('refuses %s', (entry) => {
    expect(usageError(() => parseMetaOptions([entry])).message).toContain('expected name=value');
  });
});

describe('object keys', () => {
  it('accepts a key of 1024 UTF-8 bytes and refuses one of 1025', () => {
    expect(checkObjectKey('é'.repeat(MAX_KEY_BYTES / 2))).toHaveLength(MAX_KEY_BYTES / 2);
    expect(usageError(() => checkObjectKey(`${'é'.repeat(MAX_KEY_BYTES / 2)}x`)).message).toContain(
      '1 to 1024 UTF-8 bytes',
    );
  });
});
