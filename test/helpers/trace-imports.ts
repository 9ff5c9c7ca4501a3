// Loaded with `node --import`: records every module URL the process resolves into the file named by
// AZC_TRACE_IMPORTS, so tests can check what a command loads at start-up.
import { register } from 'node:module';

const out = process.env.AZC_TRACE_IMPORTS;
if (out) {
  const hook = `
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      appendFileSync(${JSON.stringify(out)}, result.url + '\\n');
      return result;
    }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`, import.meta.url);
}
