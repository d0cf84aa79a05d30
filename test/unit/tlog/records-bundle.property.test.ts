import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/canonical-json';
import { utf8Decode, utf8Encode } from '../../../core/encoding';
import { LedgerError } from '../../../core/errors';
import { parseLedgerRecord } from '../../../core/schemas';
import { parseStrictJson } from '../../../core/strict-json';
import { decodeRecordsBundle, encodeRecordsBundle } from '../../../core/tlog/records-bundle';
import { sampleChain } from '../core/fixtures';

const records = sampleChain(4);
const lines = records.map((record) => canonicalJson(record));

/** The reading decodeRecordsBundle must equal: strict JSON, the schema, the canonical form. */
function strictReading(line: string) {
  const record = parseLedgerRecord(
    parseStrictJson(line, { code: 'ENTRY_BUNDLE_MALFORMED', what: 'record line 0' }),
  );
  if (canonicalJson(record) !== line) {
    throw new LedgerError('ENTRY_BUNDLE_MALFORMED', 'record line is not in canonical form', {
      line: 0,
    });
  }
  return record;
}

/** The record, or the code and message of the refusal: what a caller sees. */
function outcome(read: () => unknown): unknown {
  try {
    return { record: read() };
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    return { code: error.code, message: error.message };
  }
}

const replacement = fc.constantFrom(
  ' ',
  '"',
  '\\',
  ',',
  ':',
  '{',
  '}',
  '[',
  ']',
  '0',
  '1',
  '-',
  '.',
  'e',
  'E',
  '+',
  'a',
  'Z',
  '\u0000',
  '\ud800',
  '\udc00',
  'é',
  '\\u0061',
  '\\ud800',
  '1.0',
  '1e0',
  '-0',
  'null',
  'true',
);

/** A canonical line, then edited: a character replaced, inserted or removed, a member repeated. */
const editedLine = fc
  .tuple(fc.constantFrom(...lines), fc.nat(), replacement, fc.nat(3))
  .map(([line, at, text, how]) => {
    const i = at % line.length;
    if (how === 0) return line.slice(0, i) + text + line.slice(i + 1);
    if (how === 1) return line.slice(0, i) + text + line.slice(i);
    if (how === 2) return line.slice(0, i) + line.slice(i + 1);
    return `${line.slice(0, -1)},"seq":${text === '0' ? '0' : '1'}}`;
  });

describe('decodeRecordsBundle reads a line as the strict reading does', () => {
  it('gives the same record, or the same code and message, for edited lines', () => {
    fc.assert(
      fc.property(editedLine, (line) => {
        // As stored: UTF-8, where a lone surrogate has become U+FFFD.
        const bundle = utf8Encode(`${line}\n`);
        expect(outcome(() => decodeRecordsBundle(bundle, 1)[0])).toEqual(
          outcome(() => strictReading(utf8Decode(bundle).slice(0, -1))),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every record of a bundle it wrote', () => {
    expect(decodeRecordsBundle(encodeRecordsBundle(records), records.length)).toEqual(records);
  });
});
