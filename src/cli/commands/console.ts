// `azchroot console [TEMPLATE]`: evaluates expressions against a template's variables and locals,
// as `packer console` does: one per line, from a terminal (with a prompt) or from stdin, each value
// printed as Packer prints it. HCL2 templates take HCL expressions; JSON templates take Go
// templates (`{{user `name`}}`). Sensitive values print as <sensitive>. Never calls Azure or IMDS.

import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { createFunctions, evaluateExpression, formatConsoleValue, HclError, type EvalContext } from '../../hcl/index.js';
import { templateFunctions } from '../../interpolate/functions.js';
import { renderGoTemplate } from '../../interpolate/go-template.js';
import { loadTemplate } from '../../template/load.js';
import type { LoadedTemplate } from '../../template/model.js';
import { Redactor } from '../../report/reporter.js';
import { PACKER_COMPAT_VERSION } from '../../version.js';
import { printDiagnostics } from '../render-error.js';
import { loadOptionsFrom, type TemplateFlags } from './template-flags.js';

type Evaluate = (line: string) => string;

/** Returns the exit code: 0 when every expression evaluated, 1 otherwise (or when the template does not load). */
export async function consoleCommand(path: string | undefined, flags: TemplateFlags): Promise<number> {
  const redactor = new Redactor();
  let evaluate: Evaluate;
  if (path) {
    const { template, diagnostics } = await loadTemplate(path, loadOptionsFrom(flags));
    redactor.add(...(template?.sensitiveValues ?? []));
    const invalid = printDiagnostics(diagnostics, { write: (t) => process.stderr.write(t), redact: (t) => redactor.redact(t), verdict: 'the template could not be read.' });
    if (invalid || !template) return 1;
    evaluate = evaluatorFor(template);
  } else {
    evaluate = hclEvaluator(emptyContext());
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const rl = createInterface({ input: process.stdin, ...(interactive ? { output: process.stdout, prompt: '> ' } : {}), terminal: interactive });
  let failed = false;
  if (interactive) rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (interactive && (line === 'exit' || line === 'quit')) break;
    if (line !== '') {
      try {
        process.stdout.write(`${redactor.redact(evaluate(line))}\n`);
      } catch (err) {
        failed = true;
        process.stderr.write(`${redactor.redact(describe(err))}\n`);
      }
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  return failed && !interactive ? 1 : 0;
}

/** Evaluates one console line against `t`: the text `console` prints, or throws the expression's error. */
export function evaluatorFor(t: LoadedTemplate): Evaluate {
  if (t.kind === 'hcl2' && t.expressionContext) return hclEvaluator(t.expressionContext);
  const funcs = templateFunctions({ kind: 'json', phase: 'config', userVars: t.userVars, templateDir: t.templateDir, startTime: Math.floor(Date.now() / 1000), cwd: process.cwd() });
  return (line) => renderGoTemplate(line, { funcs, data: {} });
}

function hclEvaluator(ctx: EvalContext): Evaluate {
  return (line) => formatConsoleValue(evaluateExpression(line, ctx));
}

/** Without a template: the functions, path and packer, and no variables or locals. */
function emptyContext(): EvalContext {
  const cwd = process.cwd();
  return {
    functions: createFunctions({ baseDir: resolve(cwd), cwd, env: process.env }),
    variables: { var: {}, local: {}, path: { root: '.', cwd }, packer: { version: PACKER_COMPAT_VERSION } },
  };
}

/** `Error: <summary>` and HCL's detail, as Packer prints an expression error. */
function describe(err: unknown): string {
  if (err instanceof HclError) return `Error: ${err.summary}${err.detail ? `\n\n${err.detail}` : ''}`;
  return `Error: ${err instanceof Error ? err.message : String(err)}`;
}
