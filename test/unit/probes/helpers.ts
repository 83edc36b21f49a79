// Test helpers for probes/: a fake clock, a fake execSync, recording sinks, pods and statuses.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ExecSyncResult } from '../../../cri/api.js';
import type { Clock, LifecycleEntry, ProbeContainerStatus, ProbeEvent, ProbePodStatus } from '../../../probes/types.js';

/** The one fake clock (cri/fake/fake-clock.ts): timers fire only inside advance(), in time order. */
export { FakeClock } from '../../../cri/fake/fake-clock.js';

export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

export type ExecImpl = (cmd: readonly string[], containerId: string, timeoutMs: number) => ExecSyncResult | Promise<ExecSyncResult>;

export interface ExecCall {
  readonly containerId: string;
  readonly cmd: readonly string[];
  readonly timeoutMs: number;
  readonly at: number;
}

/** execSync whose behaviour the test sets (`impl`) and whose calls it can read (`calls`). */
export function fakeRuntime(clock: Clock) {
  const calls: ExecCall[] = [];
  const rt = {
    calls,
    impl: (() => ({ exitCode: 0, stdout: 'ok', stderr: '' })) as ExecImpl,
    async execSync(containerId: string, cmd: readonly string[], timeoutMs: number): Promise<ExecSyncResult> {
      calls.push({ containerId, cmd, timeoutMs, at: clock.now() });
      return rt.impl(cmd, containerId, timeoutMs);
    },
  };
  return rt;
}

export function sinks() {
  const events: (ProbeEvent & { podUID: string })[] = [];
  const records: LifecycleEntry[] = [];
  return {
    events,
    records,
    eventSink: { event: (podUID: string, e: ProbeEvent) => void events.push({ podUID, ...e }) },
    lifecycle: { record: (e: LifecycleEntry) => void records.push(e) },
  };
}

export const UID = 'uid-1';

export function makePod(containers: Container[], initContainers: Container[] = []): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', uid: UID },
    spec: { containers, initContainers, restartPolicy: 'Always' },
  };
}

export function exec(cmd: string, extra: Record<string, unknown> = {}) {
  return { exec: { command: ['sh', '-c', cmd] }, ...extra };
}

/** A mutable pod status the workers read through getPodStatus. */
export class FakeStatuses {
  readonly #m = new Map<string, ProbePodStatus>();
  getPodStatus = (uid: string): ProbePodStatus | undefined => this.#m.get(uid);

  set(containers: ProbeContainerStatus[], extra: Partial<ProbePodStatus> = {}, uid = UID): void {
    this.#m.set(uid, { phase: 'Running', deleting: false, podIP: '10.1.0.5', containers, ...extra });
  }

  delete(uid = UID): void {
    this.#m.delete(uid);
  }
}

export function running(name: string, containerID: string, startedAt: number): ProbeContainerStatus {
  return { name, containerID, state: 'running', startedAt };
}

/** A throwaway self-signed certificate for local HTTPS servers, made with the openssl CLI (undefined if absent). */
/** A self-signed certificate for localhost (EC P-256, valid until 2126), fixed so no tool is needed to make one. */
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgiAc5O4caDfN+pxlr
HcudOIbj246VmBIDObAHf9eJR/OhRANCAAQHF162g56V+mE1DNI1PxpK/+rZY9zG
Ght/z6rZB80ltVvpgVloY4yOmw0XJcGTtlDj6WWiWdAv1xJnnNYVWB+4
-----END PRIVATE KEY-----`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBfzCCASWgAwIBAgIUFxcVCBgWAE9ggD3YVb/Bh7MNReUwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMzE2MDAyMloYDzIxMjYxMDMw
MTYwMDIyWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQHF162g56V+mE1DNI1PxpK/+rZY9zGGht/z6rZB80ltVvpgVloY4yO
mw0XJcGTtlDj6WWiWdAv1xJnnNYVWB+4o1MwUTAdBgNVHQ4EFgQUyZgYFh+8AN7m
G/boPgqqMpMBlngwHwYDVR0jBBgwFoAUyZgYFh+8AN7mG/boPgqqMpMBlngwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBiFacNtPbscG/NNqD4/29k
FdYx2wcxsgjA5Jy3C1Gb3AIhAJpRA9QKvU3TmC4qtUF4yGGtcEBVG3MtYWG4Z2Rv
Keca
-----END CERTIFICATE-----`;

export function selfSignedCert(): { key: string; cert: string } {
  return { key: TEST_KEY, cert: TEST_CERT };
}
