// CLI -only / -except: globs (`*` = any characters) on build names; an -except match on a
// post-processor's name (or type) cuts the rest of its chain, as in Packer.

import type { RawBuild } from './model.js';

/** Compiles a glob where `*` matches any run of characters (dots included). */
export function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
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
