// Turns the shared template flags into loader options.

import type { LoadOptions } from '../../template/model.js';

export interface TemplateFlags {
  var?: [string, string][];
  varFile?: string[];
  only?: string[];
  except?: string[];
  syntaxOnly?: boolean;
  debug?: boolean;
  /** Packer's -machine-readable rows on stdout instead of text. */
  machineReadable?: boolean;
}

/** Loader options for the flags given on the command line. */
export function loadOptionsFrom(flags: TemplateFlags): LoadOptions {
  return {
    vars: flags.var ?? [],
    varFiles: flags.varFile ?? [],
    only: flags.only,
    except: flags.except,
    syntaxOnly: flags.syntaxOnly ?? false,
    env: process.env,
    cwd: process.cwd(),
  };
}
