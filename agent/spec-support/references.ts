// agent/spec-support/references.ts — the ConfigMaps and Secrets a pod refers to (volumes, env, envFrom,
// imagePullSecrets), with whether each reference is optional. Used by `mini-kubelet check` to say what a
// pod would wait for. Pure.
import type { Pod } from '../api/v1.js';

export interface ConfigReference {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly optional: boolean;
  /** Where the reference is (`volume cfg`, `env of main`, `imagePullSecrets`). */
  readonly use: string;
}

export function podReferences(pod: Pod): ConfigReference[] {
  const out: ConfigReference[] = [];
  const add = (kind: ConfigReference['kind'], name: string | undefined, optional: boolean | undefined, use: string) => {
    if (name && !out.some((r) => r.kind === kind && r.name === name && r.use === use)) out.push({ kind, name, optional: !!optional, use });
  };
  for (const v of pod.spec?.volumes ?? []) {
    add('ConfigMap', v.configMap?.name, v.configMap?.optional, `volume ${v.name}`);
    add('Secret', v.secret?.secretName, v.secret?.optional, `volume ${v.name}`);
    for (const s of v.projected?.sources ?? []) {
      add('ConfigMap', s.configMap?.name, s.configMap?.optional, `volume ${v.name}`);
      add('Secret', s.secret?.name, s.secret?.optional, `volume ${v.name}`);
    }
  }
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const e of c.env ?? []) {
      add('ConfigMap', e.valueFrom?.configMapKeyRef?.name, e.valueFrom?.configMapKeyRef?.optional, `env of ${c.name}`);
      add('Secret', e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.optional, `env of ${c.name}`);
    }
    for (const f of c.envFrom ?? []) {
      add('ConfigMap', f.configMapRef?.name, f.configMapRef?.optional, `envFrom of ${c.name}`);
      add('Secret', f.secretRef?.name, f.secretRef?.optional, `envFrom of ${c.name}`);
    }
  }
  // A missing pull secret only means an anonymous pull: optional for waiting purposes.
  for (const s of pod.spec?.imagePullSecrets ?? []) add('Secret', s.name, true, 'imagePullSecrets');
  return out;
}
