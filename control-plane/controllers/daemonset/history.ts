// control-plane/controllers/daemonset/history.ts — a DaemonSet's ControllerRevisions (PURE; upstream
// constructHistory / snapshot / cleanupHistory, control-plane-semantics.md §4):
//
// - revisionData(ds): the strategic-merge patch `{"spec":{"template":{…,"$patch":"replace"}}}` (keys sorted,
//   empty values dropped) — what `kubectl rollout undo ds/x` sends back as a strategic merge patch.
// - revisionHash(ds): ComputeHash(template, status.collisionCount) (the Deployment's pod-template-hash), the
//   `controller-revision-hash` label of the revision and of the pods; name `<ds>-<hash>`.
// - planHistory(ds, owned): the current revision (one whose data equals the DS's), the number it must carry
//   (highest old + 1), and the revision to create when none matches; duplicates of the current one to delete.
// - historyToDelete(ds, old, liveHashes): the oldest old revisions beyond revisionHistoryLimit that no live pod
//   is running.
import { canonical, computeHash } from '../deployment/hash.js';
import { controllerRefTo } from '../framework/index.js';
import { REVISION_HASH_LABEL, withTypeMeta, type ControllerRevision, type DaemonSet } from './types.js';

/** history.ControllerRevisionName's prefix cap. */
const MAX_PREFIX = 223;

export const revisionData = (ds: DaemonSet): unknown =>
  canonical({ spec: { template: { ...(ds.spec?.template ?? {}), $patch: 'replace' } } });

export const revisionHash = (ds: DaemonSet): string => computeHash(ds.spec?.template ?? {}, ds.status?.collisionCount);

export const revisionName = (ds: DaemonSet, hash: string): string => `${(ds.metadata?.name ?? '').slice(0, MAX_PREFIX)}-${hash}`;

/** Match: the revision holds the DS's current template. */
export const revisionMatches = (ds: DaemonSet, rev: ControllerRevision): boolean =>
  JSON.stringify(canonical(rev.data)) === JSON.stringify(revisionData(ds));

/** The ControllerRevision a snapshot creates. */
export function newRevision(ds: DaemonSet, hash: string, revision: number): ControllerRevision {
  const annotations = { ...(ds.metadata?.annotations ?? {}) };
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      name: revisionName(ds, hash), namespace: ds.metadata?.namespace,
      labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash },
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [controllerRefTo(withTypeMeta(ds))],
    },
    data: revisionData(ds), revision,
  };
}

const revOf = (r: ControllerRevision): number => r.revision ?? 0;

export interface HistoryPlan {
  /** The revision holding the current template (after the writes below), undefined when it must be created. */
  readonly current?: ControllerRevision;
  /** The number the current revision must carry: highest old revision + 1. */
  readonly number: number;
  /** Create this one (no revision matched). */
  readonly create?: ControllerRevision;
  /** The current revision needs its number raised to `number` (a rollback to it). */
  readonly renumber: boolean;
  /** Revisions matching the current template besides the kept one (dedupCurHistories). */
  readonly duplicates: ControllerRevision[];
  /** Revisions of other templates. */
  readonly old: ControllerRevision[];
}

export function planHistory(ds: DaemonSet, owned: readonly ControllerRevision[]): HistoryPlan {
  const matching = owned.filter((r) => revisionMatches(ds, r)).sort((a, b) => revOf(b) - revOf(a));
  const old = owned.filter((r) => !matching.includes(r));
  const number = old.reduce((m, r) => Math.max(m, revOf(r)), 0) + 1;
  const [current, ...duplicates] = matching;
  if (!current) return { number, create: newRevision(ds, revisionHash(ds), number), renumber: false, duplicates: [], old };
  return { current, number, renumber: revOf(current) < number, duplicates, old };
}

/** The hash the pods of the current template carry: the current revision's label (its name's tail if unlabelled). */
export function currentHash(ds: DaemonSet, current: ControllerRevision | undefined): string {
  const label = current?.metadata?.labels?.[REVISION_HASH_LABEL];
  if (label) return label;
  return current?.metadata?.name?.slice((ds.metadata?.name ?? '').length + 1) ?? revisionHash(ds);
}

/** cleanupHistory: old revisions no live pod runs, oldest first, beyond revisionHistoryLimit. */
export function historyToDelete(ds: DaemonSet, old: readonly ControllerRevision[], liveHashes: ReadonlySet<string>): ControllerRevision[] {
  const limit = ds.spec?.revisionHistoryLimit ?? 10;
  const unused = old.filter((r) => !liveHashes.has(r.metadata?.labels?.[REVISION_HASH_LABEL] ?? '')).sort((a, b) => revOf(a) - revOf(b));
  const excess = old.length - limit;
  return excess > 0 ? unused.slice(0, excess) : [];
}
