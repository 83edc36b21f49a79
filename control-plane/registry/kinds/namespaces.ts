// control-plane/registry/kinds/namespaces.ts — Namespace (core/v1, `ns`, cluster-scoped, status subresource):
// names are DNS-1123 labels; a new namespace is Active, carries the `kubernetes` spec finalizer and the
// `kubernetes.io/metadata.name` label (which it keeps); spec.finalizers change only through /finalize.
// Deleting one (Terminating, then emptied) is the store's: namespaces.ts and the namespace controller.
import { NAMESPACE_FINALIZER } from '../../store/index.js';
import { isObj, keep, listOf, OBJECT_META } from '../common.js';
import { AGE_COLUMN, ageOf, col, NAME_COLUMN, nameOf } from '../table.js';
import type { FieldError, KindDef, Mutable } from '../types.js';
import { invalidValue, qualifiedNameProblems } from '../validation.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';

function ensureNameLabel(o: Mutable): void {
  o.metadata.labels = { ...(o.metadata.labels ?? {}), [NAME_LABEL]: o.metadata.name ?? '' };
}

const specOf = (o: Mutable): Record<string, unknown> => (isObj(o['spec']) ? o['spec'] : {});

export const namespaces: KindDef = {
  group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  nameRule: 'label',
  description: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  fields: {
    spec: 'Spec defines the behavior of the Namespace.',
    status: 'Status describes the current status of a Namespace.',
  },
  statusSubresource: true,
  prepareForCreate(o) {
    const finalizers = listOf<string>(specOf(o)['finalizers']);
    o['spec'] = { ...specOf(o), finalizers: finalizers.includes(NAMESPACE_FINALIZER) ? finalizers : [...finalizers, NAMESPACE_FINALIZER] };
    o['status'] = { phase: 'Active' };
    ensureNameLabel(o);
  },
  prepareForUpdate(o, old) {
    keep(o, old, 'spec');
    ensureNameLabel(o);
  },
  validate(o) {
    const errs: FieldError[] = [];
    for (const [i, f] of listOf<string>(specOf(o)['finalizers']).entries()) {
      if (!String(f).includes('/') && f !== NAMESPACE_FINALIZER) errs.push(invalidValue(`spec.finalizers[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
      else errs.push(...qualifiedNameProblems(String(f)).map((p) => invalidValue(`spec.finalizers[${i}]`, f, p)));
    }
    return errs;
  },
  selectableFields: { names: ['status.phase'], get: (o) => ({ 'status.phase': String((o as { status?: { phase?: string } }).status?.phase ?? '') }) },
  table: {
    columns: [NAME_COLUMN, col('Status', 'The status of the namespace'), AGE_COLUMN],
    cells: (o, now) => [nameOf(o), String((o as { status?: { phase?: string } }).status?.phase ?? ''), ageOf(o, now)],
  },
  protobuf: {
    1: { name: 'metadata', type: 'message', message: OBJECT_META },
    2: { name: 'spec', type: 'message', message: { 1: { name: 'finalizers', type: 'strings' } } },
  },
};
