// Provisioner and post-processor blocks of a build, in source order (hcl2json groups them by type,
// so the order comes from block positions), decoded for one source with only/except/override applied.

import { error, type Diagnostic } from '../../diagnostics.js';
import type { EvalContext, HclValue } from '../../hcl/index.js';
import { blocksOf, comparePos, isBody, type BlockRef, type BodyRef } from '../blocks.js';
import { Codes } from '../codes.js';
import type { KeyPath, Origin, RawPostProcessor, RawProvisioner } from '../model.js';
import { suggestionDetail } from '../../suggest.js';
import { evaluatePlain as evaluate, expandDynamicBlock } from './evaluate.js';

export type ItemKind = 'provisioner' | 'post-processor' | 'post-processors' | 'dynamic';

export interface BuildItem {
  kind: ItemKind;
  block: BlockRef;
}

const DYNAMIC_TYPES = ['provisioner', 'post-processor'];

/** The provisioner/post-processor(s)/dynamic blocks directly in `parent`, in source order. */
export function orderedItems(parent: BodyRef, kinds: readonly ItemKind[], diagnostics: Diagnostic[]): BuildItem[] {
  const items: BuildItem[] = [];
  for (const kind of kinds) {
    const labels = kind === 'post-processors' ? 0 : 1;
    for (const block of blocksOf(parent, kind, labels, diagnostics)) items.push({ kind, block });
  }
  // Array.prototype.sort is stable: blocks without a position keep hcl2json's per-type order.
  return items.sort((a, b) => comparePos(a.block.pos, b.block.pos));
}

export interface Target {
  sourceType: string;
  sourceName: string;
}

interface Decoded {
  provisioners: RawProvisioner[];
  postProcessors: RawPostProcessor[][];
}

/** Decodes the ordered items for one build instance; `base` is the display path of the build block. */
export function decodeItems(items: readonly BuildItem[], ctx: EvalContext, target: Target, base: string, diagnostics: Diagnostic[]): Decoded {
  const out: Decoded = { provisioners: [], postProcessors: [] };
  let provIndex = 0;
  let chainIndex = 0;
  for (const item of items) {
    const { block } = item;
    if (item.kind === 'provisioner') {
      const origin = originOf(block, `${base}.provisioner[${provIndex++}]`, []);
      const p = decodeProvisioner(block.labels[0]!, block.body, ctx, origin, target, diagnostics);
      if (p) out.provisioners.push(p);
    } else if (item.kind === 'dynamic') {
      const type = block.labels[0]!;
      if (!DYNAMIC_TYPES.includes(type)) {
        diagnostics.push(error(Codes.unknownBlock, `unsupported dynamic block type "${type}" in build`, { pos: block.pos, detail: suggestionDetail(type, DYNAMIC_TYPES) }));
        continue;
      }
      const path = `${base}.dynamic.${type}`;
      const generated = expandDynamicBlock(block.body, type, ctx, { locate: block.locate, path }, diagnostics) ?? [];
      const contentSub: KeyPath = Array.isArray(block.body.content) ? ['content', 0] : ['content'];
      for (const g of generated) {
        const pluginType = g.labels[0];
        if (!pluginType || !isBody(g.body)) {
          diagnostics.push(error(Codes.badBlock, `dynamic "${type}" must set labels = ["<plugin type>"]`, { pos: block.locate(['labels']), path }));
          break;
        }
        if (type === 'provisioner') {
          const origin = originOf(block, `${base}.provisioner[${provIndex++}]`, contentSub);
          const p = decodeEvaluatedProvisioner(pluginType, g.body as Record<string, HclValue>, origin, target, diagnostics);
          if (p) out.provisioners.push(p);
        } else {
          const origin = originOf(block, `${base}.post-processor[${chainIndex++}]`, contentSub);
          const pp = decodeEvaluatedPostProcessor(pluginType, g.body as Record<string, HclValue>, origin, target, diagnostics);
          if (pp) out.postProcessors.push([pp]);
        }
      }
    } else if (item.kind === 'post-processor') {
      const origin = originOf(block, `${base}.post-processor[${chainIndex++}]`, []);
      const value = evaluate(block.body, ctx, origin, [], diagnostics);
      const pp = isBody(value) ? decodeEvaluatedPostProcessor(block.labels[0]!, value as Record<string, HclValue>, origin, target, diagnostics) : undefined;
      if (pp) out.postProcessors.push([pp]);
    } else {
      const chainPath = `${base}.post-processors[${chainIndex++}]`;
      const ref: BodyRef = { file: block.file, body: block.body, rawPath: [], fileLocate: block.locate };
      for (const key of Object.keys(block.body)) {
        if (key !== 'post-processor' && key !== 'dynamic') {
          diagnostics.push(error(Codes.unknownBlock, `unsupported "${key}" in post-processors`, { pos: block.locate([key]), path: `${chainPath}.${key}`, detail: 'a post-processors block contains only post-processor blocks' }));
        }
      }
      const inner = decodeItems(orderedItems(ref, ['post-processor', 'dynamic'], diagnostics), ctx, target, chainPath, diagnostics);
      const chain = inner.postProcessors.flat();
      if (chain.length > 0) out.postProcessors.push(chain);
    }
  }
  return out;
}

/** The build's `error-cleanup-provisioner "TYPE" { }` block, decoded like a provisioner (only/except apply). */
export function decodeErrorCleanup(block: BlockRef, ctx: EvalContext, target: Target, base: string, diagnostics: Diagnostic[]): RawProvisioner | undefined {
  return decodeProvisioner(block.labels[0]!, block.body, ctx, originOf(block, `${base}.error-cleanup-provisioner`, []), target, diagnostics);
}

function originOf(block: BlockRef, path: string, prefix: KeyPath): Origin {
  return { file: block.file, path, ...(block.pos ? { pos: block.pos } : {}), locate: (sub) => block.locate([...prefix, ...sub]) };
}

function decodeProvisioner(type: string, raw: Record<string, unknown>, ctx: EvalContext, origin: Origin, target: Target, diagnostics: Diagnostic[]): RawProvisioner | undefined {
  const value = evaluate(raw, ctx, origin, [], diagnostics);
  return isBody(value) ? decodeEvaluatedProvisioner(type, value as Record<string, HclValue>, origin, target, diagnostics) : undefined;
}

/** Reserved keys of a provisioner; undefined when only/except skip it for this build. */
function decodeEvaluatedProvisioner(type: string, body: Record<string, HclValue>, origin: Origin, target: Target, diagnostics: Diagnostic[]): RawProvisioner | undefined {
  const { name, only, except, override, pause_before, timeout, max_retries, ...config } = body;
  if (!appliesTo(only, except, origin, target, diagnostics)) return undefined;
  if (override !== undefined) {
    if (!isBody(override)) {
      diagnostics.push(error(Codes.override, `"override" must be an object keyed by source name, got ${JSON.stringify(override)}`, { pos: origin.locate(['override']), path: `${origin.path}.override` }));
    } else {
      const mine = (override as Record<string, HclValue>)[target.sourceName];
      if (mine !== undefined && !isBody(mine)) {
        diagnostics.push(error(Codes.override, `override for "${target.sourceName}" must be an object, got ${JSON.stringify(mine)}`, { pos: origin.locate(['override']), path: `${origin.path}.override.${target.sourceName}` }));
      } else if (mine) Object.assign(config, mine);
    }
  }
  const p: RawProvisioner = { type, config, origin };
  if (name !== undefined) p.name = String(name);
  const pause = duration(pause_before, 'pause_before', origin, diagnostics);
  if (pause !== undefined) p.pauseBefore = pause;
  const t = duration(timeout, 'timeout', origin, diagnostics);
  if (t !== undefined) p.timeout = t;
  if (max_retries !== undefined) {
    const n = typeof max_retries === 'string' && /^\d+$/.test(max_retries) ? Number(max_retries) : max_retries;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) p.maxRetries = n;
    else diagnostics.push(error(Codes.expression, `"max_retries" must be a whole number, got ${JSON.stringify(max_retries)}`, { pos: origin.locate(['max_retries']), path: `${origin.path}.max_retries` }));
  }
  return p;
}

function decodeEvaluatedPostProcessor(type: string, body: Record<string, HclValue>, origin: Origin, target: Target, diagnostics: Diagnostic[]): RawPostProcessor | undefined {
  const { name, only, except, keep_input_artifact, ...config } = body;
  if (!appliesTo(only, except, origin, target, diagnostics)) return undefined;
  const pp: RawPostProcessor = { type, config, origin };
  if (name !== undefined) pp.name = String(name);
  if (keep_input_artifact !== undefined) {
    if (typeof keep_input_artifact === 'boolean') pp.keepInputArtifact = keep_input_artifact;
    else diagnostics.push(error(Codes.expression, `"keep_input_artifact" must be true or false, got ${JSON.stringify(keep_input_artifact)}`, { pos: origin.locate(['keep_input_artifact']), path: `${origin.path}.keep_input_artifact` }));
  }
  return pp;
}

/** only/except are exact matches on `<source type>.<source name>`; setting both is an error. */
function appliesTo(only: HclValue | undefined, except: HclValue | undefined, origin: Origin, target: Target, diagnostics: Diagnostic[]): boolean {
  const me = `${target.sourceType}.${target.sourceName}`;
  if (only !== undefined && except !== undefined) {
    diagnostics.push(error(Codes.onlyExcept, 'only one of "only" or "except" may be set', { pos: origin.locate(['except']), path: `${origin.path}.except`, detail: 'remove one of them' }));
    return false;
  }
  for (const [key, list] of [['only', only], ['except', except]] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
      diagnostics.push(error(Codes.onlyExcept, `"${key}" must be a list of source names like "azure-chroot.example", got ${JSON.stringify(list)}`, { pos: origin.locate([key]), path: `${origin.path}.${key}` }));
      return false;
    }
    const hit = list.includes(me);
    return key === 'only' ? hit : !hit;
  }
  return true;
}

function duration(v: HclValue | undefined, key: string, origin: Origin, diagnostics: Diagnostic[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$|^0$/.test(v)) return v;
  diagnostics.push(error(Codes.expression, `"${key}" must be a duration like "10s" or "1m30s", got ${JSON.stringify(v)}`, { pos: origin.locate([key]), path: `${origin.path}.${key}` }));
  return undefined;
}
