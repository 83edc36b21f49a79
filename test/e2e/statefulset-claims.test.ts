// test/e2e/statefulset-claims.test.ts — what happens to a StatefulSet's claims under
// persistentVolumeClaimRetentionPolicy, with the real kubectl on a real agent and Docker (issue 12). Claims come
// from a volumeClaimTemplate of the default local-path class (reclaim Delete), so a claim that goes takes its PV
// and directory with it:
// - whenScaled Delete: `kubectl scale --replicas=1` removes the claim of the removed ordinal (owned by its pod,
//   collected once the pod is gone), its PV and its directory; ordinal 0's claim stays, and stays when the set
//   is deleted (whenDeleted Retain).
// - whenDeleted Delete: the claims are owned by the set; `kubectl delete sts` removes the pods, the claims, the
//   PVs and the directories.
// - Retain/Retain (the default): scale-down and deletion keep every claim Bound, its PV and its directory.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentRig, type AgentRig } from '../helpers/agent-rig.js';
import { waitFor } from '../helpers/docker-rig.js';
import { kubectlClient } from '../helpers/kubectl.js';

const kubectl = kubectlClient();
const files = mkdtempSync(join(tmpdir(), 'mk-sts-claims-'));
let rig: AgentRig;
const k = (...args: string[]) => kubectl.run(rig.url, ...args);

type Policy = { whenDeleted: 'Retain' | 'Delete'; whenScaled: 'Retain' | 'Delete' };
/** Two pods at once (Parallel), each writing its name into its claim `data-<sts>-<ordinal>`. */
const statefulSet = (name: string, policy?: Policy): string => JSON.stringify({
  apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
  spec: {
    replicas: 2, serviceName: name, podManagementPolicy: 'Parallel', selector: { matchLabels: { app: name } },
    ...(policy ? { persistentVolumeClaimRetentionPolicy: policy } : {}),
    template: {
      metadata: { labels: { app: name } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'main', image: 'busybox:latest', imagePullPolicy: 'Never',
          command: ['sh', '-c', 'trap "exit 0" TERM; hostname > /data/who; while true; do sleep 0.2; done'],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        }],
      },
    },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  },
});

const apply = async (name: string, body: string): Promise<void> => {
  writeFileSync(join(files, `${name}.json`), body);
  const r = await k('apply', '-f', join(files, `${name}.json`));
  expect(r.stdout, r.stderr).toBe(`statefulset.apps/${name} created\n`);
};
const jsonpath = async (what: string[], path: string): Promise<string> => (await k('get', ...what, '-o', `jsonpath=${path}`)).stdout;
const names = async (kind: string, selector?: string): Promise<string[]> =>
  (await k('get', kind, ...(selector ? ['-l', selector] : []), '-o', 'name')).stdout.split('\n').filter(Boolean).sort();

interface ClaimInfo { name: string; volume: string; dir: string }
/** Waits until both pods run and both claims are Bound with the pod's name written in the volume. */
async function started(sts: string): Promise<ClaimInfo[]> {
  const out: ClaimInfo[] = [];
  for (const ordinal of [0, 1]) {
    const pod = `${sts}-${ordinal}`;
    const claim = `data-${sts}-${ordinal}`;
    await waitFor(async () => ((await jsonpath(['pod', pod], '{.status.containerStatuses[0].state.running.startedAt}')) ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 250, message: `${pod} never ran` });
    const [phase, volume, uid] = (await jsonpath(['pvc', claim], '{.status.phase} {.spec.volumeName} {.metadata.uid}')).split(' ');
    expect([phase, volume]).toEqual(['Bound', `pvc-${uid}`]);
    const dir = join(rig.rootDir, 'storage', `pvc-${uid}_default_${claim}`);
    await waitFor(async () => (existsSync(join(dir, 'who')) ? true : undefined), { timeoutMs: 10_000, intervalMs: 100, message: `nothing written in ${dir}` });
    out.push({ name: claim, volume: volume!, dir });
  }
  return out;
}
const gone = (what: string, check: () => Promise<boolean>): Promise<unknown> =>
  waitFor(async () => ((await check()) ? true : undefined), { timeoutMs: 45_000, intervalMs: 250, message: `${what} still there` });
const claimGone = (c: ClaimInfo): Promise<unknown> => gone(`claim ${c.name}, volume ${c.volume} or ${c.dir}`, async () =>
  !(await names('pvc')).includes(`persistentvolumeclaim/${c.name}`) && !(await names('pv')).includes(`persistentvolume/${c.volume}`) && !existsSync(c.dir));
const expectKept = async (c: ClaimInfo): Promise<void> => {
  expect(await jsonpath(['pvc', c.name], '{.status.phase} {.spec.volumeName}')).toBe(`Bound ${c.volume}`);
  expect(await jsonpath(['pv', c.volume], '{.status.phase}')).toBe('Bound');
  expect(existsSync(join(c.dir, 'who'))).toBe(true);
};
const ownerKinds = (claim: string): Promise<string> => jsonpath(['pvc', claim], '{range .metadata.ownerReferences[*]}{.kind}/{.name} {.controller};{end}');

beforeAll(async () => { rig = await startAgentRig(); });
afterAll(async () => { await rig?.stop(); kubectl.dispose(); rmSync(files, { recursive: true, force: true }); });

describe('StatefulSet claims under persistentVolumeClaimRetentionPolicy', () => {
  it('whenScaled Delete: scaling down removes the claim of the removed ordinal, its PV and directory; whenDeleted Retain keeps the rest', async () => {
    await apply('sc', statefulSet('sc', { whenDeleted: 'Retain', whenScaled: 'Delete' }));
    const [c0, c1] = await started('sc');
    expect(await ownerKinds(c1!.name)).toBe('');

    expect((await k('scale', 'sts', 'sc', '--replicas=1')).stdout).toBe('statefulset.apps/sc scaled\n');
    await claimGone(c1!);
    await gone('pod sc-1', async () => !(await names('pods', 'app=sc')).includes('pod/sc-1'));
    await expectKept(c0!);
    expect(await ownerKinds(c0!.name)).toBe('');

    expect((await k('delete', 'sts', 'sc')).exitCode).toBe(0);
    await gone('pod sc-0', async () => (await names('pods', 'app=sc')).length === 0);
    await expectKept(c0!);
    expect((await k('delete', 'pvc', c0!.name)).exitCode).toBe(0);
    await claimGone(c0!);
  });

  it('whenDeleted Delete: the set owns its claims; deleting it removes pods, claims, PVs and directories', async () => {
    await apply('dl', statefulSet('dl', { whenDeleted: 'Delete', whenScaled: 'Retain' }));
    const claims = await started('dl');
    const uid = await jsonpath(['sts', 'dl'], '{.metadata.uid}');
    for (const c of claims) {
      expect(await ownerKinds(c.name)).toBe('StatefulSet/dl true;');
      expect(await jsonpath(['pvc', c.name], '{.metadata.ownerReferences[0].uid}')).toBe(uid);
    }

    expect((await k('delete', 'sts', 'dl')).stdout).toBe('statefulset.apps "dl" deleted\n');
    await gone('pods of dl', async () => (await names('pods', 'app=dl')).length === 0);
    for (const c of claims) await claimGone(c);
  });

  it('Retain (the default): scale-down and deletion keep every claim, volume and directory', async () => {
    await apply('rt', statefulSet('rt'));
    expect(await jsonpath(['sts', 'rt'], '{.spec.persistentVolumeClaimRetentionPolicy.whenDeleted} {.spec.persistentVolumeClaimRetentionPolicy.whenScaled}')).toBe('Retain Retain');
    const [c0, c1] = await started('rt');

    expect((await k('scale', 'sts', 'rt', '--replicas=1')).exitCode).toBe(0);
    await gone('pod rt-1', async () => !(await names('pods', 'app=rt')).includes('pod/rt-1'));
    await expectKept(c1!);

    expect((await k('delete', 'sts', 'rt')).exitCode).toBe(0);
    await gone('pod rt-0', async () => (await names('pods', 'app=rt')).length === 0);
    for (const c of [c0!, c1!]) {
      await expectKept(c);
      expect(await ownerKinds(c.name)).toBe('');
    }
    expect((await k('delete', 'pvc', c0!.name, c1!.name)).exitCode).toBe(0);
    for (const c of [c0!, c1!]) await claimGone(c);
  });
});
