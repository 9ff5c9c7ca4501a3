// Resources and platform images of a state directory. Nothing is cached: every call reads the
// files again, so tools editing the state while the server runs are seen at once.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { layout, resourceKey, type PlatformImageRecord, type StoredResource } from './state-layout.js';
import { readJson, removeFile, writeJsonAtomic } from './json-files.js';

export interface ResourceStore {
  get(id: string): StoredResource | undefined;
  put(resource: StoredResource): void;
  remove(id: string): void;
  /** Every resource of an ARM type (case-insensitive), optionally under a parent id. */
  list(type: string, parentId?: string): StoredResource[];
  platformImages(): PlatformImageRecord[];
  /** Read-modify-write of one resource; `change` returns false to skip the write. Returns the result. */
  update(id: string, change: (r: StoredResource) => void | false): StoredResource | undefined;
}

/** The store of state directory `stateDir`. */
export function createResourceStore(stateDir: string): ResourceStore {
  const readAll = <T>(dir: string): T[] => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: T[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const value = readJson<T>(join(dir, name));
      if (value !== undefined) out.push(value);
    }
    return out;
  };
  const store: ResourceStore = {
    get: (id) => readJson<StoredResource>(layout.resource(stateDir, id)),
    put: (resource) => writeJsonAtomic(layout.resource(stateDir, resource.id), resource),
    remove: (id) => removeFile(layout.resource(stateDir, id)),
    list(type, parentId) {
      const t = type.toLowerCase();
      const prefix = parentId === undefined ? undefined : canonicalId(parentId) + '/';
      return readAll<StoredResource>(layout.resourcesDir(stateDir)).filter(
        (r) => r.type.toLowerCase() === t && (prefix === undefined || canonicalId(r.id).startsWith(prefix)),
      );
    },
    platformImages: () => readAll<PlatformImageRecord>(layout.platformImagesDir(stateDir)),
    update(id, change) {
      const current = store.get(id);
      if (!current) return undefined;
      if (change(current) === false) return current;
      store.put(current);
      return current;
    },
  };
  return store;
}

/** Lower-case id without duplicate or trailing slashes: the form ids are compared in. */
export function canonicalId(id: string): string {
  return id.toLowerCase().replace(/\/+/g, '/').replace(/\/$/, '');
}

/** True when two ids name the same resource. */
export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && resourceKey(a) === resourceKey(b);
}
