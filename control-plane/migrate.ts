// control-plane/migrate.ts — brings the API objects an older mini-kubelet kept as files under its root dir
// (`api-pods/<ns>_<name>.json`, `api-config/<Kind>_<ns>_<name>.json`, before the object store existed) into
// the store, once, keeping each object's uid and creationTimestamp so the kubelet adopts the containers it
// already runs for them. Namespaces they name are created. The old folders are renamed `*.migrated`, so a
// second start does nothing; unreadable files are reported and left where they are.
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ObjectStore } from './store/index.js';
import { createStrategy, type Registry } from './registry/index.js';

interface Legacy { resource: string; obj: Record<string, unknown> & { metadata?: Record<string, unknown> } }

const FOLDERS: readonly { dir: string; resourceOf: (file: string) => string | undefined }[] = [
  { dir: 'api-pods', resourceOf: () => 'pods' },
  { dir: 'api-config', resourceOf: (f) => (f.startsWith('ConfigMap_') ? 'configmaps' : f.startsWith('Secret_') ? 'secrets' : undefined) },
];

/** Returns how many objects were migrated, and a line per file that could not be. */
export async function migrateLegacyObjects(rootDir: string, store: ObjectStore, registry: Registry): Promise<{ migrated: number; problems: string[] }> {
  let migrated = 0;
  const problems: string[] = [];
  for (const { dir, resourceOf } of FOLDERS) {
    const path = join(rootDir, dir);
    if (!existsSync(path)) continue;
    const found: Legacy[] = [];
    for (const f of readdirSync(path).filter((n) => n.endsWith('.json')).sort()) {
      try {
        const resource = resourceOf(f);
        if (!resource) throw new Error('not a ConfigMap or Secret file');
        found.push({ resource, obj: JSON.parse(readFileSync(join(path, f), 'utf8')) as Legacy['obj'] });
      } catch (err) {
        problems.push(`${join(path, f)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const { resource, obj } of found) {
      const md = obj.metadata ?? {};
      const ns = typeof md['namespace'] === 'string' ? md['namespace'] : 'default';
      try {
        if (!store.find('namespaces', '', ns)) await store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { restore: true });
        if (store.find(resource, ns, String(md['name']))) continue;
        const { resourceVersion: _rv, ...meta } = md;
        const r = registry.forStore(resource);
        await store.create(resource, { ...obj, metadata: { ...meta, namespace: ns } }, { restore: true, strategy: r ? createStrategy(r) : undefined });
        migrated++;
      } catch (err) {
        problems.push(`${resource} ${ns}/${String(md['name'])}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    renameSync(path, `${path}.migrated`);
  }
  return { migrated, problems };
}
