// test/helpers/probe-evidence.ts — evidence that a probe has run, read from the agent's lifecycle record
// (`GET /lifecycle/<namespace>/<name>`). A negative check ("the pod did NOT become Ready") waits for this
// evidence instead of sleeping a fixed time: it then asserts on what the agent did after the probe ran.
import { waitFor } from './docker-rig.js';

export interface ProbeAttempt {
  readonly time: number;
  readonly container?: string;
  readonly probeType: 'Startup' | 'Liveness' | 'Readiness';
  /** The check's result: success | warning | failure | unknown | error. */
  readonly result: string;
  /** The value this attempt published to the results cache, when it reached a threshold. */
  readonly published?: string;
}

/** The probe attempts recorded for a pod (an empty list while the agent does not know the pod). */
export async function probeAttempts(baseUrl: string, name: string, namespace = 'default'): Promise<ProbeAttempt[]> {
  const res = await fetch(`${baseUrl}/lifecycle/${namespace}/${name}`);
  if (res.status === 404) return [];
  if (!res.ok) throw new Error(`GET /lifecycle/${namespace}/${name}: ${res.status}`);
  const { entries } = (await res.json()) as { entries: (ProbeAttempt & { kind: string })[] };
  return entries.filter((e) => e.kind === 'probe');
}

export interface ProbeWait {
  readonly probeType: ProbeAttempt['probeType'];
  readonly container?: string;
  /** Wait for an attempt that published this verdict (the failure or success threshold was reached). */
  readonly published: 'success' | 'failure';
  readonly namespace?: string;
  readonly timeoutMs?: number;
}

/** Waits until a probe of the pod published a verdict; returns the attempts recorded so far. */
export async function waitForProbeVerdict(baseUrl: string, name: string, w: ProbeWait): Promise<ProbeAttempt[]> {
  let last: ProbeAttempt[] = [];
  return waitFor(async () => {
    last = await probeAttempts(baseUrl, name, w.namespace);
    const hit = last.some((a) => a.probeType === w.probeType && a.published === w.published && (w.container === undefined || a.container === w.container));
    return hit ? last : undefined;
  }, {
    timeoutMs: w.timeoutMs ?? 30_000,
    intervalMs: 100,
    message: () => `pod ${name}: no ${w.probeType} probe published ${w.published}; attempts: ${JSON.stringify(last.map((a) => [a.probeType, a.result, a.published]))}`,
  });
}
