// test/faults/manifests.ts — pod manifests and runtime checks shared by the fault tests.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Pod } from '../../agent/api/v1.js';
import { NODE_LABEL } from '../../agent/kuberuntime/labels.js';
import { instancesByName, runningByName, type SpawnedAgent } from '../helpers/spawned-agent.js';

export interface ContainerDef { name: string; cmd: string; extra?: string }

const containerYaml = (c: ContainerDef) => `  - name: ${c.name}
    image: busybox
    imagePullPolicy: IfNotPresent
    command: ['sh', '-c', ${JSON.stringify(c.cmd)}]
${c.extra ?? ''}`;

/** A pod manifest; `extra` lines go under spec (indented two spaces). */
export function podYaml(name: string, o: { containers: ContainerDef[]; inits?: ContainerDef[]; grace?: number; policy?: string; extra?: string }): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: ${o.grace ?? 2}
  restartPolicy: ${o.policy ?? 'Always'}
${o.inits?.length ? `  initContainers:\n${o.inits.map(containerYaml).join('')}` : ''}  containers:
${o.containers.map(containerYaml).join('')}${o.extra ?? ''}`;
}

export function cstatus(p: Pod | undefined, name: string) {
  return [...(p?.status?.initContainerStatuses ?? []), ...(p?.status?.containerStatuses ?? [])].find((c) => c.name === name);
}

/** The node's networks (none expected: sandboxes share the one bridge network, which carries no node label). */
export function nodeNetworks(node: string): string[] {
  return execFileSync('docker', ['network', 'ls', '-q', '--filter', `label=${NODE_LABEL}=${node}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/**
 * How many networks are named mini-kubelet: sandboxes join Docker's default bridge, so none is made; one left
 * by an older agent must still never be duplicated.
 */
export function bridgeNetworks(): number {
  return execFileSync('docker', ['network', 'ls', '--filter', 'name=^mini-kubelet$', '--format', '{{.Name}}'], { encoding: 'utf8' }).split('\n').filter((n) => n === 'mini-kubelet').length;
}

/** Pod directories left under the agent's root dir. */
export function podDirs(rootDir: string): string[] {
  const d = join(rootDir, 'pods');
  return existsSync(d) ? readdirSync(d) : [];
}

/**
 * What "converged" means after a fault: every listed pod has exactly one running sandbox and exactly one
 * running instance of each container name in `running` (at most one of any other), no sandbox beyond the newest, no pod the agent
 * does not list, no node network, no duplicated bridge network, and a pod directory only for listed pods.
 */
export async function expectConverged(agent: SpawnedAgent, running: Record<string, string[]>): Promise<void> {
  const list = await agent.containers();
  const byName = runningByName(list);
  const pods = await agent.pods();
  for (const [pod, names] of Object.entries(running)) {
    expect(byName[`${pod}/POD`], `${pod}: one running sandbox`).toBe(1);
    for (const n of names) expect(byName[`${pod}/${n}`], `${pod}/${n}: one running instance`).toBe(1);
  }
  for (const [key, n] of Object.entries(byName)) expect(n, `${key}: at most one running instance`).toBe(1);
  for (const c of list) expect(Object.keys(running), `a container of an unlisted pod: ${c.name}`).toContain(c.pod);
  expect(list.filter((c) => c.sandbox).length, `sandboxes: ${JSON.stringify(instancesByName(list.filter((c) => c.sandbox)))}`).toBe(Object.keys(running).length);
  expect(pods.map((p) => p.metadata!.name).sort()).toEqual(Object.keys(running).sort());
  expect(nodeNetworks(agent.node)).toEqual([]);
  expect(bridgeNetworks()).toBeLessThanOrEqual(1);
  const uids = new Set(pods.map((p) => p.metadata!.uid!));
  for (const d of podDirs(agent.rootDir)) expect(uids.has(d), `pod dir ${d} belongs to a listed pod`).toBe(true);
}
