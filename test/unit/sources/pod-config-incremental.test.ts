// PodConfig's incremental config objects (the API's ConfigMaps and Secrets, one watch event at a time):
// a change is announced only when the object in force changes, a name another source offers first stays
// theirs.
import { describe, expect, it } from 'vitest';
import type { ConfigMap } from '../../../agent/api/v1.js';
import { PodConfig, type ConfigObjectChange } from '../../../agent/sources/pod-config.js';

const cm = (name: string, v: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: v } });

describe('PodConfig.putConfigObject', () => {
  it('announces added, changed and removed objects once each, not unchanged ones', () => {
    const config = new PodConfig({ sources: ['api-config'], onUpdate: () => {} });
    const seen: ConfigObjectChange[][] = [];
    config.onConfigObjectsChanged((c) => seen.push([...c]));
    config.putConfigObject('api-config', 'ConfigMap', 'default', 'a', cm('a', '1'));
    config.putConfigObject('api-config', 'ConfigMap', 'default', 'a', cm('a', '1'));
    config.putConfigObject('api-config', 'ConfigMap', 'default', 'a', cm('a', '2'));
    config.putConfigObject('api-config', 'ConfigMap', 'default', 'a', undefined);
    expect(seen).toEqual([1, 2, 3].map(() => [{ kind: 'ConfigMap', namespace: 'default', name: 'a' }]));
    expect(config.getConfigMap('default', 'a')).toBeUndefined();
  });

  it('leaves a name to the source that offers it first', () => {
    const config = new PodConfig({ sources: ['file'], onUpdate: () => {} });
    config.apply({ source: 'file', pods: [], configMaps: [cm('a', 'folder')], secrets: [], errors: [] });
    const seen: ConfigObjectChange[][] = [];
    config.onConfigObjectsChanged((c) => seen.push([...c]));
    config.putConfigObject('api-config', 'ConfigMap', 'default', 'a', cm('a', 'api'));
    expect({ value: config.getConfigMap('default', 'a')?.data?.k, changes: seen.length }).toEqual({ value: 'folder', changes: 0 });
  });
});
