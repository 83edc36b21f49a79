// The import rules of docs/architecture.md, checked over the import graph of agent/ cri/ probes/ bench/
// control-plane/ client/
// (every import, `import type` and `export … from` counts: a type-only import is an edge too).
//
// - Only cri/docker talks to Docker: `dockerode` is imported nowhere else (but by two benchmarks, which
//   measure the agent against Docker itself).
// - The agent sees the runtime through cri/api (with cri/errors and cri/clock); only the composition roots
//   that choose the real runtime, agent/kubelet.ts and agent/cli/ (`mini-kubelet reset` makes its own), may
//   import cri/docker. Nothing in agent/ imports cri/fake.
// - cri/fake is built on cri/api, cri/errors and cri/clock alone, so it stays a drop-in for cri/docker.
// - cri/ is the bottom layer; probes/ never imports agent/ nor cri/docker.
// - control-plane/ (the API machinery of issue 11) and agent/ never import each other: they meet only through
//   the Kubernetes API, so the kubelet can join another API server. control-plane/ uses no runtime (cri/, probes/).
// - client/ (the Kubernetes client both of them use) imports nothing of agent/, control-plane/, cri/, probes/.
// - No import cycles between files, nor between folders.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileCycles, folderCycles, folderUnit, importGraph, type ImportEdge, type ImportGraph } from './import-graph.js';
import { REPO } from './ts-files.js';

const graph = importGraph(['agent', 'cri', 'probes', 'bench', 'control-plane', 'client']);
const edges: ImportEdge[] = [...graph.values()].flat();
const isRepoPath = (to: string): boolean => /^(agent|cri|probes|bench|scripts|test|control-plane|client)\//.test(to);
const show = (e: ImportEdge): string => `${e.from}:${e.line} imports ${e.to}`;
const under = (dir: string) => (path: string): boolean => path.startsWith(`${dir}/`);

describe('the import graph', () => {
  it('is read: every relative import resolves to a file of the repository', () => {
    expect(graph.size).toBeGreaterThan(150);
    expect(edges.filter((e) => e.to.startsWith('.') || (isRepoPath(e.to) && !existsSync(join(REPO, e.to)))).map(show)).toEqual([]);
  });
});

describe('import rules', () => {
  it('dockerode is imported only in cri/docker', () => {
    const users = edges.filter((e) => e.to === 'dockerode' || e.to.startsWith('dockerode/') || e.to === 'docker-modem');
    expect(users.length).toBeGreaterThan(0);
    // The benchmarks measure the agent against Docker itself, so two of them use it directly:
    // bench/raw-docker.ts is the baseline (the same Docker calls made without the agent), and bench/status.ts
    // takes each container's exit time from Docker (State.FinishedAt) as the ground truth.
    const benchAgainstDocker = new Set(['bench/raw-docker.ts', 'bench/status.ts']);
    const allowed = (e: ImportEdge) => under('cri/docker')(e.from) || benchAgainstDocker.has(e.from);
    expect(users.filter((e) => !allowed(e)).map(show)).toEqual([]);
  });

  it('agent/ sees the runtime only through cri/api, cri/errors and cri/clock', () => {
    const interfaceFiles = new Set(['cri/api.ts', 'cri/errors.ts', 'cri/clock.ts']);
    // The composition roots choose the real runtime: agent/kubelet.ts wires cri/docker (DockerRuntime, the
    // pause image), and agent/cli/ runs commands that need Docker itself (`mini-kubelet reset`).
    const root = (from: string) => from === 'agent/kubelet.ts' || under('agent/cli')(from);
    const toCri = edges.filter((e) => under('agent')(e.from) && under('cri')(e.to));
    expect(toCri.length).toBeGreaterThan(0);
    expect(toCri.filter((e) => !interfaceFiles.has(e.to) && !(root(e.from) && under('cri/docker')(e.to))).map(show)).toEqual([]);
  });

  it('cri/fake is built on cri/api, cri/errors and cri/clock only (and Node built-ins)', () => {
    const fake = edges.filter((e) => under('cri/fake')(e.from));
    const ok = (to: string) => under('cri/fake')(to) || ['cri/api.ts', 'cri/errors.ts', 'cri/clock.ts'].includes(to) || to.startsWith('node:');
    expect(fake.filter((e) => !ok(e.to)).map(show)).toEqual([]);
  });

  it('cri/ imports nothing of agent/, probes/ or bench/', () => {
    expect(edges.filter((e) => under('cri')(e.from) && /^(agent|probes|bench)\//.test(e.to)).map(show)).toEqual([]);
  });

  it('control-plane/ and agent/ never import each other; control-plane/ uses no runtime', () => {
    const across = edges.filter((e) => (under('control-plane')(e.from) && /^(agent|cri|probes)\//.test(e.to)) || (under('agent')(e.from) && under('control-plane')(e.to)));
    expect(edges.some((e) => under('control-plane')(e.from))).toBe(true);
    expect(across.map(show)).toEqual([]);
  });

  it('client/ imports nothing of agent/, control-plane/, cri/, probes/', () => {
    expect(edges.some((e) => under('client')(e.from))).toBe(true);
    expect(edges.filter((e) => under('client')(e.from) && /^(agent|control-plane|cri|probes)\//.test(e.to)).map(show)).toEqual([]);
  });

  it('probes/ never imports agent/ nor cri/docker', () => {
    expect(edges.filter((e) => under('probes')(e.from) && (under('agent')(e.to) || under('cri/docker')(e.to))).map(show)).toEqual([]);
  });
});

/** A toy graph: each file imports the files listed. */
const toy = (g: Record<string, string[]>): ImportGraph =>
  new Map(Object.entries(g).map(([from, tos]) => [from, tos.map((to) => ({ from, to, line: 1 }))]));

describe('no import cycles', () => {
  it('between files', () => {
    expect(fileCycles(graph)).toEqual([]);
  });

  it('between folders (a file beside subfolders counts as its own folder)', () => {
    expect(folderCycles(graph)).toEqual([]);
  });

  it('the scans see a cycle when there is one (type-only imports included: they are edges like any other)', () => {
    expect(fileCycles(toy({ 'a/x.ts': ['a/y.ts'], 'a/y.ts': ['a/x.ts'], 'a/z.ts': ['a/x.ts'] }))).toEqual([['a/x.ts', 'a/y.ts']]);
    const folders = toy({ 'a/x.ts': ['b/y.ts'], 'b/y.ts': ['a/z.ts'], 'a/z.ts': [], 'c/w.ts': ['a/x.ts'] });
    expect(fileCycles(folders)).toEqual([]);
    expect(folderCycles(folders)).toEqual([['a/x.ts -> b/y.ts', 'b/y.ts -> a/z.ts']]);
    // Files beside subfolders are units of their own: a base file imported by its subfolder is no cycle.
    expect(folderCycles(toy({ 'p/types.ts': [], 'p/prober.ts': ['p/check/http.ts'], 'p/check/http.ts': ['p/types.ts'] }))).toEqual([]);
    expect(folderUnit('agent/log.ts', new Set(['agent', 'agent/pleg']))).toBe('agent/log.ts');
    expect(folderUnit('agent/pleg/pleg.ts', new Set(['agent', 'agent/pleg']))).toBe('agent/pleg');
  });
});
