// Where the quickstart example is on this machine, for the --help hint: in the current directory
// (a clone), in the installed npm package, or where the Debian package puts it.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const QUICKSTART = 'examples/quickstart.pkr.hcl';
export const DEB_EXAMPLES = '/usr/share/doc/azchroot/examples';

/** A path to examples/quickstart.pkr.hcl that exists, relative when it is under the current directory. */
export function quickstartExample(): string {
  if (existsSync(QUICKSTART)) return QUICKSTART;
  // dist/src/cli (or the bundle's stand-in for it) is three levels below the package root.
  const candidates = [fileURLToPath(new URL(`../../../${QUICKSTART}`, import.meta.url)), `${DEB_EXAMPLES}/quickstart.pkr.hcl`];
  return candidates.find((c) => existsSync(c)) ?? QUICKSTART;
}
