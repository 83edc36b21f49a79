// creationTimestamp of folder and URL pods (agent/sources/pod-config.ts): stamped when the agent first sees
// the pod, kept across its updates, taken from the first sandbox after an agent restart, and what the API
// serves (agent/api-server/pod-feed.ts) however late the API is first asked.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../agent/api/v1.js';
import { decodeManifest } from '../../../agent/sources/manifest.js';
import { PodConfig, type PodUpdate } from '../../../agent/sources/pod-config.js';
import { stampStaticPod, type PodSourceSnapshot, type SourcePod } from '../../../agent/sources/source.js';
import { PodManager } from '../../../agent/pod-manager.js';
import { StatusManager } from '../../../agent/status-manager.js';

const T0 = Date.parse('2026-11-23T10:00:00.250Z');
const manifest = (labels = 'app: web', extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {${labels}}
${extra}spec:
  containers:
  - name: c
    image: busybox
`;

function filePod(yaml: string, seenMs: number): SourcePod[] {
  const d = decodeManifest('web.yaml', yaml);
  expect(d.errors).toEqual([]);
  return d.pods.map(({ pod, origin }) => ({ pod: stampStaticPod(pod, { source: 'file', uidSource: 'file:/m/web.yaml', nodeName: 'node-1', seenMs }), origin }));
}
const snap = (pods: SourcePod[]): PodSourceSnapshot => ({ source: 'file', pods, configMaps: [], secrets: [], errors: [] });

function harness(firstSandboxAt?: (uid: string) => number | undefined) {
  const updates: PodUpdate[] = [];
  const config = new PodConfig({ sources: ['file'], onUpdate: (u) => updates.push(u), firstSandboxAt, now: () => T0 + 99_000 });
  const created = () => updates.flatMap((u) => u.pods.map((p) => `${u.op} ${p.pod.metadata?.creationTimestamp}`));
  return { config, updates, created };
}

describe('creationTimestamp of static pods', () => {
  it('is the time the source first saw the pod, kept when its labels change (a manifest with its own uid)', () => {
    const h = harness();
    const uid = '  uid: 3f2a9c1e-0000-4000-8000-000000000001\n';
    h.config.apply(snap(filePod(manifest('app: web', uid), T0)));
    h.config.apply(snap(filePod(manifest('app: web, tier: front', uid), T0 + 7000)));
    expect(h.created()).toEqual(['ADD 2026-11-23T10:00:00Z', 'UPDATE 2026-11-23T10:00:00Z']);
    expect(h.config.pods()[0]!.pod.metadata?.creationTimestamp).toBe('2026-11-23T10:00:00Z');
  });

  it('replaces a creationTimestamp written in the manifest (it is the server\'s field)', () => {
    const h = harness();
    h.config.apply(snap(filePod(manifest('app: web', '  creationTimestamp: "2020-01-01T00:00:00Z"\n'), T0)));
    expect(h.created()).toEqual(['ADD 2026-11-23T10:00:00Z']);
  });

  it('after an agent restart, is the creation of the earliest sandbox the runtime still holds for the UID', () => {
    const pods = filePod(manifest(), T0 + 600_000);
    const uid = pods[0]!.pod.metadata!.uid!;
    const h = harness((u) => (u === uid ? T0 - 3_600_000 : undefined));
    h.config.apply(snap(pods));
    expect(h.created()).toEqual(['ADD 2026-11-23T09:00:00Z']);
  });

  it('a sandbox newer than the first sight does not move it later; no config.seen falls back to the clock', () => {
    const h = harness(() => T0 + 5000);
    h.config.apply(snap(filePod(manifest(), T0)));
    const bare = filePod(manifest('app: other'), T0).map((p) => {
      const { 'kubernetes.io/config.seen': _s, ...annotations } = p.pod.metadata!.annotations!;
      return { ...p, pod: { ...p.pod, metadata: { ...p.pod.metadata, name: 'bare', annotations } } };
    });
    const late = harness();
    late.config.apply(snap(bare));
    expect([...h.created(), ...late.created()]).toEqual(['ADD 2026-11-23T10:00:00Z', 'ADD 2026-11-23T10:01:39Z']);
  });
});
