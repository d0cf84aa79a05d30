/** A small deterministic PRNG (mulberry32): the same seed draws the same numbers. */
export type SeededRandom = (below: number) => number;

/** Integers in [0, below), drawn from `seed`. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * below);
  };
}

/** Gives up to `most` event-loop turns (a seeded number of them) to whatever else is pending. */
export async function seededTurns(random: SeededRandom, most: number): Promise<void> {
  for (let i = random(most + 1); i > 0; i--) await new Promise((resolve) => setImmediate(resolve));
}
