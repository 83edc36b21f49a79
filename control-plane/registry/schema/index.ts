// control-plane/registry/schema/index.ts — the OpenAPI v3 schema table of every served kind: one named
// definition per type (upstream's names), each field typed and described, shared types by $ref. The API
// server's OpenAPI documents (apiserver/openapi.ts) are made from it; `kubectl explain` prints it.
//
// PURE data, and the lookups: a kind's definition name, and the definitions a set of names refers to.
import { BATCH_DEFINITIONS } from './batch.js';
import type { Definitions, Schema } from './build.js';
import { CLUSTER_DEFINITIONS } from './cluster.js';
import { CONTAINER_DEFINITIONS } from './container.js';
import { META_DEFINITIONS } from './meta.js';
import { POD_STATUS_DEFINITIONS } from './pod-status.js';
import { POD_SPEC_DEFINITIONS } from './pod.js';
import { STORAGE_DEFINITIONS } from './storage.js';
import { WORKLOAD_DEFINITIONS } from './workloads.js';

export type { Definitions, Schema };

export const DEFINITIONS: Definitions = {
  ...META_DEFINITIONS, ...CONTAINER_DEFINITIONS, ...POD_SPEC_DEFINITIONS, ...POD_STATUS_DEFINITIONS,
  ...WORKLOAD_DEFINITIONS, ...BATCH_DEFINITIONS, ...CLUSTER_DEFINITIONS, ...STORAGE_DEFINITIONS,
};

/** Upstream's definition name of a kind: io.k8s.api.<group's first label, core for "">.<version>.<Kind>. */
export const definitionName = (group: string, version: string, kind: string): string =>
  `io.k8s.api.${group ? group.split('.')[0] : 'core'}.${version}.${kind}`;

const REF = '#/components/schemas/';

/** The definition names a schema refers to, directly. */
export function refsOf(schema: unknown, out: string[] = []): string[] {
  if (Array.isArray(schema)) for (const s of schema) refsOf(s, out);
  else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(REF)) out.push(v.slice(REF.length));
      else refsOf(v, out);
    }
  }
  return out;
}

/** `names` and every definition they refer to, transitively (the components a document must carry). */
export function closureOf(names: Iterable<string>, defs: Definitions = DEFINITIONS): Set<string> {
  const seen = new Set<string>();
  const todo = [...names];
  for (let n = todo.pop(); n !== undefined; n = todo.pop()) {
    if (seen.has(n) || !defs[n]) continue;
    seen.add(n);
    todo.push(...refsOf(defs[n]));
  }
  return seen;
}
