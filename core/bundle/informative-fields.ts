/**
 * The fields of a bundle that no check covers: changing them never changes a verdict.
 * docs/FORMAT.md cites this list (between its `informative-fields` markers) and
 * test/unit/bundle/every-field.test.ts fails if the two disagree, or if a field not listed
 * here can be changed without verification failing.
 *
 * Paths use `.` between object keys and `[]` for "any element of this array".
 */
export const INFORMATIVE_FIELDS: readonly string[] = [
  'informative.exportedAt',
  'informative.tool.name',
  'informative.tool.version',
  'informative.parties[].role',
  'informative.parties[].keyId',
  'informative.parties[].noteKeyName',
  'informative.parties[].publicKey',
];
