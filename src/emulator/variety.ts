// Azure's response variety. In the default `polite` mode the emulator always gives the same legal
// answer (the first choice); in `real` mode a seeded generator picks, per request, among the
// answers Azure legally gives (synchronous 200 or 201/202 with polling headers, which polling
// headers, Retry-After values, transient 429/503, preemption), so a seed replays one run exactly.

import { seededRandom } from '../seeded-random.js';

export type AzureMode = 'polite' | 'real';

export interface Variety {
  readonly mode: AzureMode;
  readonly seed: number;
  /** One of `choices`: the first in polite mode. */
  pick<T>(choices: readonly T[]): T;
  /** True with probability `p` in real mode; never in polite mode. */
  chance(p: number): boolean;
  /** A whole number in [min, max]: min in polite mode. */
  int(min: number, max: number): number;
}


/** The variety of a mode and seed. */
export function createVariety(mode: AzureMode = 'polite', seed = 1): Variety {
  if (mode !== 'polite' && mode !== 'real') throw new TypeError(`azure mode must be "polite" or "real", got "${String(mode)}"`);
  if (!Number.isInteger(seed)) throw new TypeError(`seed must be a whole number, got ${seed}`);
  const next = seededRandom(seed);
  return {
    mode,
    seed,
    pick: (choices) => (mode === 'polite' ? choices[0]! : choices[Math.floor(next() * choices.length)]!),
    chance: (p) => mode === 'real' && next() < p,
    int: (min, max) => (mode === 'polite' ? min : min + Math.floor(next() * (max - min + 1))),
  };
}
