// agent/kubelet-server/types.ts — what the kubelet's streaming endpoints need from the kubelet
// (KubeletStreamDeps) and what they give its HTTP server (KubeletStreamRoutes).
//
// Imported by every module of agent/kubelet-server/. Types only: no behaviour lives here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Runtime } from '../../cri/api.js';
import type { Logger } from '../log.js';
import type { PodCache } from '../pleg/pod-cache.js';
import type { PodManager } from '../pod-manager.js';
import type { StatusManager } from '../status-manager.js';

export interface KubeletStreamDeps {
  /** The pods the kubelet runs: found by namespace/name (byFullName), by UID for the legacy exec path. */
  readonly pods: Pick<PodManager, 'byFullName' | 'get'>;
  /** The runtime's instances per pod (PLEG's view): which container instance a request reaches. */
  readonly cache: Pick<PodCache, 'get'>;
  readonly runtime: Pick<Runtime, 'exec' | 'attach' | 'containerLogs'>;
  readonly log: Pick<Logger, 'debug' | 'warn'>;
  readonly now: () => number;
  /**
   * The write rule, supplied by the caller: may this request exec, attach (or port-forward)? True on a
   * loopback listener, or with the bearer token of --token-file. Refused requests get a 401 Status.
   */
  readonly allows: (req: IncomingMessage) => boolean;
  /** The pods' current statuses: the waiting reason in `is waiting to start: <reason>`; pod.status when absent. */
  readonly statuses?: Pick<StatusManager, 'get'>;
}

export interface KubeletStreamRoutes {
  /** Serves a request on a path of these endpoints and returns true; false (nothing written) for any other path. */
  request(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean>;
  /** The HTTP server's 'upgrade' listener for these paths; false (socket untouched) for any other path. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Ends open exec/attach sessions and followed logs. */
  close(): void;
}
