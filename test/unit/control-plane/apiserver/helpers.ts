// Shared set-up of the API server unit tests: an in-memory object store on a fake clock (controllers run
// only in `store.settle()`), the default registry, the generic REST storage over them, and a resource finder.
import { FakeClock } from '../../../../cri/fake/fake-clock.js';
import { RestStorage, type WriteOptions } from '../../../../control-plane/apiserver/index.js';
import { Registry, type Resource } from '../../../../control-plane/registry/index.js';
import { openStore, type ObjectStore } from '../../../../control-plane/store/index.js';

export const T0 = Date.parse('2026-11-23T10:00:00Z');

export interface Rig { store: ObjectStore; clock: FakeClock; registry: Registry; rest: RestStorage; res(resource: string, group?: string, version?: string): Resource }

export async function rig(): Promise<Rig> {
  const clock = new FakeClock(T0);
  const store = await openStore({ controllers: 'manual', clock });
  const registry = new Registry();
  const rest = new RestStorage(store, () => clock.now());
  const res = (resource: string, group = '', version = 'v1'): Resource => {
    const r = registry.lookup(group, version, resource);
    if (!r) throw new Error(`no resource ${group}/${version}/${resource}`);
    return r;
  };
  return { store, clock, registry, rest, res };
}

export const by = (fieldManager: string, extra: Partial<WriteOptions> = {}): WriteOptions => ({ fieldManager, ...extra });

export const configMap = (name: string, data: Record<string, string> = {}, meta: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...meta }, data });

export const pod = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta }, spec: { containers: [{ name: 'main', image: 'busybox' }], ...spec } });
