// Shared set-up of the object-store unit tests: a store in a fresh temporary directory (or in memory) on a
// fake clock with its controllers stepped by hand, and small object builders.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../../../cri/fake/fake-clock.js';
import { openStore, type KubeObject, type ObjectStore, type OpenStoreOptions } from '../../../../control-plane/store/index.js';

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'mk-store-'));

export interface TestStore { store: ObjectStore; clock: FakeClock; dir: string | undefined }

/** A store on a fake clock whose controllers run only in `store.settle()`; `dir: undefined` = in memory. */
export async function testStore(opts: OpenStoreOptions & { disk?: boolean } = {}): Promise<TestStore> {
  const clock = new FakeClock(Date.parse('2026-11-23T10:00:00Z'));
  const dir = opts.disk === false ? undefined : (opts.dir ?? tempDir());
  const store = await openStore({ controllers: 'manual', clock, ...opts, dir });
  return { store, clock, dir };
}

export const cm = (name: string, data: Record<string, string> = {}, meta: Record<string, unknown> = {}): KubeObject & { data: Record<string, string> } =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', ...meta }, data });

export const ownerRef = (o: KubeObject, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: o.apiVersion ?? 'v1', kind: o.kind ?? 'ConfigMap', name: o.metadata!.name!, uid: o.metadata!.uid!, ...extra });

export const rvOf = (o: KubeObject): number => Number(o.metadata!.resourceVersion);
