// agent/kuberuntime/expand.ts — PURE: Kubernetes' $(VAR) expansion (third_party/forked/golang/expansion).
//
// `$(NAME)` is replaced by the variable's value when it is defined, else kept as written; `$$` is an
// escaped `$`. Used for env values (against the variables defined before them), command, args and
// subPathExpr (against the container's final environment).
const VAR_REF = /\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g;

export function expandVars(input: string, vars: ReadonlyMap<string, string>): string {
  return input.replace(VAR_REF, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    return name !== undefined && vars.has(name) ? vars.get(name)! : m;
  });
}

/** Expands literal env values in order: each may refer to the ones defined before it. */
export function expandEnv(env: readonly { name: string; value: string }[]): { name: string; value: string }[] {
  const vars = new Map<string, string>();
  const out: { name: string; value: string }[] = [];
  for (const e of env) {
    const value = expandVars(e.value, vars);
    vars.set(e.name, value);
    out.push({ name: e.name, value });
  }
  return out;
}
