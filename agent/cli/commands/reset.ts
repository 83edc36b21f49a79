// agent/cli/commands/reset.ts — `mini-kubelet reset`: stops and removes every pod (containers, sandboxes,
// pod directories) and every network the agent made, found by its labels alone.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DockerRuntime } from '../../../cri/docker/docker-runtime.js';
import { errorLine } from '../../../cri/errors.js';
import { MANAGED, NODE_LABEL } from '../../kuberuntime/labels.js';
import { defaultKubeletConfig } from '../../config/kubelet-config.js';

const HELP = `Usage: mini-kubelet reset [--hostname-override NODE] [--root-dir DIR] [--grace-period SECONDS]

Stops and removes every pod (containers and pause sandboxes) and the bridge network that mini-kubelet made,
found by their Docker labels, and deletes the pods' directories under the root dir. Containers get
--grace-period seconds (default 2) after the stop signal before SIGKILL. With --hostname-override only that
node's objects are removed; without it, every mini-kubelet object on this Docker engine.
`;

export async function runReset(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      help: { type: 'boolean', short: 'h' },
      'hostname-override': { type: 'string' },
      'root-dir': { type: 'string' },
      'grace-period': { type: 'string' },
    } }));
  } catch (err) {
    process.stderr.write(`${errorLine(err)}\n${HELP}`);
    return 2;
  }
  if (values.help) { process.stdout.write(HELP); return 0; }
  const defaults = defaultKubeletConfig();
  const rootDir = values['root-dir'] ?? defaults.rootDir;
  const grace = Number(values['grace-period'] ?? 2);
  const selector: Record<string, string> = { [MANAGED]: 'true' };
  if (values['hostname-override']) selector[NODE_LABEL] = values['hostname-override'];
  const rt = new DockerRuntime({ rootDir, podInfraContainerImage: defaults.podInfraContainerImage });
  try {
    const containers = await rt.listContainers({ labelSelector: selector });
    await Promise.all(containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => rt.stopContainer(c.id, grace).catch(() => undefined)));
    for (const c of containers) await rt.removeContainer(c.id).catch(() => undefined);
    const sandboxes = await rt.listPodSandbox({ labelSelector: selector });
    for (const s of sandboxes) {
      await rt.removePodSandbox(s.id).catch(() => undefined);
      rmSync(join(rootDir, 'pods', s.metadata.uid), { recursive: true, force: true });
    }
    const removedNets = await rt.removeNetworks(selector);
    process.stdout.write(`removed ${containers.length} containers, ${sandboxes.length} pod sandboxes, ${removedNets} networks\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`reset failed: ${errorLine(err)}\n`);
    return 1;
  }
}
