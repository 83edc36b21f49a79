// cri/docker/context.ts — what every part of the Docker runtime shares: the client, the root dir, the
// network, the labels to stamp on everything, the pause image.
//
// Built once by docker-runtime.ts and passed to sandbox.ts, containers.ts, exec.ts, logs.ts, events.ts and
// images.ts. Holds no state of its own beyond configuration; never caches Docker objects.
import { networkInterfaces } from 'node:os';
import type Dockerode from 'dockerode';

export interface DockerContext {
  readonly docker: Dockerode;
  /** Where pod files live: <rootDir>/pods/<uid>/etc-hosts. */
  readonly rootDir: string;
  /** The network pod sandboxes join ('bridge': Docker's default one). */
  readonly networkName: string;
  /** Added to every container and network this runtime creates (tests put their run label here). */
  readonly extraLabels: Readonly<Record<string, string>>;
  /** The pause image in force (may change after resolvePauseImage). */
  pauseImage(): string;
}

/** The node's first non-internal IPv4 address: the pod IP of host-network pods. */
export function nodeIP(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
