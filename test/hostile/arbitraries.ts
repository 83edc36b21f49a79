// test/hostile/arbitraries.ts — fast-check generators of hostile manifests: random YAML/JSON shapes, token
// soup, binary, mutations of a valid pod (wrong types, huge strings, deep nesting, unknown fields, bad
// names), alias bombs and deep nesting. Each yields { name, data }: a file name (its extension picks the
// parser) and its bytes or text.
import fc from 'fast-check';
import { stringify } from 'yaml';

export interface Case { readonly name: string; readonly data: string | Buffer }

/** A valid pod with most of the fields a manifest uses. */
export function basePod(): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { note: 'x' } },
    spec: {
      restartPolicy: 'Always', terminationGracePeriodSeconds: 5,
      initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'] }],
      containers: [{
        name: 'app', image: 'busybox', command: ['sleep', '3600'], args: [], env: [{ name: 'A', value: '1' }],
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
        resources: { limits: { memory: '64Mi', cpu: '100m' } },
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      }],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
}

const TOKENS = ['-', '- ', ': ', ':', '&a ', '*a', '&b ', '*b', '<<: *a', '{', '}', '[', ']', ',', '? ', '|', '>', '"', "'", '#', '\t', '\n', '\n  ', '\n    ', ' ',
  '---\n', '...\n', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '!!binary ', '!!str ', '!!set ', '!!omap ', '!!timestamp ', '!custom ', 'apiVersion: v1', 'kind: Pod',
  'metadata:', 'name: x', 'spec:', 'containers:', 'image: busybox', 'null', '~', 'yes', 'NO', '0x1F', '0o17', '017', '1e999', '.inf', '-.nan', '2001-12-14', '1:20:30',
  '\u0000', '\uFEFF', '\uD800', '\u202E', '🙂', 'é', '\r', '\r\n', '\\', '%', '@', '`'];

/** Random text made of YAML syntax fragments. */
export const tokenSoup: fc.Arbitrary<Case> = fc.tuple(fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 }), fc.constantFrom('x.yaml', 'x.yml', 'x.json'))
  .map(([t, name]) => ({ name, data: t.join('') }));

/** Arbitrary unicode text and raw bytes. */
export const randomText: fc.Arbitrary<Case> = fc.oneof(
  fc.fullUnicodeString({ maxLength: 500 }).map((s) => ({ name: 'u.yaml', data: s })),
  fc.string({ maxLength: 500 }).map((s) => ({ name: 'a.json', data: s })),
  fc.uint8Array({ maxLength: 2000 }).map((b) => ({ name: 'b.yaml', data: Buffer.from(b) })),
);

/** Random JSON values, written as JSON or YAML. */
export const randomShapes: fc.Arbitrary<Case> = fc.tuple(fc.jsonValue({ maxDepth: 6 }), fc.boolean()).map(([v, json]) => (
  json ? { name: 'shape.json', data: JSON.stringify(v) ?? 'null' } : { name: 'shape.yaml', data: stringify(v) }));

type Path = (string | number)[];
function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}
const POD_PATHS = paths(basePod()).filter((p) => p.length > 0);

function setAt(root: Record<string, unknown>, path: Path, f: (old: unknown) => unknown): void {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const v = f(o[last]);
  if (v === DELETE) delete o[last];
  else o[last] = v;
}
const DELETE = Symbol('delete');

const deep = (n: number, leaf: unknown): unknown => { let v = leaf; for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v }; return v; };

/** One mutation of a field: wrong type, huge value, deep nesting, removal, hostile names. */
const mutation: fc.Arbitrary<(old: unknown) => unknown> = fc.oneof(
  fc.anything({ maxDepth: 3 }).map((v) => () => v),
  fc.constantFrom<unknown>(null, true, 0, -1, 1e308, -0, '', [], {}, 'Pod', 'v1', '__proto__', 'constructor').map((v) => () => v),
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => () => 'x'.repeat(n)),
  fc.integer({ min: 10, max: 200 }).map((n) => (old: unknown) => deep(n, old)),
  fc.constant(() => DELETE),
  fc.constantFrom('UPPER', 'under_score', '-lead', 'a..b', 'a'.repeat(300), 'ünï', 'a/b', '', ' ', 'web\n', '../../etc').map((v) => () => v),
  fc.fullUnicodeString({ maxLength: 40 }).map((s) => () => s),
);

/** A valid pod with 1–6 random mutations (and maybe unknown fields), as YAML or JSON. */
export const mutatedPod: fc.Arbitrary<Case> = fc.tuple(
  fc.array(fc.tuple(fc.constantFrom(...POD_PATHS), mutation), { minLength: 1, maxLength: 6 }),
  fc.array(fc.tuple(fc.constantFrom<Path>([], ['metadata'], ['spec'], ['spec', 'containers', 0]), fc.string({ minLength: 1, maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
  fc.boolean(),
).map(([muts, unknown, json]) => {
  const pod = basePod();
  for (const [path, f] of muts) { try { setAt(pod, path, f); } catch { /* the path went away with an earlier mutation */ } }
  for (const [at, k, v] of unknown) {
    let o = pod as Record<string | number, unknown>;
    try { for (const p of at) o = o[p] as Record<string | number, unknown>; if (o && typeof o === 'object') o[k] = v; } catch { /* gone */ }
  }
  let data: string;
  try { data = json ? JSON.stringify(pod) : stringify(pod, { aliasDuplicateObjects: false }); } catch { data = JSON.stringify(String(pod)); }
  return { name: json ? 'pod.json' : 'pod.yaml', data };
});

/** "Billion laughs": `levels` anchors, each referring `fan` times to the one before. */
export function aliasBomb(levels: number, fan: number, merge = false): string {
  const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: lol', '  annotations:', '    l0: &l0 "lol"'];
  for (let i = 1; i <= levels; i++) {
    lines.push(merge
      ? `    l${i}: &l${i} {${Array.from({ length: fan }, (_, j) => `k${j}: *l${i - 1}`).join(', ')}}`
      : `    l${i}: &l${i} [${Array.from({ length: fan }, () => `*l${i - 1}`).join(', ')}]`);
  }
  lines.push('spec:', '  containers:', '  - {name: app, image: busybox}', '');
  return lines.join('\n');
}

export const aliasBombs: fc.Arbitrary<Case> = fc.tuple(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 16 }), fc.boolean())
  .map(([l, f, m]) => ({ name: 'bomb.yaml', data: aliasBomb(l, f, m) }));

/** Nesting by indentation, by flow brackets, by block sequences, by JSON arrays. */
export const deepNesting: fc.Arbitrary<Case> = fc.tuple(fc.integer({ min: 50, max: 20_000 }), fc.constantFrom('indent', 'flow', 'seq', 'json', 'mixed'))
  .map(([n, how]) => {
    switch (how) {
      case 'indent': return { name: 'deep.yaml', data: Array.from({ length: Math.min(n, 3000) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') };
      case 'flow': return { name: 'deep.yaml', data: `a: ${'['.repeat(n)}${']'.repeat(n)}` };
      case 'seq': return { name: 'deep.yaml', data: `${'- '.repeat(Math.min(n, 3000))}x` };
      case 'json': return { name: 'deep.json', data: `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` };
      default: return { name: 'deep.yaml', data: `${'{a: ['.repeat(n / 2)}1${']}'.repeat(n / 2)}` };
    }
  });

/** Huge scalars, many documents, many keys. */
export const bigInputs: fc.Arbitrary<Case> = fc.tuple(fc.integer({ min: 10_000, max: 900_000 }), fc.constantFrom('key', 'value', 'docs', 'keys', 'name'))
  .map(([n, how]) => {
    switch (how) {
      case 'key': return { name: 'big.yaml', data: `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  ${'k'.repeat(n)}: 1\n  containers: [{name: a, image: b}]\n` };
      case 'value': return { name: 'big.yaml', data: `apiVersion: v1\nkind: Pod\nmetadata: {name: "${'n'.repeat(n)}"}\nspec: {containers: [{name: a, image: b}]}\n` };
      case 'docs': return { name: 'big.yaml', data: '---\nkind: Pod\n'.repeat(Math.min(n / 10, 50_000)) };
      case 'keys': return { name: 'big.yaml', data: `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: a, image: b}]\n${Array.from({ length: Math.min(n / 20, 20_000) }, (_, i) => `x${i}: ${i}`).join('\n')}\n` };
      default: return { name: 'big.yaml', data: `apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: "${'c'.repeat(n)}", image: b}]}\n` };
    }
  });

export const anyHostile: fc.Arbitrary<Case> = fc.oneof(tokenSoup, randomText, randomShapes, mutatedPod, aliasBombs, deepNesting, bigInputs);
