// agent/api-server/types.ts — what the Kubernetes API subset needs from the agent (ApiDeps), the context
// its handlers share, and the shape of a route.
//
// Imported by every module of agent/api-server/. Types only: no behaviour lives here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Runtime } from '../../cri/api.js';
import type { EventRecorder } from '../events/recorder.js';
import type { Logger } from '../log.js';
import type { PodCache } from '../pleg/pod-cache.js';
import type { PodManager } from '../pod-manager.js';
import type { StatusManager } from '../status-manager.js';
import type { SyncLoop } from '../sync-loop.js';
import type { ApiPodSource } from './api-source.js';
import type { ApiConfigObjects, ConfigKind, ConfigObject } from './config-objects.js';
import type { PodFeed } from './pod-feed.js';

export interface ApiDeps {
  readonly nodeName: string;
  /** `--root-dir`: API pods are kept under `<rootDir>/api-pods/`. */
  readonly rootDir: string;
  readonly maxPods: number;
  /** The address the server listens on: writes are allowed without a token only on loopback. */
  readonly address: string;
  /** `--token-file`: a bearer token that allows writes from anywhere. */
  readonly tokenFile?: string;
  /** The node's IP (InternalIP); found from the interfaces when absent. */
  readonly hostIP?: string;
  readonly pods: PodManager;
  readonly statuses: StatusManager;
  readonly events: EventRecorder;
  readonly cache: PodCache;
  readonly runtime: Pick<Runtime, 'version' | 'exec' | 'attach' | 'containerLogs'>;
  readonly loop: Pick<SyncLoop, 'add' | 'remove'>;
  readonly now: () => number;
  readonly log: Logger;
  /** Runtime health (PLEG): the node's Ready condition. */
  readonly healthy?: () => boolean;
  /**
   * The API pod source. The agent builds it before the server and starts it after the first relist; when
   * absent (tests), registerApiRoutes builds one and starts it at once.
   */
  readonly apiSource?: ApiPodSource;
  /** The ConfigMaps/Secrets made through the API; built (and loaded from the root dir) when absent. */
  readonly apiConfigs?: ApiConfigObjects;
  /** Every ConfigMap/Secret in force, from all sources (PodConfig); only the API's own when absent. */
  readonly configObjects?: (kind: ConfigKind) => ConfigObject[];
  /** When the agent started (the node's creationTimestamp); defaults to now. */
  readonly startedAt?: number;
}

export interface ApiContext {
  readonly deps: ApiDeps;
  readonly feed: PodFeed;
  readonly source: ApiPodSource;
  readonly configs: ApiConfigObjects;
}

export type ApiHandler = (req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>) => void | Promise<void>;

export interface RouteDef {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly handler: ApiHandler;
  /** Changes state: refused (401) unless the server is on loopback or the request carries the token. */
  readonly write?: boolean;
}
