// `azchroot inspect`: what a template contains, in run order; sensitive values masked.

import { loadTemplate } from '../../template/load.js';
import { Redactor } from '../../report/reporter.js';
import { machineRow } from '../../report/machine-readable.js';
import { printDiagnostics } from '../render-error.js';
import { loadOptionsFrom, type TemplateFlags } from './template-flags.js';
import type { LoadedTemplate } from '../../template/model.js';

/** Prints the template's structure; returns the exit code. */
export async function inspectCommand(path: string, flags: TemplateFlags): Promise<number> {
  const { template, diagnostics } = await loadTemplate(path, loadOptionsFrom(flags));
  const redactor = new Redactor();
  redactor.add(...(template?.sensitiveValues ?? []));
  const invalid = printDiagnostics(diagnostics, { write: (t) => process.stderr.write(t), redact: (t) => redactor.redact(t), verdict: 'the template could not be read.' });
  if (invalid || !template) return 1;
  process.stdout.write(redactor.redact(flags.machineReadable ? machineDescription(template) : describeTemplate(template)));
  return 0;
}

/**
 * Packer's inspect rows: `template-variable,NAME,VALUE,REQUIRED` (1 or 0), `template-builder,NAME,TYPE`,
 * `template-provisioner,TYPE` and `template-post-processor,TYPE`, then the text as `ui,say` rows.
 */
export function machineDescription(t: LoadedTemplate): string {
  const now = new Date();
  const rows: string[] = [];
  const row = (type: string, ...data: string[]) => rows.push(machineRow(now, '', type, data));
  for (const v of t.variables) row('template-variable', v.name, v.sensitive ? '<sensitive>' : typeof v.value === 'string' ? v.value : JSON.stringify(v.value), v.required ? '1' : '0');
  for (const b of t.builds) row('template-builder', b.name, b.sourceType);
  for (const p of t.builds[0]?.provisioners ?? []) row('template-provisioner', p.type);
  for (const pp of (t.builds[0]?.postProcessors ?? []).flat()) row('template-post-processor', pp.type);
  for (const line of describeTemplate(t).trimEnd().split('\n')) row('ui', 'say', line);
  return rows.map((r) => `${r}\n`).join('');
}

/** The human-readable description `inspect` prints. */
export function describeTemplate(t: LoadedTemplate): string {
  const lines: string[] = [];
  if (t.description) lines.push(`Description: ${t.description}`, '');
  lines.push(`Template: ${t.files.join(', ')} (${t.kind === 'hcl2' ? 'HCL2' : 'legacy JSON'})`, '');
  lines.push('Variables:');
  if (t.variables.length === 0) lines.push('  <none>');
  for (const v of t.variables) {
    const value = v.sensitive ? '<sensitive>' : JSON.stringify(v.value);
    const type = v.type ? ` (${v.type})` : '';
    lines.push(`  ${v.name}${type} = ${value}  [from ${v.from}]${v.description ? `  # ${v.description}` : ''}`);
  }
  if (t.kind === 'hcl2') {
    lines.push('', 'Locals:');
    if (!t.locals?.length) lines.push('  <none>');
    for (const l of t.locals ?? []) lines.push(`  ${l.name} = ${l.sensitive ? '<sensitive>' : JSON.stringify(l.value)}`);
  }
  lines.push('', 'Sources:');
  const sources = [...new Set(t.builds.map((b) => `${b.sourceType}.${b.sourceLabel}`))];
  if (sources.length === 0) lines.push('  <none>');
  for (const s of sources) lines.push(`  ${s}`);
  lines.push('', 'Builds:');
  if (t.builds.length === 0) lines.push('  <none>');
  for (const b of t.builds) {
    lines.push(`  ${b.name}`, `    source: ${b.sourceType}.${b.sourceLabel}${b.sourceName !== b.sourceLabel ? ` (named ${b.sourceName})` : ''}`);
    lines.push('    provisioners:');
    if (b.provisioners.length === 0) lines.push('      <none>');
    b.provisioners.forEach((p, i) => lines.push(`      ${i + 1}. ${p.type}${p.name ? ` "${p.name}"` : ''}${wrappers(p)}`));
    lines.push('    post-processors:');
    if (b.postProcessors.length === 0) lines.push('      <none>');
    b.postProcessors.forEach((chain, i) => lines.push(`      ${i}: ${chain.map((pp) => pp.name ?? pp.type).join(' -> ')}`));
  }
  return lines.join('\n') + '\n';
}

function wrappers(p: { pauseBefore?: string; timeout?: string; maxRetries?: number }): string {
  const parts = [
    p.pauseBefore ? `pause_before ${p.pauseBefore}` : '',
    p.timeout ? `timeout ${p.timeout}` : '',
    p.maxRetries ? `max_retries ${p.maxRetries}` : '',
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
