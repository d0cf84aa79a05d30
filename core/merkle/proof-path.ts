/**
 * The index walk shared by inclusion (RFC 9162 §2.1.3.2) and consistency (§2.1.4.2)
 * verification. Both algorithms move a pair (fn, sn) up the tree and, at each proof element,
 * hash it either on the left ("if LSB(fn) is set, or if fn is equal to sn") or on the right.
 * Walking the pair without hashing tells, before anything is hashed, exactly how many proof
 * elements a valid proof has and on which side each goes — transparency-dev/merkle's
 * "work out which nodes are needed" step.
 */

const half = (x: number): number => Math.floor(x / 2);
const isOdd = (x: number): boolean => x % 2 === 1;

/**
 * For each proof element in order, `true` when it is a left sibling (r = HASH(0x01 || p || r))
 * and `false` when it is a right sibling (r = HASH(0x01 || r || p)).
 * Arithmetic instead of bit operators keeps it exact for every safe integer, not just 2^31.
 */
export function proofSides(fn: number, sn: number): boolean[] {
  const sides: boolean[] = [];
  while (sn > 0) {
    if (isOdd(fn) || fn === sn) {
      sides.push(true);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sides.push(false);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sides;
}

/** RFC 9162 §2.1.4.2 step 3: right-shift both while LSB(fn) is set. */
export function dropSharedRightEdge(fn: number, sn: number): [number, number] {
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  return [fn, sn];
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
