/**
 * Walks every data file of transparency-dev/merkle's published proof vectors in
 * test/vectors/transparency-dev-merkle (see its README for source, commit and licence): the
 * happy path of each proof must verify, and each deliberately broken copy must be refused
 * with exactly the code below. Upstream only says "wantErr"; which check catches a case is
 * ours to pin, so a regression that moves a case to another check fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LedgerErrorCode } from '../../../core/errors';
import { verifyConsistency } from '../../../core/merkle/consistency';
import { verifyInclusion } from '../../../core/merkle/inclusion';

const VECTORS = new URL('../../vectors/transparency-dev-merkle/', import.meta.url);
type Kind = 'inclusion' | 'consistency';
type Expected = LedgerErrorCode | 'VERIFIES';

/** Every file as [folder/file, case name], the case name being the file name without .json. */
function dataFiles(kind: Kind): [string, string][] {
  return readdirSync(new URL(`${kind}/`, VECTORS)).flatMap((dir) =>
    readdirSync(new URL(`${kind}/${dir}/`, VECTORS)).map((file): [string, string] => [
      `${dir}/${file}`,
      file.replace(/\.json$/, ''),
    ]),
  );
}
const readJson = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(path, VECTORS), 'utf8')) as T;
/** Hashes are base64; a `null` proof (Go's nil slice) is the empty proof. */
const b64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));
const nodes = (proof: string[] | null): Uint8Array[] => (proof ?? []).map(b64);

/**
 * The one code per case name. Preconditions are checked first (TREE_SIZE_INVALID), then the
 * proof's shape and element sizes (…_PROOF_INVALID), and only then the recomputed root. A wrong
 * index or size defaults to the code it gets while the leaf stays inside a tree of the same
 * shape; the exceptions below are the folders where it does not.
 */
const INCLUSION: Record<string, Expected> = {
  'happy-path': 'VERIFIES',
  'leafIdx---1': 'ROOT_MISMATCH', // same proof shape, so only the root can tell
  'leafIdx-+-1': 'ROOT_MISMATCH',
  'leafIdx-^-2': 'ROOT_MISMATCH',
  'treeSize-*-2': 'INCLUSION_PROOF_INVALID', // a taller tree needs a longer proof
  'treeSize-div-2': 'INCLUSION_PROOF_INVALID', // a shorter one, a shorter proof
  'wrong-leaf': 'INCLUSION_PROOF_INVALID', // "WrongLeaf" is 9 bytes, not a hash
  'empty-root': 'ROOT_MISMATCH',
  'random-root': 'ROOT_MISMATCH',
  'trailing-garbage': 'INCLUSION_PROOF_INVALID',
  'trailing-root': 'INCLUSION_PROOF_INVALID',
  'preceding-garbage': 'INCLUSION_PROOF_INVALID',
  'preceding-root': 'INCLUSION_PROOF_INVALID',
  'removed-component': 'INCLUSION_PROOF_INVALID',
  'inserted-component': 'INCLUSION_PROOF_INVALID',
  'modified-proof[0]-bit-3': 'ROOT_MISMATCH',
  'modified-proof[1]-bit-3': 'ROOT_MISMATCH',
  'modified-proof[2]-bit-3': 'ROOT_MISMATCH',
};
/**
 * Folders where the default does not hold. Their happy paths prove leaf 0 of 1 (folder 0),
 * 0 of 8 (1), 5 of 8 (2), 2 of 3 (3) and 1 of 5 (4).
 */
const INCLUSION_EXCEPTIONS: Record<string, Expected> = {
  // The leaf is outside the tree, so the precondition catches it.
  '0/leafIdx---1': 'TREE_SIZE_INVALID', // 0 - 1 wraps to 2^64 - 1: not a safe integer
  '1/leafIdx---1': 'TREE_SIZE_INVALID', // likewise
  '0/leafIdx-+-1': 'TREE_SIZE_INVALID', // leaf 1 of a 1-leaf tree
  '0/leafIdx-^-2': 'TREE_SIZE_INVALID', // leaf 2 of a 1-leaf tree
  '0/treeSize-div-2': 'TREE_SIZE_INVALID', // leaf 0 of the empty tree
  '2/treeSize-div-2': 'TREE_SIZE_INVALID', // leaf 5 of a 4-leaf tree
  '3/leafIdx-+-1': 'TREE_SIZE_INVALID', // leaf 3 of a 3-leaf tree
  '3/treeSize-div-2': 'TREE_SIZE_INVALID', // leaf 2 of a 1-leaf tree
  // In a 3-leaf tree leaf 2 hangs one level up: leaves 0 and 1 need 2 nodes, not 1.
  '3/leafIdx---1': 'INCLUSION_PROOF_INVALID',
  '3/leafIdx-^-2': 'INCLUSION_PROOF_INVALID', // 2 ^ 2 = leaf 0
};

const CONSISTENCY: Record<string, Expected> = {
  'happy-path': 'VERIFIES',
  'size1---1': 'CONSISTENCY_PROOF_INVALID', // other sizes, other proof length, or none at
  'size1-+-1': 'CONSISTENCY_PROOF_INVALID', // all when size1 becomes 0 or equals size2
  'size1-^-2': 'CONSISTENCY_PROOF_INVALID',
  'size2-*-2': 'CONSISTENCY_PROOF_INVALID',
  'size2-div-2': 'CONSISTENCY_PROOF_INVALID',
  'wrong-root1': 'ROOT_MISMATCH',
  'wrong-root2': 'ROOT_MISMATCH',
  'swapped-roots': 'ROOT_MISMATCH',
  'empty-proof': 'CONSISTENCY_PROOF_INVALID',
  'truncated-proof': 'CONSISTENCY_PROOF_INVALID',
  'trailing-garbage': 'CONSISTENCY_PROOF_INVALID',
  'trailing-root1': 'CONSISTENCY_PROOF_INVALID',
  'trailing-root2': 'CONSISTENCY_PROOF_INVALID',
  'preceding-garbage': 'CONSISTENCY_PROOF_INVALID',
  'preceding-root1': 'CONSISTENCY_PROOF_INVALID',
  'preceding-root2': 'CONSISTENCY_PROOF_INVALID',
  'preceding-proof[0]': 'CONSISTENCY_PROOF_INVALID',
  'modified-proof[0]-bit-4': 'ROOT_MISMATCH',
  'modified-proof[1]-bit-4': 'ROOT_MISMATCH',
  'modified-proof[2]-bit-4': 'ROOT_MISMATCH',
};
/**
 * Folders where the default does not hold. Their happy paths go from size 1 to 1 (folder 0),
 * 1 to 8 (1), 6 to 8 (2), 2 to 5 (3) and 6 to 7 (4).
 */
const CONSISTENCY_EXCEPTIONS: Record<string, Expected> = {
  // Halving size2 below size1 asks for a tree that shrank: the precondition catches it.
  '2/size2-div-2': 'TREE_SIZE_INVALID', // 6 → 4
  '4/size2-div-2': 'TREE_SIZE_INVALID', // 6 → 3
};

/** The expectation of one file; a file without one fails, so a new case needs a decision. */
function expected(
  path: string,
  name: string,
  table: Record<string, Expected>,
  exceptions: Record<string, Expected> = {},
): Expected {
  const code = exceptions[path.replace(/\.json$/, '')] ?? table[name];
  if (!code) throw new Error(`no expected outcome for ${path}`);
  return code;
}

function expectOutcome(check: () => void, want: Expected, wantErr: boolean): void {
  expect(wantErr).toBe(want !== 'VERIFIES'); // our table agrees with upstream's flag
  if (want === 'VERIFIES') check();
  else expect(check).toFailWithCode(want);
}

describe('transparency-dev/merkle inclusion vectors', () => {
  interface InclusionFile {
    leafIdx: number;
    treeSize: number;
    root: string;
    leafHash: string;
    proof: string[] | null;
    wantErr: boolean;
  }
  it.each(dataFiles('inclusion'))('%s', (path, name) => {
    const v = readJson<InclusionFile>(`inclusion/${path}`);
    const check = (): void =>
      verifyInclusion({
        leafIndex: v.leafIdx,
        treeSize: v.treeSize,
        leafHash: b64(v.leafHash),
        proof: nodes(v.proof),
        root: b64(v.root),
      });
    expectOutcome(check, expected(path, name, INCLUSION, INCLUSION_EXCEPTIONS), v.wantErr);
  });
});

describe('transparency-dev/merkle consistency vectors', () => {
  interface ConsistencyFile {
    size1: number;
    size2: number;
    root1: string;
    root2: string;
    proof: string[] | null;
    wantErr: boolean;
  }
  it.each(dataFiles('consistency'))('%s', (path, name) => {
    const v = readJson<ConsistencyFile>(`consistency/${path}`);
    const check = (): void =>
      verifyConsistency({
        firstSize: v.size1,
        secondSize: v.size2,
        firstRoot: b64(v.root1),
        secondRoot: b64(v.root2),
        proof: nodes(v.proof),
      });
    expectOutcome(check, expected(path, name, CONSISTENCY, CONSISTENCY_EXCEPTIONS), v.wantErr);
  });
});
