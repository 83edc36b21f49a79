// agent/kubelet-server/paths.ts — the kubelet server's streaming paths (pkg/kubelet/server/server.go):
//
//   /containerLogs/{namespace}/{pod}/{container}            GET
//   /exec/{namespace}/{pod}[/{uid}]/{container}             GET, POST   (the uid form is the legacy one)
//   /attach/{namespace}/{pod}[/{uid}]/{container}           GET, POST
//   /portForward/{namespace}/{pod}[/{uid}]                  GET, POST
//
// PURE: a pathname in, the endpoint and its parameters out; undefined for every other path (not ours). Also the
// query flags the endpoints read.
export type KubeletPath =
  | { readonly kind: 'containerLogs'; readonly namespace: string; readonly pod: string; readonly container: string }
  | { readonly kind: 'exec' | 'attach'; readonly namespace: string; readonly pod: string; readonly uid?: string; readonly container: string }
  | { readonly kind: 'portForward'; readonly namespace: string; readonly pod: string; readonly uid?: string };

/** The methods each endpoint serves (others: 405 with this Allow header). */
export const METHODS: Readonly<Record<KubeletPath['kind'], readonly string[]>> = {
  containerLogs: ['GET'], exec: ['GET', 'POST'], attach: ['GET', 'POST'], portForward: ['GET', 'POST'],
};

/** A query flag, true in any of Go's strconv.ParseBool spellings, under any of `names`. */
export function flag(url: URL, ...names: string[]): boolean {
  return names.some((n) => ['1', 't', 'T', 'true', 'True', 'TRUE'].includes(url.searchParams.get(n) ?? ''));
}

function segments(rest: string): string[] | undefined {
  const parts = rest.replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '')) return undefined;
  try {
    return parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined; // a malformed %-escape matches no route, as in the kubelet's router
  }
}

export function parseKubeletPath(pathname: string): KubeletPath | undefined {
  const m = /^\/(containerLogs|exec|attach|portForward)\/(.+)$/.exec(pathname);
  if (!m) return undefined;
  const s = segments(m[2]!);
  if (!s) return undefined;
  const [namespace, pod] = s as [string, string];
  switch (m[1]) {
    case 'containerLogs':
      return s.length === 3 ? { kind: 'containerLogs', namespace, pod, container: s[2]! } : undefined;
    case 'portForward':
      if (s.length === 2) return { kind: 'portForward', namespace, pod };
      return s.length === 3 ? { kind: 'portForward', namespace, pod, uid: s[2]! } : undefined;
    default: {
      const kind = m[1] as 'exec' | 'attach';
      if (s.length === 3) return { kind, namespace, pod, container: s[2]! };
      return s.length === 4 ? { kind, namespace, pod, uid: s[2]!, container: s[3]! } : undefined;
    }
  }
}
