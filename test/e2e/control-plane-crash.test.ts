// test/e2e/control-plane-crash.test.ts — kill -9 of the standalone control plane in the middle of a loop of
// `kubectl create configmap`: after a restart on the same --root-dir every create kubectl saw succeed is
// there with its data, nothing is torn, and the next write gets a resourceVersion above every answered one.
// Two rounds on one directory, each killed at a random moment after 4–9 answered creates.
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { kubectlAt, startControlPlane, type ControlPlane } from './control-plane-server.js';

let cp: ControlPlane | undefined;
afterAll(async () => { await cp?.kill('SIGKILL'); });

interface ConfigMapList { items: Array<{ metadata: { name: string; resourceVersion: string }; data?: Record<string, string> }> }

describe('control plane crash', () => {
  it('every create kubectl saw answered survives kill -9; resourceVersions continue above them', async () => {
    cp = await startControlPlane();
    const k = kubectlAt(() => cp!.url);
    const acked = new Map<string, number>();
    let n = 0;
    for (let round = 0; round < 2; round++) {
      const target = acked.size + 4 + randomInt(6);
      let killing: Promise<void> | undefined;
      for (;;) {
        const name = `c${n++}`;
        const r = await k.run('create', 'configmap', name, `--from-literal=i=${name}`, '-o', 'jsonpath={.metadata.resourceVersion}');
        if (r.exitCode !== 0) break;
        acked.set(name, Number(r.stdout));
        const victim = cp;
        if (!killing && acked.size >= target) killing = sleep(randomInt(150)).then(() => victim.kill('SIGKILL'));
      }
      await killing;
      expect(acked.size).toBeGreaterThanOrEqual(target);
      expect(cp.proc.signalCode).toBe('SIGKILL');

      cp = await startControlPlane(cp.rootDir);
      const list = JSON.parse((await k.run('get', 'configmaps', '-o', 'json')).stdout) as ConfigMapList;
      const found = new Map(list.items.map((o) => [o.metadata.name, o]));
      for (const [name, rv] of acked) {
        expect(found.get(name)?.data, name).toEqual({ i: name });
        expect(Number(found.get(name)!.metadata.resourceVersion)).toBe(rv);
      }
      const next = await k.run('create', 'configmap', `after-${round}`, '-o', 'jsonpath={.metadata.resourceVersion}');
      expect(Number(next.stdout)).toBeGreaterThan(Math.max(...acked.values()));
    }
    k.dispose();
  });
});
