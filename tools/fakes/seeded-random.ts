/**
 * Seeded draws for the tests' fakes, from the simulator's generator (prng.ts), so that every
 * seeded choice in the project comes from one well-mixed PRNG: the same seed draws the same
 * numbers.
 */
import { Prng } from './prng';

export type SeededRandom = (below: number) => number;

/** Integers in [0, below), drawn from `seed`. */
export function seededRandom(seed: number): SeededRandom {
  const prng = new Prng(seed);
  return (below) => Math.floor(prng.float() * below);
}

/** Gives up to `most` event-loop turns (a seeded number of them) to whatever else is pending. */
export async function seededTurns(random: SeededRandom, most: number): Promise<void> {
  for (let i = random(most + 1); i > 0; i--) await new Promise((resolve) => setImmediate(resolve));
}
