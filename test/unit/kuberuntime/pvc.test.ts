// The kubelet's persistentVolumeClaim volumes (agent/kuberuntime/pvc.ts and prepareVolumes): the kubelet's texts
// while a claim cannot be mounted (unknown, missing, being deleted, not bound, volume missing or of another
// claim), the volume's hostPath made (0777) and bound, readOnly honoured, and a static pod's claim still an empty
// directory.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { claimProblem, type ClaimLookup } from '../../../agent/kuberuntime/pvc.js';
import { prepareVolumes } from '../../../agent/kuberuntime/volumes.js';
import type { ConfigStore } from '../../../agent/kuberuntime/env.js';

const root = mkdtempSync(join(tmpdir(), 'mk-pvc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const claim = { metadata: { name: 'data', namespace: 'default', uid: 'u1' }, spec: { volumeName: 'pv1' }, status: { phase: 'Bound' } };
const volume = (path: string) => ({ metadata: { name: 'pv1' }, spec: { hostPath: { path, type: 'DirectoryOrCreate' }, claimRef: { uid: 'u1' } } });
const pod = (source: string, readOnly = false): Pod => ({
  metadata: { name: 'p', namespace: 'default', uid: `pod-${source}-${readOnly}`, annotations: { 'kubernetes.io/config.source': source } },
  spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data', readOnly } }] },
});
const store = (lookup: ClaimLookup): ConfigStore => ({ getConfigMap: () => undefined, getSecret: () => undefined, getVolumeClaim: () => lookup });

describe('claimProblem', () => {
  const cases: [string, ClaimLookup, string][] = [
    ['not read yet', { known: false }, 'waiting for the claim to be read from the API server'],
    ['missing', { known: true }, 'failed to fetch PVC from API server: persistentvolumeclaims "data" not found'],
    ['being deleted', { known: true, claim: { ...claim, metadata: { ...claim.metadata, deletionTimestamp: 'x' } } }, "can't start pod because PVC default/data is being deleted"],
    ['pending', { known: true, claim: { ...claim, spec: {}, status: { phase: 'Pending' } } }, 'PVC is not bound'],
    ['volume missing', { known: true, claim }, 'failed to fetch PV pv1 from API server: persistentvolumes "pv1" not found'],
  ];
  it.each(cases)('%s', (_n, lookup, text) => {
    expect(claimProblem(lookup, 'data')).toBe(text);
  });
});

describe('prepareVolumes with a claim', () => {
  it('an API pod: FailedMount text while the claim is missing', () => {
    expect(() => prepareVolumes(root, pod('api'), store({ known: true }))).toThrow(
      'Unable to attach or mount volumes: unmounted volumes=[v], unattached volumes=[], failed to process volumes=[v]: error processing PVC default/data: failed to fetch PVC from API server: persistentvolumeclaims "data" not found');
  });

  it('an API pod: the bound volume\'s directory, made 0777, readOnly as the pod says', () => {
    const dir = join(root, 'storage', 'pvc-u1_default_data');
    const rw = prepareVolumes(root, pod('api'), store({ known: true, claim, volume: volume(dir) }));
    expect(rw.get('v')).toEqual({ hostPath: dir });
    expect(statSync(dir).mode & 0o777).toBe(0o777);
    expect(prepareVolumes(root, pod('api', true), store({ known: true, claim, volume: volume(dir) })).get('v')).toEqual({ hostPath: dir, readOnly: true });
  });

  it('a static pod keeps an empty directory', () => {
    const v = prepareVolumes(root, pod('file'), store({ known: true })).get('v');
    expect(v?.hostPath).toBe(join(root, 'pods', 'pod-file-false', 'volumes', 'kubernetes.io~empty-dir', 'v'));
  });
});
