// "Did you mean" suggestions for misspelt names, as HCL gives them (edit distance below 3).

/** ` Did you mean "x"?` for the closest candidate within distance 2, or "". */
export function suggest(name: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDist = 3;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best === undefined ? '' : ` Did you mean "${best}"?`;
}

/** Levenshtein distance between two strings. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
