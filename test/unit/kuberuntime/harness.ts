// test/unit/kuberuntime/harness.ts — the agent core on the fake runtime and the one fake clock.
//
// Builds a RuntimeContext whose runtime, back-offs, image manager and hooks all read the same FakeClock,
// and a recorder of the runtime calls in order, so executor tests assert the sequence of calls the kubelet
// would make. Hooks are scripted per container (resolve after N ms of fake time, fail, or hang).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, LifecycleHandler, Pod } from '../../../agent/api/v1.js';
import type { Runtime } from '../../../cri/api.js';
import { FakeClock } from '../../../cri/fake/fake-clock.js';
import { FakeRuntime } from '../../../cri/fake/fake-runtime.js';
import { EventRecorder } from '../../../agent/events/recorder.js';
import { LifecycleRecord } from '../../../agent/timeline/lifecycle-record.js';
import { Backoff } from '../../../agent/kuberuntime/backoff.js';
import { ImageManager } from '../../../agent/kuberuntime/image-manager.js';
import { ReasonCache, type HookContext, type HookRunner, type RuntimeContext } from '../../../agent/kuberuntime/context.js';
import type { ConfigStore } from '../../../agent/kuberuntime/env.js';
import { createKubeletCore } from '../../../agent/wiring/core.js';

export interface HookCall {
  readonly kind: 'postStart' | 'preStop';
  readonly container: string;
  readonly at: number;
  readonly aborted: () => boolean;
}

export type HookScript = (h: HookContext, clock: FakeClock) => Promise<void>;

/** Hooks that take `ms` of fake time (or the script given per container), recording each call. */
export class ScriptedHooks implements HookRunner {
  readonly calls: HookCall[] = [];
  readonly scripts = new Map<string, HookScript>();
  constructor(readonly clock: FakeClock) {}

  async run(kind: 'postStart' | 'preStop', _handler: LifecycleHandler, h: HookContext): Promise<void> {
    this.calls.push({ kind, container: h.container.name, at: this.clock.now(), aborted: () => h.signal.aborted });
    const script = this.scripts.get(`${kind}/${h.container.name}`);
    if (script) await script(h, this.clock);
  }
}

/** Every runtime method call, in order, as `method(arg0)` with the first argument shortened. */
export function recordCalls(rt: Runtime, names: readonly string[] = ['runPodSandbox', 'stopPodSandbox', 'removePodSandbox', 'createContainer', 'startContainer', 'stopContainer', 'removeContainer', 'pullImage']): { calls: { method: string; args: unknown[]; at: number }[]; names: Map<string, string> } {
  const out = { calls: [] as { method: string; args: unknown[]; at: number }[], names: new Map<string, string>() };
  const target = rt as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const clock = (rt as FakeRuntime).clock;
  for (const n of names) {
    const orig = target[n]!.bind(rt);
    target[n] = async (...args: unknown[]) => {
      out.calls.push({ method: n, args, at: clock.now() });
      const r = await orig(...args);
      if (n === 'createContainer') out.names.set(String(r), (args[1] as { metadata: { name: string } }).metadata.name);
      return r;
    };
  }
  return out;
}

export interface Harness {
  readonly clock: FakeClock;
  readonly rt: FakeRuntime;
  readonly ctx: RuntimeContext;
  readonly hooks: ScriptedHooks;
  readonly events: EventRecorder;
  readonly lifecycle: LifecycleRecord;
  readonly calls: { method: string; args: unknown[]; at: number }[];
  /** Container id → container name, for every container created through the context. */
  readonly names: Map<string, string>;
  readonly rootDir: string;
  dispose(): void;
}

const silent = { info() {}, warn() {}, error() {}, debug() {} };

export function makeHarness(o: { configStore?: ConfigStore; offlineFallback?: boolean; crash?: [number, number] } = {}): Harness {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  const rootDir = mkdtempSync(join(tmpdir(), 'mk-harness-'));
  const hooks = new ScriptedHooks(clock);
  const events = new EventRecorder('node-1', () => clock.now());
  const lifecycle = new LifecycleRecord();
  const now = () => clock.now();
  const ctx: RuntimeContext = {
    runtime: rt,
    rootDir,
    nodeName: 'node-1',
    hostIP: '192.0.2.1',
    hostResolv: { servers: [], searches: [], options: [] },
    events,
    lifecycle,
    hooks,
    configStore: o.configStore ?? { getConfigMap: () => undefined, getSecret: () => undefined },
    crashBackoff: new Backoff(o.crash?.[0] ?? 10_000, o.crash?.[1] ?? 300_000, now),
    images: new ImageManager({ runtime: rt, backoff: new Backoff(10_000, 300_000, now), offlineFallback: o.offlineFallback ?? true, now }),
    reasons: new ReasonCache(),
    clock,
    log: silent,
  };
  const { calls, names } = recordCalls(rt);
  return { clock, rt, ctx, hooks, events, lifecycle, calls, names, rootDir, dispose: () => rmSync(rootDir, { recursive: true, force: true }) };
}

/** A pod with busybox containers; `uid` defaults from the name. */
export function pod(name: string, spec: Partial<NonNullable<Pod['spec']>> & { containers?: Container[] }, meta: Partial<NonNullable<Pod['metadata']>> = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...meta },
    spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, containers: [{ name: 'main', image: 'busybox:latest', imagePullPolicy: 'IfNotPresent' }], ...spec },
  };
}

/** The call list as short strings: `stopContainer(main,30)`, `startContainer(side)`. */
export function callLine(h: Harness, filter?: (m: string) => boolean): string[] {
  return h.calls.filter((c) => !filter || filter(c.method)).map((c) => `${c.method}(${describeArgs(h, c.method, c.args)})`);
}

function describeArgs(h: Harness, method: string, args: unknown[]): string {
  const nameOf = (id: unknown) => h.names.get(String(id)) ?? String(id).slice(0, 8);
  switch (method) {
    case 'stopContainer': return `${nameOf(args[0])},${String(args[1])}`;
    case 'startContainer': case 'removeContainer': return nameOf(args[0]);
    case 'createContainer': return (args[1] as { metadata: { name: string } }).metadata.name;
    case 'pullImage': return String(args[0]);
    default: return '';
  }
}

/** The whole kubelet core (agent/wiring/core.ts) on the fake runtime and clock, PLEG running. */
export function makeCore(o: { maxPods?: number; crash?: [number, number] } = {}) {
  const clock = new FakeClock();
  const rt = new FakeRuntime({ clock });
  const rootDir = mkdtempSync(join(tmpdir(), 'mk-core-'));
  const core = createKubeletCore({
    rootDir, nodeName: 'node-1', hostIP: '192.0.2.1', maxPods: o.maxPods ?? 110, selector: {},
    crashLoopBackOff: { initialDelayMs: o.crash?.[0] ?? 10_000, maxDelayMs: o.crash?.[1] ?? 300_000 },
  }, { runtime: rt, clock, log: silent });
  const { calls, names } = recordCalls(rt);
  const abort = new AbortController();
  void core.pleg.run(abort.signal);
  const running = (name: string) => rt.snapshot().containers.filter((c) => c.metadata.name === name && c.state === 'CONTAINER_RUNNING');
  return {
    ...core, clock, rt, calls, names, rootDir, running,
    /**
     * Advances fake time in 50 ms steps, letting real I/O (termination-message reads, volume files) finish
     * between steps: the core does some file work that no fake clock can settle.
     */
    async advance(ms: number) {
      for (let left = ms; left > 0; left -= 50) {
        await clock.advance(Math.min(50, left));
        await new Promise((r) => setTimeout(r, 1));
      }
    },
    /** `method(container)` lines of the recorded calls, as callLine() does. */
    lines: (filter?: (m: string) => boolean) => callLine({ calls, names } as unknown as Harness, filter),
    async dispose() {
      abort.abort();
      await core.workers.shutdown();
      rmSync(rootDir, { recursive: true, force: true });
    },
  };
}
