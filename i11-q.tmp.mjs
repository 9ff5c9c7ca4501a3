import { parse } from '@cdktn/hcl2json';
for (const t of process.argv.slice(2)) { try { console.log(JSON.stringify(t), '=>', JSON.stringify(await parse('t.hcl', t.replace(/\\n/g, '\n')))); } catch (e) { console.log(JSON.stringify(t), 'ERR', e.message); } }
