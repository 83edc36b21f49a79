// test/e2e/kubectl-apps-kinds.test.ts — the REAL kubectl against the standalone control plane (no
// controllers run there: only the API of the apps kinds): `kubectl apply` of the course's apps/v1beta1
// Deployment without a selector prints the deprecation warning and is stored as apps/v1 with the selector
// from its template; `api-resources` lists deployments and replicasets with their short names; `get
// deploy,rs` (and -o wide) print the server's columns; `kubectl scale` goes through the scale subresource;
// a selector that does not match the template is refused with the real message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlaneSuite, manifestFolder } from './control-plane-server.js';

const file = manifestFolder('mk-apps-files-');
const suite = controlPlaneSuite({ beforeAll, afterAll });

/** stdout of a kubectl run that must succeed without a word on stderr. */
async function out(...args: string[]): Promise<string> {
  const r = await suite.k().run(...args);
  expect([r.stderr, r.exitCode], `kubectl ${args.join(' ')}`).toEqual(['', 0]);
  return r.stdout;
}

const LOAP = `apiVersion: apps/v1beta1
kind: Deployment
metadata:
  name: loap
spec:
  replicas: 1
  template:
    metadata:
      labels:
        app: loap
    spec:
      containers:
      - name: loap
        image: busybox
        command: ["sh", "-c", "sleep 3600"]
`;

const RS = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: front
spec:
  replicas: 3
  selector:
    matchLabels: {tier: front}
  template:
    metadata:
      labels: {tier: front}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.25"}
`;

describe('apps kinds through kubectl', () => {
  it('api-resources lists deployments (deploy) and replicasets (rs) in apps/v1', async () => {
    const text = await out('api-resources', '--api-group=apps');
    expect(text).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(text).toMatch(/^replicasets\s+rs\s+apps\/v1\s+true\s+ReplicaSet$/m);
  });

  it('apply of an apps/v1beta1 Deployment without selector: the warning, stored as apps/v1 with the selector from the template', async () => {
    const r = await suite.k().run('apply', '-f', file('loap.yaml', LOAP));
    expect(r.stdout).toBe('deployment.apps/loap created\n');
    expect(r.stderr).toBe('Warning: apps/v1beta1 Deployment is deprecated in v1.8+, unavailable in v1.16+; use apps/v1 Deployment\n');
    expect(r.exitCode).toBe(0);
    expect(await out('get', 'deploy', 'loap', '-o', 'jsonpath={.apiVersion} {.spec.selector.matchLabels.app} {.spec.revisionHistoryLimit} {.metadata.generation}')).toBe('apps/v1 loap 2 1');
  });

  it('get deploy,rs print the server columns (and -o wide the template and selector)', async () => {
    expect(await out('apply', '-f', file('rs.yaml', RS))).toBe('replicaset.apps/front created\n');
    const text = await out('get', 'deploy,rs');
    expect(text).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndeployment\.apps\/loap\s+0\/1\s+0\s+0\s+\S+\n\nNAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nreplicaset\.apps\/front\s+3\s+0\s+0\s+\S+\n$/);
    expect(await out('get', 'rs', '-o', 'wide')).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\nfront\s+3\s+0\s+0\s+\S+\s+nginx\s+nginx:1\.25\s+tier=front\n$/);
  });

  it('kubectl scale deployment loap --replicas=0 goes through the scale subresource', async () => {
    expect(await out('scale', 'deployment', 'loap', '--replicas=0')).toBe('deployment.apps/loap scaled\n');
    expect(await out('get', 'deploy', 'loap', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}')).toBe('0 2');
    expect(await out('scale', 'rs', 'front', '--replicas=1')).toBe('replicaset.apps/front scaled\n');
  });

  it('a selector that does not match the template labels: the real message', async () => {
    const bad = RS.replace('name: front', 'name: bad').replace('labels: {tier: front}', 'labels: {tier: back}');
    const r = await suite.k().run('apply', '-f', file('bad.yaml', bad));
    expect(r.stderr).toBe('The ReplicaSet "bad" is invalid: spec.template.metadata.labels: Invalid value: {"tier":"back"}: `selector` does not match template `labels`\n');
    expect(r.exitCode).toBe(1);
  });
});
