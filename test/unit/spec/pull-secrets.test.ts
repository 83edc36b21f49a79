// imagePullSecrets: dockerconfigjson/dockercfg Secrets → the credentials for an image, and (no registry is
// reachable here) the auth that reaches the runtime's pullImage, on the fake runtime.
import { describe, expect, it, vi } from 'vitest';
import type { Pod, Secret } from '../../../agent/api/v1.js';
import type { AuthConfig } from '../../../cri/api.js';
import { CriError } from '../../../cri/errors.js';
import { systemClock } from '../../../cri/clock.js';
import { FakeRuntime } from '../../../cri/fake/fake-runtime.js';
import { Backoff } from '../../../agent/kuberuntime/backoff.js';
import { ImageManager } from '../../../agent/kuberuntime/image-manager.js';
import { imageRegistry, pullCredentials } from '../../../agent/kuberuntime/pull-secrets.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const dockerconfigjson = (auths: Record<string, unknown>): Secret => ({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } });
const secrets: Record<string, Secret> = {
  regcred: dockerconfigjson({
    'registry.example.com:5000': { auth: b64('alice:pw1') },
    'https://index.docker.io/v1/': { username: 'bob', password: 'pw2' },
    '*.corp.example': { username: 'carol', password: 'pw3' },
    'ghcr.io/team': { username: 'dave', password: 'pw4', identitytoken: 'tok' },
  }),
  legacy: { type: 'kubernetes.io/dockercfg', stringData: { '.dockercfg': JSON.stringify({ 'ghcr.io': { auth: b64('erin:pw5') } }) } },
};
const store = { getConfigMap: () => undefined, getSecret: (_ns: string, n: string) => secrets[n] };
const pod = (names: string[]): Pod => ({ metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { imagePullSecrets: names.map((name) => ({ name })), containers: [] } });
const users = (image: string, names = ['regcred', 'legacy']) => pullCredentials(pod(names), image, store).auths.map((a) => a.username);

describe('pull credentials', () => {
  it('finds the registry of an image reference', () => {
    expect(imageRegistry('busybox')).toEqual({ host: 'index.docker.io', path: 'library/busybox' });
    expect(imageRegistry('docker.io/library/busybox:1.36')).toEqual({ host: 'index.docker.io', path: 'library/busybox' });
    expect(imageRegistry('registry.example.com:5000/app/web:v1')).toEqual({ host: 'registry.example.com:5000', path: 'app/web' });
    expect(imageRegistry('localhost/x@sha256:abc')).toEqual({ host: 'localhost', path: 'x' });
  });

  it('matches host, port, path prefix and wildcards; the most specific first; decodes `auth`', () => {
    expect(users('busybox')).toEqual(['bob']);
    expect(users('registry.example.com:5000/app:v1')).toEqual(['alice']);
    expect(pullCredentials(pod(['regcred']), 'registry.example.com:5000/app', store).auths[0]).toMatchObject({ username: 'alice', password: 'pw1', serverAddress: 'registry.example.com:5000' });
    expect(users('registry.example.com/app')).toEqual([]);
    expect(users('git.corp.example/tool')).toEqual(['carol']);
    expect(users('a.b.corp.example/tool')).toEqual([]);
    expect(users('ghcr.io/team/app')).toEqual(['dave', 'erin']);
    expect(users('ghcr.io/other/app')).toEqual(['erin']);
    expect(users('ghcr.io/teamx/app')).toEqual(['erin']);
  });

  it('reports pull secrets that do not exist', () => {
    expect(pullCredentials(pod(['nope', 'regcred']), 'busybox', store).missing).toEqual(['nope']);
  });
});

describe('ImageManager with imagePullSecrets (fake runtime)', () => {
  const manager = (rt: FakeRuntime) => new ImageManager({ runtime: rt, backoff: new Backoff(10_000, 300_000, () => 0), offlineFallback: false, now: () => 0 });
  const ev = { event: () => undefined, record: () => undefined };

  it('the matching credentials reach pullImage', async () => {
    const rt = new FakeRuntime();
    rt.allowPull('registry.example.com:5000/app:v1');
    const pull = vi.spyOn(rt, 'pullImage');
    const creds = pullCredentials(pod(['regcred']), 'registry.example.com:5000/app:v1', store);
    const r = await manager(rt).ensureImageExists(pod(['regcred']), { name: 'c', image: 'registry.example.com:5000/app:v1', imagePullPolicy: 'Always' }, ev, creds.auths);
    expect(r.ok).toBe(true);
    expect(pull).toHaveBeenCalledTimes(1);
    expect(pull.mock.calls[0]![1]).toEqual({ serverAddress: 'registry.example.com:5000', username: 'alice', password: 'pw1', auth: b64('alice:pw1') });
  });

  it('tries each matching credential in turn; no credentials means an anonymous pull', async () => {
    const rt = new FakeRuntime();
    rt.allowPull('ghcr.io/team/app:v2');
    const seen: (AuthConfig | undefined)[] = [];
    const real = rt.pullImage.bind(rt);
    vi.spyOn(rt, 'pullImage').mockImplementation(async (ref, auth, onProgress, signal) => {
      seen.push(auth);
      if (auth?.username === 'dave') throw new CriError('ErrImagePull', 'unauthorized: bad credentials');
      return real(ref, auth, onProgress, signal);
    });
    const creds = pullCredentials(pod(['regcred', 'legacy']), 'ghcr.io/team/app:v2', store);
    const r = await manager(rt).ensureImageExists(pod([]), { name: 'c', image: 'ghcr.io/team/app:v2', imagePullPolicy: 'Always' }, ev, creds.auths);
    expect(r.ok).toBe(true);
    expect(seen.map((a) => a?.username)).toEqual(['dave', 'erin']);
    seen.length = 0;
    rt.allowPull('busybox:1.36');
    await manager(rt).ensureImageExists(pod([]), { name: 'c', image: 'busybox:1.36', imagePullPolicy: 'Always' }, ev);
    expect(seen).toEqual([undefined]);
  });
});

describe('startContainer with imagePullSecrets (fake runtime)', () => {
  it('the pod\'s pull secret becomes the pull\'s auth; a missing one is a Warning event', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { EventRecorder } = await import('../../../agent/events/recorder.js');
    const { LifecycleRecord } = await import('../../../agent/timeline/lifecycle-record.js');
    const { ReasonCache } = await import('../../../agent/kuberuntime/context.js');
    const { startContainer } = await import('../../../agent/kuberuntime/start-container.js');
    const { generatePodSandboxConfig } = await import('../../../agent/kuberuntime/sandbox-config.js');
    const rootDir = mkdtempSync(join(tmpdir(), 'mk-pull-'));
    try {
      const rt = new FakeRuntime();
      rt.allowPull('registry.example.com:5000/app:v1');
      const pull = vi.spyOn(rt, 'pullImage');
      const events = new EventRecorder('node');
      const silent = { info() {}, warn() {}, error() {}, debug() {} };
      const ctx = {
        runtime: rt, rootDir, nodeName: 'node', hostIP: '192.0.2.1', hostResolv: { servers: [], searches: [], options: [] }, events,
        lifecycle: new LifecycleRecord(), hooks: { run: async () => undefined }, configStore: store,
        crashBackoff: new Backoff(10_000, 300_000, Date.now),
        images: new ImageManager({ runtime: rt, backoff: new Backoff(10_000, 300_000, Date.now), offlineFallback: false, now: Date.now }),
        reasons: new ReasonCache(), clock: systemClock, log: silent,
      };
      const p: Pod = { metadata: { name: 'app', namespace: 'default', uid: 'u-pull' }, spec: {
        imagePullSecrets: [{ name: 'regcred' }, { name: 'absent' }],
        containers: [{ name: 'c', image: 'registry.example.com:5000/app:v1', imagePullPolicy: 'Always' }],
      } };
      const sbConfig = generatePodSandboxConfig(p, 0, ctx.hostResolv);
      const sb = await rt.runPodSandbox(sbConfig);
      const status = { uid: 'u-pull', name: 'app', namespace: 'default', sandboxes: [], containers: [], timestamp: 0 };
      const r = await startContainer(ctx, p, p.spec!.containers[0]!, 'container', status, sb, sbConfig, '10.0.0.2');
      expect(r.ok).toBe(true);
      expect(pull.mock.calls[0]![1]).toMatchObject({ username: 'alice', password: 'pw1', serverAddress: 'registry.example.com:5000' });
      expect(events.list().map((e) => `${e.reason}: ${e.message}`)).toContain('FailedToRetrieveImagePullSecret: Unable to retrieve some image pull secrets (absent); attempting to pull the image may not succeed.');
    } finally {
      rmSync(rootDir, { recursive: true, force: true });
    }
  });
});
