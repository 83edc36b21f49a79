// `mini-kubelet check`: the report per manifest (honoured / approximated / ignored, admission problems,
// what a pod waits for, validation errors), exit codes, --strict, -o json; and the examples folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCheck, type FileReport } from '../../../agent/cli/commands/check.js';

const dir = mkdtempSync(join(tmpdir(), 'mk-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => { const f = join(dir, name); writeFileSync(f, text); return f; };

async function check(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
  try {
    const code = await runCheck(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const cluster = file('cluster.yaml', `apiVersion: v1
kind: ConfigMap
metadata: {name: here}
data: {k: v}
---
apiVersion: v1
kind: Pod
metadata: {name: cluster-pod}
spec:
  nodeSelector: {disk: ssd}
  serviceAccountName: builder
  containers:
  - name: c
    image: busybox
    envFrom: [{configMapRef: {name: here}}, {secretRef: {name: elsewhere}}]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - {name: data, persistentVolumeClaim: {claimName: data}}
`);

describe('mini-kubelet check', () => {
  it('prints honoured, approximated and ignored fields, what the pod waits for; exit 0 without --strict', async () => {
    const { code, out } = await check(cluster);
    expect(code).toBe(0);
    expect(out).toContain(`${cluster}\n  objects:      ConfigMap default/here\n  Pod default/cluster-pod (cluster.yaml[1])\n    honoured:     metadata.name, spec.containers[].name,`);
    expect(out).toMatch(/approximated: spec\.dnsPolicy — no cluster DNS on one node/);
    expect(out).toMatch(/ignored: {6}spec\.nodeSelector — needs a scheduler/);
    expect(out).toMatch(/\n {18}spec\.serviceAccountName — no service account token is mounted/);
    expect(out).toMatch(/spec\.volumes\[0\]\.persistentVolumeClaim — needs a storage provisioner/);
    expect(out).toContain('waits for:    Secret default/elsewhere (envFrom of c): not in the files checked');
    expect(out).not.toContain('ConfigMap default/here (envFrom');
  });

  it('--strict turns ignored fields into errors (exit 1)', async () => {
    const { code, out } = await check('--strict', cluster);
    expect(code).toBe(1);
    expect(out).toContain('error: cluster.yaml[1]: spec.nodeSelector: Forbidden: mini-kubelet ignores this field');
  });

  it('validation errors and admission problems: exit 1; a directory means its manifests', async () => {
    const sub = mkdtempSync(join(dir, 'd-'));
    writeFileSync(join(sub, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\nspec:\n  containers: [{name: c, image: busybox}]\n');
    writeFileSync(join(sub, 'sysctl.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec:\n  securityContext: {sysctls: [{name: vm.swappiness, value: "1"}]}\n  containers: [{name: c, image: busybox}]\n');
    writeFileSync(join(sub, 'notes.txt'), 'not a manifest');
    const { code, out } = await check(sub);
    expect(code).toBe(1);
    expect(out).toContain('error: bad.yaml[0]: metadata.name: Invalid value: "Bad_Name"');
    expect(out).toContain('error: sysctl.yaml[0]: spec.securityContext.sysctls: forbidden sysctl: "vm.swappiness" not allowlisted');
    expect(out).not.toContain('notes.txt');
  });

  it('-o json; usage errors exit 2; a missing file is an error', async () => {
    const { code, out } = await check('-o', 'json', cluster);
    expect(code).toBe(0);
    const report = JSON.parse(out) as { files: FileReport[] };
    const fields = report.files[0]!.pods[0]!.fields;
    expect(fields.find((f) => f.path === 'spec.nodeSelector')).toMatchObject({ support: 'ignored', pattern: 'spec.nodeSelector' });
    expect((await check()).code).toBe(2);
    expect((await check('--bogus', cluster)).code).toBe(2);
    expect((await check('-o', 'yaml', cluster)).code).toBe(2);
    const missing = await check(join(dir, 'nope.yaml'));
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/nope\.yaml: cannot read: ENOENT/);
    expect((await check('--help')).out).toMatch(/^Usage: mini-kubelet check/);
  });

  it('every example in examples/ checks clean under --strict', async () => {
    const { code, out } = await check('--strict', join(import.meta.dirname, '../../../examples'));
    expect(out).toContain('Pod default/config-demo');
    expect(code).toBe(0); // examples/lessons (deliberately broken manifests) is a sub-folder: not read
    expect(out).not.toContain('very-good-job');
  });
});
