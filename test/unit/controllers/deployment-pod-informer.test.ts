// The Deployment controller's pod informer (control-plane/controllers/deployment/controller.ts) against the
// REAL embedded API server: it lists and watches pods with the label selector `pod-template-hash` (existence),
// so pods no Deployment's ReplicaSet made never reach its cache or its handlers — not even one whose labels
// match a Deployment's selector — while a pod with the label does, and leaves it when deleted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PODS, type KubeClient } from '../../../client/index.js';
import { startDeploymentController, type DeploymentController } from '../../../control-plane/controllers/deployment/index.js';
import { DEPLOYMENTS } from '../../../control-plane/controllers/framework/index.js';
import { pod, startPlane, until, type Plane } from '../client/helpers.js';

let plane: Plane;
let ac: AbortController;
let running: Promise<unknown>;
let dc: DeploymentController;
/** The options of every pods list/watch the controller sent. */
let podQueries: Array<{ verb: string; labelSelector?: string }>;

/** The plane's client, recording the pods lists and watches made through it. */
function recording(client: KubeClient): KubeClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if ((prop !== 'list' && prop !== 'watch') || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
      return (ref: { resource: string }, opts: { labelSelector?: string } = {}, ...rest: unknown[]) => {
        if (ref.resource === 'pods') podQueries.push({ verb: prop, labelSelector: opts.labelSelector });
        return (v as (...a: unknown[]) => unknown).call(target, ref, opts, ...rest);
      };
    },
  });
}

beforeEach(async () => {
  plane = await startPlane();
  podQueries = [];
  ac = new AbortController();
  dc = startDeploymentController({ client: recording(plane.client) });
  running = dc.run(ac.signal);
});
afterEach(async () => {
  ac.abort();
  await running;
  await plane.close();
});

const names = (): string[] => dc.pods.list().map((p) => p.metadata!.name!).sort();

describe('Deployment controller pod informer', () => {
  it('caches only pods labelled pod-template-hash; lists and watches pods with that label selector', async () => {
    await plane.client.create(DEPLOYMENTS, 'default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: 0, strategy: { type: 'Recreate' }, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    await plane.client.create(PODS, 'default', pod('unrelated', { run: 'x' }));
    await plane.client.create(PODS, 'default', pod('same-labels', { app: 'web' }));
    await plane.client.create(PODS, 'default', pod('hashed', { app: 'web', 'pod-template-hash': '5d8f7c9b4' }));
    await until(() => names().includes('hashed'), 5000, 'the labelled pod in the cache');
    expect(names()).toEqual(['hashed']);
    await plane.client.delete(PODS, 'default', 'hashed', { gracePeriodSeconds: 0 });
    await until(() => names().length === 0, 5000, 'the deleted pod out of the cache');
    expect(podQueries.length).toBeGreaterThanOrEqual(2);
    expect(podQueries.every((q) => q.labelSelector === 'pod-template-hash')).toBe(true);
  });
});
