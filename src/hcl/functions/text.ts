// Unicode text helpers: HCL counts and slices strings by grapheme cluster ("é" is one character).

// Made on first use: creating a Segmenter loads ICU data, which every start-up would pay for.
let segmenter: Intl.Segmenter | undefined;

/** The grapheme clusters of `s`. */
export function graphemes(s: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(s), (x) => x.segment);
}
