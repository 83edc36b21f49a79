// agent/status/printer.ts — the READY / STATUS / RESTARTS / AGE cells of `kubectl get pods` (kubectl's
// printPod) and kubectl's duration format (apimachinery duration.HumanDuration).
//
// Pure: a pod with its status and `now` in, strings out. Walks init container statuses in order (Init:x/y,
// Init:<reason>, sidecars), then regular statuses from last to first, then deletion (Terminating/Unknown).
import type { Pod, V1ContainerStatus } from '../api/v1.js';

export interface PodColumns {
  readonly ready: string;
  readonly status: string;
  readonly restarts: string;
  readonly age: string;
}

/** kubectl's HumanDuration: `45s`, `119s`, `3m20s`, `10m`, `4h5m`, `30h`, `2d3h`, `20d`, `2y10d`, `9y`. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** translateTimestampSince: `<unknown>` for a missing time. */
function since(ts: string | null | undefined, now: number): string {
  const t = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** finishedAt of the last termination, or 0. */
function lastFinished(s: V1ContainerStatus): number {
  const f = s.lastState?.terminated?.finishedAt;
  const t = f ? Date.parse(f) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

export function podStatusColumns(pod: Pod, now: number): PodColumns {
  const status = pod.status ?? {};
  const spec = pod.spec;
  const specInits = spec?.initContainers ?? [];
  const sidecars = new Set(specInits.filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const total = (spec?.containers.length ?? 0) + sidecars.size;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;

  let reason = status.phase ?? '';
  if (status.reason) reason = status.reason;
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, lastFinished(c));
    const isSidecar = sidecars.has(c.name);
    if (isSidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, lastFinished(c));
    }
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (isSidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
      else reason = `Init:${term.reason}`;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${specInits.length}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const list = status.containerStatuses ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, lastFinished(c));
      const wait = c.state?.waiting;
      const term = c.state?.terminated;
      if (wait?.reason) reason = wait.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== 0) restartsStr = `${restarts} (${humanDuration(now - lastRestart)} ago)`;

  return { ready: `${ready}/${total}`, status: reason, restarts: restartsStr, age: since(pod.metadata?.creationTimestamp, now) };
}
