// control-plane/apiserver/paging.ts — `limit` and `continue` of a list (kubectl get asks for 500 at a time):
// the first `limit` items after the continue token's key, and a token for the rest with the count left.
//
// PURE. The token carries the list's resourceVersion and the last key served, base64 JSON as kube-apiserver's
// (`{"v":"meta.k8s.io/v1","rv":N,"start":"<ns>/<name>\u0000"}`); later pages read the current objects after
// that key (the store keeps no snapshot), with the first page's resourceVersion. A token that does not parse is
// a 400, as upstream.
import { badRequest, type KubeObject } from '../store/index.js';

export interface Page {
  readonly items: readonly KubeObject[];
  readonly resourceVersion: string | undefined;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

const keyOf = (o: KubeObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

function decode(token: string): { rv: string; start: string } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token');
    return { rv: String(t.rv), start: t.start };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

/** `items` sorted by namespace/name (as the store lists them); `limit` 0 or absent means all. */
export function page(items: readonly KubeObject[], resourceVersion: string | undefined, limit: number | undefined, token: string | undefined): Page {
  let rest = items;
  let rv = resourceVersion;
  if (token) {
    const t = decode(token);
    rv = t.rv;
    const after = t.start.replace(/\u0000$/, '');
    rest = items.filter((o) => keyOf(o) > after);
  }
  if (!limit || limit <= 0 || rest.length <= limit) return { items: rest, resourceVersion: rv };
  const served = rest.slice(0, limit);
  const next = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv ?? 0), start: `${keyOf(served[served.length - 1]!)}\u0000` })).toString('base64');
  return { items: served, resourceVersion: rv, continue: next, remainingItemCount: rest.length - limit };
}
