// control-plane/controllers/index.ts — the controller manager: starts every workload controller as a client of
// the API (like kube-controller-manager) and runs them until the signal aborts. cmd/single-node.ts calls
// runControllers (control-plane/main.ts is the bare API server and runs none); each controller has its folder here.
import { setMaxListeners } from 'node:events';
import type { KubeClient } from '../../client/index.js';
import type { ControllerClock, ControllerLog } from './framework/index.js';
import { startReplicaSetController, startReplicationManager } from './replicaset/index.js';
import { startDeploymentController } from './deployment/index.js';
import { startDaemonSetController } from './daemonset/index.js';
import { startJobController, startTtlAfterFinishedController } from './job/index.js';
import { startStatefulSetController } from './statefulset/index.js';
import { labClock, startCronJobController } from './cronjob/index.js';
import { startStorageController } from './storage/index.js';

export interface ControllerManagerOptions {
  readonly client: KubeClient;
  readonly log?: ControllerLog;
  readonly clock?: ControllerClock;
  /**
   * The lab clock (KubeletConfiguration `labClock.cronJobTimeScale`): how many times faster than real time
   * CronJob schedules run, so a `*\/5` schedule can be watched in a lesson. 1 = real time.
   */
  readonly cronJobTimeScale?: number;
  /** Where the local-path provisioner makes volumes (`<root-dir>/storage`); unset: local-path claims wait. */
  readonly storageDir?: string;
  /** The node that shares this process's disk (single node): the provisioner removes only its volumes' directories. */
  readonly localNode?: string;
}

/** Starts every controller; resolves when all have stopped after `signal` aborted. */
export async function runControllers(o: ControllerManagerOptions, signal: AbortSignal): Promise<void> {
  // Every informer and controller listens for the abort: more than Node's default of 10 is expected here.
  setMaxListeners(0, signal);
  const base = { client: o.client, log: o.log, clock: o.clock };
  const running: Promise<void>[] = [
    startReplicaSetController(base).run(signal), startReplicationManager(base).run(signal),
    startDeploymentController(base).run(signal),
    startDaemonSetController(base).run(signal),
    startJobController(base).run(signal), startTtlAfterFinishedController(base).run(signal),
    startStatefulSetController(base).run(signal),
    startCronJobController({ ...base, clock: (o.cronJobTimeScale ?? 1) !== 1 ? labClock(o.cronJobTimeScale!, o.clock) : o.clock }).run(signal),
    startStorageController({ ...base, storageDir: o.storageDir, localNode: o.localNode }).run(signal),
  ];
  await Promise.all(running);
}
