// Checks recorded emulator traffic against Azure's API definitions for the request's api-version:
// the wire shape of each Microsoft.Compute model (types, required properties), as
// scripts/extract-compute-models.py extracted it into test/openapi/models/<api-version>.json.
// Requests are checked against the operation's body model and answers against its response model;
// error answers against ARM's error envelope. Read-only properties in requests are not violations
// (ARM ignores them, and clients send back what they read); properties a model does not define are
// counted apart (`extra`), as the definitions do not forbid them.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface PropertyDef { type: string; required?: boolean; readOnly?: boolean }
interface ModelDef { properties: Record<string, PropertyDef> }
interface Definitions { apiVersion: string; source: string; models: Record<string, ModelDef> }

export interface TrafficEntry {
  method: string;
  path: string;
  apiVersion?: string;
  operation?: string;
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
}

export interface Finding {
  operation: string;
  apiVersion: string;
  where: 'request' | 'response';
  path: string;
  problem: string;
}

export interface TrafficReport {
  checked: number;
  /** Compute operations with no definitions for their api-version (or no model mapping). */
  unchecked: string[];
  violations: Finding[];
  extra: Finding[];
}

const MODELS_DIR = fileURLToPath(new URL('../../../test/openapi/models/', import.meta.url));
const cache = new Map<string, Definitions | undefined>();

function definitions(apiVersion: string): Definitions | undefined {
  if (!cache.has(apiVersion)) {
    const file = `${MODELS_DIR}${apiVersion}.json`;
    cache.set(apiVersion, existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Definitions) : undefined);
  }
  return cache.get(apiVersion);
}

/** Body and response models of an operation (in @azure/arm-compute's naming, as the emulator logs it). */
const OPERATIONS: Record<string, { request?: string; response?: string }> = {};
for (const [prefix, model, list] of [
  ['disks', 'Disk', 'DiskList'], ['snapshots', 'Snapshot', 'SnapshotList'], ['images', 'Image', 'ImageListResult'],
  ['galleries', 'Gallery', 'GalleryList'], ['galleryImages', 'GalleryImage', 'GalleryImageList'],
  ['galleryImageVersions', 'GalleryImageVersion', 'GalleryImageVersionList'], ['virtualMachines', 'VirtualMachine', 'VirtualMachineListResult'],
] as const) {
  OPERATIONS[`${prefix}.get`] = { response: model };
  OPERATIONS[`${prefix}.createOrUpdate`] = { request: model, response: model };
  OPERATIONS[`${prefix}.update`] = { request: `${model}Update`, response: model };
  OPERATIONS[`${prefix}.delete`] = {};
  for (const l of ['list', 'listAll', 'listByResourceGroup', 'listByGallery', 'listByGalleryImage']) OPERATIONS[`${prefix}.${l}`] = { response: list };
}
OPERATIONS['disks.grantAccess'] = OPERATIONS['snapshots.grantAccess'] = { request: 'GrantAccessData', response: 'AccessUri' };
OPERATIONS['disks.revokeAccess'] = OPERATIONS['snapshots.revokeAccess'] = {};
OPERATIONS['virtualMachineImages.get'] = { response: 'VirtualMachineImage' };
for (const l of ['list', 'listPublishers', 'listOffers', 'listSkus']) OPERATIONS[`virtualMachineImages.${l}`] = { response: '[VirtualMachineImageResource]' };

const SCALARS: Record<string, (v: unknown) => boolean> = {
  str: (v) => typeof v === 'string',
  int: (v) => Number.isInteger(v),
  long: (v) => Number.isInteger(v),
  float: (v) => typeof v === 'number',
  bool: (v) => typeof v === 'boolean',
  'iso-8601': (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
  'rfc-1123': (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
  duration: (v) => typeof v === 'string' && /^P/.test(v),
  object: () => true,
  bytearray: (v) => typeof v === 'string',
  base64: (v) => typeof v === 'string',
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Walk { defs: Definitions; where: 'request' | 'response'; violations: string[][]; extra: string[][] }

function checkValue(value: unknown, type: string, path: string, w: Walk): void {
  if (value === null || value === undefined) return;
  if (type.startsWith('[') && type.endsWith(']')) {
    if (!Array.isArray(value)) return void w.violations.push([path, `must be an array (${type}), got ${JSON.stringify(value)}`]);
    value.forEach((item, i) => checkValue(item, type.slice(1, -1), `${path}[${i}]`, w));
    return;
  }
  if (type.startsWith('{') && type.endsWith('}')) {
    if (!isObject(value)) return void w.violations.push([path, `must be an object of ${type.slice(1, -1)}, got ${JSON.stringify(value)}`]);
    for (const [k, v] of Object.entries(value)) checkValue(v, type.slice(1, -1), `${path}.${k}`, w);
    return;
  }
  const scalar = SCALARS[type];
  if (scalar) {
    if (!scalar(value)) w.violations.push([path, `must be ${type}, got ${JSON.stringify(value)}`]);
    return;
  }
  const model = w.defs.models[type];
  if (!model) return void w.violations.push([path, `model ${type} is not defined in api-version ${w.defs.apiVersion}`]);
  checkModel(value, model, type, path, w);
}

function checkModel(value: unknown, model: ModelDef, name: string, path: string, w: Walk): void {
  if (!isObject(value)) return void w.violations.push([path, `must be an object (${name}), got ${JSON.stringify(value)}`]);
  const seen = new Set<string>();
  for (const [key, def] of Object.entries(model.properties)) {
    const parts = key.split('.');
    let node: unknown = value;
    for (const p of parts) node = isObject(node) ? node[p] : undefined;
    parts.reduce((acc, p) => (seen.add(acc ? `${acc}.${p}` : p), acc ? `${acc}.${p}` : p), '');
    const at = path ? `${path}.${key}` : key;
    if (node === undefined || node === null) {
      if (def.required && !(w.where === 'request' && def.readOnly)) w.violations.push([at, `is required by ${name}`]);
      continue;
    }
    checkValue(node, def.type, at, w);
  }
  // Properties the model does not define (flattened "properties" included).
  const walkExtra = (obj: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (!seen.has(key)) w.extra.push([path ? `${path}.${key}` : key, `is not a property of ${name}`]);
      else if (isObject(v) && !(model.properties[key])) walkExtra(v, key);
    }
  };
  walkExtra(value, '');
}

/** Checks every Microsoft.Compute request and answer in `entries`. */
export function checkTraffic(entries: TrafficEntry[]): TrafficReport {
  const report: TrafficReport = { checked: 0, unchecked: [], violations: [], extra: [] };
  for (const e of entries) {
    const op = e.operation ?? '';
    if (!/^(disks|snapshots|images|galleries|galleryImages|galleryImageVersions|virtualMachines|virtualMachineImages)\./.test(op)) continue;
    const models = OPERATIONS[op];
    const defs = e.apiVersion ? definitions(e.apiVersion) : undefined;
    if (!models || !defs) {
      report.unchecked.push(`${op}@${e.apiVersion ?? '-'}`);
      continue;
    }
    report.checked++;
    const run = (where: 'request' | 'response', body: unknown, type: string | undefined): void => {
      if (!type || body === undefined) return;
      const w: Walk = { defs, where, violations: [], extra: [] };
      checkValue(body, type, '', w);
      const finding = ([path, problem]: string[]): Finding => ({ operation: op, apiVersion: defs.apiVersion, where, path: path ?? '', problem: problem ?? '' });
      report.violations.push(...w.violations.map(finding));
      report.extra.push(...w.extra.map(finding));
    };
    if (e.method !== 'GET' && e.method !== 'DELETE') run('request', e.requestBody, models.request);
    if (e.status >= 400) {
      const err = isObject(e.responseBody) ? e.responseBody.error : undefined;
      if (!isObject(err) || typeof err.code !== 'string' || typeof err.message !== 'string') {
        report.violations.push({ operation: op, apiVersion: defs.apiVersion, where: 'response', path: 'error', problem: `an error answer must be {"error":{"code","message"}}, got ${JSON.stringify(e.responseBody)}` });
      }
    } else {
      run('response', e.responseBody, models.response);
    }
  }
  return report;
}

/** Reads <state>/traffic.jsonl. */
export function readTraffic(file: string): TrafficEntry[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TrafficEntry);
}

/** One line per finding, for assertion messages. */
export function describe(findings: Finding[]): string {
  return findings.map((f) => `${f.operation}@${f.apiVersion} ${f.where} ${f.path}: ${f.problem}`).join('\n');
}
