// `{{user `x`}}` where "x" is not in the template's "variables": Packer renders "" and says nothing,
// so the mistake surfaces later as a confusing error in another field (or as an empty argument in a
// provisioner). Here it is an error, once per name, at its first use, with a did-you-mean (a
// documented difference from Packer). The scan parses every field's Go template, including those
// rendered only at build time (provisioner `inline`, post-processor commands).

import { error, type Diagnostic } from '../../diagnostics.js';
import { GoTemplateError, scanGoTemplate } from '../../interpolate/go-template.js';
import { didYouMean } from '../../suggest.js';
import { joinPath } from '../blocks.js';
import { Codes } from '../codes.js';
import type { JsonDocument } from '../json-source.js';
import type { KeyPath } from '../model.js';

/** The user-variable names a Go-template string passes to `user`; none when it does not parse (the renderer reports that). */
function userVariablesUsed(text: string): string[] {
  try {
    return scanGoTemplate(text).userVariables;
  } catch (e) {
    if (e instanceof GoTemplateError) return [];
    throw e;
  }
}

/** One error per undeclared user variable used outside "variables", at its first use. */
export function undeclaredUserVariables(doc: JsonDocument, root: Record<string, unknown>, declared: ReadonlySet<string>): Diagnostic[] {
  const uses = new Map<string, KeyPath[]>();
  const visit = (value: unknown, path: KeyPath): void => {
    if (typeof value === 'string') {
      for (const name of userVariablesUsed(value)) if (!declared.has(name)) uses.set(name, [...(uses.get(name) ?? []), path]);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    }
  };
  for (const [key, value] of Object.entries(root)) if (key !== 'variables' && key !== 'sensitive-variables') visit(value, [key]);
  return [...uses].map(([name, paths]) => {
    const hint = didYouMean(name, declared);
    const more = paths.length > 1 ? ` It is used ${paths.length} times.` : '';
    return error(Codes.userUndeclared, `user variable "${name}" is not declared in "variables"`, {
      pos: doc.locate(paths[0]!),
      path: joinPath('', paths[0]!),
      detail: `${hint ? `${hint} ` : ''}Declare it in "variables" (with a default, or null when -var must set it).${more}`,
    });
  });
}
