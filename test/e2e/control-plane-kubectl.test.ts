// test/e2e/control-plane-kubectl.test.ts — the REAL kubectl against the standalone control plane
// (node dist/control-plane/main.js): discovery (`api-resources`), ConfigMaps, Secrets, Namespaces and Leases
// through create/apply/get (-o wide, -o yaml)/describe/edit/patch/replace/label/delete, `get all`, a
// `get -w` that sees an update, server-side apply with its conflict, a deleted namespace taking its objects,
// and `delete --cascade=foreground|background|orphan` on an owner with a dependent.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlAt, startControlPlane, type ControlPlane, type Kubectl } from './control-plane-server.js';

const files = mkdtempSync(join(tmpdir(), 'mk-cp-files-'));
const file = (name: string, text: string): string => { const f = join(files, name); writeFileSync(f, text); return f; };
let cp: ControlPlane;
let k: Kubectl;

beforeAll(async () => {
  cp = await startControlPlane();
  k = kubectlAt(() => cp.url);
});
afterAll(async () => { await cp?.kill(); k?.dispose(); });

const out = async (...args: string[]): Promise<string> => {
  const r = await k.run(...args);
  expect(r.stderr, `kubectl ${args.join(' ')}`).toBe('');
  expect(r.exitCode).toBe(0);
  return r.stdout;
};

describe('discovery', () => {
  it('kubectl api-resources lists every kind with its short names, groups and scope', async () => {
    const text = await out('api-resources');
    expect(text).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND/);
    for (const row of [/^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m, /^events\s+ev\s+v1\s+true\s+Event$/m, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m,
      /^nodes\s+no\s+v1\s+false\s+Node$/m, /^pods\s+po\s+v1\s+true\s+Pod$/m, /^secrets\s+v1\s+true\s+Secret$/m,
      /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m, /^events\s+ev\s+events\.k8s\.io\/v1\s+true\s+Event$/m]) expect(text).toMatch(row);
    expect(await out('get', 'ns')).toMatch(/^NAME\s+STATUS\s+AGE\ndefault\s+Active\s+\S+\nkube-node-lease\s+Active\s+\S+\nkube-public\s+Active\s+\S+\nkube-system\s+Active\s+\S+\n$/);
  });
});

const cmYaml = (greeting: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  labels: {app: web}\ndata:\n  greeting: ${greeting}\n`;

describe('ConfigMaps', () => {
  it('apply (created, unchanged, configured), get, -o wide, -o yaml, describe', async () => {
    const f = file('cm.yaml', cmYaml('hello'));
    expect(await out('apply', '-f', f)).toBe('configmap/web created\n');
    expect(await out('apply', '-f', f)).toBe('configmap/web unchanged\n');
    expect(await out('apply', '-f', file('cm.yaml', cmYaml('bonjour')))).toBe('configmap/web configured\n');
    expect(await out('create', 'configmap', 'lit', '--from-literal=a=1', '--from-literal=b=2')).toBe('configmap/lit created\n');
    expect(await out('get', 'cm')).toMatch(/^NAME\s+DATA\s+AGE\nlit\s+2\s+\d+s\nweb\s+1\s+\d+s\n$/);
    expect(await out('get', 'configmaps', '-o', 'wide', '--show-labels')).toMatch(/^web\s+1\s+\d+s\s+app=web$/m);
    const yaml = await out('get', 'cm', 'web', '-o', 'yaml');
    expect(yaml).toMatch(/^data:\n  greeting: bonjour\nkind: ConfigMap\nmetadata:\n  annotations:\n    kubectl.kubernetes.io\/last-applied-configuration: \|/m);
    expect(yaml).toMatch(/^  resourceVersion: "\d+"$/m);
    expect(await out('describe', 'cm', 'web')).toMatch(/^Name:\s+web\nNamespace:\s+default\nLabels:\s+app=web\n[\s\S]*^greeting:\n----\nbonjour$/m);
  });

  it('edit (KUBE_EDITOR), patch (strategic, merge, json), label, replace, a stale replace, invalid names, delete', async () => {
    const editor = file('editor.sh', '#!/bin/sh\nsed -i "s/greeting: bonjour/greeting: hola/" "$1"\n');
    chmodSync(editor, 0o755);
    const edited = await k.runEnv({ KUBE_EDITOR: editor }, 'edit', 'cm', 'web');
    expect([edited.stdout, edited.exitCode]).toEqual(['configmap/web edited\n', 0]);
    expect(await out('patch', 'cm', 'web', '-p', '{"data":{"s":"1"}}')).toBe('configmap/web patched\n');
    expect(await out('patch', 'cm', 'web', '--type', 'merge', '-p', '{"data":{"m":"2"}}')).toBe('configmap/web patched\n');
    expect(await out('patch', 'cm', 'web', '--type', 'json', '-p', '[{"op":"remove","path":"/data/s"}]')).toBe('configmap/web patched\n');
    expect(await out('label', 'cm', 'web', 'tier=front')).toBe('configmap/web labeled\n');
    expect(JSON.parse(await out('get', 'cm', 'web', '-o', 'jsonpath={.data}'))).toEqual({ greeting: 'hola', m: '2' });

    const live = await out('get', 'cm', 'web', '-o', 'yaml');
    const replacement = file('replace.yaml', live.replace('greeting: hola', 'greeting: ciao'));
    expect(await out('replace', '-f', replacement)).toBe('configmap/web replaced\n');
    const stale = await k.run('replace', '-f', replacement);
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toContain('Error from server (Conflict): error when replacing');
    expect(stale.stderr).toContain('Operation cannot be fulfilled on configmaps "web": the object has been modified; please apply your changes to the latest version and try again');

    const bad = await k.run('create', 'cm', 'Bad_Name', '--from-literal=a=b');
    expect(bad.stderr).toMatch(/^error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/);
    expect(await out('delete', 'cm', 'web', 'lit')).toBe('configmap "web" deleted\nconfigmap "lit" deleted\n');
    expect((await k.run('get', 'cm', 'web')).stderr).toBe('Error from server (NotFound): configmaps "web" not found\n');
  });

  it('get -w prints the rows of later changes', async () => {
    await out('create', 'cm', 'watched', '--from-literal=a=1');
    const w = k.spawn('get', 'cm', '-w');
    let seen = '';
    w.stdout!.on('data', (b: Buffer) => { seen += b.toString(); });
    await waitFor(async () => /^watched\s+1\s/m.test(seen), { timeoutMs: 30_000, intervalMs: 100, message: 'the list is printed' });
    await out('patch', 'cm', 'watched', '-p', '{"data":{"b":"2","c":"3"}}');
    await waitFor(async () => /^watched\s+3\s/m.test(seen), { timeoutMs: 30_000, intervalMs: 100, message: 'the update is printed' });
    w.kill();
    await w;
    expect(seen).toMatch(/^NAME\s+DATA\s+AGE\nwatched\s+1\s+\S+\nwatched\s+3\s+\S+\n/);
  });
});

describe('Secrets, Leases, Namespaces, get all', () => {
  it('secrets: create generic, apply with stringData, TYPE column, immutable', async () => {
    expect(await out('create', 'secret', 'generic', 'db', '--from-literal=password=s3cret')).toBe('secret/db created\n');
    const f = file('sec.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: app}\nimmutable: true\nstringData: {token: abc}\n');
    expect(await out('apply', '-f', f)).toBe('secret/app created\n');
    expect(await out('get', 'secret', 'app', '-o', 'jsonpath={.data.token}')).toBe(Buffer.from('abc').toString('base64'));
    expect(await out('get', 'secrets')).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\napp\s+Opaque\s+1\s+\S+\ndb\s+Opaque\s+1\s+\S+\n$/);
    const change = await k.run('patch', 'secret', 'app', '-p', '{"stringData":{"token":"xyz"}}');
    expect(change.stderr).toBe('The Secret "app" is invalid: data: Forbidden: field is immutable when `immutable` is set\n');
  });

  it('leases in coordination.k8s.io: apply, NAME HOLDER AGE, patch the holder', async () => {
    const f = file('lease.yaml', 'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: node-a, namespace: kube-node-lease}\nspec: {holderIdentity: node-a, leaseDurationSeconds: 40}\n');
    expect(await out('apply', '-f', f)).toBe('lease.coordination.k8s.io/node-a created\n');
    expect(await out('get', 'leases', '-A')).toMatch(/^NAMESPACE\s+NAME\s+HOLDER\s+AGE\nkube-node-lease\s+node-a\s+node-a\s+\S+\n$/);
    expect(await out('patch', 'lease', 'node-a', '-n', 'kube-node-lease', '--type', 'merge', '-p', '{"spec":{"holderIdentity":"node-b"}}')).toBe('lease.coordination.k8s.io/node-a patched\n');
    expect(await out('get', 'lease', 'node-a', '-n', 'kube-node-lease', '-o', 'jsonpath={.spec.holderIdentity}')).toBe('node-b');
  });

  it('get all shows pods (the `all` category); pods print their columns, -o wide too', async () => {
    expect(await out('run', 'web', '--image=busybox', '--', 'sleep', '3600')).toBe('pod/web created\n');
    // Several kinds are in `all` (pods, deployments, replicasets), so kubectl prefixes the kind.
    expect(await out('get', 'all')).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\npod\/web\s+0\/1\s+Pending\s+0\s+\S+\n$/);
    expect(await out('get', 'pods', '-o', 'wide')).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\nweb\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+<none>\s+<none>\s+<none>\n$/);
    expect(await out('delete', 'pod', 'web')).toBe('pod "web" deleted\n');
  });

  it('deleting a namespace removes what is in it; the default namespace may not be deleted', async () => {
    expect(await out('create', 'namespace', 'team')).toBe('namespace/team created\n');
    await out('create', 'cm', 'inside', '-n', 'team', '--from-literal=a=b');
    await out('create', 'secret', 'generic', 'inside', '-n', 'team', '--from-literal=a=b');
    expect(await out('delete', 'namespace', 'team')).toBe('namespace "team" deleted\n');
    expect((await k.run('get', 'ns', 'team')).stderr).toBe('Error from server (NotFound): namespaces "team" not found\n');
    expect(await out('get', 'cm,secrets', '-A', '-o', 'name')).not.toContain('inside');
    expect((await k.run('delete', 'ns', 'default')).stderr).toBe('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted\n');
  });
});

describe('server-side apply and cascading deletion', () => {
  it('apply --server-side owns its fields; another manager\'s change is a conflict until --force-conflicts', async () => {
    const f = file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {one: "1", two: "2"}\n');
    expect(await out('apply', '--server-side', '-f', f)).toBe('configmap/ssa serverside-applied\n');
    await out('patch', 'cm', 'ssa', '-p', '{"data":{"one":"X"}}');
    const conflict = await k.run('apply', '--server-side', '-f', f);
    expect(conflict.exitCode).toBe(1);
    expect(conflict.stderr).toMatch(/^error: Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: \.data\.one\n/);
    expect(await out('apply', '--server-side', '--force-conflicts', '-f', f)).toBe('configmap/ssa serverside-applied\n');
    expect(await out('get', 'cm', 'ssa', '-o', 'jsonpath={.data.one}')).toBe('1');
  });

  const ownerAndDependent = async (owner: string): Promise<void> => {
    await out('create', 'cm', owner, '--from-literal=a=b');
    const uid = await out('get', 'cm', owner, '-o', 'jsonpath={.metadata.uid}');
    const dep = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${owner}-dep\n  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: ${owner}, uid: ${uid}, blockOwnerDeletion: true}]\ndata: {x: y}\n`;
    await out('apply', '-f', file(`${owner}-dep.yaml`, dep));
  };

  it('--cascade=foreground waits for the dependent, background collects it after, orphan keeps it without the reference', async () => {
    for (const o of ['fg', 'bg', 'or']) await ownerAndDependent(o);
    expect(await out('delete', 'cm', 'fg', '--cascade=foreground')).toBe('configmap "fg" deleted\n');
    expect((await k.run('get', 'cm', 'fg-dep')).stderr).toBe('Error from server (NotFound): configmaps "fg-dep" not found\n');
    expect(await out('delete', 'cm', 'bg', '--cascade=background')).toBe('configmap "bg" deleted\n');
    await waitFor(async () => (await k.run('get', 'cm', 'bg-dep')).exitCode === 1, { timeoutMs: 20_000, intervalMs: 200, message: 'the dependent is collected' });
    expect(await out('delete', 'cm', 'or', '--cascade=orphan')).toBe('configmap "or" deleted\n');
    expect(await out('get', 'cm', 'or-dep', '-o', 'jsonpath={.metadata.ownerReferences}')).toBe('');
    expect((await k.run('get', 'cm', 'or')).exitCode).toBe(1);
  });
});
