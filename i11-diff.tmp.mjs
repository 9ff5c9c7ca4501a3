import { parse } from '@cdktn/hcl2json';
import { readFileSync } from 'node:fs';
import { parseHclBody } from '/work/wt/i11-fast/dist/src/template/hcl-body-parser.js';
import { isDeepStrictEqual } from 'node:util';
for (const f of process.argv.slice(2)) {
  const text = readFileSync(f, 'utf8');
  let want, werr;
  try { want = await parse('x.hcl', text); } catch (e) { werr = e.message; }
  const got = parseHclBody('x.hcl', text);
  if (werr || !got.ok) {
    if (!!werr !== !got.ok) console.log('VERDICT', f, werr, JSON.stringify(got.ok ? got.body : got.errors));
    else console.log('both reject', f, '|', werr.slice(0,150), '|', got.errors.map(e=>e.pos.line+":"+e.pos.column+" "+e.summary));
    continue;
  }
  if (!isDeepStrictEqual(want, got.body)) {
    for (const k of new Set([...Object.keys(want), ...Object.keys(got.body)])) if (!isDeepStrictEqual(want[k], got.body[k])) console.log('DIFF', f, k, JSON.stringify(want[k]), JSON.stringify(got.body[k]));
  } else console.log('same', f);
}
