// The import graph of the repository's own code, read with the TypeScript compiler API: every
// `import` (also `import type`), `export … from`, `import('…')` and `import('…').T` of each file, with relative
// specifiers resolved to repository paths ("./x.js" → "dir/x.ts") and packages kept by name ("dockerode").
import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { lineOf, parseTs, REPO, tsFilesUnder } from './ts-files.js';

export interface ImportEdge {
  readonly from: string;
  /** A repository path for a relative import, else the package name as written ("dockerode", "node:fs"). */
  readonly to: string;
  readonly line: number;
}

export type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

function specifiers(sf: ts.SourceFile): { spec: string; node: ts.Node }[] {
  const out: { spec: string; node: ts.Node }[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      out.push({ spec: n.moduleSpecifier.text, node: n });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      out.push({ spec: n.arguments[0].text, node: n });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push({ spec: n.argument.literal.text, node: n });
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteral(n.moduleReference.expression)) {
      out.push({ spec: n.moduleReference.expression.text, node: n });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** "./x.js" from "agent/a.ts" → "agent/x.ts" (or ".../x/index.ts"); other extensions are kept as written. */
function resolveRelative(from: string, spec: string): string {
  const p = normalize(join(dirname(from), spec)).split('\\').join('/');
  const asTs = p.replace(/\.js$/, '.ts');
  if (existsSync(join(REPO, asTs))) return asTs;
  if (existsSync(join(REPO, p, 'index.ts'))) return `${p}/index.ts`;
  return p;
}

export function importGraph(dirs: readonly string[]): ImportGraph {
  const graph = new Map<string, ImportEdge[]>();
  for (const file of dirs.flatMap((d) => tsFilesUnder(d))) {
    const sf = parseTs(file);
    graph.set(file, specifiers(sf).map(({ spec, node }) => ({
      from: file,
      to: spec.startsWith('.') ? resolveRelative(file, spec) : spec,
      line: lineOf(sf, node),
    })));
  }
  return graph;
}

/** Strongly connected components with more than one node (Tarjan): each is a set of nodes in a cycle. */
export function cycles(nodes: readonly string[], next: (n: string) => Iterable<string>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) { connect(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const n of nodes) if (!index.has(n)) connect(n);
  return found;
}

/** The edges between files of the graph (packages and files outside it left out). */
function fileEdges(graph: ImportGraph, from: string): string[] {
  return (graph.get(from) ?? []).map((e) => e.to).filter((to) => graph.has(to));
}

/** Each cycle between files, as the sorted files in it. */
export function fileCycles(graph: ImportGraph): string[][] {
  return cycles([...graph.keys()], (f) => fileEdges(graph, f));
}

/**
 * The unit of the folder rule: a file's directory (agent/kuberuntime, agent/pleg, probes/check, …). A file
 * that sits directly in a folder which also has subfolders (agent/*.ts, cri/*.ts, probes/*.ts, agent/cli/*.ts)
 * is a unit of its own: such files are the shared base of those subfolders (cri/api.ts, probes/types.ts,
 * agent/log.ts) or their composition root (agent/kubelet.ts, agent/cli/main.ts). A loop through one of them
 * still shows, as a cycle between files or between units.
 */
export function folderUnit(file: string, folders: ReadonlySet<string>): string {
  const dir = dirname(file);
  return [...folders].some((f) => f.startsWith(`${dir}/`)) ? file : dir;
}

/** Each cycle between folder units, told as one import per step ("from.ts -> to.ts"), sorted. */
export function folderCycles(graph: ImportGraph): string[][] {
  const folders = new Set([...graph.keys()].map((f) => dirname(f)));
  const unitEdges = new Map<string, Set<string>>();
  const example = new Map<string, string>();
  for (const from of graph.keys()) {
    for (const to of fileEdges(graph, from)) {
      const [a, b] = [folderUnit(from, folders), folderUnit(to, folders)];
      if (a === b) continue;
      if (!unitEdges.has(a)) unitEdges.set(a, new Set());
      unitEdges.get(a)!.add(b);
      if (!example.has(`${a} ${b}`)) example.set(`${a} ${b}`, `${from} -> ${to}`);
    }
  }
  return cycles([...unitEdges.keys()], (u) => unitEdges.get(u) ?? [])
    .map((units) => units.flatMap((a) => units.flatMap((b) => example.get(`${a} ${b}`) ?? [])).sort());
}
