// "Did you mean" suggestions for misspelt keys, block types, functions, placeholders and values.
// One implementation for the loader, the expression evaluator and the config stage.

/** Levenshtein edit distance between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `word` (case-insensitive) when it is close enough to be a likely typo:
 * about one edit per three characters, and at least `minLimit` edits. Else undefined.
 */
export function closest(word: string, candidates: Iterable<string>, minLimit = 1): string | undefined {
  // Nobody mistypes a name of more than a line; and a distance is at least the difference in
  // length, so candidates too short or too long are skipped before the quadratic comparison.
  if (word.length > MAX_SUGGESTED_LENGTH) return undefined;
  const lower = word.toLowerCase();
  const limit = Math.max(minLimit, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

const MAX_SUGGESTED_LENGTH = 80;

/** `did you mean "x"?`, or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>, minLimit = 1): string {
  const match = closest(word, candidates, minLimit);
  return match === undefined ? '' : `did you mean "${match}"?`;
}

/** `did you mean "x"? allowed: a, b, c` for a diagnostic detail. */
export function suggestionDetail(word: string, candidates: readonly string[]): string {
  const hint = closest(word, candidates, 2);
  const allowed = `allowed: ${candidates.join(', ')}`;
  return hint ? `did you mean "${hint}"? ${allowed}` : allowed;
}
