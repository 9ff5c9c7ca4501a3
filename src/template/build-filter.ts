// CLI -only / -except: globs on build names with Packer's syntax (`*`, `?`, `[abc]`, `[!a-z]`,
// `{a,b}`, `\` escapes), matched by picomatch; an -except match on a post-processor's name (or type)
// cuts the rest of its chain, as in Packer.

import picomatch from 'picomatch';
import type { RawBuild } from './model.js';

/**
 * Compiles a Packer glob. Build names have no path separators, so no option about them matters;
 * a leading "!" is a literal character, not a negation, and there are no extended globs.
 */
export function globToRegExp(glob: string): RegExp {
  return picomatch.makeRe(glob, { dot: true, nonegate: true, noextglob: true, posix: true });
}

/** The builds selected by -only/-except. */
export function filterBuilds(builds: readonly RawBuild[], only: readonly string[] = [], except: readonly string[] = []): RawBuild[] {
  const onlyRe = only.map(globToRegExp);
  const exceptRe = except.map(globToRegExp);
  return builds
    .filter((b) => (onlyRe.length === 0 || onlyRe.some((r) => r.test(b.name))) && !exceptRe.some((r) => r.test(b.name)))
    .map((b) => {
      if (exceptRe.length === 0) return b;
      const postProcessors = b.postProcessors
        .map((chain) => {
          const cut = chain.findIndex((pp) => exceptRe.some((r) => r.test(pp.name ?? pp.type)));
          return cut === -1 ? chain : chain.slice(0, cut);
        })
        .filter((chain) => chain.length > 0);
      return { ...b, postProcessors };
    });
}
