// The real kubectl against the embedded API server (no Docker, no controllers): `kubectl explain` reads the
// OpenAPI v3 documents at any depth (a field's type and description, a nested object's FIELDS, --recursive),
// and the deep schemas change nothing of what kubectl accepts: every examples/api/*.yaml is still applied
// (server-side dry run: validation stays on the server), and apply/patch of a Deployment still merge
// containers by name (kubectl's own strategic merge patch from its built-in types).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlClient } from '../../../helpers/kubectl.js';
import { startPlane, type Plane } from '../../client/helpers.js';

let plane: Plane;
const kubectl = kubectlClient();
const dir = mkdtempSync(join(tmpdir(), 'mk-explain-'));
const k = (...a: string[]) => kubectl.run(plane.api.url, ...a);
const EXAMPLES = join(import.meta.dirname, '../../../../examples/api');

beforeAll(async () => { plane = await startPlane(); });
afterAll(async () => {
  await plane.close();
  kubectl.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl explain against the embedded API server', () => {
  it('a leaf field: its kind, version, path and type', async () => {
    const r = await k('explain', 'deployment.spec.strategy.rollingUpdate.maxSurge');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: maxSurge <IntOrString>\n\n+DESCRIPTION:\n\s+How many pods/);
  });

  it('a nested object: its FIELDS with their types', async () => {
    const r = await k('explain', 'pod.spec.containers.livenessProbe.httpGet');
    expect(r.stdout).toMatch(/FIELD: httpGet <HTTPGetAction>/);
    expect(r.stdout).toMatch(/FIELDS:\n\s+host\t<string>\n/);
    expect(r.stdout).toMatch(/\n\s+httpHeaders\t<\[\]HTTPHeader>\n/);
    expect(r.stdout).toMatch(/\n\s+port\t<IntOrString> -required-\n/);
  });

  it('through a CronJob\'s job template down to the pod spec', async () => {
    const r = await k('explain', 'cronjob.spec.jobTemplate.spec.template.spec.restartPolicy');
    expect(r.stdout).toMatch(/GROUP:\s+batch\nKIND:\s+CronJob\nVERSION:\s+v1\n\nFIELD: restartPolicy <string>\n\n+DESCRIPTION:\n\s+Always, OnFailure or Never/);
  });

  it('a StatefulSet\'s claim templates are PersistentVolumeClaims', async () => {
    const r = await k('explain', 'statefulset.spec.volumeClaimTemplates');
    expect(r.stdout).toMatch(/FIELD: volumeClaimTemplates <\[\]PersistentVolumeClaim>/);
    expect(r.stdout).toMatch(/\n\s+spec\t<PersistentVolumeClaimSpec>\n/);
  });

  it('--recursive prints the whole tree with types', async () => {
    const r = await k('explain', 'job', '--recursive');
    expect(r.stdout).toMatch(/FIELDS:\n\s+apiVersion\t<string>\n\s+kind\t<string>\n\s+metadata\t<ObjectMeta>\n/);
    expect(r.stdout).toMatch(/\n\s+backoffLimit\t<integer>\n/);
    expect(r.stdout).toMatch(/\n {8}containers\t<\[\]Container> -required-\n/);
    expect(r.stdout).toMatch(/\n\s+completionTime\t<string>\n/);
  });

  it('an old version explains with its own version', async () => {
    const r = await k('explain', 'deployment.spec.replicas', '--api-version=apps/v1beta1');
    expect(r.stdout).toMatch(/KIND:\s+Deployment\nVERSION:\s+v1beta1\n\nFIELD: replicas <integer>/);
  });
});

describe('the deep schemas change nothing kubectl accepts', () => {
  // The slides' CronJob with an invalid name and a lower-case enum is there to be refused: by the server.
  const REFUSED = 'cronjob-periodic-job-runner.yaml';
  const apply = async (f: string) => ({ f, ...(await k('apply', '--dry-run=server', '-f', join(EXAMPLES, f))) });

  it('every examples/api manifest is accepted (server-side dry run)', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml') && f !== REFUSED).sort();
    expect(files.length).toBeGreaterThan(5);
    const results = await Promise.all(files.map(apply));
    for (const r of results) expect({ f: r.f, exitCode: r.exitCode, stderr: r.stderr.replace(/^Warning: .*\n/gm, '') }).toEqual({ f: r.f, exitCode: 0, stderr: '' });
  });

  it('the invalid example is refused by the server, with its field paths', async () => {
    const r = await apply(REFUSED);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Warning: batch\/v1beta1 CronJob is deprecated[^\n]*\nThe CronJob "periodic_job_runner" is invalid: \n\* metadata\.name: Invalid value/);
    expect(r.stderr).toContain('* spec.concurrencyPolicy: Unsupported value: "replace"');
  });

  it('apply and patch still merge containers by name', async () => {
    const file = join(dir, 'd.yaml');
    const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: merge}
spec:
  selector: {matchLabels: {app: merge}}
  template:
    metadata: {labels: {app: merge}}
    spec:
      containers: [{name: a, image: ${image}}, {name: b, image: busybox}]
`;
    writeFileSync(file, manifest('busybox'));
    expect((await k('apply', '-f', file)).stdout).toBe('deployment.apps/merge created\n');
    const containers = async () => (await k('get', 'deployment', 'merge', '-o', 'jsonpath={.spec.template.spec.containers[*].name}={.spec.template.spec.containers[*].image}')).stdout;
    expect((await k('patch', 'deployment', 'merge', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}')).stdout).toBe('deployment.apps/merge patched\n');
    expect(await containers()).toBe('a b c=busybox busybox busybox:1.36');
    writeFileSync(file, manifest('busybox:1.37'));
    expect((await k('apply', '-f', file)).stdout).toBe('deployment.apps/merge configured\n');
    expect(await containers()).toBe('a b c=busybox:1.37 busybox busybox:1.36');
  });
});
