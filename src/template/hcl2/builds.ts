// `build` blocks expanded into one RawBuild per source (templates.md §2.6): `sources = [...]`
// references and build-level `source "REF" { name = ..., more attributes }` blocks.

import { error, type Diagnostic, type SourcePos } from '../../diagnostics.js';
import type { HclValue } from '../../hcl/index.js';
import { blocksOf, isBody, type Body, type BlockRef } from '../blocks.js';
import { Codes } from '../codes.js';
import type { ParsedFile } from '../hcl-syntax.js';
import type { KeyPath, Origin, RawBuild } from '../model.js';
import { suggestionDetail } from '../../suggest.js';
import { decodeErrorCleanup, decodeItems, orderedItems } from './build-items.js';
import { baseContext, buildContext, type Scope } from './contexts.js';
import { evaluatePlain as evaluate } from './evaluate.js';
import { fileRef, parseSourceRef, type SourceDef } from './structure.js';

const BUILD_ATTRIBUTES = ['name', 'description', 'sources'];
const BUILD_BLOCKS = ['source', 'provisioner', 'post-processor', 'post-processors', 'dynamic', 'error-cleanup-provisioner'];

interface Instance {
  source: SourceDef;
  localName: string;
  body: Body;
  locate(sub: KeyPath): SourcePos | undefined;
}

/** All build blocks of all files, expanded into builds in file and block order. */
export function expandBuilds(files: readonly ParsedFile[], sources: ReadonlyMap<string, SourceDef>, scope: Scope, diagnostics: Diagnostic[]): RawBuild[] {
  const blocks: BlockRef[] = [];
  for (const file of files) {
    const ref = fileRef(file);
    if (ref) blocks.push(...blocksOf(ref, 'build', 0, diagnostics));
  }
  const builds: RawBuild[] = [];
  blocks.forEach((block, index) => {
    const base = blocks.length === 1 ? 'build' : `build[${index}]`;
    builds.push(...expandOne(block, base, sources, scope, diagnostics));
  });
  return builds;
}

/** Checks the keys of a build block (also used by -syntax-only). */
export function checkBuildKeys(block: BlockRef, base: string, diagnostics: Diagnostic[]): void {
  for (const key of Object.keys(block.body)) {
    if (BUILD_ATTRIBUTES.includes(key) || BUILD_BLOCKS.includes(key)) continue;
    diagnostics.push(error(Codes.unknownKey, `unsupported argument or block "${key}" in build`, { pos: block.locate([key]), path: `${base}.${key}`, detail: suggestionDetail(key, [...BUILD_ATTRIBUTES, ...BUILD_BLOCKS]) }));
  }
}

function expandOne(block: BlockRef, base: string, sources: ReadonlyMap<string, SourceDef>, scope: Scope, diagnostics: Diagnostic[]): RawBuild[] {
  checkBuildKeys(block, base, diagnostics);
  const where = { locate: block.locate, path: base };
  const ctx = baseContext(scope);
  let buildName: string | undefined;
  if (block.body.name !== undefined) {
    const n = evaluate(block.body.name, ctx, where, ['name'], diagnostics);
    if (typeof n === 'string') buildName = n;
    else if (n !== undefined) diagnostics.push(error(Codes.expression, `build "name" must be a string, got ${JSON.stringify(n)}`, { pos: block.locate(['name']), path: `${base}.name` }));
  }
  const instances: Instance[] = [];
  const lookup = (ref: string, pos: SourcePos | undefined, path: string): SourceDef | undefined => {
    const parsed = parseSourceRef(ref);
    const found = parsed && sources.get(`${parsed.type}.${parsed.name}`);
    if (!found) {
      const known = [...sources.keys()].map((k) => `source.${k}`);
      diagnostics.push(error(Codes.sourceUnknown, parsed ? `unknown source "${ref}"` : `invalid source reference "${ref}"`, {
        pos,
        path,
        detail: known.length ? suggestionDetail(ref.startsWith('source.') ? ref : `source.${ref}`, known) : 'no source blocks are defined; add source "TYPE" "NAME" { ... }',
      }));
    }
    return found;
  };
  if (block.body.sources !== undefined) {
    const refs = evaluate(block.body.sources, ctx, where, ['sources'], diagnostics);
    if (refs !== undefined && (!Array.isArray(refs) || !refs.every((r) => typeof r === 'string'))) {
      diagnostics.push(error(Codes.expression, 'build "sources" must be a list of strings like "source.azure-chroot.example"', { pos: block.locate(['sources']), path: `${base}.sources` }));
    } else if (Array.isArray(refs)) {
      (refs as string[]).forEach((ref, i) => {
        const source = lookup(ref, block.locate(['sources', i]), `${base}.sources[${i}]`);
        if (source) instances.push({ source, localName: source.name, body: source.block.body, locate: source.block.locate });
      });
    }
  }
  const buildRef = { file: block.file, body: block.body, rawPath: [], fileLocate: block.locate };
  for (const inner of blocksOf(buildRef, 'source', 1, diagnostics)) {
    const ref = inner.labels[0]!;
    const path = `${base}.source.${ref}`;
    const source = lookup(ref, inner.pos, path);
    if (!source) continue;
    const instance = mergeBuildSource(source, inner, path, ctx, diagnostics);
    if (instance) instances.push(instance);
  }
  if (instances.length === 0 && !diagnostics.some((d) => d.code === Codes.sourceUnknown && d.path?.startsWith(base))) {
    diagnostics.push(error(Codes.buildNoSources, 'build has no sources', { pos: block.pos, path: base, detail: 'add sources = ["source.TYPE.NAME"] or a source "source.TYPE.NAME" { } block' }));
  }

  const items = orderedItems(buildRef, ['provisioner', 'post-processor', 'post-processors', 'dynamic'], diagnostics);
  const cleanupBlocks = blocksOf(buildRef, 'error-cleanup-provisioner', 1, diagnostics);
  for (const extra of cleanupBlocks.slice(1)) {
    diagnostics.push(error(Codes.badBlock, 'only one error-cleanup-provisioner block is allowed in a build', { pos: extra.pos, path: `${base}.error-cleanup-provisioner`, detail: 'keep one; it may run several commands' }));
  }
  return instances.map((inst): RawBuild => {
    const type = inst.source.type;
    const bctx = buildContext(scope, { type, name: inst.localName }, buildName);
    const sourcePath = `source.${type}.${inst.source.name}`;
    const builderOrigin: Origin = { file: inst.source.block.file, path: sourcePath, ...(inst.source.block.pos ? { pos: inst.source.block.pos } : {}), locate: inst.locate };
    const builder = evaluate(inst.body, bctx, builderOrigin, [], diagnostics);
    const decoded = decodeItems(items, bctx, { sourceType: type, sourceName: inst.localName }, base, diagnostics);
    const errorCleanup = cleanupBlocks[0] && decodeErrorCleanup(cleanupBlocks[0], bctx, { sourceType: type, sourceName: inst.localName }, base, diagnostics);
    const display = `${type}.${inst.localName}`;
    return {
      name: buildName ? `${buildName}.${display}` : display,
      ...(buildName !== undefined ? { buildName } : {}),
      sourceType: type,
      sourceName: inst.localName,
      sourceLabel: inst.source.name,
      builder: isBody(builder) ? (builder as Record<string, HclValue>) : {},
      builderOrigin,
      provisioners: decoded.provisioners,
      postProcessors: decoded.postProcessors,
      ...(errorCleanup ? { errorCleanupProvisioner: errorCleanup } : {}),
    };
  });
}

/**
 * A build-level `source "REF" { name = ..., ... }`: `name` renames the build's source, other
 * attributes are added to the source body; re-setting one is "Duplicate argument", nested blocks append.
 */
function mergeBuildSource(source: SourceDef, inner: BlockRef, path: string, ctx: ReturnType<typeof baseContext>, diagnostics: Diagnostic[]): Instance | undefined {
  let localName = source.name;
  const { name, ...extra } = inner.body;
  if (name !== undefined) {
    const n = evaluate(name, ctx, { locate: inner.locate, path }, ['name'], diagnostics);
    if (typeof n === 'string' && n !== '') localName = n;
    else if (n !== undefined) diagnostics.push(error(Codes.expression, `source "name" must be a non-empty string, got ${JSON.stringify(n)}`, { pos: inner.locate(['name']), path: `${path}.name` }));
  }
  const body: Body = { ...source.block.body };
  for (const [key, value] of Object.entries(extra)) {
    const existing = body[key];
    if (existing === undefined) body[key] = value;
    else if (isBlockList(existing) && isBlockList(value)) body[key] = [...existing, ...value];
    else {
      const first = source.block.locate([key]);
      diagnostics.push(error(Codes.duplicateArgument, `duplicate argument "${key}"`, {
        pos: inner.locate([key]),
        path: `${path}.${key}`,
        detail: `argument "${key}" was already set${first ? ` at ${first.file}:${first.line}:${first.column}` : ''}; each argument may be set only once`,
      }));
    }
  }
  const extraKeys = new Set(Object.keys(extra));
  return {
    source,
    localName,
    body,
    locate: (sub) => (typeof sub[0] === 'string' && extraKeys.has(sub[0]) && !(sub[0] in source.block.body) ? inner.locate(sub) : source.block.locate(sub)),
  };
}

function isBlockList(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length > 0 && v.every(isBody);
}
