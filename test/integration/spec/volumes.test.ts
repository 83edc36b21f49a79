// Real Docker: volumes, observed from inside the containers — emptyDir (disk and Memory, sizeLimit),
// hostPath with its type checks, downwardAPI, projected, subPath/subPathExpr, readOnly.
import { mkdtempSync, rmSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, containerStatus, type AgentRig } from '../../helpers/agent-rig.js';
import { docker, dockerExec, eventually, execIn, pod, runningContainer } from './helpers.js';

let rig: AgentRig;
const hostDir = mkdtempSync(join(tmpdir(), 'mk-spec-volumes-'));
beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); rmSync(hostDir, { recursive: true, force: true }); });

const twoContainers = (name: string, volumes: string, mounts: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: writer
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', 'echo from-writer > /shared/note; sleep 3600']
    volumeMounts: [${mounts}]
  - name: reader
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sleep', '3600']
    volumeMounts: [${mounts}]
${extra}  volumes:
${volumes}`;

const lifecycleText = async (name: string) => (await fetch(`${rig.url}/lifecycle/default/${name}`)).text();

describe.concurrent('volumes', () => {
  it('emptyDir on disk: shared by the pod\'s containers, world-writable', async ({ expect }) => {
    rig.write('ed-disk.yaml', twoContainers('ed-disk', '  - {name: s, emptyDir: {}}', '{name: s, mountPath: /shared}'));
    expect(await eventually(() => execIn(rig, 'ed-disk', 'reader', ['sh', '-c', 'cat /shared/note 2>/dev/null; true']), (s) => s === 'from-writer\n', 60_000, 'reader sees the file')).toBe('from-writer\n');
    expect(await execIn(rig, 'ed-disk', 'reader', ['stat', '-c', '%a', '/shared'])).toBe('777\n');
  });

  it('emptyDir medium Memory: one tmpfs of sizeLimit shared by the pod\'s containers, gone with the pod', async ({ expect }) => {
    rig.write('ed-mem.yaml', twoContainers('ed-mem', '  - {name: s, emptyDir: {medium: Memory, sizeLimit: 16Mi}}', '{name: s, mountPath: /shared}'));
    expect(await eventually(() => execIn(rig, 'ed-mem', 'reader', ['sh', '-c', 'cat /shared/note 2>/dev/null; true']), (s) => s === 'from-writer\n', 60_000, 'reader sees the file')).toBe('from-writer\n');
    const mount = (await execIn(rig, 'ed-mem', 'reader', ['sh', '-c', 'grep " /shared " /proc/mounts'])).trim();
    expect(mount).toMatch(/^\S+ \/shared tmpfs rw,.*size=16384k/);
    const uid = (await rig.pod('ed-mem'))!.metadata!.uid!;
    expect((await docker('volume', 'ls', '-q', '--filter', `label=io.kubernetes.pod.uid=${uid}`)).trim()).not.toBe('');
    rig.remove('ed-mem.yaml');
    await rig.waitForGone('ed-mem', 60_000);
    expect((await docker('volume', 'ls', '-q', '--filter', `label=io.kubernetes.pod.uid=${uid}`)).trim()).toBe('');
  });

  it('hostPath: DirectoryOrCreate and FileOrCreate create, Directory and File must exist', async ({ expect }) => {
    writeFileSync(join(hostDir, 'existing.txt'), 'on the host\n');
    rig.write('hp-ok.yaml', pod('hp-ok', {
      container: 'volumeMounts:\n- {name: made, mountPath: /made}\n- {name: file, mountPath: /file.txt}\n- {name: newfile, mountPath: /new.txt}',
      spec: `volumes:
- {name: made, hostPath: {path: ${hostDir}/made/deep, type: DirectoryOrCreate}}
- {name: file, hostPath: {path: ${hostDir}/existing.txt, type: File}}
- {name: newfile, hostPath: {path: ${hostDir}/new.txt, type: FileOrCreate}}`,
    }));
    expect(await execIn(rig, 'hp-ok', 'main', ['sh', '-c', 'cat /file.txt; echo in-container > /made/x; echo appended >> /new.txt'])).toBe('on the host\n');
    expect(statSync(join(hostDir, 'made/deep')).isDirectory()).toBe(true);
    expect(existsSync(join(hostDir, 'made/deep/x'))).toBe(true);
    expect(statSync(join(hostDir, 'new.txt')).mode & 0o777).toBe(0o644);
  });

  it('hostPath type checks fail with the kubelet\'s message and the pod waits in ContainerCreating', async ({ expect }) => {
    rig.write('hp-bad.yaml', pod('hp-bad', {
      container: 'volumeMounts:\n- {name: d, mountPath: /d}',
      spec: `volumes:\n- {name: d, hostPath: {path: ${hostDir}/absent-dir, type: Directory}}`,
    }));
    rig.write('hp-sock.yaml', pod('hp-sock', {
      container: 'volumeMounts:\n- {name: s, mountPath: /s}',
      spec: `volumes:\n- {name: s, hostPath: {path: ${hostDir}, type: Socket}}`,
    }));
    await eventually(() => lifecycleText('hp-bad'), (t) => t.includes(`hostPath type check failed: ${hostDir}/absent-dir is not a directory`), 60_000, 'FailedMount recorded');
    await eventually(() => lifecycleText('hp-sock'), (t) => t.includes(`MountVolume.SetUp failed for volume \\"s\\" : hostPath type check failed: ${hostDir} is not a socket file`), 60_000, 'socket check');
    expect(containerStatus((await rig.pod('hp-bad'))!, 'main')!.state!.waiting!.reason).toBe('ContainerCreating');
  });

  it('downwardAPI volume: labels, annotations, name, namespace, a container\'s resource, modes', async ({ expect }) => {
    rig.write('dapi.yaml', pod('dapi', {
      labels: 'labels: {app: demo, tier: web}\nannotations: {build: "42"}',
      container: 'resources: {limits: {memory: 48Mi}}\nvolumeMounts:\n- {name: info, mountPath: /info}',
      spec: `volumes:
- name: info
  downwardAPI:
    defaultMode: 0640
    items:
    - {path: labels, fieldRef: {fieldPath: metadata.labels}}
    - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}
    - {path: name, fieldRef: {fieldPath: metadata.name}}
    - {path: ns/namespace, fieldRef: {fieldPath: metadata.namespace}, mode: 0600}
    - {path: tier, fieldRef: {fieldPath: "metadata.labels['tier']"}}
    - {path: mem, resourceFieldRef: {containerName: main, resource: limits.memory, divisor: 1Mi}}`,
    }));
    const out = await execIn(rig, 'dapi', 'main', ['sh', '-c', 'cat /info/labels; echo; cat /info/name /info/ns/namespace /info/tier /info/mem; echo; stat -L -c %a /info/name /info/ns/namespace']);
    expect(out).toBe('app="demo"\ntier="web"\ndapidefaultweb48\n640\n600\n');
    expect(await execIn(rig, 'dapi', 'main', ['cat', '/info/annotations'])).toMatch(/^build="42"(\n|$)/m);
  });

  it('projected: a ConfigMap, a Secret, the downward API and a serviceAccountToken placeholder in one directory', async ({ expect }) => {
    rig.write('proj.yaml', pod('proj', {
      docs: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: proj-cm}\ndata: {colour: blue}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: proj-secret}\nstringData: {pw: hunter2}',
      container: 'volumeMounts:\n- {name: all, mountPath: /all}',
      spec: `volumes:
- name: all
  projected:
    defaultMode: 0444
    sources:
    - configMap: {name: proj-cm, items: [{key: colour, path: config/colour}]}
    - secret: {name: proj-secret}
    - downwardAPI: {items: [{path: podname, fieldRef: {fieldPath: metadata.name}}]}
    - serviceAccountToken: {path: token}`,
    }));
    const out = await execIn(rig, 'proj', 'main', ['sh', '-c', 'cat /all/config/colour; echo; cat /all/pw; echo; cat /all/podname; echo; wc -c < /all/token; stat -L -c %a /all/pw']);
    expect(out).toBe('blue\nhunter2\nproj\n0\n444\n');
  });

  it('subPath (a ConfigMap key as one file, a directory inside an emptyDir) and subPathExpr', async ({ expect }) => {
    rig.write('subpath.yaml', pod('subpath', {
      docs: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: sub-cm}\ndata: {app.conf: "port=80\\n", other: x}',
      container: `env:
- {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
volumeMounts:
- {name: cfg, mountPath: /etc/app.conf, subPath: app.conf}
- {name: scratch, mountPath: /data, subPath: a/b}
- {name: scratch, mountPath: /per-pod, subPathExpr: 'logs/$(POD)'}
- {name: scratch, mountPath: /whole}`,
      spec: 'volumes:\n- {name: cfg, configMap: {name: sub-cm}}\n- {name: scratch, emptyDir: {}}',
    }));
    const out = await execIn(rig, 'subpath', 'main', ['sh', '-c', 'cat /etc/app.conf; echo d > /data/f; echo p > /per-pod/f; cat /whole/a/b/f /whole/logs/subpath/f; ls /etc | grep -c other; true']);
    expect(out).toBe('port=80\nd\np\n0\n');
  });

  it('readOnly mounts refuse writes; the same volume stays writable where mounted read-write', async ({ expect }) => {
    rig.write('ro.yaml', twoContainers('ro', '  - {name: s, emptyDir: {}}', '{name: s, mountPath: /shared}')
      .replace("command: ['sleep', '3600']\n    volumeMounts: [{name: s, mountPath: /shared}]", "command: ['sleep', '3600']\n    volumeMounts: [{name: s, mountPath: /shared, readOnly: true}]"));
    const id = await runningContainer(rig, 'ro', 'reader');
    const w = await dockerExec(id, ['sh', '-c', 'echo x > /shared/y']);
    expect(w.code).not.toBe(0);
    expect(w.stderr).toMatch(/Read-only file system/);
    expect(await eventually(() => execIn(rig, 'ro', 'reader', ['sh', '-c', 'cat /shared/note 2>/dev/null; true']), (s) => s === 'from-writer\n', 60_000, 'writer wrote')).toBe('from-writer\n');
  });
});
