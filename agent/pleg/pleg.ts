// agent/pleg/pleg.ts — the pod lifecycle event generator: actual state from the runtime.
//
// Fast path: the runtime's event stream (a container started/died ⇒ that pod is relisted within a few ms). While
// a pod worker syncs a pod (`sync`), the creates and starts of that pod relist nothing: the sync made them and
// the relist after it reads them all at once; exits and removals still relist at once. Relists of one pod never
// pile up: while one runs, later requests share a single follow-up.
// Safety net: a full relist every `relistPeriodMs` (1 s) while the event stream is down, every
// `eventedRelistPeriodMs` (5 s) while it is up, as the kubelet's EventedPLEG keeps a slower GenericPLEG behind it.
// Writes PodCache (its only writer) and tells subscribers which pods changed. Never decides anything.
import type { Runtime, ContainerStatus, PodSandbox } from '../../cri/api.js';
import { isNotFound, errorLine } from '../../cri/errors.js';
import type { Clock } from '../../cri/clock.js';
import { PodCache } from './pod-cache.js';
import type { RuntimeContainerStatus, RuntimePodStatus, RuntimeSandboxStatus } from '../kuberuntime/types.js';
import { POD_NAME, POD_NAMESPACE, POD_UID, toRuntimeContainerStatus } from '../kuberuntime/labels.js';
import { terminationMessage } from '../kuberuntime/termination-message.js';

export interface PlegOptions {
  readonly runtime: Runtime;
  readonly cache: PodCache;
  /** Labels every object of this agent carries (node label); used to list only ours. */
  readonly selector: Readonly<Record<string, string>>;
  readonly relistPeriodMs: number;
  /**
   * Relist period while the runtime's event stream is up (default 5 × relistPeriodMs): events carry the
   * changes, the relist is only the safety net, as the kubelet's evented PLEG keeps a slow generic relist.
   */
  readonly eventedRelistPeriodMs?: number;
  readonly clock: Clock;
  readonly log: { warn(o: object, msg: string): void; debug(o: object, msg: string): void };
  /** Told once when PLEG first sees a container instance exited (for the lifecycle record). */
  readonly onExit?: (uid: string, c: ContainerStatus) => void;
}

type Listener = (uid: string) => void;

export class Pleg {
  readonly #o: PlegOptions;
  readonly #listeners = new Set<Listener>();
  /** Inspected statuses by container id, with the listing sequence that inspected them. */
  readonly #statuses = new Map<string, ContainerStatus & { termMessage: string; seq: number }>();
  readonly #sandboxIPs = new Map<string, { ip: string; hostNetwork: boolean }>();
  readonly #signatures = new Map<string, string>();
  readonly #pending = new Map<string, Promise<void>>();
  /** The follow-up relist of a pod queued behind the one under way, with the containers it must inspect. */
  readonly #queued = new Map<string, { readonly inspect: Set<string>; readonly done: Promise<void> }>();
  /** Pods a worker is syncing now (nesting count): their own creates and starts wait for its relist. */
  readonly #syncing = new Map<string, number>();
  /** Listing sequence: a build from an older listing never overwrites a pod built from a newer one. */
  #seq = 0;
  readonly #builtFrom = new Map<string, number>();
  #healthy = false;
  #streaming = false;
  #lastRelist = 0;

  constructor(o: PlegOptions) {
    this.#o = o;
  }

  get healthy(): boolean { return this.#healthy; }
  get lastRelist(): number { return this.#lastRelist; }

  subscribe(l: Listener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  /** Runs event watching and periodic relisting until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    void this.#watchEvents(signal);
    while (!signal.aborted) {
      await this.relistAll().catch(() => undefined);
      await this.#o.clock.sleep(this.#streaming ? this.#o.eventedRelistPeriodMs ?? this.#o.relistPeriodMs * 5 : this.#o.relistPeriodMs, signal).catch(() => undefined);
    }
  }

  async #watchEvents(signal: AbortSignal): Promise<void> {
    let first = true;
    while (!signal.aborted) {
      try {
        const stream = this.#o.runtime.events(signal);
        this.#streaming = true;
        // Events that happened while the stream was down are lost: one relist covers them.
        if (!first) void this.relistAll().catch(() => undefined);
        first = false;
        for await (const ev of stream) {
          // Docker sends `die` before its listing shows the container exited; an inspect waits for the
          // container's lock, which the daemon holds until the exit is recorded: inspect that one at once.
          if (!ev.podUid) continue;
          const own = ev.type === 'CONTAINER_CREATED_EVENT' || ev.type === 'CONTAINER_STARTED_EVENT';
          if (own && this.#syncing.has(ev.podUid)) continue;
          void this.relistPod(ev.podUid, ev.type === 'CONTAINER_STOPPED_EVENT' && !ev.isSandbox ? ev.containerId : undefined);
        }
      } catch (err) {
        if (!signal.aborted) this.#o.log.debug({ err: errorLine(err) }, 'Runtime event stream broke; relisting meanwhile');
      }
      this.#streaming = false;
      // Back to the fast relist at once, not at the end of the slow period.
      if (!signal.aborted) void this.relistAll().catch(() => undefined);
      if (!signal.aborted) await this.#o.clock.sleep(1000, signal).catch(() => undefined);
    }
  }

  /** Full relist of every pod of this agent. */
  async relistAll(): Promise<void> {
    const sel = this.#o.selector;
    const seq = ++this.#seq;
    let sandboxes: PodSandbox[];
    let containers: Awaited<ReturnType<Runtime['listContainers']>>;
    try {
      [sandboxes, containers] = await Promise.all([
        this.#o.runtime.listPodSandbox({ labelSelector: sel }),
        this.#o.runtime.listContainers({ labelSelector: sel }),
      ]);
      this.#healthy = true;
    } catch (err) {
      if (this.#healthy) this.#o.log.warn({ err: errorLine(err) }, 'Runtime relist failed');
      this.#healthy = false;
      throw err;
    }
    this.#lastRelist = this.#o.clock.now();
    const uids = new Set<string>();
    for (const s of sandboxes) uids.add(s.metadata.uid);
    for (const c of containers) if (c.labels[POD_UID]) uids.add(c.labels[POD_UID]!);
    for (const uid of this.#o.cache.uids()) uids.add(uid);
    await Promise.all([...uids].map((uid) => this.#build(uid, seq,
      sandboxes.filter((s) => s.metadata.uid === uid),
      containers.filter((c) => c.labels[POD_UID] === uid))));
    // Inspected statuses and sandbox IPs of objects that are gone (removed by GC or with their pod).
    const liveIds = new Set([...containers.map((c) => c.id), ...sandboxes.map((s) => s.id)]);
    this.prune(liveIds, seq);
    // Forgotten pods that this (newer) listing no longer holds: nothing older can come back for them.
    for (const [uid, from] of this.#builtFrom) if (from < seq && !this.#o.cache.get(uid)) this.#builtFrom.delete(uid);
  }

  /**
   * Relists one pod now, or once the relist already under way for it has ended (requests meanwhile share that
   * one follow-up), and updates the cache. `inspect`: containers whose state the listing may not show yet (one
   * just died, or was just started): their status comes from an inspect, asked for while the pod is listed.
   * Resolves after a listing taken after the call.
   */
  relistPod(uid: string, inspect?: string | readonly string[]): Promise<void> {
    const ids = typeof inspect === 'string' ? [inspect] : inspect ?? [];
    const running = this.#pending.get(uid);
    if (!running) return this.#relistNow(uid, new Set(ids));
    let next = this.#queued.get(uid);
    if (!next) {
      const later = new Set<string>();
      next = { inspect: later, done: running.then(() => { this.#queued.delete(uid); return this.#relistNow(uid, later); }) };
      this.#queued.set(uid, next);
    }
    for (const id of ids) next.inspect.add(id);
    return next.done;
  }

  #relistNow(uid: string, inspect: ReadonlySet<string>): Promise<void> {
    const p = (async () => {
      const sel = { ...this.#o.selector, [POD_UID]: uid };
      const seq = ++this.#seq;
      // The containers named by an event are inspected while the pod is listed, not after.
      const early = new Map([...inspect].map((id) => [id, this.#o.runtime.containerStatus(id)]));
      for (const s of early.values()) s.catch(() => undefined);
      const [sandboxes, containers] = await Promise.all([
        this.#o.runtime.listPodSandbox({ labelSelector: sel }),
        this.#o.runtime.listContainers({ labelSelector: sel }),
      ]);
      await this.#build(uid, seq, sandboxes, containers, early);
    })().catch((err) => { this.#o.log.debug({ uid, err: errorLine(err) }, 'Pod relist failed'); }).finally(() => { if (this.#pending.get(uid) === p) this.#pending.delete(uid); });
    this.#pending.set(uid, p);
    return p;
  }

  /**
   * A pod worker's sync of `uid`: runs `fn`, then relists the pod when `fn` changed something (or threw),
   * inspecting the containers it names (`containerIds`: those it created or started) while listing.
   * Meanwhile the pod's own creates and starts relist nothing; this relist reads them.
   */
  async sync<T extends { readonly changed: boolean; readonly containerIds?: readonly string[] }>(uid: string, fn: () => Promise<T>): Promise<T> {
    this.#syncing.set(uid, (this.#syncing.get(uid) ?? 0) + 1);
    let r: T | undefined;
    try {
      r = await fn();
      return r;
    } finally {
      if (r?.changed !== false) await this.relistPod(uid, r?.containerIds);
      const n = (this.#syncing.get(uid) ?? 1) - 1;
      if (n > 0) this.#syncing.set(uid, n);
      else this.#syncing.delete(uid);
    }
  }

  /** `inspected`: statuses of containers named by an event, asked for already (they are not asked again). */
  async #build(
    uid: string, seq: number, sandboxes: PodSandbox[], containers: Awaited<ReturnType<Runtime['listContainers']>>,
    inspected?: ReadonlyMap<string, Promise<ContainerStatus>>,
  ): Promise<void> {
    // A full relist lists every pod at once and builds them one by one: meanwhile a pod relisted on its own
    // (after a sync, or on an event) may already hold newer data. Stale listings are dropped, never published:
    // a sandbox caught between create and start would otherwise read as dead and be re-created.
    if ((this.#builtFrom.get(uid) ?? 0) > seq) return;
    const rt = this.#o.runtime;
    const statuses: RuntimeContainerStatus[] = [];
    await Promise.all(containers.map(async (c) => {
      const cached = this.#statuses.get(c.id);
      let st = cached;
      if (!cached || cached.state !== c.state || c.state === 'CONTAINER_RUNNING' && cached.startedAt === 0 || inspected?.has(c.id) && cached.state !== 'CONTAINER_EXITED') {
        try {
          const s = await (inspected?.get(c.id) ?? rt.containerStatus(c.id));
          const termMessage = s.state === 'CONTAINER_EXITED' ? await terminationMessage(s, this.#o) : '';
          st = { ...s, termMessage, seq };
          // Told once, also when two relists inspected the exit at the same time.
          if (s.state === 'CONTAINER_EXITED' && this.#statuses.get(c.id)?.state !== 'CONTAINER_EXITED' && s.startedAt > 0) this.#o.onExit?.(uid, s);
          this.#statuses.set(c.id, st);
        } catch (err) {
          if (isNotFound(err)) { this.#statuses.delete(c.id); return; }
          throw err;
        }
      }
      statuses.push(toRuntimeContainerStatus(st!, st!.termMessage));
    }));
    const sbs: RuntimeSandboxStatus[] = [];
    await Promise.all(sandboxes.map(async (s) => {
      let net = this.#sandboxIPs.get(s.id);
      if (!net && s.state === 'SANDBOX_READY') {
        try {
          const st = await rt.podSandboxStatus(s.id);
          net = { ip: st.network.ip, hostNetwork: st.namespaceOptions.network === 'NODE' };
          if (net.ip || net.hostNetwork) this.#sandboxIPs.set(s.id, net);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      sbs.push({ id: s.id, attempt: s.metadata.attempt, state: s.state, createdAt: s.createdAt, ip: net?.ip ?? '', hostNetwork: net?.hostNetwork ?? false });
    }));
    statuses.sort((a, b) => b.createdAt - a.createdAt || b.restartCount - a.restartCount);
    sbs.sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
    const first = containers[0]?.labels ?? sandboxes[0]?.labels ?? {};
    const prev = this.#o.cache.get(uid);
    const status: RuntimePodStatus = {
      uid,
      name: first[POD_NAME] ?? sandboxes[0]?.metadata.name ?? prev?.name ?? '',
      namespace: first[POD_NAMESPACE] ?? sandboxes[0]?.metadata.namespace ?? prev?.namespace ?? '',
      sandboxes: sbs,
      containers: statuses,
      timestamp: this.#o.clock.now(),
    };
    if ((this.#builtFrom.get(uid) ?? 0) > seq) return;
    this.#builtFrom.set(uid, seq);
    const sig = JSON.stringify([sbs.map((s) => [s.id, s.state, s.ip]), statuses.map((c) => [c.id, c.state, c.exitCode, c.startedAt, c.finishedAt])]);
    this.#o.cache.set(status);
    if (this.#signatures.get(uid) !== sig) {
      this.#signatures.set(uid, sig);
      this.#o.log.debug({ podUID: uid, exited: statuses.filter((c) => c.state === 'CONTAINER_EXITED').map((c) => c.name) }, 'PLEG: pod changed');
      for (const l of this.#listeners) l(uid);
    }
  }

  /** Forgets a pod whose runtime objects are gone. */
  forget(uid: string): void {
    this.#signatures.delete(uid);
    this.#builtFrom.set(uid, ++this.#seq); // listings already under way must not bring it back
    this.#o.cache.delete(uid);
  }

  /** Drops cached statuses and sandbox IPs of objects not in `liveIds` (a listing taken at `listedAt`). */
  prune(liveIds: Set<string>, listedAt = Infinity): void {
    // Not what a per-pod relist inspected after this listing was taken (a container created meanwhile).
    for (const [id, st] of this.#statuses) if (!liveIds.has(id) && st.seq < listedAt) this.#statuses.delete(id);
    for (const id of this.#sandboxIPs.keys()) if (!liveIds.has(id)) this.#sandboxIPs.delete(id);
  }
}
