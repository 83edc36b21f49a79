// test/e2e/kubectl.test.ts — the REAL kubectl (the dispatcher, which picks the v1.33 client from /version)
// against the API subset on a real HTTP server with hand-built agent parts (test/e2e/api-fixture.ts).
// Asserts what kubectl prints and its exit codes; the agent itself is covered by kubectl-agent.test.ts.
import { writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../agent/api/v1.js';
import { ApiPodSource } from '../../agent/api-server/api-source.js';
import { createLogger } from '../../agent/log.js';
import { startApiFixture, type ApiFixture } from './api-fixture.js';

const web: Pod = {
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
};
const two: Pod = {
  metadata: { name: 'two', labels: { app: 'two' } },
  spec: { containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }] },
};
const sys: Pod = { metadata: { name: 'sys', namespace: 'kube-system' }, spec: { containers: [{ name: 'main', image: 'busybox' }] } };

const lines = (s: string) => s.split('\n').filter(Boolean);
const cols = (line: string) => line.trim().split(/\s{2,}/);

describe('kubectl against the API subset', () => {
  let f: ApiFixture;
  let webPod: Pod;
  let dir: string;
  beforeAll(async () => {
    f = await startApiFixture();
    dir = f.rootDir;
    webPod = f.addPod(web);
    f.addPod(two);
    f.addPod(sys);
    f.logs.set(`${webPod.metadata!.uid}-nginx`, 'line 1\nline 2\nline 3\n');
    f.logs.set(`${webPod.metadata!.uid}-nginx-prev`, 'previous run\n');
  });
  afterAll(async () => { await f?.close(); });

  it('version and discovery: the dispatcher runs a v1.33 client', async () => {
    const r = await f.kubectl(['version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Server Version: v1.33.0-mini');
    const res = await f.kubectl(['api-resources', '--api-group=']);
    expect(res.stdout).toMatch(/pods\s+po\s+v1\s+true\s+Pod/);
  });

  it('get pods prints the pod columns; -o wide adds IP and NODE', async () => {
    const r = await f.kubectl(['get', 'pods']);
    expect(r.exitCode).toBe(0);
    const out = lines(r.stdout);
    expect(cols(out[0]!)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(cols(out.find((l) => l.startsWith('web'))!).slice(0, 4)).toEqual(['web', '1/1', 'Running', '0']);
    expect(cols(out.find((l) => l.startsWith('two'))!).slice(0, 4)).toEqual(['two', '2/2', 'Running', '0']);
    expect(r.stdout).not.toContain('sys');
    const wide = await f.kubectl(['get', 'pods', '-o', 'wide']);
    expect(cols(lines(wide.stdout)[0]!)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const row = cols(lines(wide.stdout).find((l) => l.startsWith('web'))!);
    expect(row[5]).toMatch(/^10\.88\.0\.\d+$/);
    expect(row.slice(6)).toEqual(['mini-node', '<none>', '<none>']);
  });

  it('get pods -A, label and field selectors, --show-labels', async () => {
    const all = await f.kubectl(['get', 'pods', '-A']);
    expect(cols(lines(all.stdout)[0]!)[0]).toBe('NAMESPACE');
    expect(all.stdout).toMatch(/kube-system\s+sys\s+1\/1\s+Running/);
    const sel = await f.kubectl(['get', 'po', '-l', 'app=web']);
    expect(lines(sel.stdout).map((l) => cols(l)[0])).toEqual(['NAME', 'web']);
    const notIn = await f.kubectl(['get', 'pods', '-l', 'app notin (web)', '-o', 'name']);
    expect(notIn.stdout.trim()).toBe('pod/two');
    const field = await f.kubectl(['get', 'pods', '-A', '--field-selector', 'metadata.namespace=kube-system,status.phase!=Failed', '-o', 'name']);
    expect(field.stdout.trim()).toBe('pod/sys');
    const labels = await f.kubectl(['get', 'pod', 'web', '--show-labels']);
    expect(labels.stdout).toMatch(/app=web/);
    const bad = await f.kubectl(['get', 'pods', '--field-selector', 'spec.bogus=x']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('field label not supported: spec.bogus');
  });

  it('get pod -o yaml/json, and NotFound', async () => {
    const y = await f.kubectl(['get', 'pod', 'web', '-o', 'yaml']);
    expect(y.exitCode).toBe(0);
    expect(y.stdout).toMatch(/^apiVersion: v1\nkind: Pod\n/);
    expect(y.stdout).toContain('phase: Running');
    expect(y.stdout).toContain(`uid: ${webPod.metadata!.uid}`);
    const j = JSON.parse((await f.kubectl(['get', 'pod', 'web', '-o', 'json'])).stdout) as Pod;
    expect(j.spec?.nodeName).toBe('mini-node');
    expect(j.metadata?.resourceVersion).toMatch(/^\d+$/);
    const list = await f.kubectl(['get', 'pods', '-o', 'yaml']);
    expect(list.stdout).toContain('kind: List');
    const nope = await f.kubectl(['get', 'pod', 'nope']);
    expect(nope.exitCode).toBe(1);
    expect(nope.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
    const empty = await f.kubectl(['get', 'pods', '-n', 'empty-ns']);
    expect(empty.stderr.trim()).toBe('No resources found in empty-ns namespace.');
  });

  it('describe pod shows Conditions and Events', async () => {
    const r = await f.kubectl(['describe', 'pod', 'web']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Name:\s+web$/m);
    expect(r.stdout).toMatch(/^Node:\s+mini-node\/10\.0\.0\.1$/m);
    expect(r.stdout).toMatch(/Conditions:\n\s+Type\s+Status\n(.*\n)*\s+Ready\s+True/);
    expect(r.stdout).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n.*\n\s+Normal\s+Started\s+\S+\s+kubelet\s+Started container/);
  });

  it('logs: whole, --tail, --timestamps, --previous, -c, -f, errors', async () => {
    expect((await f.kubectl(['logs', 'web'])).stdout).toBe('line 1\nline 2\nline 3\n');
    expect((await f.kubectl(['logs', 'web', '--tail=1'])).stdout).toBe('line 3\n');
    expect((await f.kubectl(['logs', 'web', '--tail=1', '--timestamps'])).stdout).toBe('2024-05-01T10:00:00.000000000Z line 3\n');
    expect((await f.kubectl(['logs', 'web', '--previous'])).stdout).toBe('previous run\n');
    expect((await f.kubectl(['logs', 'web', '-c', 'nginx', '-f'])).stdout).toBe('line 1\nline 2\nline 3\nfollow 1\nfollow 2\nfollow 3\n');
    const defaulted = await f.kubectl(['logs', 'two']);
    expect(defaulted.stderr).toContain('Defaulted container "a" out of: a, b');
    const wrong = await f.kubectl(['logs', 'web', '-c', 'nope']);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain('container nope is not valid for pod web');
  });

  it('exec: output, stderr, exit code, stdin', async () => {
    const ok = await f.kubectl(['exec', 'web', '--', 'echo', 'hello', 'world']);
    expect(ok).toMatchObject({ exitCode: 0, stdout: 'hello world\n' });
    const fail = await f.kubectl(['exec', 'web', '--', 'sh', '-c', 'echo out; echo err 1>&2; exit 3']);
    expect(fail.exitCode).toBe(3);
    expect(fail.stdout).toBe('out\n');
    expect(fail.stderr).toContain('err\n');
    expect(fail.stderr).toContain('command terminated with exit code 3');
    const cat = await f.kubectl(['exec', '-i', 'web', '--', 'cat'], { input: 'hello\nworld\n' });
    expect(cat).toMatchObject({ exitCode: 0, stdout: 'hello\nworld\n' });
    const v130 = await f.kubectl(['exec', 'web', '--', 'echo', 'v1.30'], { bin: '/usr/lib/google-cloud-sdk/bin/kubectl.1.30' });
    expect(v130).toMatchObject({ exitCode: 0, stdout: 'v1.30\n' });
    const spdy = await f.kubectl(['exec', 'web', '--', 'true'], { bin: '/usr/lib/google-cloud-sdk/bin/kubectl.1.27' });
    expect(spdy.exitCode).toBe(1);
    expect(spdy.stderr).toContain('use kubectl 1.30 or newer');
  });

  it('attach streams the container output and ends with it', async () => {
    const r = await f.kubectl(['attach', 'web']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`attached to ${webPod.metadata!.uid}-nginx`);
  });

  it('apply -f: created, unchanged, configured in place, and a changed spec replaces the pod', async () => {
    const file = join(dir, 'ap1.yaml');
    const manifest = (label: string, image: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ap1\n  labels:\n    app: ${label}\nspec:\n  containers:\n  - name: main\n    image: ${image}\n    command: ["sleep", "3600"]\n`;
    writeFileSync(file, manifest('ap', 'busybox'));
    const first = await f.kubectl(['apply', '-f', file]);
    expect(first).toMatchObject({ exitCode: 0, stdout: 'pod/ap1 created\n' });
    const uid1 = JSON.parse((await f.kubectl(['get', 'pod', 'ap1', '-o', 'json'])).stdout).metadata.uid as string;
    expect((await f.kubectl(['apply', '-f', file])).stdout).toBe('pod/ap1 unchanged\n');
    writeFileSync(file, manifest('ap2', 'busybox'));
    expect((await f.kubectl(['apply', '-f', file])).stdout).toBe('pod/ap1 configured\n');
    const p2 = JSON.parse((await f.kubectl(['get', 'pod', 'ap1', '-o', 'json'])).stdout) as Pod;
    expect(p2.metadata?.uid).toBe(uid1);
    expect(p2.metadata?.labels).toEqual({ app: 'ap2' });
    expect((await f.kubectl(['apply', '-f', file])).stdout).toBe('pod/ap1 unchanged\n');
    writeFileSync(file, manifest('ap2', 'busybox:1.36'));
    expect((await f.kubectl(['apply', '-f', file])).stdout).toBe('pod/ap1 configured\n');
    const p3 = JSON.parse((await f.kubectl(['get', 'pod', 'ap1', '-o', 'json'])).stdout) as Pod;
    expect(p3.metadata?.uid).not.toBe(uid1);
    expect(p3.spec?.containers[0]).toMatchObject({ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] });
    expect(f.removed.some((r) => r.uids.includes(uid1))).toBe(true);
    expect((await f.kubectl(['get', 'pods', '-l', 'app=ap2', '-o', 'name'])).stdout).toBe('pod/ap1\n');
    expect((await f.kubectl(['apply', '-f', file])).stdout).toBe('pod/ap1 unchanged\n');
    const ssa = await f.kubectl(['apply', '--server-side', '-f', file]);
    expect(ssa).toMatchObject({ exitCode: 0, stdout: 'pod/ap1 serverside-applied\n' });
  });

  it('create -f twice: AlreadyExists; an invalid pod: 422 naming the field', async () => {
    const file = join(dir, 'cr1.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: cr1\nspec:\n  containers:\n  - name: main\n    image: busybox\n');
    expect((await f.kubectl(['create', '-f', file])).stdout).toBe('pod/cr1 created\n');
    const again = await f.kubectl(['create', '-f', file]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`Error from server (AlreadyExists): error when creating "${file}": pods "cr1" already exists`);
    const taken = await f.kubectl(['run', 'web', '--image=busybox']);
    expect(taken.stderr).toContain('pods "web" already exists');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: main\n    livenessProbe:\n      exec: {command: [true]}\n      successThreshold: 2\n');
    const invalid = await f.kubectl(['create', '-f', bad]);
    expect(invalid.exitCode).toBe(1);
    expect(invalid.stderr).toContain('Pod "bad" is invalid');
    expect(invalid.stderr).toContain('spec.containers[0].image');
    expect(invalid.stderr).toContain('spec.containers[0].livenessProbe.successThreshold');
  });

  it('run creates an API pod (args after --), persisted with its UID', async () => {
    const r = await f.kubectl(['run', 'x1', '--image=busybox', '--', 'sleep', '1']);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'pod/x1 created\n' });
    const p = JSON.parse((await f.kubectl(['get', 'pod', 'x1', '-o', 'json'])).stdout) as Pod;
    expect(p.spec?.containers[0]).toMatchObject({ name: 'x1', image: 'busybox', args: ['sleep', '1'], imagePullPolicy: 'Always' });
    expect(p.metadata?.labels).toEqual({ run: 'x1' });
    expect(readdirSync(join(dir, 'api-pods'))).toContain('default_x1.json');
    // A restarted agent's source re-adds the same pod (same UID) through the sync loop.
    const added: Pod[] = [];
    const again = new ApiPodSource({
      rootDir: dir, nodeName: 'mini-node', now: Date.now, log: createLogger({ level: 'silent', pretty: false }),
      pods: { get: () => undefined, byFullName: () => [] },
      loop: { add: (_s, refs) => { added.push(...refs.map((x) => x.pod)); }, remove: () => {} },
    });
    again.start();
    expect(added.find((x) => x.metadata?.name === 'x1')?.metadata?.uid).toBe(p.metadata?.uid);
  });

  it('delete: graceful with --wait, --force --grace-period=0, file pods refused, NotFound', async () => {
    await f.kubectl(['run', 'd1', '--image=busybox']);
    await f.kubectl(['run', 'd2', '--image=busybox']);
    const d1 = await f.kubectl(['delete', 'pod', 'd1', '--grace-period=1']);
    expect(d1).toMatchObject({ exitCode: 0, stdout: 'pod "d1" deleted\n' });
    expect(f.removed.at(-1)?.grace).toBe(1);
    expect(readdirSync(join(dir, 'api-pods'))).not.toContain('default_d1.json');
    const d2 = await f.kubectl(['delete', 'pod', 'd2', '--force', '--grace-period=0']);
    expect(d2).toMatchObject({ exitCode: 0, stdout: 'pod "d2" force deleted\n' });
    expect((await f.kubectl(['get', 'pod', 'd2'])).exitCode).toBe(1);
    const file = await f.kubectl(['delete', 'pod', 'web']);
    expect(file.exitCode).toBe(1);
    expect(file.stderr).toContain('Error from server (Forbidden)');
    expect(file.stderr).toContain('comes from the file source');
    const label = await f.kubectl(['label', 'pod', 'web', 'x=y']);
    expect(label.stderr).toContain('pods "web" is forbidden: this pod comes from the file source (/etc/kubernetes/manifests/web.yaml): change or remove its manifest instead');
    const nope = await f.kubectl(['delete', 'pod', 'nope']);
    expect(nope.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
  });

  it('get events, field selectors; get nodes, namespaces', async () => {
    const ev = await f.kubectl(['get', 'events']);
    expect(cols(lines(ev.stdout)[0]!)).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(ev.stdout).toMatch(/Normal\s+Started\s+pod\/web\s+Started container/);
    const sel = await f.kubectl(['get', 'ev', '--field-selector', 'involvedObject.name=two', '-o', 'name']);
    expect(lines(sel.stdout).length).toBe(1);
    const nodes = await f.kubectl(['get', 'nodes']);
    expect(cols(lines(nodes.stdout)[0]!)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(cols(lines(nodes.stdout)[1]!)).toEqual(['mini-node', 'Ready', '<none>', expect.any(String), 'v1.33.0-mini']);
    const wide = await f.kubectl(['get', 'no', '-o', 'wide']);
    expect(wide.stdout).toMatch(/10\.0\.0\.1\s+<none>\s+.+docker:\/\/27\.0\.0/);
    const node = JSON.parse((await f.kubectl(['get', 'node', 'mini-node', '-o', 'json'])).stdout);
    expect(node.status.capacity.pods).toBe('110');
    expect(node.status.nodeInfo.kubeletVersion).toBe('v1.33.0-mini');
    const describe = await f.kubectl(['describe', 'node', 'mini-node']);
    expect(describe.exitCode).toBe(0);
    expect(describe.stdout).toMatch(/Ready\s+True/);
    const ns = await f.kubectl(['get', 'ns']);
    expect(ns.stdout).toMatch(/kube-system\s+Active/);
  });

  it('watch: get pods -w streams new rows; get events --watch streams events', async () => {
    const { execa } = await import('execa');
    const home = join(dir, 'watch-home');
    const env = { PATH: process.env.PATH!, HOME: home };
    const pw = execa('kubectl', ['--server', f.url, 'get', 'pods', '-w'], { env, extendEnv: false, reject: false });
    const ew = execa('kubectl', ['--server', f.url, 'get', 'events', '--watch'], { env, extendEnv: false, reject: false });
    let pout = '';
    let eout = '';
    pw.stdout!.on('data', (c: Buffer) => { pout += c.toString(); });
    ew.stdout!.on('data', (c: Buffer) => { eout += c.toString(); });
    const until = async (fn: () => boolean) => { for (let i = 0; i < 100 && !fn(); i++) await new Promise((r) => setTimeout(r, 100)); };
    await until(() => pout.includes('web') && eout.includes('LAST SEEN'));
    f.addPod({ metadata: { name: 'watched' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await until(() => /watched\s+1\/1\s+Running/.test(pout) && eout.includes('pod/watched'));
    pw.kill();
    ew.kill();
    expect(pout).toMatch(/watched\s+1\/1\s+Running/);
    expect(eout).toMatch(/Normal\s+Started\s+pod\/watched/);
  });
});
